/**
 * Git plumbing for the fake GitHub: what GitHub computes from a repository (pull-request files
 * and their patches, trees, blobs, merge bases), computed here with git from a local repository.
 */
import { execFileSync } from 'node:child_process'

const ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_ALLOW_PROTOCOL: 'file',
  LC_ALL: 'C',
}

/** Runs git with a fixed identity and no user configuration; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return gitBuffer(cwd, ...args).toString('utf8')
}

export function gitBuffer(cwd: string, ...args: string[]): Buffer {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Test Author',
      '-c',
      'user.email=author@example.com',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'init.defaultBranch=main',
      '-c',
      'core.quotePath=false',
      ...args,
    ],
    { cwd, env: ENV, maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  )
}

/** git that may fail: stdout, or null. */
export function tryGit(cwd: string, ...args: string[]): string | null {
  try {
    return git(cwd, ...args)
  } catch {
    return null
  }
}

export function mergeBase(cwd: string, a: string, b: string): string {
  return git(cwd, 'merge-base', a, b).trim()
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'

/** One entry of `GET /pulls/{n}/files` or a compare's `files`. */
export interface DiffFile {
  sha: string | null
  filename: string
  status: FileStatus
  additions: number
  deletions: number
  changes: number
  patch?: string
  previous_filename?: string
}

/**
 * The files changed from `base` to `head` as GitHub lists them: renames detected, the patch is
 * `git diff --no-color -U3` of the file with the file headers cut (hunks only); none for binaries.
 */
export function diffFiles(cwd: string, base: string, head: string): DiffFile[] {
  const raw = git(cwd, 'diff', '--no-color', '-M', '--name-status', '-z', base, head).split('\0')
  const numstat = git(cwd, 'diff', '--no-color', '-M', '--numstat', '-z', base, head).split('\0')
  const counts = parseNumstat(numstat)
  const files: DiffFile[] = []
  for (let i = 0; i < raw.length; ) {
    const status = raw[i++]
    if (!status) continue
    const letter = status[0] as string
    const from = raw[i++] as string
    const to = letter === 'R' || letter === 'C' ? (raw[i++] as string) : from
    const count = counts.get(to) ?? { additions: 0, deletions: 0, binary: false }
    const entry: DiffFile = {
      sha: letter === 'D' ? blobSha(cwd, base, from) : blobSha(cwd, head, to),
      filename: to,
      status: ({ A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' } as Record<string, FileStatus>)[letter] ?? 'changed',
      additions: count.additions,
      deletions: count.deletions,
      changes: count.additions + count.deletions,
    }
    if (letter === 'R' || letter === 'C') entry.previous_filename = from
    if (!count.binary) {
      const paths = letter === 'R' || letter === 'C' ? [from, to] : [to]
      const patch = hunksOnly(git(cwd, 'diff', '--no-color', '-U3', '-M', base, head, '--', ...paths))
      if (patch !== '') entry.patch = patch
    }
    files.push(entry)
  }
  return files
}

function parseNumstat(fields: string[]): Map<string, { additions: number; deletions: number; binary: boolean }> {
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>()
  for (let i = 0; i < fields.length; ) {
    const head = fields[i++]
    if (!head) continue
    const [added, deleted, path] = head.split('\t')
    let to = path ?? ''
    if (to === '') {
      // A rename: the two paths follow as their own fields.
      i++
      to = fields[i++] ?? ''
    }
    counts.set(to, { additions: added === '-' ? 0 : Number(added), deletions: deleted === '-' ? 0 : Number(deleted), binary: added === '-' })
  }
  return counts
}

/** A unified diff with its `diff --git`, `index`, `---` and `+++` lines removed: GitHub's `patch`. */
export function hunksOnly(diff: string): string {
  const start = diff.search(/^@@ /m)
  if (start < 0) return ''
  return diff.slice(start).replace(/\n$/, '')
}

export function blobSha(cwd: string, commit: string, path: string): string | null {
  return tryGit(cwd, 'rev-parse', `${commit}:${path}`)?.trim() ?? null
}

/** The RIGHT-side line numbers of each hunk of a patch (context and added lines). */
export function rightSideHunks(patch: string | undefined): number[][] {
  return sideHunks(patch, 'RIGHT')
}

/** The line numbers of each hunk on one side: RIGHT counts context and `+`, LEFT context and `-`. */
export function sideHunks(patch: string | undefined, side: 'LEFT' | 'RIGHT'): number[][] {
  if (!patch) return []
  const hunks: number[][] = []
  let left = 0
  let right = 0
  let current: number[] | null = null
  for (const line of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (header) {
      left = Number(header[1])
      right = Number(header[2])
      current = []
      hunks.push(current)
      continue
    }
    if (!current || line.startsWith('\\')) continue
    const mark = line[0]
    if (mark === '+') {
      if (side === 'RIGHT') current.push(right)
      right++
    } else if (mark === '-') {
      if (side === 'LEFT') current.push(left)
      left++
    } else {
      current.push(side === 'RIGHT' ? right : left)
      left++
      right++
    }
  }
  return hunks
}

/** The lines of the patch up to and including the commented line: a comment's `diff_hunk`. */
export function diffHunkFor(patch: string | undefined, line: number, side: 'LEFT' | 'RIGHT'): string {
  if (!patch) return ''
  const out: string[] = []
  let left = 0
  let right = 0
  for (const text of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
    if (header) {
      out.length = 0
      out.push(text)
      left = Number(header[1])
      right = Number(header[2])
      continue
    }
    out.push(text)
    const mark = text[0]
    const here = mark === '+' ? (side === 'RIGHT' ? right : -1) : mark === '-' ? (side === 'LEFT' ? left : -1) : side === 'RIGHT' ? right : left
    if (here === line) return out.join('\n')
    if (mark === '+') right++
    else if (mark === '-') left++
    else {
      left++
      right++
    }
  }
  return out.join('\n')
}

/** The position (1-based lines below the first `@@`) of a RIGHT or LEFT line in a patch, or null. */
export function positionOf(patch: string | undefined, line: number, side: 'LEFT' | 'RIGHT'): number | null {
  if (!patch) return null
  let position = 0
  let left = 0
  let right = 0
  let first = true
  for (const text of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
    if (header) {
      if (!first) position++
      first = false
      left = Number(header[1])
      right = Number(header[2])
      continue
    }
    position++
    const mark = text[0]
    if (mark === '+') {
      if (side === 'RIGHT' && right === line) return position
      right++
    } else if (mark === '-') {
      if (side === 'LEFT' && left === line) return position
      left++
    } else {
      if ((side === 'RIGHT' ? right : left) === line) return position
      left++
      right++
    }
  }
  return null
}

/** `git ls-tree -r -t -l` of a commit or tree as GitHub's tree entries. */
export function treeEntries(
  cwd: string,
  treeish: string,
  recursive: boolean,
): { path: string; mode: string; type: string; sha: string; size?: number }[] | null {
  const out = tryGit(cwd, 'ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), treeish)
  if (out === null) return null
  return out
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const tab = entry.indexOf('\t')
      const [mode, type, sha, size] = entry.slice(0, tab).split(/\s+/) as [string, string, string, string]
      const path = entry.slice(tab + 1)
      return { path, mode, type, sha, ...(type === 'blob' ? { size: Number(size) } : {}) }
    })
}

/** The sha of the tree of a commit, or the tree itself; null when it is neither. */
export function resolveTree(cwd: string, treeish: string): string | null {
  return tryGit(cwd, 'rev-parse', '--verify', '--quiet', `${treeish}^{tree}`)?.trim() || null
}

export function objectType(cwd: string, sha: string): string | null {
  return tryGit(cwd, 'cat-file', '-t', sha)?.trim() || null
}

export function resolveCommit(cwd: string, ref: string): string | null {
  return tryGit(cwd, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`)?.trim() || null
}
