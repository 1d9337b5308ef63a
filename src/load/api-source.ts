import type { RevisionInfo } from '../model.js'
import { type FileContent, type FileEntry, GIT_MODE_KIND, type RevisionSource } from './source.js'

/** One entry of `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1`. */
export interface TreeEntry {
  path?: string
  mode?: string
  type?: string
  sha?: string
}

export interface TreeListing {
  tree: TreeEntry[]
  /** GitHub stops listing a recursive tree after 100,000 entries or 7 MB */
  truncated: boolean
}

/** The two Git database endpoints a revision is read with; implemented over REST by the report layer. */
export interface GitDataApi {
  /** a commit's (or tree's) whole tree, recursively */
  getTree(sha: string): Promise<TreeListing>
  /** a blob's bytes (the API answers base64) */
  getBlob(sha: string): Promise<Buffer>
}

/** Blobs fetched at once: enough to hide latency, few enough to stay clear of secondary rate limits. */
const CONCURRENCY = 4

/**
 * A commit read through GitHub's REST API, for when the workspace has no usable git history (no
 * checkout, a shallow one that cannot fetch, `pull_request_target` without the head). Like a git
 * commit, it is read as blobs: nothing is checked out or run. Blob ids are git's, so files equal
 * at both revisions are recognised without being downloaded.
 */
export class ApiRevisionSource implements RevisionSource {
  /** set when GitHub truncated the tree listing: some files were not seen */
  truncated = false
  private readonly blobs = new Map<string, Promise<Buffer>>()
  /** one listing per run: the configuration and the engine both list the revision */
  private listing: Promise<FileEntry[]> | undefined

  constructor(
    private readonly api: GitDataApi,
    readonly info: RevisionInfo & { sha: string },
  ) {}

  list(): Promise<FileEntry[]> {
    this.listing ??= this.fetchList()
    return this.listing
  }

  private async fetchList(): Promise<FileEntry[]> {
    const listing = await this.api.getTree(this.info.sha)
    this.truncated = listing.truncated
    const entries: FileEntry[] = []
    for (const entry of listing.tree) {
      const kind = entry.mode === undefined ? undefined : GIT_MODE_KIND[entry.mode]
      if (!kind || !entry.path || !entry.sha) continue
      if (kind === 'file' && entry.type !== 'blob') continue
      entries.push({ path: entry.path, kind, blobId: entry.sha })
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  async read(entries: readonly FileEntry[]): Promise<FileContent[]> {
    const wanted = entries.filter((e): e is FileEntry & { blobId: string } => e.kind === 'file' && e.blobId !== null)
    const results: (FileContent | null)[] = new Array(wanted.length).fill(null)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < wanted.length) {
        const i = next++
        const entry = wanted[i]
        if (!entry) continue
        results[i] = { path: entry.path, blobId: entry.blobId, bytes: await this.blob(entry.blobId) }
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, wanted.length) }, worker))
    return results.filter((c): c is FileContent => c !== null)
  }

  /**
   * Each blob is fetched once, even when several paths share it. A blob that cannot be read
   * fails the read: leaving the file out would turn its findings into fixed ones.
   */
  private blob(sha: string): Promise<Buffer> {
    let pending = this.blobs.get(sha)
    if (!pending) {
      pending = this.api.getBlob(sha)
      this.blobs.set(sha, pending)
    }
    return pending
  }
}
