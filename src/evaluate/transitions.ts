import type { ObjectPair } from '../compare/match.js'
import type { RevisionFiles } from '../load/revision-files.js'
import type { ComparedFinding } from '../model.js'
import { appliesTo, type TransitionContext, type TransitionRule } from '../rules/rule.js'
import type { EvaluatedObject } from './evaluate.js'
import { toFinding } from './evaluate.js'

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
