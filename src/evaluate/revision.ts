import { extractResources } from '../extract/resources.js'
import { parseManifestFile, type ParsedYaml } from '../load/parse.js'
import type { FileContent } from '../load/source.js'
import type { InputError, Resource, Revision, SkippedFile } from '../model.js'
import { type EvaluatedObject, type EvaluationOptions, evaluateFile, type FileEvaluation } from './evaluate.js'

export interface RevisionEvaluation {
  objects: EvaluatedObject[]
  errors: InputError[]
  skipped: SkippedFile[]
  /** manifest files read */
  files: number
}

/** Evaluations by blob id: a file that is the same at both revisions (or at two paths) is parsed once. */
export type EvaluationCache = Map<string, FileEvaluation & { file: string }>

/** Evaluates every file read at one revision. Should not throw: bad files become errors or skips. */
export function evaluateRevision(
  revision: Revision,
  contents: readonly FileContent[],
  cache: EvaluationCache,
  options: EvaluationOptions,
  /** called with each file evaluated anew while its parse is at hand (the head's fixes are rendered there) */
  whileParsed?: (yaml: ParsedYaml, evaluation: FileEvaluation) => void,
): RevisionEvaluation {
  const result: RevisionEvaluation = { objects: [], errors: [], skipped: [], files: 0 }
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
      const evaluated = evaluateFile(content.path, parsed.yaml, options)
      evaluation = { objects: evaluated.objects, problems: [...parsed.problems, ...evaluated.problems] }
      whileParsed?.(parsed.yaml, evaluation)
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
      suppressions: o.suppressions.map((s) => ({ ...s, file })),
    })),
  }
}

/**
 * The objects of some kinds (`group/kind`) in files outside the comparison. Only files whose text
 * names one of those kinds are parsed, so a large unchanged tree stays cheap.
 */
export function resourcesMentioning(contents: readonly FileContent[], kinds: ReadonlySet<string>): Resource[] {
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
