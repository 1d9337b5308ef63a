import type { PodTemplate } from '../extract/pod-template.js'
import type { ObjectPath, PssCheckId, Resource, Severity } from '../model.js'

/** Declarative facts about a rule: docs, reports and configuration read these, never the check. */
export interface RuleMeta {
  /** kebab-case, equal to the file name; a contract used by reports and configuration */
  id: string
  title: string
  severity: Severity
  /** the upstream Pod Security Admission check this rule implements, and the level that runs it */
  pss?: { check: PssCheckId; level: 'baseline' | 'restricted' }
  /** what it catches and why that matters, in a sentence or two */
  description: string
  /** how to fix it, in a sentence */
  remediation: string
  /** message templates keyed by message id; `{{name}}` is replaced from the violation's data */
  messages: Record<string, string>
}

/** What a check returns: structured state, no positions and no prose beyond a message id. */
export interface Violation {
  messageId: string
  data?: Record<string, string | number>
  /** from the object's root to the offending field, or to the field that should exist */
  path: ObjectPath
  /** the container at fault, for container-level checks */
  container?: string
  /** a refinement of the rule's severity for this case (same finding, never a second one) */
  severity?: Severity
}

/** A rule that judges the pod a workload runs, for every kind that has one. */
export interface PodRule {
  meta: RuleMeta
  check(pod: PodTemplate, resource: Resource): Violation[]
}

export type Rule = PodRule

/** Fills `{{name}}` placeholders; unknown placeholders are left visible rather than silently dropped. */
export function formatMessage(template: string, data: Violation['data']): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    data && key in data ? String(data[key]) : whole,
  )
}
