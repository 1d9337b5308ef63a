import { comparePairs, sortFindings } from './compare/compare.js'
import { pairObjects } from './compare/match.js'
import { evaluateFile, type EvaluatedObject, type EvaluationOptions, type FileEvaluation } from './evaluate/evaluate.js'
import { revisionView } from './evaluate/revision-view.js'
import { evaluateTransitions, transitionRecheck } from './evaluate/transitions.js'
import { podTemplateOf } from './extract/pod-template.js'
import { extractResources } from './extract/resources.js'
import { selectManifests } from './load/manifest-files.js'
import { parseManifestFile } from './load/parse.js'
import { RevisionFiles } from './load/revision-files.js'
import type { FileContent, FileEntry, RevisionSource } from './load/source.js'
import type { InputError, Report, Resource, Revision, Severity, SkippedFile } from './model.js'
import { attachFixes } from './render/fix/fixes.js'
import { RULES } from './rules/index.js'
import type { TransitionContext, TransitionRule } from './rules/rule.js'

export interface PipelineInput {
  /** null for a scan: an empty base, so every finding is new */
  base: RevisionSource | null
  head: RevisionSource
  /**
   * `changed`: read only the files whose content differs between the revisions, as a pull
   * request review does. `all`: read every manifest of both revisions.
   */
  scope: 'changed' | 'all'
  failOn: Severity | 'none'
  evaluation?: Partial<EvaluationOptions>
}

interface RevisionResult {
  objects: EvaluatedObject[]
  errors: InputError[]
  skipped: SkippedFile[]
  files: number
}

/** The whole engine: load → extract → evaluate → compare, for two revisions. Should not throw for bad input. */
export async function runPipeline(input: PipelineInput): Promise<Report> {
  const options: EvaluationOptions = { rules: RULES, ...input.evaluation }
  const transitionRules = options.rules.filter((r): r is TransitionRule => r.kind === 'transition')
  const readKinds = new Set(transitionRules.flatMap((r) => r.reads ?? []))
  const [baseEntries, headEntries] = await Promise.all([input.base?.list() ?? [], input.head.list()])
  const baseSelection = selectManifests(baseEntries)
  const headSelection = selectManifests(headEntries)

  let baseWanted = baseSelection.manifests
  let headWanted = headSelection.manifests
  if (input.scope === 'changed') {
    baseWanted = differing(baseWanted, headWanted)
    headWanted = differing(headWanted, baseSelection.manifests)
  }
  const [baseContents, headContents] = await Promise.all([
    input.base?.read(baseWanted) ?? [],
    input.head.read(headWanted),
  ])
  // Files identical at both revisions are not compared, but rules that look across the whole
  // revision (which policies select this workload?) still see the objects in them.
  const unchanged: FileContent[] = []
  if (input.scope === 'changed') {
    unchanged.push(...dropIdentical(baseContents, headContents))
    if (readKinds.size > 0) {
      const wanted = new Set(headWanted)
      unchanged.push(...(await input.head.read(headSelection.manifests.filter((e) => !wanted.has(e)))))
    }
  }

  // A skipped regular file (a chart template) with no known id, as in a directory, is read only to
  // learn its id: in a pull request, an untouched template is not news either.
  const [baseSkipIds, headSkipIds] =
    input.scope === 'changed'
      ? await Promise.all([unknownIds(input.base, baseSelection.skipped), unknownIds(input.head, headSelection.skipped)])
      : [new Map<string, string>(), new Map<string, string>()]
  const baseSkips = baseSelection.skipped.map((s) => ({ ...s, entry: withId(s.entry, baseSkipIds) }))
  const headSkips = headSelection.skipped.map((s) => ({ ...s, entry: withId(s.entry, headSkipIds) }))

  const cache = new Map<string, FileEvaluation & { file: string }>()
  const base = evaluateRevision('base', baseContents, cache, options)
  const head = evaluateRevision('head', headContents, cache, options)
  const pairs = pairObjects(base.objects, head.objects)
  const { findings, postures } = comparePairs(pairs)

  const surroundings = readKinds.size > 0 ? resourcesMentioning(unchanged, readKinds) : []
  const context: TransitionContext = {
    base: revisionView([...base.objects.map((o) => o.resource), ...surroundings]),
    head: revisionView([...head.objects.map((o) => o.resource), ...surroundings]),
    podOf: (resource) => podTemplateOf(resource, options.podTemplates),
  }
  const files = { base: new RevisionFiles(baseContents), head: new RevisionFiles(headContents) }
  const compared = sortFindings([...evaluateTransitions(pairs, transitionRules, context, files), ...findings])

  return {
    base: input.base?.info ?? { ref: null, sha: null },
    head: input.head.info,
    findings: attachFixes(compared, files.head, {
      evaluation: options,
      stillPresent: transitionRecheck(pairs, transitionRules, context),
    }),
    postures,
    errors: [...base.errors, ...head.errors],
    skipped: [
      ...reportedSkips('base', baseSkips, input.scope === 'changed' ? withIds(headEntries, headSkipIds) : null),
      ...base.skipped,
      ...reportedSkips('head', headSkips, input.scope === 'changed' ? withIds(baseEntries, baseSkipIds) : null),
      ...head.skipped,
    ],
    files: base.files + head.files,
    resources: head.objects.length,
    failOn: input.failOn,
  }
}

/**
 * The objects of the kinds a rule reads, from files outside the comparison. Only files whose
 * text names one of those kinds are parsed, so a large unchanged tree stays cheap.
 */
function resourcesMentioning(contents: readonly FileContent[], kinds: ReadonlySet<string>): Resource[] {
  const names = [...new Set([...kinds].map((k) => k.slice(k.lastIndexOf('/') + 1)))]
  const resources: Resource[] = []
  for (const content of contents) {
    if (!names.some((name) => content.bytes.includes(name))) continue
    const parsed = parseManifestFile(content.path, content.bytes)
    if (parsed.kind !== 'parsed') continue
    for (const resource of extractResources(content.path, parsed.yaml).resources) {
      if (kinds.has(`${resource.identity.group}/${resource.identity.kind}`)) resources.push(resource)
    }
  }
  return resources
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

/** The ids of skipped regular files that the listing did not know, by path. */
async function unknownIds(
  source: RevisionSource | null,
  skipped: readonly { entry: FileEntry }[],
): Promise<Map<string, string>> {
  const unknown = skipped.map((s) => s.entry).filter((e) => e.kind === 'file' && e.blobId === null)
  if (!source || unknown.length === 0) return new Map()
  return new Map((await source.read(unknown)).map((c) => [c.path, c.blobId]))
}

function withId(entry: FileEntry, ids: ReadonlyMap<string, string>): FileEntry {
  const id = entry.blobId === null ? ids.get(entry.path) : undefined
  return id === undefined ? entry : { ...entry, blobId: id }
}

function withIds(entries: readonly FileEntry[], ids: ReadonlyMap<string, string>): FileEntry[] {
  return entries.map((e) => withId(e, ids))
}

/** Skips that concern files in scope: in a pull request, an untouched symlink is not news. */
function reportedSkips(
  revision: Revision,
  skipped: readonly { entry: FileEntry; reason: string }[],
  otherRevision: readonly FileEntry[] | null,
): SkippedFile[] {
  const inScope = otherRevision ? new Set(differing(skipped.map((s) => s.entry), otherRevision)) : null
  return skipped
    .filter((s) => !inScope || inScope.has(s.entry))
    .map(({ entry, reason }) => ({ revision, file: entry.path, reason }))
}

function evaluateRevision(
  revision: Revision,
  contents: readonly FileContent[],
  cache: Map<string, FileEvaluation & { file: string }>,
  options: EvaluationOptions,
): RevisionResult {
  const result: RevisionResult = { objects: [], errors: [], skipped: [], files: 0 }
  for (const content of contents) {
    const cached = cache.get(content.blobId)
    let evaluation: FileEvaluation
    if (cached) {
      evaluation = cached.file === content.path ? cached : placeAt(cached, content.path)
    } else {
      const parsed = parseManifestFile(content.path, content.bytes)
      if (parsed.kind === 'skipped') {
        result.skipped.push({ revision, file: content.path, reason: parsed.reason })
        continue
      }
      evaluation = evaluateFile(content.path, parsed.yaml, options)
      for (const problem of parsed.problems) evaluation.problems.unshift(problem)
      cache.set(content.blobId, { ...evaluation, file: content.path })
    }
    result.files++
    result.objects.push(...evaluation.objects)
    for (const problem of evaluation.problems) result.errors.push({ revision, file: content.path, ...problem })
  }
  return result
}

/** The same content at another path (a renamed or copied file): same results, other file name. */
function placeAt(evaluation: FileEvaluation, file: string): FileEvaluation {
  return {
    problems: evaluation.problems,
    objects: evaluation.objects.map((o) => ({
      ...o,
      resource: { ...o.resource, file },
      findings: o.findings.map((f) => ({ ...f, file })),
    })),
  }
}
