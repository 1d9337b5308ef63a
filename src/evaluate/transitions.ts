import type { ObjectPair } from '../compare/match.js'
import type { RevisionFiles } from '../load/revision-files.js'
import type { ComparedFinding, Finding } from '../model.js'
import { appliesTo, type TransitionContext, type TransitionRule } from '../rules/rule.js'
import { identityKey } from '../extract/identity.js'
import { type EvaluatedObject, toFinding, violationFingerprint } from './evaluate.js'

/**
 * Runs the transition rules over every pair of objects. Each violation is placed on the head
 * object, or on the base object (in the base file) when the rule reports what was removed.
 */
export function evaluateTransitions(
  pairs: readonly ObjectPair<EvaluatedObject>[],
  rules: readonly TransitionRule[],
  context: TransitionContext,
  files: { base: RevisionFiles; head: RevisionFiles },
): ComparedFinding[] {
  const findings: ComparedFinding[] = []
  for (const pair of pairs) {
    const change = { base: pair.base?.resource, head: pair.head?.resource }
    for (const rule of rules) {
      const applies = [change.base, change.head].some(
        (r) => r && appliesTo(rule.appliesTo, r.identity.group, r.identity.kind),
      )
      if (!applies) continue
      for (const violation of rule.check(change, context)) {
        const resource = change[violation.on]
        const yaml = resource && files[violation.on].parsed(resource.file)
        if (!resource || !yaml) continue
        findings.push({ ...toFinding(rule.meta, violation, resource, yaml), status: 'new' })
      }
    }
  }
  return findings
}

/**
 * Whether a finding that object evaluation cannot see (a transition finding) is still present in
 * the edited file; undefined for the findings object evaluation sees itself.
 */
export type StillPresent = (finding: Finding, edited: readonly EvaluatedObject[]) => boolean | undefined

/**
 * For fix verification: whether a transition finding would still be reported if its head object
 * were replaced by the edited one. Undefined for findings of other rules.
 */
export function transitionRecheck(
  pairs: readonly ObjectPair<EvaluatedObject>[],
  rules: readonly TransitionRule[],
  context: TransitionContext,
): StillPresent {
  const byId = new Map(rules.map((rule) => [rule.meta.id, rule]))
  return (finding, edited) => {
    const rule = byId.get(finding.ruleId)
    if (!rule) return undefined
    const key = identityKey(finding.identity)
    const pair = pairs.find((p) => p.head?.resource.file === finding.file && identityKey(p.head.resource.identity) === key)
    const head = edited.find((o) => identityKey(o.resource.identity) === key)?.resource
    return rule
      .check({ base: pair?.base?.resource, head }, context)
      .some((v) => violationFingerprint(finding.identity, rule.meta.id, v) === finding.fingerprint)
  }
}
