import { expect, it } from 'vitest'
import { evaluateFile } from '../../src/evaluate/evaluate.js'
import { parseManifestFile } from '../../src/load/parse.js'
import { RevisionFiles } from '../../src/load/revision-files.js'
import { blobIdOf } from '../../src/load/source.js'
import type { Edit, Finding, Fix, JsonValue, ListItem, ObjectPath, ReportedFinding } from '../../src/model.js'
import { attachFixes } from '../../src/render/fix/fixes.js'
import { RULES } from '../../src/rules/index.js'
import type { Rule } from '../../src/rules/rule.js'
import type { RuleCase } from '../helpers/rule-cases.js'

/** A rule-table row that also says which fix each finding proposes (null: none). */
export interface FixedRuleCase extends RuleCase {
  fixes?: (Fix | null)[]
  /** the engine refuses the fixes, with a note matching this (an anchor, say) */
  refused?: RegExp
}

/**
 * Every finding of the file as new, with its fix rendered and verified the way the pipeline does
 * it: against every rule, so a fix that makes any other rule fire is not offered.
 */
export function reportedFindings(text: string, file = 'manifest.yaml', rules: readonly Rule[] = RULES): ReportedFinding[] {
  const bytes = Buffer.from(text, 'utf8')
  const outcome = parseManifestFile(file, bytes)
  if (outcome.kind !== 'parsed') throw new Error(`${file} was skipped: ${outcome.reason}`)
  const findings: Finding[] = evaluateFile(file, outcome.yaml, { rules }).objects.flatMap((o) => o.findings)
  const head = new RevisionFiles([{ path: file, blobId: blobIdOf(bytes), bytes }])
  return attachFixes(
    findings.map((f) => ({ ...f, status: 'new' as const })),
    head,
    { evaluation: { rules: RULES } },
  )
}

/**
 * For every row where the rule fires: the fixes it proposes are exactly `fixes`, and the engine
 * offers each of them (it renders, parses, removes the finding, adds none), or refuses them all
 * with the expected note.
 */
export function ruleFixes(rule: Rule, cases: readonly FixedRuleCase[]): void {
  const firing = cases.filter((c) => c.expected.length > 0)
  it.each(firing.map((c) => [c.name, c] as const))('fix: %s', (_name, c) => {
    if (!c.fixes) throw new Error('a row where the rule fires must list the fixes it proposes')
    const reported = reportedFindings(c.text).filter((f) => f.ruleId === rule.meta.id)
    expect(reported.map((f) => f.proposedFix)).toEqual(c.fixes)
    for (const finding of reported) {
      if (!finding.proposedFix) continue
      if (c.refused) {
        expect(finding.fix).toBeNull()
        expect(finding.fixNote).toMatch(c.refused)
      } else {
        expect(finding.fixNote, finding.path).toBeNull()
        expect(finding.fix?.safety).toBe(finding.proposedFix.safety)
      }
    }
  })
}

/** A list item named by a field, as rules name containers, volumes and sysctls. */
export const item = (index: number, value: string, key: string | null = 'name'): ListItem => ({ index, key, value })
export const set = (path: ObjectPath, value: JsonValue): Edit => ({ op: 'set', path, value })
export const del = (path: ObjectPath): Edit => ({ op: 'delete', path })
export const append = (path: ObjectPath, value: JsonValue): Edit => ({ op: 'append', path, value })
