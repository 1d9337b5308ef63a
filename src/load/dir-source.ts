import { constants } from 'node:fs'
import { type FileHandle, lstat, open, readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { RevisionInfo } from '../model.js'
import { blobIdOf, type FileContent, type FileEntry, type ReadOptions, type RevisionSource } from './source.js'

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
      const files: Promise<void>[] = []
      for (const dirent of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, dirent.name)
        const path = toPath(full)
        if (dirent.isSymbolicLink()) entries.push({ path, kind: 'symlink', blobId: null })
        else if (dirent.isDirectory()) {
          if (!SKIPPED_DIRS.has(dirent.name)) await walk(full)
        } else if (dirent.isFile()) {
          const entry: FileEntry = { path, kind: 'file', blobId: null, size: null }
          entries.push(entry)
          files.push(
            sizeOf(full).then((size) => {
              entry.size = size
              if (size === null && path.includes('\uFFFD')) entry.unreadable = UNREADABLE_NAME
            }),
          )
        }
        // sockets, FIFOs and devices are not files anyone meant to commit: never opened
      }
      await Promise.all(files)
    }
    for (const start of this.only) {
      const full = join(this.root, start)
      const info = await lstat(full)
      if (info.isDirectory()) await walk(full)
      else if (info.isSymbolicLink()) entries.push({ path: toPath(full), kind: 'symlink', blobId: null })
      else if (info.isFile()) entries.push({ path: toPath(full), kind: 'file', blobId: null, size: info.size })
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  read(entries: readonly FileEntry[], options?: ReadOptions): Promise<FileContent[]> {
    return readWorkingFiles(this.root, entries, options)
  }
}

/**
 * Node gives file names as UTF-8 strings: a name with bytes that are not UTF-8 comes back with
 * U+FFFD in their place and cannot be opened by it. Such a file is reported rather than lost.
 */
export const UNREADABLE_NAME = 'file name is not valid UTF-8: not read'

/** A file's size without following a symlink; null when it is gone or not a regular file. */
export async function sizeOf(full: string): Promise<number | null> {
  const info = await lstat(full).catch(() => null)
  return info?.isFile() ? info.size : null
}

/**
 * Reads regular files from disk without ever following a symlink: the file is opened with
 * O_NOFOLLOW (a file swapped for a symlink after listing fails to open) and O_NONBLOCK (a FIFO
 * would otherwise block the run), and must still be a regular file once open. A file larger than
 * `maxFileBytes` is not loaded: it comes back marked `tooLarge`. Files that vanished are left out.
 */
export async function readWorkingFiles(root: string, entries: readonly FileEntry[], options: ReadOptions = {}): Promise<FileContent[]> {
  const contents: FileContent[] = []
  const limit = options.maxFileBytes ?? Number.POSITIVE_INFINITY
  for (const entry of entries) {
    if (entry.kind !== 'file') continue
    const full = join(root, entry.path)
    try {
      if (!(await lstat(full)).isFile()) continue
      const handle = await open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0))
      try {
        const info = await handle.stat()
        if (!info.isFile()) continue
        if (info.size > limit) {
          contents.push({ path: entry.path, blobId: entry.blobId ?? `unread:${entry.path}`, bytes: Buffer.alloc(0), tooLarge: info.size })
          continue
        }
        // one byte more than stat said: the file may have grown past the limit since
        const bytes = await readUpTo(handle, Math.min(info.size, limit) + 1)
        if (bytes.length > limit) {
          contents.push({ path: entry.path, blobId: entry.blobId ?? `unread:${entry.path}`, bytes: Buffer.alloc(0), tooLarge: bytes.length })
          continue
        }
        contents.push({ path: entry.path, blobId: entry.blobId ?? blobIdOf(bytes), bytes })
      } finally {
        await handle.close()
      }
    } catch {
      continue
    }
  }
  return contents
}

/** Reads at most `max` bytes from the start of an open file (it may have grown or shrunk since stat). */
async function readUpTo(handle: FileHandle, max: number): Promise<Buffer> {
  const buffer = Buffer.alloc(max)
  let filled = 0
  while (filled < max) {
    const { bytesRead } = await handle.read(buffer, filled, max - filled, filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buffer.subarray(0, filled)
}
