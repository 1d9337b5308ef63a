/** Helpers for the workload rule tests: a rule's raw violations (fixes included) for manifest text. */
import { podTemplateOf } from '../../../src/extract/pod-template.js'
import type { Resource } from '../../../src/model.js'
import type { ObjectChange, PodRule, TransitionRule, TransitionViolation, Violation } from '../../../src/rules/rule.js'
import { evaluateObjects } from '../../helpers/evaluate.js'

/** The single object in the text, parsed as the tool reads a file. */
export function resourceOf(text: string): Resource {
  const objects = evaluateObjects(text, [])
  if (objects.length !== 1 || !objects[0]) throw new Error(`expected one object, found ${objects.length}`)
  return objects[0].resource
}

/** What a pod rule returns for the single workload in the text, fixes and all. */
export function podViolations(rule: PodRule, text: string): Violation[] {
  const resource = resourceOf(text)
  const pod = podTemplateOf(resource)
  if (!pod) throw new Error(`${resource.identity.kind} has no pod`)
  return rule.check(pod, resource)
}

/** What a transition rule returns for one object at base and head (either may be null: added or deleted). */
export function transitionViolations(rule: TransitionRule, base: string | null, head: string | null): TransitionViolation[] {
  const change: ObjectChange = {}
  if (base !== null) change.base = resourceOf(base)
  if (head !== null) change.head = resourceOf(head)
  const empty = { objectsOf: () => [] }
  return rule.check(change, { base: empty, head: empty, podOf: (resource) => podTemplateOf(resource) })
}

/** A Pod manifest with the given lines under `spec:`, indented by the caller's template. */
export function pod(spec: string): string {
  const body = spec.replace(/^\n/, '').replace(/\n\s*$/, '')
  const indent = Math.min(...body.split('\n').filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0))
  const lines = body.split('\n').map((l) => `  ${l.slice(indent)}`)
  return ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', ...lines, ''].join('\n')
}
