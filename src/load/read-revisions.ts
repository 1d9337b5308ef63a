import type { Revision, SkippedFile } from '../model.js'
import { selectManifests } from './manifest-files.js'
import { notTextReason } from './parse.js'
import type { FileContent, FileEntry, ReadOptions, RevisionSource } from './source.js'

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
  /** what one run reads at most (the configuration's `limits`); no limit when absent */
  limits?: InputLimits
}

export interface InputLimits {
  /** a manifest larger than this is not read */
  maxFileBytes: number
  /** manifests read, both revisions together; the ones past it are not read */
  maxTotalBytes: number
}

export interface RevisionContents {
  base: FileContent[]
  head: FileContent[]
  /** files identical at both revisions (read only when asked for) */
  unchanged: FileContent[]
  skipped: SkippedFile[]
  /** both revisions' listings, for what reads beyond manifests (Kustomize and Helm rendering) */
  entries?: { base: FileEntry[]; head: FileEntry[] }
}

/** Lists both revisions, decides which manifests to read, and reads them. */
export async function readRevisions(input: ReadInput): Promise<RevisionContents> {
  const [baseEntries, headEntries] = await Promise.all([input.base?.list() ?? [], input.head.list()])
  const baseSelection = selectManifests(baseEntries, input.wanted)
  const headSelection = selectManifests(headEntries, input.wanted)
  const changed = input.scope === 'changed'
  const baseWanted = changed ? differing(baseSelection.manifests, headSelection.manifests) : baseSelection.manifests
  const headWanted = changed ? differing(headSelection.manifests, baseSelection.manifests) : headSelection.manifests
  const limits = input.limits
  const readOptions = limits ? { maxFileBytes: limits.maxFileBytes } : {}
  const budget = new Budget(limits)
  const overLimit: SkippedFile[] = []
  const [baseToRead, headToRead] = budget.select(baseWanted, headWanted, overLimit)
  // A path whose head cannot be read (a symlink, a submodule, a file over the size limit) is not
  // read at base either: its findings there would read as fixed, when nothing says they are.
  const headUnreadable = (): Set<string> =>
    new Set([
      ...headSelection.skipped.filter((s) => s.entry.kind !== 'file' || s.entry.unreadable).map((s) => s.entry.path),
      ...overLimit.filter((s) => s.revision === 'head').map((s) => s.file),
    ])
  const unreadable = changed ? headUnreadable() : new Set<string>()
  const [baseRead, headRead] = await Promise.all([
    input.base?.read(baseToRead.filter((e) => !unreadable.has(e.path)), readOptions) ?? [],
    input.head.read(headToRead, readOptions),
  ])
  const head = budget.admit('head', headRead, overLimit)
  const base = budget.admit('base', baseRead, overLimit)

  const unchanged: FileContent[] = []
  if (changed) {
    unchanged.push(...dropIdentical(base, head))
    // the same for a head found too large once read, or changed into something that is not text
    // (parsing reports it as skipped)
    const unreadableNow = new Set([...headUnreadable(), ...head.filter((c) => notTextReason(c.bytes) !== null).map((c) => c.path)])
    const kept = base.filter((c) => !unreadableNow.has(c.path))
    base.splice(0, base.length, ...kept)
    if (input.withUnchanged) {
      // Files outside the change are read for context only (the Namespaces around the workloads):
      // within what is left of the budget, and those over a limit are passed over without a report,
      // as they are not part of the change.
      const read = new Set(headWanted)
      const rest = budget.select([], headSelection.manifests.filter((e) => !read.has(e)), [])[1]
      unchanged.push(...budget.admit('head', await input.head.read(rest, readOptions), []))
    }
  }
  // A skipped regular file (a chart template) with no known id, as in a directory, is read only to
  // learn its id: in a pull request, an untouched template is not news either.
  const [baseIds, headIds] = changed
    ? await Promise.all([unknownIds(input.base, baseSelection.skipped, readOptions), unknownIds(input.head, headSelection.skipped, readOptions)])
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
    entries: { base: baseEntries, head: headEntries },
    skipped: [
      ...skips('base', withIds(baseSelection.skipped, baseIds), headEntries.map((e) => withId(e, headIds))),
      ...skips('head', withIds(headSelection.skipped, headIds), baseEntries.map((e) => withId(e, baseIds))),
      ...overLimit,
    ],
  }
}

/**
 * Keeps a run within its input limits. Sizes the listing knows are checked before anything is
 * read, so a file over the limit is never loaded; sizes learnt only by reading (or a file that
 * grew) are checked after. Both revisions of a path are admitted or refused together, in path
 * order: a comparison with only one side read would make every finding look new (or fixed).
 */
class Budget {
  private used = 0

  constructor(private readonly limits: InputLimits | undefined) {}

  /** The entries of each side to read; the others are added to `skipped` with the reason. */
  select(base: readonly FileEntry[], head: readonly FileEntry[], skipped: SkippedFile[]): [FileEntry[], FileEntry[]] {
    const limits = this.limits
    if (!limits) return [[...base], [...head]]
    const paths = [...new Set([...base, ...head].map((e) => e.path))].sort()
    const bySide = { base: new Map(base.map((e) => [e.path, e])), head: new Map(head.map((e) => [e.path, e])) }
    const chosen: { base: FileEntry[]; head: FileEntry[] } = { base: [], head: [] }
    for (const path of paths) {
      const sides = (['base', 'head'] as const).flatMap((revision) => {
        const entry = bySide[revision].get(path)
        return entry ? [{ revision, entry }] : []
      })
      const small = sides.filter(({ revision, entry }) => {
        if (entry.size === undefined || entry.size === null || entry.size <= limits.maxFileBytes) return true
        skipped.push({ revision, file: path, reason: tooLargeReason(entry.size, limits.maxFileBytes) })
        return false
      })
      const cost = small.reduce((sum, { entry }) => sum + (entry.size ?? 0), 0)
      if (this.used + cost > limits.maxTotalBytes) {
        for (const { revision } of small) skipped.push({ revision, file: path, reason: budgetReason(limits.maxTotalBytes) })
        continue
      }
      this.used += cost
      for (const { revision, entry } of small) chosen[revision].push(entry)
    }
    return [chosen.base, chosen.head]
  }

  /** The contents read that stay within the limits: files found too large, or past the budget once read, are skipped. */
  admit(revision: Revision, contents: readonly FileContent[], skipped: SkippedFile[]): FileContent[] {
    const limits = this.limits
    if (!limits) return [...contents]
    return contents.filter((content) => {
      if (content.tooLarge !== undefined || content.bytes.length > limits.maxFileBytes) {
        skipped.push({ revision, file: content.path, reason: tooLargeReason(content.tooLarge ?? content.bytes.length, limits.maxFileBytes) })
        return false
      }
      return true
    })
  }
}

function tooLargeReason(size: number, limit: number): string {
  return `${megabytes(size)}, over the ${megabytes(limit)} limit per file (limits.maxFileBytes): not read`
}

function budgetReason(limit: number): string {
  return `not read: the run reached its ${megabytes(limit)} input budget (limits.maxTotalBytes)`
}

/** `6.3 MB`, `512 KB`, `17 bytes` */
export function megabytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`
  return `${bytes} bytes`
}

/** The ids of skipped regular files that the listing did not know, by path. */
async function unknownIds(source: RevisionSource | null, skipped: readonly { entry: FileEntry }[], options: ReadOptions): Promise<Map<string, string>> {
  const unknown = skipped.map((s) => s.entry).filter((e) => e.kind === 'file' && e.blobId === null)
  if (!source || unknown.length === 0) return new Map()
  // a file too large to read has no id to learn: it stays reported
  return new Map((await source.read(unknown, options)).flatMap((c) => (c.tooLarge === undefined ? [[c.path, c.blobId] as const] : [])))
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
