import { ApiRevisionSource } from '../load/api-source.js'
import type { RevisionSource } from '../load/source.js'
import type { BotEvent } from './event.js'
import { describeError, type GitHubPort, type GitPort, type RunnerPort } from './ports.js'

export interface EventRevisions {
  /** null for a scan */
  base: RevisionSource | null
  head: RevisionSource
  scope: 'changed' | 'all'
}

/**
 * The two revisions an event compares. A pull request is compared from the merge base of its
 * base and head (a three-dot diff) to its head. Commits are read from the workspace's git
 * repository when they are there, fetched (`--depth=1`) when the checkout is shallow, and read
 * through the REST API when git cannot help. Nothing is checked out: blobs are read.
 */
export async function eventRevisions(event: BotEvent, git: GitPort, github: GitHubPort | null, out: RunnerPort): Promise<EventRevisions> {
  const hasGit = await git.available().catch(() => false)
  const resolver = new CommitResolver(hasGit, git, github, out)
  if (event.kind === 'scan' || (event.kind === 'compare' && event.baseSha === null)) {
    return { base: null, head: await resolver.source(event.headSha, 'head'), scope: 'all' }
  }
  if (event.kind === 'compare') {
    const base = event.baseSha ?? event.headSha
    return { base: await resolver.source(base, 'base'), head: await resolver.source(event.headSha, 'head'), scope: 'changed' }
  }
  const mergeBase = await resolver.mergeBase(event.baseSha, event.headSha, event.baseRef)
  return {
    base: await resolver.source(mergeBase, `merge base of ${event.baseSha.slice(0, 7)} and ${event.headSha.slice(0, 7)}`),
    head: await resolver.source(event.headSha, `pull request #${event.number} head`),
    scope: 'changed',
  }
}

class CommitResolver {
  private readonly local = new Map<string, Promise<boolean>>()

  constructor(
    private readonly hasGit: boolean,
    private readonly git: GitPort,
    private readonly github: GitHubPort | null,
    private readonly out: RunnerPort,
  ) {}

  /** Whether the commit is in the local repository, fetching it once if it is not. */
  private present(sha: string, fetch: boolean): Promise<boolean> {
    if (!this.hasGit) return Promise.resolve(false)
    const key = `${sha}:${fetch}`
    let known = this.local.get(key)
    if (!known) {
      known = (async () => {
        if (await this.git.hasCommit(sha).catch(() => false)) return true
        if (!fetch) return false
        const fetched = await this.git.fetchCommit(sha).catch(() => false)
        if (!fetched) this.out.info(`Commit ${sha} is not in the workspace and git could not fetch it: reading it through the API.`)
        return fetched && (await this.git.hasCommit(sha).catch(() => false))
      })()
      this.local.set(key, known)
    }
    return known
  }

  async source(sha: string, ref: string): Promise<RevisionSource> {
    if (await this.present(sha, true)) return this.git.source(sha, ref)
    if (!this.github) throw new Error(`commit ${sha} is not in the workspace and there is no token to read it through the API`)
    return new ApiRevisionSource(this.github, { ref, sha })
  }

  /**
   * The merge base: from git when both commits and their history are there; in a shallow clone,
   * from the head's history fetched down to where it left the base branch; else from the compare
   * API. Without any of them, the base commit itself.
   */
  async mergeBase(base: string, head: string, baseBranch: string | null): Promise<string> {
    // The head is fetched first: in a full clone its history arrives with it and git finds the base.
    const hasHead = await this.present(head, true)
    if (hasHead && (await this.present(base, false))) {
      const local = await this.git.mergeBase(base, head).catch(() => null)
      if (local) return local
    }
    if (hasHead && baseBranch) {
      const point = await this.git.branchPoint(head, baseBranch).catch(() => null)
      if (point) return point
    }
    if (this.github) {
      try {
        return await this.github.mergeBase(base, head)
      } catch (error) {
        this.out.warning(`Could not find the merge base of ${base} and ${head} (${describeError(error)}): comparing with ${base} itself.`)
        return base
      }
    }
    this.out.warning(`Could not find the merge base of ${base} and ${head}: comparing with ${base} itself.`)
    return base
  }
}
