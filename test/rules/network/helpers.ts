/** Helpers for the network rule tests: resources from text, a transition context, one rule through the engine. */
import { expect } from 'vitest'
import { displayPath } from '../../../src/evaluate/path.js'
import { revisionView } from '../../../src/evaluate/revision-view.js'
import { podTemplateOf } from '../../../src/extract/pod-template.js'
import type { Report, Resource } from '../../../src/model.js'
import type { Fix, TransitionContext, TransitionRule } from '../../../src/rules/rule.js'
import { evaluateObjects } from '../../helpers/evaluate.js'
import { diffTrees, type Tree } from '../../helpers/revisions.js'

/** Every object in the text, as the tool extracts it (no rules run). */
export function resourcesOf(text: string, file = 'manifest.yaml'): Resource[] {
  return evaluateObjects(text, [], file).map((o) => o.resource)
}

export function resourceOf(text: string, file = 'manifest.yaml'): Resource {
  const [first] = resourcesOf(text, file)
  if (!first) throw new Error('no object in the text')
  return first
}

/** A context whose revisions hold the given objects. */
export function contextOf(base: readonly Resource[], head: readonly Resource[]): TransitionContext {
  return { base: revisionView(base), head: revisionView(head), podOf: (r) => podTemplateOf(r) }
}

export interface TransitionInput {
  /** the object at base (omit: added) */
  base?: string
  /** the object at head (omit: deleted) */
  head?: string
  /** other objects of each revision (e.g. policies in untouched files) */
  baseOthers?: string
  headOthers?: string
}

export interface Reported {
  on: 'base' | 'head'
  messageId: string
  data?: Record<string, string | number>
  path: string
  severity?: string
  fix?: Fix
}

/** Runs `rule.check` on one change; the revisions' views hold the object itself plus the others. */
export function runTransition(rule: TransitionRule, input: TransitionInput): Reported[] {
  const base = input.base === undefined ? undefined : resourceOf(input.base)
  const head = input.head === undefined ? undefined : resourceOf(input.head)
  const baseAll = [...(base ? [base] : []), ...(input.baseOthers ? resourcesOf(input.baseOthers, 'others.yaml') : [])]
  const headAll = [...(head ? [head] : []), ...(input.headOthers ? resourcesOf(input.headOthers, 'others.yaml') : [])]
  return rule.check({ base, head }, contextOf(baseAll, headAll)).map((v) => ({
    on: v.on,
    messageId: v.messageId,
    ...(v.data ? { data: v.data } : {}),
    path: displayPath(v.path),
    ...(v.severity ? { severity: v.severity } : {}),
    ...(v.fix ? { fix: v.fix } : {}),
  }))
}

/** messageId@path of each violation: the compact form most cases assert on. */
export function transitionIds(rule: TransitionRule, input: TransitionInput): string[] {
  return runTransition(rule, input).map((v) => `${v.messageId}@${v.path}`)
}

export const VIAS = ['dirs', 'git'] as const

/** Runs one rule through the whole engine and returns its findings as `status ruleId file:line`. */
export async function engineFindings(
  rule: TransitionRule,
  base: Tree,
  head: Tree,
  via: (typeof VIAS)[number],
): Promise<Report['findings']> {
  const report = await diffTrees(base, head, { via, rules: [rule] })
  expect(report.errors).toEqual([])
  return report.findings.filter((f) => f.ruleId === rule.meta.id)
}

export function placed(findings: Report['findings']): string[] {
  return findings.map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line}`)
}
