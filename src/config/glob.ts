/**
 * Glob patterns as people write them for paths and names: `*` within a segment, `**` across
 * segments, `?` one character, `{a,b}` alternatives. A pattern without a slash matches the
 * last segment anywhere (`*.yaml`), as in .gitignore.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = ''
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i] as string
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/'
        source += slash ? '(?:.*/)?' : '.*'
        i += slash ? 3 : 2
        continue
      }
      source += '[^/]*'
    } else if (c === '?') source += '[^/]'
    else if (c === '{') {
      const close = pattern.indexOf('}', i)
      if (close > i) {
        source += `(?:${pattern.slice(i + 1, close).split(',').map(escape).join('|')})`
        i = close + 1
        continue
      }
      source += '\\{'
    } else source += escape(c)
    i++
  }
  const anchored = pattern.includes('/') ? source : `(?:.*/)?${source}`
  return new RegExp(`^${anchored}$`)
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&')
}

/** Matches a path against include and exclude globs: included by one, excluded by none. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): (path: string) => boolean {
  const inc = include.map(globToRegExp)
  const exc = exclude.map(globToRegExp)
  return (path) => inc.some((re) => re.test(path)) && !exc.some((re) => re.test(path))
}
