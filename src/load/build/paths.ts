/** Repository-relative paths (forward slashes, no leading `./`, '' for the root), as listings give them. */

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * `rel` resolved against the directory `dir`, normalised; null when it is absolute or climbs
 * out of the repository (`../../..` past the root): nothing outside the revision is ever read.
 */
export function joinRepo(dir: string, rel: string): string | null {
  if (rel.startsWith('/') || rel.includes('\\') || rel.includes('\0')) return null
  const parts = dir === '' ? [] : dir.split('/')
  for (const part of rel.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return null
      parts.pop()
    } else parts.push(part)
  }
  return parts.join('/')
}

/** `dir/name`, or `name` at the root. */
export function inDir(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`
}

/** Whether `path` is `dir` itself or lies below it. */
export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`)
}

/** How a directory is named to people: `.` for the repository's root. */
export function shownDir(dir: string): string {
  return dir === '' ? '.' : dir
}

/**
 * A Kustomize reference that points outside the repository: a URL, a git remote
 * (`github.com/org/repo//dir?ref=v1`, `git@host:org/repo`) or anything with a query string.
 * Such references need the network, which builds never get.
 */
export function isRemoteRef(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    /^git@/.test(ref) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    ref.includes('?ref=') ||
    ref.includes('//') && !ref.startsWith('//')
  )
}
