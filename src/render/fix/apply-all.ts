import { parseManifestFile } from '../../load/parse.js'
import type { ReportedFinding } from '../../model.js'
import { objectFingerprints } from '../../evaluate/evaluate.js'
import { applyVerified, type FixOptions, resourceAt } from './fixes.js'

export interface FileFixResult {
  /** the file's text with every fix that still applied; equal to the input when none did */
  text: string
  applied: ReportedFinding[]
  /** fixes that no longer applied once others had changed the file, with the reason */
  skipped: { finding: ReportedFinding; reason: string }[]
}

/**
 * Applies the verified fixes of one file's findings one after another. Each is rebuilt from its
 * structural edits on the text as the previous ones left it and verified again, so fixes that
 * touch the same map combine instead of conflicting.
 */
export function applyFixesToFile(file: string, text: string, findings: readonly ReportedFinding[], options: FixOptions): FileFixResult {
  const result: FileFixResult = { text, applied: [], skipped: [] }
  for (const finding of findings) {
    if (!finding.fix) continue
    const parsed = parseManifestFile(file, Buffer.from(result.text, 'utf8'))
    if (parsed.kind !== 'parsed') {
      result.skipped.push({ finding, reason: 'the file no longer parses' })
      continue
    }
    const resource = resourceAt(finding, parsed.yaml)
    if (!resource) {
      result.skipped.push({ finding, reason: 'its object is no longer in the file' })
      continue
    }
    const baseline = objectFingerprints(resource, options.evaluation)
    const unedited = { resource, findings: [], posture: null, suppressions: [] }
    if (!(options.stillPresent?.(finding, [unedited]) ?? baseline.has(finding.fingerprint))) {
      // An earlier fix in this file already removed it (one fix can settle several findings).
      result.applied.push(finding)
      continue
    }
    const outcome = applyVerified(finding, parsed.yaml, resource, baseline, options)
    if (outcome.ok) {
      result.text = outcome.text
      result.applied.push(finding)
    } else result.skipped.push({ finding, reason: outcome.reason })
  }
  return result
}
