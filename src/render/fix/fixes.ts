import { type EvaluatedObject, type EvaluationOptions, evaluateFile } from '../../evaluate/evaluate.js'
import type { StillPresent } from '../../evaluate/transitions.js'
import { parseManifestFile, type ParsedYaml } from '../../load/parse.js'
import type { RevisionFiles } from '../../load/revision-files.js'
import type { ComparedFinding, Finding, RenderedFix, ReportedFinding } from '../../model.js'
import { lineReplacements, unifiedPatch } from './replacements.js'
import { applyEdit } from './text-edit.js'

export interface FixOptions {
  evaluation: EvaluationOptions
  /** for transition findings: re-runs their rule against the edited object */
  stillPresent?: StillPresent
}

type FixOutcome = { fix: RenderedFix; note: null } | { fix: null; note: string }

/**
 * Renders and verifies the proposed fix of every new finding. A fix is offered only when the
 * edited file parses, the finding is gone, and no finding appears that was not there before;
 * otherwise the finding says why it has none.
 */
export function attachFixes(findings: readonly ComparedFinding[], head: RevisionFiles, options: FixOptions): ReportedFinding[] {
  const baselines = new Map<string, Map<string, number>>()
  return findings.map((finding) => {
    if (finding.status !== 'new' || !finding.proposedFix) return { ...finding, fix: null, fixNote: null }
    const yaml = head.parsed(finding.file)
    if (!yaml) return { ...finding, fix: null, fixNote: 'the file could not be read again' }
    let baseline = baselines.get(finding.file)
    if (baseline === undefined) {
      baseline = fileFingerprints(finding.file, yaml, options)
      baselines.set(finding.file, baseline)
    }
    const outcome = renderFix(finding, yaml, baseline, options)
    return { ...finding, fix: outcome.fix, fixNote: outcome.note }
  })
}

function renderFix(finding: Finding, original: ParsedYaml, baseline: Map<string, number>, options: FixOptions): FixOutcome {
  const proposed = finding.proposedFix
  if (!proposed) return { fix: null, note: 'no fix' }
  const edited = applyVerified(finding, original, baseline, options)
  if (!edited.ok) return { fix: null, note: `no patch offered: ${edited.reason}` }
  return {
    note: null,
    fix: {
      description: proposed.description,
      safety: proposed.safety,
      replacements: lineReplacements(original.text, edited.yaml.text),
      patch: unifiedPatch(finding.file, original.text, edited.yaml.text),
    },
  }
}

export type Applied = { ok: true; yaml: ParsedYaml } | { ok: false; reason: string }

/**
 * Applies a finding's proposed edits to the parsed file and verifies the result against
 * `baseline` (fingerprint counts of the file before the edit).
 */
export function applyVerified(finding: Finding, original: ParsedYaml, baseline: Map<string, number>, options: FixOptions): Applied {
  let yaml = original
  for (const edit of finding.proposedFix?.edits ?? []) {
    const result = applyEdit(yaml, finding.documentIndex, finding.documentPath, edit)
    if (!result.ok) return result
    const reparsed = reparse(finding.file, result.text, errorCount(original))
    if (!reparsed) return { ok: false, reason: 'the edited file did not parse' }
    yaml = reparsed
  }
  const failure = verify(finding, yaml, baseline, options)
  return failure ? { ok: false, reason: failure } : { ok: true, yaml }
}

/** The reason the edited file fails verification, or null when the fix does exactly its job. */
function verify(finding: Finding, edited: ParsedYaml, baseline: Map<string, number>, options: FixOptions): string | null {
  const { objects } = evaluateFile(finding.file, edited, options.evaluation)
  const after = fingerprintCounts(objects)
  const present =
    options.stillPresent?.(finding, objects) ??
    (after.get(finding.fingerprint) ?? 0) >= (baseline.get(finding.fingerprint) ?? 0)
  if (present) return 'it would not remove the finding'
  for (const [fingerprint, count] of after) {
    if (count > (baseline.get(fingerprint) ?? 0)) return 'it would introduce another finding'
  }
  return null
}

/** The edited text parsed, or null when it has more YAML errors than the original had. */
function reparse(file: string, text: string, originalErrors: number): ParsedYaml | null {
  const outcome = parseManifestFile(file, Buffer.from(text, 'utf8'))
  if (outcome.kind !== 'parsed' || errorCount(outcome.yaml) > originalErrors) return null
  return outcome.yaml
}

function errorCount(yaml: ParsedYaml): number {
  return yaml.documents.reduce((sum, doc) => sum + doc.errors.length, 0)
}

/** How often each fingerprint occurs in the file: the baseline a fix is verified against. */
export function fileFingerprints(file: string, yaml: ParsedYaml, options: FixOptions): Map<string, number> {
  return fingerprintCounts(evaluateFile(file, yaml, options.evaluation).objects)
}

function fingerprintCounts(objects: readonly EvaluatedObject[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const object of objects) {
    for (const f of object.findings) counts.set(f.fingerprint, (counts.get(f.fingerprint) ?? 0) + 1)
  }
  return counts
}
