import { expect, it } from 'vitest'
import type { Rule } from '../../src/rules/rule.js'
import { evaluateObjects, findingsOf, type FindingSummary } from './evaluate.js'
import { undeclaredReads } from './field-reads.js'

/** One table row: manifest text and exactly what the rule must report for it ([] = must not fire). */
export interface RuleCase {
  name: string
  text: string
  expected: Omit<FindingSummary, 'ruleId'>[]
}

/**
 * Runs a rule's table: every row must produce exactly its expected findings, in order, and the
 * rule must read nothing in it that it does not declare (`fieldsRead`).
 */
export function ruleCases(rule: Rule, cases: readonly RuleCase[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(findingsOf(rule, c.text)).toEqual(c.expected.map((e) => ({ ruleId: rule.meta.id, ...e })))
    expect(evaluateObjects(c.text, [rule]).flatMap((object) => undeclaredReads(rule, object.resource))).toEqual([])
  })
}
