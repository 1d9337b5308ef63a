import type { RevisionInfo } from '../model.js'
import { git, splitNul } from './git.js'
import type { FileContent, FileEntry, RevisionSource } from './source.js'

const MODE_KIND: Record<string, FileEntry['kind'] | undefined> = {
  '100644': 'file',
  '100755': 'file',
  '120000': 'symlink',
  '160000': 'submodule',
}

/** A commit of a repository, read as blobs: nothing is checked out, no symlink is followed. */
export class GitCommitSource implements RevisionSource {
  constructor(
    readonly repo: string,
    readonly info: RevisionInfo & { sha: string },
  ) {}

  async list(): Promise<FileEntry[]> {
    const out = await git(this.repo, ['ls-tree', '-r', '-z', '--full-tree', this.info.sha])
    const entries: FileEntry[] = []
    for (const record of splitNul(out)) {
      // "<mode> <type> <object>\t<path>"
      const tab = record.indexOf('\t')
      const [mode = '', , blobId = ''] = record.slice(0, tab).split(' ')
      const kind = MODE_KIND[mode]
      if (kind) entries.push({ path: record.slice(tab + 1), kind, blobId })
    }
    return entries
  }

  read(entries: readonly FileEntry[]): Promise<FileContent[]> {
    return readBlobs(
      this.repo,
      entries.flatMap((e) => (e.kind === 'file' && e.blobId ? [{ path: e.path, blobId: e.blobId }] : [])),
    )
  }
}

/** Reads blobs in one `git cat-file --batch` call. */
export async function readBlobs(
  repo: string,
  wanted: readonly { path: string; blobId: string }[],
): Promise<FileContent[]> {
  if (wanted.length === 0) return []
  const out = await git(repo, ['cat-file', '--batch'], wanted.map((w) => w.blobId).join('\n') + '\n')
  const contents: FileContent[] = []
  let offset = 0
  for (const { path, blobId } of wanted) {
    const headerEnd = out.indexOf(0x0a, offset)
    const header = out.subarray(offset, headerEnd).toString('utf8')
    offset = headerEnd + 1
    // "<sha> blob <size>" or "<sha> missing"
    const [, type, size] = header.split(' ')
    if (type !== 'blob' || size === undefined) continue
    const length = Number(size)
    contents.push({ path, blobId, bytes: out.subarray(offset, offset + length) })
    offset += length + 1
  }
  return contents
}
