import { createHash } from 'node:crypto'
import type { RevisionInfo } from '../model.js'

/** What a revision holds at a path. Symlinks and submodules are listed so they can be reported, never read. */
export interface FileEntry {
  /** relative to the revision's root, with forward slashes */
  path: string
  kind: 'file' | 'symlink' | 'submodule'
  /** git blob id when known without reading the file (null: unknown, e.g. an edited work-tree file) */
  blobId: string | null
  /** size in bytes when the listing knows it, so a file over the limit is never read (absent or null: unknown) */
  size?: number | null
  /** why a listed file cannot be read at all (a name that is not UTF-8 on disk): it is reported, never read */
  unreadable?: string
}

export interface ReadOptions {
  /**
   * Files larger than this are not loaded: they come back with `tooLarge` set and no bytes, for
   * the caller to report (a listing that knew the size lets the caller leave them out before).
   */
  maxFileBytes?: number
}

export interface FileContent {
  path: string
  /** git blob id of the content, computed when the source did not know it */
  blobId: string
  bytes: Buffer
  /**
   * Set when the file is larger than the `maxFileBytes` it was read with: its size in bytes, and
   * `bytes` is empty (the content was never loaded).
   */
  tooLarge?: number
}

/** One side of a comparison: a git commit, a work tree or a plain directory. */
export interface RevisionSource {
  readonly info: RevisionInfo
  /** the directory holding the revision's files, when they are files on disk (a work tree, a directory) */
  readonly root?: string
  /** every file of the revision (not only manifests: rules about charts need to see `Chart.yaml`) */
  list(): Promise<FileEntry[]>
  /** the contents of regular files; a file that vanished since listing is left out */
  read(entries: readonly FileEntry[], options?: ReadOptions): Promise<FileContent[]>
}

/** The id git gives a blob with this content, so a directory file and a committed one share a cache entry. */
export function blobIdOf(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** What a git tree entry's mode says the path is (regular and executable files, symlinks, submodules). */
export const GIT_MODE_KIND: Readonly<Record<string, FileEntry['kind'] | undefined>> = {
  '100644': 'file',
  '100755': 'file',
  '120000': 'symlink',
  '160000': 'submodule',
}
