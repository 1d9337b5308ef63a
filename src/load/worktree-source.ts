import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import type { RevisionInfo } from '../model.js'
import { readWorkingFiles, UNREADABLE_NAME } from './dir-source.js'
import { git, splitNul } from './git.js'
import type { FileContent, FileEntry, ReadOptions, RevisionSource } from './source.js'

/**
 * The working tree of a repository: tracked files plus untracked ones that are not ignored.
 * A file that matches the index keeps the index's blob id, so it is recognised as unchanged
 * without being read; an edited or untracked file has no known id until it is read.
 */
export class WorkTreeSource implements RevisionSource {
  constructor(
    readonly repo: string,
    readonly info: RevisionInfo,
  ) {}

  get root(): string {
    return this.repo
  }

  async list(): Promise<FileEntry[]> {
    const [staged, dirty, untracked] = await Promise.all([
      git(this.repo, ['ls-files', '-s', '-z']),
      git(this.repo, ['diff-files', '--name-only', '-z']),
      git(this.repo, ['ls-files', '-o', '--exclude-standard', '-z']),
    ])
    const edited = new Set(splitNul(dirty))
    const entries: FileEntry[] = []
    const listed = new Set<string>()
    for (const record of splitNul(staged)) {
      // "<mode> <object> <stage>\t<path>"
      const tab = record.indexOf('\t')
      const [mode, blobId = null] = record.slice(0, tab).split(' ')
      const path = record.slice(tab + 1)
      // during a conflicted merge a path has up to three stages: it is still one file on disk
      if (listed.has(path)) continue
      listed.add(path)
      const kind = mode === '120000' ? 'symlink' : mode === '160000' ? 'submodule' : 'file'
      entries.push({ path, kind, blobId: edited.has(path) ? null : blobId })
    }
    for (const path of splitNul(untracked)) entries.push({ path, kind: 'file', blobId: null })
    // The index knows what was committed, not what is on disk now: an untracked symlink, or a
    // tracked file replaced by one, must be listed (and reported) as a symlink. Files are read
    // from disk, so their size is the one on disk.
    return Promise.all(
      entries.map(async (e): Promise<FileEntry> => {
        if (e.kind !== 'file') return e
        const info = await lstat(join(this.repo, e.path)).catch(() => null)
        if (info?.isSymbolicLink()) return { ...e, kind: 'symlink', blobId: null }
        // git names it by its bytes; a name that is not UTF-8 cannot be opened by the string it became
        if (!info && e.path.includes('\uFFFD')) return { ...e, size: null, unreadable: UNREADABLE_NAME }
        return { ...e, size: info?.isFile() ? info.size : null }
      }),
    )
  }

  read(entries: readonly FileEntry[], options?: ReadOptions): Promise<FileContent[]> {
    return readWorkingFiles(this.repo, entries, options)
  }
}
