import type { Revision, SkippedFile } from '../model.js'
import { selectManifests } from './manifest-files.js'
import type { FileContent, FileEntry, RevisionSource } from './source.js'

export interface ReadInput {
  /** null for a scan: an empty base */
  base: RevisionSource | null
  head: RevisionSource
  /**
   * `changed`: read only the files whose content differs between the revisions, as a pull
   * request review does. `all`: read every manifest of both revisions.
   */
  scope: 'changed' | 'all'
  /** which manifest paths are in play (the configuration's include and exclude) */
  wanted: (path: string) => boolean
  /** read the unchanged files too, for rules that look across the whole revision */
  withUnchanged: boolean
}

export interface RevisionContents {
  base: FileContent[]
  head: FileContent[]
  /** files identical at both revisions (read only when asked for) */
  unchanged: FileContent[]
  skipped: SkippedFile[]
}

/** Lists both revisions, decides which manifests to read, and reads them. */
export async function readRevisions(input: ReadInput): Promise<RevisionContents> {
  const [baseEntries, headEntries] = await Promise.all([input.base?.list() ?? [], input.head.list()])
  const baseSelection = selectManifests(baseEntries, input.wanted)
  const headSelection = selectManifests(headEntries, input.wanted)
  const changed = input.scope === 'changed'
  const baseWanted = changed ? differing(baseSelection.manifests, headSelection.manifests) : baseSelection.manifests
  const headWanted = changed ? differing(headSelection.manifests, baseSelection.manifests) : headSelection.manifests
  const [base, head] = await Promise.all([input.base?.read(baseWanted) ?? [], input.head.read(headWanted)])

  const unchanged: FileContent[] = []
  if (changed) {
    unchanged.push(...dropIdentical(base, head))
    if (input.withUnchanged) {
      const read = new Set(headWanted)
      unchanged.push(...(await input.head.read(headSelection.manifests.filter((e) => !read.has(e)))))
    }
  }
  // A skipped regular file (a chart template) with no known id, as in a directory, is read only to
  // learn its id: in a pull request, an untouched template is not news either.
  const [baseIds, headIds] = changed
    ? await Promise.all([unknownIds(input.base, baseSelection.skipped), unknownIds(input.head, headSelection.skipped)])
    : [new Map<string, string>(), new Map<string, string>()]
  const skips = (revision: Revision, own: typeof baseSelection.skipped, other: readonly FileEntry[]): SkippedFile[] => {
    const inScope = changed ? new Set(differing(own.map((s) => s.entry), other)) : null
    return own
      .filter((s) => !inScope || inScope.has(s.entry))
      .map(({ entry, reason }) => ({ revision, file: entry.path, reason }))
  }
  const withIds = (skipped: typeof baseSelection.skipped, ids: ReadonlyMap<string, string>) =>
    skipped.map((s) => ({ ...s, entry: withId(s.entry, ids) }))
  return {
    base,
    head,
    unchanged,
    skipped: [
      ...skips('base', withIds(baseSelection.skipped, baseIds), headEntries.map((e) => withId(e, headIds))),
      ...skips('head', withIds(headSelection.skipped, headIds), baseEntries.map((e) => withId(e, baseIds))),
    ],
  }
}

/** The ids of skipped regular files that the listing did not know, by path. */
async function unknownIds(source: RevisionSource | null, skipped: readonly { entry: FileEntry }[]): Promise<Map<string, string>> {
  const unknown = skipped.map((s) => s.entry).filter((e) => e.kind === 'file' && e.blobId === null)
  if (!source || unknown.length === 0) return new Map()
  return new Map((await source.read(unknown)).map((c) => [c.path, c.blobId]))
}

function withId(entry: FileEntry, ids: ReadonlyMap<string, string>): FileEntry {
  const id = entry.blobId === null ? ids.get(entry.path) : undefined
  return id === undefined ? entry : { ...entry, blobId: id }
}

/** Entries whose content may differ from the other revision's file at the same path. */
function differing(entries: readonly FileEntry[], other: readonly FileEntry[]): FileEntry[] {
  const otherIds = new Map(other.map((e) => [e.path, e.blobId]))
  return entries.filter((e) => e.blobId === null || otherIds.get(e.path) !== e.blobId)
}

/**
 * Once read, files whose ids were unknown may turn out identical at both revisions: nothing
 * changed there. Removes them from both lists and returns the head's copies.
 */
function dropIdentical(base: FileContent[], head: FileContent[]): FileContent[] {
  const baseIds = new Map(base.map((c) => [c.path, c.blobId]))
  const same = head.filter((c) => baseIds.get(c.path) === c.blobId)
  if (same.length === 0) return []
  const paths = new Set(same.map((c) => c.path))
  for (const list of [base, head]) {
    const kept = list.filter((c) => !paths.has(c.path))
    list.splice(0, list.length, ...kept)
  }
  return same
}
