import { type EvaluatedObject, type EvaluationOptions, fingerprintCounts, objectFingerprints } from '../../evaluate/evaluate.js'
import { changedFields, rulesReading } from '../../evaluate/fields-read.js'
import type { StillPresent } from '../../evaluate/transitions.js'
import { podTemplateOf } from '../../extract/pod-template.js'
import { extractResources } from '../../extract/resources.js'
import { parseManifestFile, type ParsedYaml } from '../../load/parse.js'
import type { RevisionFiles } from '../../load/revision-files.js'
import type { ComparedFinding, Edit, Finding, FixOutcome, Resource, ReportedFinding } from '../../model.js'
import { applyEditsToJson } from './json-edit.js'
import { textMatches } from './region.js'
import { changedSpan, changePatch, windowedPatch } from './replacements.js'
import { applyEdit, type TextChange } from './text-edit.js'

export interface FixOptions {
  evaluation: EvaluationOptions
  /** for transition findings: re-runs their rule against the edited object */
  stillPresent?: StillPresent
}

/**
 * Renders and verifies the proposed fixes of one parsed file's findings, while the file is
 * parsed, and keeps the outcome on each finding. Called for the head revision as it is
 * evaluated, so no file is parsed a second time for its fixes.
 */
export function renderFileFixes(yaml: ParsedYaml, objects: readonly EvaluatedObject[], options: FixOptions): void {
  for (const object of objects) {
    let baseline: Map<string, number> | undefined
    for (const finding of object.findings) {
      if (!finding.proposedFix) continue
      // the findings were just made from every rule's violations: they are the counts before the fix
      baseline ??= fingerprintCounts(object.findings)
      finding.rendered = renderFix(finding, yaml, object.resource, baseline, options)
    }
  }
}

/**
 * The report's findings with their fixes: new findings get the fix rendered while their file
 * was evaluated, or (findings found later, such as transitions) rendered now from a fresh parse.
 */
export function attachFixes(findings: readonly ComparedFinding[], head: RevisionFiles, options: FixOptions): ReportedFinding[] {
  return findings.map((finding) => {
    if (finding.status !== 'new' || !finding.proposedFix) return { ...finding, fix: null, fixNote: null }
    const outcome = finding.rendered ?? renderLate(finding, head, options)
    return { ...finding, fix: outcome.fix, fixNote: outcome.note }
  })
}

function renderLate(finding: Finding, head: RevisionFiles, options: FixOptions): FixOutcome {
  const yaml = head.parsed(finding.file)
  const resource = yaml && resourceAt(finding, yaml)
  if (!yaml || !resource) return { fix: null, note: 'no patch offered: the file could not be read again' }
  return renderFix(finding, yaml, resource, objectFingerprints(resource, options.evaluation), options)
}

function renderFix(
  finding: Finding,
  original: ParsedYaml,
  resource: Resource,
  baseline: Map<string, number>,
  options: FixOptions,
): FixOutcome {
  const proposed = finding.proposedFix
  if (!proposed) return { fix: null, note: 'no fix' }
  const edited = applyVerified(finding, original, resource, baseline, options)
  if (!edited.ok) return { fix: null, note: `no patch offered: ${edited.reason}` }
  // one edit's change is known exactly; the text several edits left is diffed
  const text = edited.change
    ? changePatch(finding.file, original.text, edited.change)
    : windowedPatch(finding.file, original.text, edited.text)
  return { note: null, fix: { description: proposed.description, safety: proposed.safety, ...text } }
}

/** The edited text; `change` is what the edit did to the original when there was only one. */
export type Applied = { ok: true; text: string; change: TextChange | null } | { ok: false; reason: string }

/**
 * Applies a finding's proposed edits to the file's text and verifies the result: the text must
 * read back as the structurally edited object, and that object must no longer hold the finding
 * nor any finding `baseline` (the object's fingerprint counts before the edit) lacks. The edited
 * object is judged by the rules that read a field the edits changed: the others find what they
 * found before.
 */
export function applyVerified(
  finding: Finding,
  original: ParsedYaml,
  resource: Resource,
  baseline: Map<string, number>,
  options: FixOptions,
): Applied {
  const edits = finding.proposedFix?.edits ?? []
  const expected = applyEditsToJson(resource.object, edits)
  if (!expected) return { ok: false, reason: 'the fix does not fit the object' }
  const readsBack = (applied: Applied): boolean =>
    applied.ok && textMatches(original, applied.text, applied.change ?? changedSpan(original.text, applied.text), finding, edits, expected)
  const together = applyTogether(finding, original, edits)
  let applied = together ?? applyInTurn(finding, original, edits)
  let verified = readsBack(applied)
  // edits made together can differ from the same made in turn (a map emptied, then added to)
  if (!verified && together !== null && edits.length > 1) {
    applied = applyInTurn(finding, original, edits)
    verified = readsBack(applied)
  }
  if (!applied.ok) return applied
  if (!verified) return { ok: false, reason: 'the edited text does not read back as the intended change' }
  const { text, change } = applied
  const edited: Resource = { ...resource, object: expected }
  // only the rules that read what the fix changed can find anything else in the edited object
  const pod = podTemplateOf(resource, options.evaluation.podTemplates)
  const concerned = rulesReading(options.evaluation.rules, pod, changedFields(edits))
  const after = objectFingerprints(edited, { ...options.evaluation, rules: concerned })
  const editedObject: EvaluatedObject = { resource: edited, findings: [], posture: null, suppressions: [] }
  const present =
    options.stillPresent?.(finding, [editedObject]) ??
    (!concerned.some((rule) => rule.meta.id === finding.ruleId) ||
      (after.get(finding.fingerprint) ?? 0) >= (baseline.get(finding.fingerprint) ?? 0))
  if (present) return { ok: false, reason: 'it would not remove the finding' }
  for (const [fingerprint, count] of after) {
    if (count > (baseline.get(fingerprint) ?? 0)) return { ok: false, reason: 'it would introduce another finding' }
  }
  return { ok: true, text, change }
}

/**
 * Several edits made on the original text and applied together, from the end: what one fix's
 * edits (a volume's source deleted, an emptyDir added) usually are. Null when two of them change
 * the same place, whose order would matter; the edits are then made in turn.
 */
function applyTogether(finding: Finding, original: ParsedYaml, edits: readonly Edit[]): Applied | null {
  const changes: TextChange[] = []
  for (const edit of edits) {
    const result = applyEdit(original, finding.documentIndex, finding.documentPath, edit)
    if (!result.ok) return edits.length === 1 ? result : null
    changes.push(result.change)
  }
  changes.sort((a, b) => a.start - b.start || a.end - b.end)
  for (let i = 1; i < changes.length; i++) {
    const previous = changes[i - 1] as TextChange
    const next = changes[i] as TextChange
    // apart, or touching where at most one of the two inserts (text deleted up to where text goes in)
    const insertsBoth = previous.start === previous.end && next.start === next.end
    if (previous.end > next.start || (previous.end === next.start && insertsBoth)) return null
  }
  let text = original.text
  for (const change of [...changes].reverse()) text = text.slice(0, change.start) + change.text + text.slice(change.end)
  return { ok: true, text, change: changes.length === 1 ? (changes[0] as TextChange) : null }
}

/** Edits made one after another, each on the text (parsed again) the previous one left. */
function applyInTurn(finding: Finding, original: ParsedYaml, edits: readonly Edit[]): Applied {
  let yaml = original
  let text = original.text
  for (const [i, edit] of edits.entries()) {
    if (i > 0) {
      const reparsed = reparse(finding.file, text)
      if (!reparsed) return { ok: false, reason: 'the edited file did not parse' }
      yaml = reparsed
    }
    const result = applyEdit(yaml, finding.documentIndex, finding.documentPath, edit)
    if (!result.ok) return result
    text = result.text
  }
  return { ok: true, text, change: null }
}

/** The object a finding was found in, read from a parse of its file. */
export function resourceAt(finding: Finding, yaml: ParsedYaml): Resource | undefined {
  const path = JSON.stringify(finding.documentPath)
  return extractResources(finding.file, yaml).resources.find(
    (r) => r.documentIndex === finding.documentIndex && JSON.stringify(r.documentPath) === path,
  )
}

function reparse(file: string, text: string): ParsedYaml | null {
  const outcome = parseManifestFile(file, Buffer.from(text, 'utf8'))
  if (outcome.kind !== 'parsed' || outcome.problems.length > 0) return null
  return outcome.yaml
}
