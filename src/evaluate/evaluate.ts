import { identityKey } from '../extract/identity.js'
import { type PodTemplate, podTemplateOf, type PodTemplateTable } from '../extract/pod-template.js'
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
  const { resources, problems } = extractResources(file, yaml, options.podTemplates)
  return {
    problems,
    objects: resources.map((resource) => evaluateResource(resource, yaml, options)),
  }
}

function evaluateResource(resource: Resource, yaml: ParsedYaml, options: EvaluationOptions): EvaluatedObject {
  const pod = podTemplateOf(resource, options.podTemplates)
  const fired = runRules(resource, pod, options)
  return {
    resource,
    findings: fired.map(({ meta, violation }) => toFinding(meta, violation, resource, yaml)),
    posture: pod ? postureOf(fired.map((f) => f.meta)) : null,
    suppressions: readSuppressions(resource, pod, options.compat ?? [], yaml),
  }
}

/** Every violation the object and pod rules find in one object, with the rule that found it. */
function runRules(resource: Resource, pod: PodTemplate | null, options: EvaluationOptions): { meta: RuleMeta; violation: Violation }[] {
  const { group, kind } = resource.identity
  const fired: { meta: RuleMeta; violation: Violation }[] = []
  for (const rule of options.rules) {
    let violations: Violation[]
    if (rule.kind === 'pod') {
      if (!pod) continue
      violations = rule.check(pod, resource)
    } else if (rule.kind === 'object' && appliesTo(rule.appliesTo, group, kind)) {
      violations = rule.check(resource)
    } else continue
    for (const violation of violations) fired.push({ meta: rule.meta, violation })
  }
  return fired
}

/**
 * How often each fingerprint occurs in one object, without placing anything on lines: what a
 * fix is verified with, on the object as the fix would leave it.
 */
export function objectFingerprints(resource: Resource, options: EvaluationOptions): Map<string, number> {
  const fired = runRules(resource, podTemplateOf(resource, options.podTemplates), options)
  return counted(fired.map(({ meta, violation }) => violationFingerprint(resource.identity, meta.id, violation)))
}

/** How often each fingerprint occurs among one object's findings (as `objectFingerprints` counts them). */
export function fingerprintCounts(findings: readonly Finding[]): Map<string, number> {
  return counted(findings.map((f) => f.fingerprint))
}

function counted(fingerprints: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const fingerprint of fingerprints) counts.set(fingerprint, (counts.get(fingerprint) ?? 0) + 1)
  return counts
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
  return fingerprintHash(`${identityKey(identity)}\n${ruleId}\n${violation.container ?? ''}\n${displayPath(violation.path)}`)
}

/**
 * 96 bits of three FNV-1a lanes as 24 hex digits. Fingerprints identify findings, they guard no
 * secret, and a cryptographic hash per finding cost a tenth of a large scan.
 */
function fingerprintHash(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  let c = 0x9747b28c
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    a = Math.imul(a ^ code, 0x01000193)
    b = Math.imul(b ^ code, 0x5bd1e995)
    c = Math.imul(c ^ code, 0x27d4eb2d)
  }
  a = Math.imul(a ^ (b >>> 15), 0x01000193)
  return [a, b, c].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('')
}
