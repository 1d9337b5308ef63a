import { git, isGitWorkTree, mergeBase, repoRoot } from '../load/git.js'
import { GitCommitSource } from '../load/git-source.js'
import type { GitPort } from './ports.js'

/**
 * The workspace's repository through git plumbing. Commits are only ever read as objects, and
 * fetching one writes objects, never the work tree: under `pull_request_target` no file of the
 * pull request is checked out, and no hook or filter of it runs.
 */
export async function workspaceGit(workspace: string): Promise<GitPort> {
  const root = (await isGitWorkTree(workspace)) ? await repoRoot(workspace).catch(() => null) : null
  const repo = (): string => {
    if (!root) throw new Error(`${workspace} is not a git repository`)
    return root
  }
  return {
    available: async () => root !== null,
    hasCommit: async (sha) => {
      try {
        await git(repo(), ['cat-file', '-e', `${sha}^{commit}`])
        return true
      } catch {
        return false
      }
    },
    fetchCommit: async (sha) => {
      try {
        // A shallow checkout gets one more shallow commit; a full clone gets the commit with the
        // history it lacks, so merge bases can still be computed locally.
        const depth = (await isShallow(repo())) ? ['--depth=1'] : []
        await git(repo(), ['-c', 'protocol.version=2', 'fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', ...depth, 'origin', sha])
        return true
      } catch {
        return false
      }
    },
    mergeBase: async (a, b) => mergeBase(repo(), a, b),
    branchPoint: async (head, baseBranch) => {
      try {
        if (!(await isShallow(repo()))) return null
        await git(repo(), ['-c', 'protocol.version=2', 'fetch', '--quiet', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', `--shallow-exclude=refs/heads/${baseBranch}`, 'origin', head])
        return await branchPointOf(repo(), head)
      } catch {
        return null
      }
    },
    source: (sha, ref) => new GitCommitSource(repo(), { ref, sha }),
  }
}

async function isShallow(repo: string): Promise<boolean> {
  return (await git(repo, ['rev-parse', '--is-shallow-repository'])).toString().trim() === 'true'
}

/**
 * After a `--shallow-exclude` fetch, the head's history ends at commits whose parents are on the
 * base branch. The parent they share is where the branch left: the merge base. Several such
 * parents (the branch merged the base branch in) leave the question to the compare API.
 */
async function branchPointOf(repo: string, head: string): Promise<string | null> {
  const commits = (await git(repo, ['rev-list', head])).toString().split('\n').filter(Boolean)
  if (commits.length === 0) return null
  const inHistory = new Set(commits)
  const out = (await git(repo, ['cat-file', '--batch'], `${commits.join('\n')}\n`)).toString('latin1')
  const outside = new Set<string>()
  for (const match of out.matchAll(/^parent ([0-9a-f]{40,64})$/gm)) {
    const parent = match[1] as string
    if (!inHistory.has(parent)) outside.add(parent)
  }
  return outside.size === 1 ? ([...outside][0] as string) : null
}
