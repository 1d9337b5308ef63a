import { compareRevisions } from './compare/compare.js'
import { evaluateFile, type EvaluatedObject, type EvaluationOptions, type FileEvaluation } from './evaluate/evaluate.js'
import { selectManifests } from './load/manifest-files.js'
import { parseManifestFile } from './load/parse.js'
import type { FileContent, FileEntry, RevisionSource } from './load/source.js'
import type { InputError, Report, Revision, Severity, SkippedFile } from './model.js'
import { RULES } from './rules/index.js'

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
  if (input.scope === 'changed') dropIdentical(baseContents, headContents)

  const cache = new Map<string, FileEvaluation & { file: string }>()
  const base = evaluateRevision('base', baseContents, cache, options)
  const head = evaluateRevision('head', headContents, cache, options)
  const { findings, postures } = compareRevisions(base.objects, head.objects)

  return {
    base: input.base?.info ?? { ref: null, sha: null },
    head: input.head.info,
    findings,
    postures,
    errors: [...base.errors, ...head.errors],
    skipped: [
      ...reportedSkips('base', baseSelection.skipped, input.scope === 'changed' ? headEntries : null),
      ...base.skipped,
      ...reportedSkips('head', headSelection.skipped, input.scope === 'changed' ? baseEntries : null),
      ...head.skipped,
    ],
    files: base.files + head.files,
    resources: head.objects.length,
    failOn: input.failOn,
  }
}

/** Entries whose content may differ from the other revision's file at the same path. */
function differing(entries: readonly FileEntry[], other: readonly FileEntry[]): FileEntry[] {
  const otherIds = new Map(other.map((e) => [e.path, e.blobId]))
  return entries.filter((e) => e.blobId === null || otherIds.get(e.path) !== e.blobId)
}

/** Once read, files whose ids were unknown may turn out identical at both revisions: nothing changed there. */
function dropIdentical(base: FileContent[], head: FileContent[]): void {
  const baseIds = new Map(base.map((c) => [c.path, c.blobId]))
  const same = new Set(head.filter((c) => baseIds.get(c.path) === c.blobId).map((c) => c.path))
  if (same.size === 0) return
  for (const list of [base, head]) {
    const kept = list.filter((c) => !same.has(c.path))
    list.splice(0, list.length, ...kept)
  }
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
