import { spawn } from 'node:child_process'

/**
 * Runs git plumbing in `repo` and returns stdout as a Buffer. Options that would make git run
 * code configured by the repository under review (fsmonitor hooks, external diff or textconv
 * drivers) are switched off: we only ever read objects.
 */
export function git(repo: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      ['-C', repo, '-c', 'core.fsmonitor=false', '-c', 'diff.external=', '--no-pager', ...args],
      { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } },
    )
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out))
      else reject(new GitError(args, Buffer.concat(err).toString('utf8').trim(), code))
    })
    if (child.stdin) {
      // git may exit before reading all its input (a bad object name): that is reported by its exit code.
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    }
  })
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(`git ${args[0] ?? ''} failed: ${stderr || `exit code ${String(code)}`}`)
  }
}

/** Splits NUL-terminated git output (`-z`) into its records. */
export function splitNul(output: Buffer): string[] {
  const text = output.toString('utf8')
  const records = text.split('\0')
  if (records[records.length - 1] === '') records.pop()
  return records
}

/** Resolves a ref to a commit sha, or null when it names no commit. */
export async function resolveCommit(repo: string, ref: string): Promise<string | null> {
  try {
    return (await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).toString().trim()
  } catch {
    return null
  }
}

/** Whether `dir` lies inside a git work tree. */
export async function isGitWorkTree(dir: string): Promise<boolean> {
  try {
    return (await git(dir, ['rev-parse', '--is-inside-work-tree'])).toString().trim() === 'true'
  } catch {
    return false
  }
}

export async function repoRoot(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', '--show-toplevel'])).toString().trim()
}

export async function mergeBase(repo: string, a: string, b: string): Promise<string | null> {
  try {
    return (await git(repo, ['merge-base', a, b])).toString().trim()
  } catch {
    return null
  }
}
