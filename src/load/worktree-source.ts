import type { RevisionInfo } from '../model.js'
import { readWorkingFiles } from './dir-source.js'
import { git, splitNul } from './git.js'
import type { FileContent, FileEntry, RevisionSource } from './source.js'

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

  async list(): Promise<FileEntry[]> {
    const [staged, dirty, untracked] = await Promise.all([
      git(this.repo, ['ls-files', '-s', '-z']),
      git(this.repo, ['diff-files', '--name-only', '-z']),
      git(this.repo, ['ls-files', '-o', '--exclude-standard', '-z']),
    ])
    const edited = new Set(splitNul(dirty))
    const entries: FileEntry[] = []
    for (const record of splitNul(staged)) {
      // "<mode> <object> <stage>\t<path>"
      const tab = record.indexOf('\t')
      const [mode, blobId = null] = record.slice(0, tab).split(' ')
      const path = record.slice(tab + 1)
      const kind = mode === '120000' ? 'symlink' : mode === '160000' ? 'submodule' : 'file'
      entries.push({ path, kind, blobId: edited.has(path) ? null : blobId })
    }
    for (const path of splitNul(untracked)) entries.push({ path, kind: 'file', blobId: null })
    return entries
  }

  read(entries: readonly FileEntry[]): Promise<FileContent[]> {
    return readWorkingFiles(this.repo, entries)
  }
}
