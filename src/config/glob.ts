/**
 * Glob patterns as people write them for paths and names, with .gitignore's conventions:
 *
 * - `*` matches within a segment, `?` one character of it, `[abc]` / `[a-z]` / `[!a]` one of a set;
 * - `**` matches across segments: `**` + `/` also matches no segment at all, so `**` + `/*.yaml`
 *   matches a top-level `a.yaml` too, and `a/**` matches everything under `a`;
 * - `{a,b}` matches either alternative, and alternatives are globs themselves (`{charts,deploy}/**`);
 * - a pattern without a slash (other than a trailing one) matches at any depth: `*.yaml`, `vendor/`;
 * - a leading `/` or `./` anchors the pattern at the repository root; a trailing `/` matches
 *   everything under a directory of that name.
 *
 * Matching is case-sensitive, like paths in git.
 */
export function globToRegExp(pattern: string): RegExp {
  let glob = pattern
  let rooted = false
  if (glob.startsWith('./')) {
    glob = glob.slice(2)
    rooted = true
  } else if (glob.startsWith('/')) {
    glob = glob.slice(1)
    rooted = true
  }
  const directory = glob.endsWith('/')
  if (directory) glob = glob.replace(/\/+$/, '')
  const anchored = rooted || glob.includes('/')
  let source = translate(glob)
  if (directory) source += '/.*'
  return new RegExp(`^${anchored ? source : `(?:.*/)?${source}`}$`)
}

/** The regular expression source of a glob (no anchors). */
function translate(glob: string): string {
  let source = ''
  let i = 0
  while (i < glob.length) {
    const c = glob[i] as string
    if (c === '*') {
      if (glob[i + 1] === '*') {
        let j = i + 2
        while (glob[j] === '*') j++
        if (glob[j] === '/') {
          source += '(?:.*/)?'
          i = j + 1
        } else {
          source += '.*'
          i = j
        }
        continue
      }
      source += '[^/]*'
    } else if (c === '?') {
      source += '[^/]'
    } else if (c === '[') {
      const close = classEnd(glob, i)
      if (close < 0) source += '\\['
      else {
        let body = glob.slice(i + 1, close)
        const negated = body.startsWith('!') || body.startsWith('^')
        if (negated) body = body.slice(1)
        source += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, (m, offset: number) => (m === '^' && offset > 0 ? '^' : `\\${m}`))}]`
        i = close + 1
        continue
      }
    } else if (c === '{') {
      const close = braceEnd(glob, i)
      if (close < 0) source += '\\{'
      else {
        source += `(?:${splitAlternatives(glob.slice(i + 1, close)).map(translate).join('|')})`
        i = close + 1
        continue
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      source += escape(glob[i + 1] as string)
      i += 2
      continue
    } else source += escape(c)
    i++
  }
  return source
}

/** The index of the `]` closing the class opened at `open`, or -1 (then `[` is literal). */
function classEnd(glob: string, open: number): number {
  let i = open + 1
  if (glob[i] === '!' || glob[i] === '^') i++
  if (glob[i] === ']') i++ // a leading ] is part of the set
  for (; i < glob.length; i++) {
    if (glob[i] === '/') return -1
    if (glob[i] === ']') return i
  }
  return -1
}

/** The index of the `}` closing the brace opened at `open`, nesting counted, or -1. */
function braceEnd(glob: string, open: number): number {
  let depth = 0
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '\\') i++
    else if (glob[i] === '{') depth++
    else if (glob[i] === '}' && --depth === 0) return i
  }
  return -1
}

/** `a,{b,c},d` → `a`, `{b,c}`, `d`: commas inside nested braces stay. */
function splitAlternatives(body: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c === '\\') i++
    else if (c === '{') depth++
    else if (c === '}') depth--
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i))
      start = i + 1
    }
  }
  parts.push(body.slice(start))
  return parts
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** Matches a path against include and exclude globs: included by one, excluded by none. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): (path: string) => boolean {
  const inc = include.map(globToRegExp)
  const exc = exclude.map(globToRegExp)
  return (path) => inc.some((re) => re.test(path)) && !exc.some((re) => re.test(path))
}
