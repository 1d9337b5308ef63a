import type { PodTemplate } from '../extract/pod-template.js'
import type { Fix, ObjectPath, PssCheckId, Resource, Severity } from '../model.js'

export type { Edit, Fix } from '../model.js'

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
  /** a mechanical fix; the core renders, verifies and offers it */
  fix?: Fix
}

/**
 * A field a check may read, as `object.<path>` from the object's root, `pod.spec.<path>` and
 * `pod.metadata.<path>` inside the pod template, or `container.<path>` inside every container of
 * the pod (init, regular and ephemeral); `[]` stands for any list item. A pattern covers the field
 * and everything below it; the maps a check passes through on its way to a field need no pattern,
 * but then the check must read such a map missing or null as it reads an empty one (a fix that
 * creates `securityContext` to set one field in it concerns only the rules reading that field).
 */
export type FieldPattern = string

/** A rule that judges the pod a workload runs, for every kind that has one. */
export interface PodRule {
  kind: 'pod'
  meta: RuleMeta
  /**
   * Every field the check reads (the containers' names always count). A fix that changes none of
   * them cannot change what the rule finds, so verifying it need not run the rule; absent, the rule
   * is run for every fix. A test reading every fixture through a recording proxy keeps this true.
   */
  fieldsRead?: readonly FieldPattern[]
  check(pod: PodTemplate, resource: Resource): Violation[]
}

/**
 * Kinds a rule applies to, as `group/kind` (`apps/Deployment`, `/Service` for the core group);
 * `*` stands for any kind of a group (`constraints.gatekeeper.sh/*`) or, alone, for every object.
 */
export type KindPattern = string

/** A rule that judges one object at one revision. */
export interface ObjectRule {
  kind: 'object'
  meta: RuleMeta
  appliesTo: readonly KindPattern[]
  /** every field the check reads, as on `PodRule` */
  fieldsRead?: readonly FieldPattern[]
  check(resource: Resource): Violation[]
}

/** The objects of one whole revision, for rules that judge an object against its surroundings. */
export interface RevisionView {
  /** objects of one `group/kind` */
  objectsOf(kind: string): readonly Resource[]
}

export interface ObjectChange {
  /** absent when the object was added */
  base?: Resource
  /** absent when the object was deleted */
  head?: Resource
}

export interface TransitionContext {
  base: RevisionView
  head: RevisionView
  /** the pod a workload runs, as every other rule sees it */
  podOf(resource: Resource): PodTemplate | null
}

export interface TransitionViolation extends Violation {
  /** where the finding is shown: on the head object, or on the base object when it is gone */
  on: 'base' | 'head'
}

/**
 * A rule that judges how an object changed between the revisions. What it reports is new by
 * definition: the change itself is the regression.
 */
export interface TransitionRule {
  kind: 'transition'
  meta: RuleMeta
  appliesTo: readonly KindPattern[]
  /** kinds read from the whole revision through `TransitionContext` (files that mention none are not parsed for it) */
  reads?: readonly string[]
  check(change: ObjectChange, context: TransitionContext): TransitionViolation[]
}

export type Rule = PodRule | ObjectRule | TransitionRule

/** Whether a `group/kind` matches one of the patterns. */
export function appliesTo(patterns: readonly KindPattern[], group: string, kind: string): boolean {
  return patterns.some((pattern) => {
    if (pattern === '*') return true
    const slash = pattern.lastIndexOf('/')
    const patternGroup = pattern.slice(0, slash)
    const patternKind = pattern.slice(slash + 1)
    return patternGroup === group && (patternKind === '*' || patternKind === kind)
  })
}

/** Fills `{{name}}` placeholders; unknown placeholders are left visible rather than silently dropped. */
export function formatMessage(template: string, data: Violation['data']): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    data && key in data ? String(data[key]) : whole,
  )
}
