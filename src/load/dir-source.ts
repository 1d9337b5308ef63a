import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs'
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

  private listing: FileEntry[] | undefined

  /**
   * The files as they were when first listed: one run reads one snapshot, however many of its
   * parts (configuration, reading, rendering) ask for the list.
   */
  async list(): Promise<FileEntry[]> {
    this.listing ??= this.walk()
    return [...this.listing]
  }

  // Synchronous, as reading is (see readWorkingFiles): a walk of thousands of entries.
  private walk(): FileEntry[] {
    const entries: FileEntry[] = []
    const toPath = (full: string): string => relative(this.root, full).split(sep).join('/')
    const walk = (dir: string): void => {
      for (const dirent of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, dirent.name)
        const path = toPath(full)
        if (dirent.isSymbolicLink()) entries.push({ path, kind: 'symlink', blobId: null })
        else if (dirent.isDirectory()) {
          if (!SKIPPED_DIRS.has(dirent.name)) walk(full)
        } else if (dirent.isFile()) {
          const size = sizeOf(full)
          const unreadable = size === null && path.includes('\uFFFD')
          entries.push({ path, kind: 'file', blobId: null, size, ...(unreadable ? { unreadable: UNREADABLE_NAME } : {}) })
        }
        // sockets, FIFOs and devices are not files anyone meant to commit: never opened
      }
    }
    for (const start of this.only) {
      const full = join(this.root, start)
      const info = lstatSync(full)
      if (info.isDirectory()) walk(full)
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
function sizeOf(full: string): number | null {
  try {
    const info = lstatSync(full)
    return info.isFile() ? info.size : null
  } catch {
    return null
  }
}

/**
 * Reads regular files from disk without ever following a symlink: the file is opened with
 * O_NOFOLLOW (a file swapped for a symlink after listing fails to open) and O_NONBLOCK (a FIFO
 * would otherwise block the run), and must still be a regular file once open. A file larger than
 * `maxFileBytes` is not loaded: it comes back marked `tooLarge`. Files that vanished are left out.
 *
 * Synchronous on purpose: a repository's manifests are thousands of small files, and each
 * asynchronous call is a round trip to the thread pool that costs more than the read itself.
 */
export async function readWorkingFiles(root: string, entries: readonly FileEntry[], options: ReadOptions = {}): Promise<FileContent[]> {
  const contents: FileContent[] = []
  const limit = options.maxFileBytes ?? Number.POSITIVE_INFINITY
  for (const entry of entries) {
    if (entry.kind !== 'file') continue
    const content = readWorkingFile(join(root, entry.path), entry, limit)
    if (content) contents.push(content)
  }
  return contents
}

function readWorkingFile(full: string, entry: FileEntry, limit: number): FileContent | null {
  let fd: number
  try {
    if (!lstatSync(full).isFile()) return null
    fd = openSync(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0))
  } catch {
    return null
  }
  try {
    const info = fstatSync(fd)
    if (!info.isFile()) return null
    const tooLarge = (size: number): FileContent => ({ path: entry.path, blobId: entry.blobId ?? `unread:${entry.path}`, bytes: Buffer.alloc(0), tooLarge: size })
    if (info.size > limit) return tooLarge(info.size)
    // one byte more than stat said: the file may have grown past the limit since
    const bytes = readUpTo(fd, Math.min(info.size, limit) + 1)
    if (bytes.length > limit) return tooLarge(bytes.length)
    return { path: entry.path, blobId: entry.blobId ?? blobIdOf(bytes), bytes }
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

/** Reads at most `max` bytes from the start of an open file (it may have grown or shrunk since stat). */
function readUpTo(fd: number, max: number): Buffer {
  const buffer = Buffer.alloc(max)
  let filled = 0
  while (filled < max) {
    const bytesRead = readSync(fd, buffer, filled, max - filled, filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buffer.subarray(0, filled)
}
