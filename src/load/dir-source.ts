import { lstat, readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { RevisionInfo } from '../model.js'
import { blobIdOf, type FileContent, type FileEntry, type RevisionSource } from './source.js'

/** Folders never worth walking: version control and dependency trees. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules'])

/**
 * A plain directory, or some files and folders inside one (`only`, relative to the root).
 * Symlinks are listed but never followed or read.
 */
export class DirectorySource implements RevisionSource {
  constructor(
    readonly root: string,
    readonly info: RevisionInfo,
    readonly only: readonly string[] = [''],
  ) {}

  async list(): Promise<FileEntry[]> {
    const entries: FileEntry[] = []
    const toPath = (full: string): string => relative(this.root, full).split(sep).join('/')
    const walk = async (dir: string): Promise<void> => {
      for (const dirent of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, dirent.name)
        const path = toPath(full)
        if (dirent.isSymbolicLink()) entries.push({ path, kind: 'symlink', blobId: null })
        else if (dirent.isDirectory()) {
          if (!SKIPPED_DIRS.has(dirent.name)) await walk(full)
        } else if (dirent.isFile()) entries.push({ path, kind: 'file', blobId: null })
      }
    }
    for (const start of this.only) {
      const full = join(this.root, start)
      const info = await lstat(full)
      if (info.isDirectory()) await walk(full)
      else entries.push({ path: toPath(full), kind: info.isSymbolicLink() ? 'symlink' : 'file', blobId: null })
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  read(entries: readonly FileEntry[]): Promise<FileContent[]> {
    return readWorkingFiles(this.root, entries)
  }
}

/**
 * Reads regular files from disk, re-checking with lstat right before reading so a file swapped
 * for a symlink after listing is still not followed. Files that vanished are left out.
 */
export async function readWorkingFiles(root: string, entries: readonly FileEntry[]): Promise<FileContent[]> {
  const contents: FileContent[] = []
  for (const entry of entries) {
    if (entry.kind !== 'file') continue
    const full = join(root, entry.path)
    try {
      if (!(await lstat(full)).isFile()) continue
      const bytes = await readFile(full)
      contents.push({ path: entry.path, blobId: entry.blobId ?? blobIdOf(bytes), bytes })
    } catch {
      continue
    }
  }
  return contents
}
