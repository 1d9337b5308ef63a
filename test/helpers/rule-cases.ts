import { expect, it } from 'vitest'
import type { Rule } from '../../src/rules/rule.js'
import { findingsOf, type FindingSummary } from './evaluate.js'

/** One table row: manifest text and exactly what the rule must report for it ([] = must not fire). */
export interface RuleCase {
  name: string
  text: string
  expected: Omit<FindingSummary, 'ruleId'>[]
}

/** Runs a rule's table: every row must produce exactly its expected findings, in order. */
export function ruleCases(rule: Rule, cases: readonly RuleCase[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(findingsOf(rule, c.text)).toEqual(c.expected.map((e) => ({ ruleId: rule.meta.id, ...e })))
  })
}
