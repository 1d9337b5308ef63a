import type { EvaluatedObject } from '../evaluate/evaluate.js'
import { sameJson } from '../extract/json.js'
import type { ComparedFinding, Finding, Posture, ResourceRef } from '../model.js'
import type { ObjectPair } from './match.js'

export interface Comparison {
  findings: ComparedFinding[]
  postures: Posture[]
}

/**
 * Sorts findings into new, fixed and unchanged by fingerprint within each pair of objects, and
 * gives the PSS posture of every workload that changed. Line numbers play no part: moving,
 * reformatting or reordering an object changes nothing.
 */
export function comparePairs(pairs: readonly ObjectPair<EvaluatedObject>[]): Comparison {
  const findings: ComparedFinding[] = []
  const postures: Posture[] = []
  for (const { base: before, head: after } of pairs) {
    findings.push(...compareFindings(before?.findings ?? [], after?.findings ?? []))
    const posture = postureChange(before, after)
    if (posture) postures.push(posture)
  }
  return { findings: sortFindings(findings), postures }
}

/** A multiset difference: two identical findings at base and one at head leave one fixed. */
function compareFindings(base: readonly Finding[], head: readonly Finding[]): ComparedFinding[] {
  const remaining = new Map<string, Finding[]>()
  for (const finding of base) {
    const list = remaining.get(finding.fingerprint)
    if (list) list.push(finding)
    else remaining.set(finding.fingerprint, [finding])
  }
  const out: ComparedFinding[] = []
  for (const finding of head) {
    const match = remaining.get(finding.fingerprint)?.shift()
    out.push({ ...finding, status: match ? 'unchanged' : 'new' })
  }
  for (const list of remaining.values()) for (const finding of list) out.push({ ...finding, status: 'fixed' })
  return out
}

function postureChange(before: EvaluatedObject | undefined, after: EvaluatedObject | undefined): Posture | null {
  const basePosture = before?.posture ?? null
  const headPosture = after?.posture ?? null
  if (basePosture === null && headPosture === null) return null
  if (before && after && sameJson(before.resource.object, after.resource.object)) return null
  const shown = (after ?? before) as EvaluatedObject
  const { identity, apiVersion } = shown.resource
  const resource: ResourceRef = { apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name }
  return { resource, file: shown.resource.file, base: basePosture, head: headPosture }
}

const STATUS_ORDER = { new: 0, fixed: 1, unchanged: 2 } as const

/** New first, then fixed, then unchanged; within each, by file and line. Sorts in place. */
export function sortFindings(findings: ComparedFinding[]): ComparedFinding[] {
  return findings.sort(byStatusThenPlace)
}

function byStatusThenPlace(a: ComparedFinding, b: ComparedFinding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  )
}
