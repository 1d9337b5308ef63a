import type { RevisionInfo } from '../model.js'
import { git, splitNul } from './git.js'
import { type FileContent, type FileEntry, GIT_MODE_KIND, type ReadOptions, type RevisionSource } from './source.js'

/** A commit of a repository, read as blobs: nothing is checked out, no symlink is followed. */
export class GitCommitSource implements RevisionSource {
  constructor(
    readonly repo: string,
    readonly info: RevisionInfo & { sha: string },
  ) {}

  async list(): Promise<FileEntry[]> {
    // -l: blob sizes, so a file over the size limit is never read (git knows them without reading)
    const out = await git(this.repo, ['ls-tree', '-r', '-l', '-z', '--full-tree', this.info.sha])
    const entries: FileEntry[] = []
    for (const record of splitNul(out)) {
      // "<mode> <type> <object> <size, padded with spaces; - for a submodule>\t<path>"
      const tab = record.indexOf('\t')
      const [mode = '', , blobId = '', size = '-'] = record.slice(0, tab).split(/ +/)
      const kind = GIT_MODE_KIND[mode]
      if (kind) entries.push({ path: record.slice(tab + 1), kind, blobId, size: /^\d+$/.test(size) ? Number(size) : null })
    }
    return entries
  }

  read(entries: readonly FileEntry[], options: ReadOptions = {}): Promise<FileContent[]> {
    return readBlobs(
      this.repo,
      entries.flatMap((e) => (e.kind === 'file' && e.blobId ? [{ path: e.path, blobId: e.blobId }] : [])),
      options,
    )
  }
}

/**
 * Reads blobs with `git cat-file`. Given a size limit, their sizes are asked for first
 * (`--batch-check`), so a blob over `maxFileBytes` is never loaded: it comes back marked
 * `tooLarge`, without bytes.
 */
export async function readBlobs(
  repo: string,
  wanted: readonly { path: string; blobId: string }[],
  options: ReadOptions = {},
): Promise<FileContent[]> {
  if (wanted.length === 0) return []
  const limit = options.maxFileBytes
  let small = wanted
  const oversized: FileContent[] = []
  if (limit !== undefined) {
    const sizes = await blobSizes(repo, wanted.map((w) => w.blobId))
    small = wanted.filter((w) => (sizes.get(w.blobId) ?? 0) <= limit)
    for (const w of wanted) {
      const size = sizes.get(w.blobId)
      if (size !== undefined && size > limit) oversized.push({ path: w.path, blobId: w.blobId, bytes: Buffer.alloc(0), tooLarge: size })
    }
  }
  if (small.length === 0) return oversized
  const out = await git(repo, ['cat-file', '--batch'], small.map((w) => w.blobId).join('\n') + '\n')
  const contents: FileContent[] = []
  let offset = 0
  for (const { path, blobId } of small) {
    const headerEnd = out.indexOf(0x0a, offset)
    if (headerEnd < 0) break
    const header = out.subarray(offset, headerEnd).toString('utf8')
    offset = headerEnd + 1
    // "<sha> blob <size>" or "<sha> missing"
    const [, type, size] = header.split(' ')
    if (type !== 'blob' || size === undefined) continue
    const length = Number(size)
    contents.push({ path, blobId, bytes: out.subarray(offset, offset + length) })
    offset += length + 1
  }
  return [...contents, ...oversized]
}

/** Blob sizes by id, from `git cat-file --batch-check` (no content is read). */
async function blobSizes(repo: string, ids: readonly string[]): Promise<Map<string, number>> {
  const out = await git(repo, ['cat-file', '--batch-check'], ids.join('\n') + '\n')
  const sizes = new Map<string, number>()
  for (const line of out.toString('utf8').split('\n')) {
    const [id, type, size] = line.split(' ')
    if (id && type === 'blob' && size !== undefined && /^\d+$/.test(size)) sizes.set(id, Number(size))
  }
  return sizes
}
