/** Shared helpers for the admission transition-rule tests. Not a test file itself. */
import { revisionView } from '../../../src/evaluate/revision-view.js'
import { podTemplateOf } from '../../../src/extract/pod-template.js'
import type { Resource } from '../../../src/model.js'
import type { TransitionContext, TransitionRule, TransitionViolation } from '../../../src/rules/rule.js'
import { evaluateObjects } from '../../helpers/evaluate.js'

/** The one object in the manifest text, as the engine reads it. */
export function resourceOf(text: string): Resource {
  const [object] = evaluateObjects(text, [])
  if (!object) throw new Error('no object in the text')
  return object.resource
}

/** Runs a transition rule on one change, the whole revisions being just these objects. */
export function checkChange(rule: TransitionRule, base: string | null, head: string | null): TransitionViolation[] {
  const baseResource = base === null ? undefined : resourceOf(base)
  const headResource = head === null ? undefined : resourceOf(head)
  const context: TransitionContext = {
    base: revisionView(baseResource ? [baseResource] : []),
    head: revisionView(headResource ? [headResource] : []),
    podOf: (resource) => podTemplateOf(resource),
  }
  return rule.check({ base: baseResource, head: headResource }, context)
}
