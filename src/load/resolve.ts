import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { DirectorySource } from './dir-source.js'
import { isGitWorkTree, mergeBase, repoRoot, resolveCommit } from './git.js'
import { GitCommitSource } from './git-source.js'
import type { RevisionSource } from './source.js'
import { WorkTreeSource } from './worktree-source.js'

/** A revision argument that names neither a commit nor a directory: the user must fix the call. */
export class RevisionError extends Error {}

export interface ResolvedRevisions {
  base: RevisionSource
  head: RevisionSource
}

/**
 * Turns `--base`/`--head` arguments into sources. Each is a git ref or sha of the repository, or
 * else a directory. The head defaults to the work tree. Between two commits, the base is their
 * merge base, as in a pull request's three-dot diff.
 */
export async function resolveRevisions(
  cwd: string,
  repoDir: string,
  baseArg: string,
  headArg: string | undefined,
): Promise<ResolvedRevisions> {
  const inGit = await isGitWorkTree(repoDir)
  const root = inGit ? await repoRoot(repoDir) : resolve(repoDir)
  const headCommit = inGit ? await resolveCommit(root, headArg ?? 'HEAD') : null
  const baseCommit = inGit ? await resolveCommit(root, baseArg) : null

  let head: RevisionSource
  if (headArg === undefined) {
    head = inGit
      ? new WorkTreeSource(root, { ref: 'working tree', sha: null })
      : new DirectorySource(root, { ref: root, sha: null })
  } else if (headCommit) {
    head = new GitCommitSource(root, { ref: headArg, sha: headCommit })
  } else {
    head = await directory(cwd, headArg, '--head')
  }

  let base: RevisionSource
  if (baseCommit) {
    const since = headCommit ? ((await mergeBase(root, baseCommit, headCommit)) ?? baseCommit) : baseCommit
    base = new GitCommitSource(root, { ref: baseArg, sha: since })
  } else {
    base = await directory(cwd, baseArg, '--base')
  }
  return { base, head }
}

/** Directories are named relative to the caller's working directory, as a shell user expects. */
async function directory(cwd: string, arg: string, option: string): Promise<DirectorySource> {
  const dir = resolve(cwd, arg)
  const info = await stat(dir).catch(() => null)
  if (!info?.isDirectory()) {
    throw new RevisionError(`${option} ${arg}: not a git ref of the repository, nor a directory`)
  }
  return new DirectorySource(dir, { ref: arg, sha: null })
}
