import { createHash } from 'node:crypto'
import { identityKey } from '../extract/identity.js'
import { podTemplateOf, type PodTemplateTable } from '../extract/pod-template.js'
import { extractResources } from '../extract/resources.js'
import { locate } from '../load/locate.js'
import type { ParsedYaml, ParseProblem } from '../load/parse.js'
import type { Finding, ObjectIdentity, PssLevel, Resource } from '../model.js'
import { appliesTo, formatMessage, type Rule, type RuleMeta, type Violation } from '../rules/rule.js'
import { displayPath } from './path.js'
import { type AnnotationSuppression, type CompatTool, readSuppressions } from './suppressions.js'
import { postureOf } from './posture.js'

/** One object at one revision with what the rules found in it. */
export interface EvaluatedObject {
  resource: Resource
  findings: Finding[]
  /** the PSS level its pod satisfies; null for objects without a pod */
  posture: PssLevel | null
  /** suppressions written on the object or its pod template */
  suppressions: AnnotationSuppression[]
}

export interface FileEvaluation {
  objects: EvaluatedObject[]
  problems: ParseProblem[]
}

export interface EvaluationOptions {
  rules: readonly Rule[]
  podTemplates?: PodTemplateTable
  /** peers whose suppression annotations are honoured */
  compat?: readonly CompatTool[]
}

/** Runs every rule over every object of one parsed file and places each violation on its lines. */
export function evaluateFile(file: string, yaml: ParsedYaml, options: EvaluationOptions): FileEvaluation {
  const { resources, problems } = extractResources(file, yaml)
  return {
    problems,
    objects: resources.map((resource) => evaluateResource(resource, yaml, options)),
  }
}

function evaluateResource(resource: Resource, yaml: ParsedYaml, options: EvaluationOptions): EvaluatedObject {
  const pod = podTemplateOf(resource, options.podTemplates)
  const { group, kind } = resource.identity
  const findings: Finding[] = []
  const firedOnPod: RuleMeta[] = []
  for (const rule of options.rules) {
    let violations: Violation[]
    if (rule.kind === 'pod') {
      if (!pod) continue
      violations = rule.check(pod, resource)
      if (violations.length > 0) firedOnPod.push(rule.meta)
    } else if (rule.kind === 'object' && appliesTo(rule.appliesTo, group, kind)) {
      violations = rule.check(resource)
    } else continue
    for (const violation of violations) findings.push(toFinding(rule.meta, violation, resource, yaml))
  }
  return {
    resource,
    findings,
    posture: pod ? postureOf(firedOnPod) : null,
    suppressions: readSuppressions(resource, pod, options.compat ?? [], yaml),
  }
}

export function toFinding(meta: RuleMeta, violation: Violation, resource: Resource, yaml: ParsedYaml): Finding {
  const { line, endLine } = locate(yaml, resource.documentIndex, [...resource.documentPath, ...violation.path])
  const path = displayPath(violation.path)
  const container = violation.container ?? null
  const { identity } = resource
  return {
    ruleId: meta.id,
    pssCheck: meta.pss?.check ?? null,
    severity: violation.severity ?? meta.severity,
    title: meta.title,
    message: formatMessage(meta.messages[violation.messageId] ?? violation.messageId, violation.data),
    resource: { apiVersion: resource.apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name },
    identity,
    container,
    file: resource.file,
    line,
    endLine,
    path,
    fingerprint: violationFingerprint(identity, meta.id, violation),
    documentIndex: resource.documentIndex,
    documentPath: resource.documentPath,
    proposedFix: violation.fix ?? null,
  }
}

/** Object identity + rule + container + field path: no line numbers, file names or list indexes. */
export function violationFingerprint(identity: ObjectIdentity, ruleId: string, violation: Violation): string {
  return createHash('sha256')
    .update(`${identityKey(identity)}\n${ruleId}\n${violation.container ?? ''}\n${displayPath(violation.path)}`)
    .digest('hex')
    .slice(0, 24)
}
