import { createHash } from 'node:crypto'
import type { RevisionInfo } from '../model.js'

/** What a revision holds at a path. Symlinks and submodules are listed so they can be reported, never read. */
export interface FileEntry {
  /** relative to the revision's root, with forward slashes */
  path: string
  kind: 'file' | 'symlink' | 'submodule'
  /** git blob id when known without reading the file (null: unknown, e.g. an edited work-tree file) */
  blobId: string | null
}

export interface FileContent {
  path: string
  /** git blob id of the content, computed when the source did not know it */
  blobId: string
  bytes: Buffer
}

/** One side of a comparison: a git commit, a work tree or a plain directory. */
export interface RevisionSource {
  readonly info: RevisionInfo
  /** the directory holding the revision's files, when they are files on disk (a work tree, a directory) */
  readonly root?: string
  /** every file of the revision (not only manifests: rules about charts need to see `Chart.yaml`) */
  list(): Promise<FileEntry[]>
  /** the contents of regular files; a file that vanished since listing is left out */
  read(entries: readonly FileEntry[]): Promise<FileContent[]>
}

/** The id git gives a blob with this content, so a directory file and a committed one share a cache entry. */
export function blobIdOf(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}
