/**
 * A pure function of a string, remembered: the same few strings come back thousands of times in
 * a large repository (environment variable names, the snippets fixes insert: `k: false`,
 * `capabilities:\n  drop: ["ALL"]`). The memory is cleared whenever it reaches `limit` entries,
 * which bounds it however varied the input. Results are shared between callers, so they must not
 * be changed.
 */
export function memoized<T>(compute: (key: string) => T, limit = 2048): (key: string) => T {
  const results = new Map<string, T>()
  return (key) => {
    if (results.has(key)) return results.get(key) as T
    if (results.size >= limit) results.clear()
    const result = compute(key)
    results.set(key, result)
    return result
  }
}
