import type { Config, IgnoreEntry } from '../config/config.js'
import { globToRegExp } from '../config/glob.js'
import { asString, getIn } from '../extract/json.js'
import { type Finding, PSS_LEVELS, type PssLevel, type Resource, type Severity, type Suppression, type Warning } from '../model.js'
import type { RuleMeta } from '../rules/rule.js'
import type { EvaluatedObject } from './evaluate.js'
import type { AnnotationSuppression } from './suppressions.js'

/** What the configuration decides about findings, independent of how they were found. */
export interface Policy {
  config: Config
  rules: ReadonlyMap<string, RuleMeta>
  /** `pod-security.kubernetes.io/enforce` of the namespaces the repository holds */
  namespaceLabels: ReadonlyMap<string, PssLevel>
  /** YYYY-MM-DD, for expiring suppressions */
  today: string
}

const LEVEL_RANK: Record<PssLevel, number> = { privileged: 0, baseline: 1, restricted: 2 }
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce'

/**
 * Applies the configuration to one revision's findings: rules switched off or re-ranked, Pod
 * Security checks above the level that matters for the namespace dropped, and suppressions
 * marked (never dropped: suppressed findings are listed, not silenced). Returns new objects;
 * the evaluation cache is not touched.
 */
export function applyPolicy(objects: readonly EvaluatedObject[], policy: Policy): EvaluatedObject[] {
  return objects.map((object) => ({
    ...object,
    findings: object.findings.flatMap((finding) => judge(finding, object.suppressions, policy) ?? []),
  }))
}

/** One finding under the policy: null when configuration drops it, else re-ranked and maybe suppressed. */
export function judge<F extends Finding>(finding: F, suppressions: readonly AnnotationSuppression[], policy: Policy): F | null {
  const override = policy.config.rules[finding.ruleId]
  if (override === 'off' || !withinLevel(finding, policy)) return null
  const severity: Severity = override ?? finding.severity
  const suppressedBy = suppressionFor(finding, suppressions, policy)
  return { ...finding, severity, ...(suppressedBy ? { suppressedBy } : {}) }
}

/** The `enforce` level of each namespace the revision holds; PSA reads an invalid level as restricted. */
export function namespaceLevels(namespaces: readonly Resource[]): Map<string, PssLevel> {
  const levels = new Map<string, PssLevel>()
  for (const namespace of namespaces) {
    const label = asString(getIn(namespace.object, ['metadata', 'labels', ENFORCE_LABEL]))
    if (label === undefined) continue
    levels.set(namespace.identity.name, (PSS_LEVELS as readonly string[]).includes(label) ? (label as PssLevel) : 'restricted')
  }
  return levels
}

/** Problems with suppressions and the configuration, reported once per run. */
export function policyWarnings(objects: readonly EvaluatedObject[], policy: Policy): Warning[] {
  const warnings: Warning[] = []
  for (const object of objects) {
    for (const s of object.suppressions) {
      if (s.reason === null) {
        warnings.push({ file: s.file, line: s.line, message: `${s.key} has no reason, so it does not suppress anything: ${HOW_TO_WRITE[s.source]}` })
      }
      if (s.rules.length === 0) {
        warnings.push({ file: s.file, line: s.line, message: `${s.key} names no rule, so it does not suppress anything: ${HOW_TO_WRITE[s.source]}` })
      }
      for (const id of s.rules) {
        if (!policy.rules.has(id)) warnings.push({ file: s.file, line: s.line, message: `${s.key} names an unknown rule "${id}"` })
      }
    }
  }
  const file = policy.config.file ?? '(configuration)'
  for (const entry of policy.config.ignore) {
    if (entry.reason === '') {
      warnings.push({ file, line: entry.line, message: 'ignore entry has an empty reason, so it does not suppress anything' })
    } else if (entry.expires !== null && entry.expires < policy.today) {
      warnings.push({ file, line: entry.line, message: `ignore entry expired on ${entry.expires} and no longer suppresses (${entry.reason})` })
    }
  }
  return warnings
}

const HOW_TO_WRITE: Record<AnnotationSuppression['source'], string> = {
  annotation: 'write "<rule-id>[,<rule-id>…]: <reason>"',
  'kube-linter': 'write the reason as the annotation\'s value',
  checkov: 'write "<check-id>=<reason>"',
  polaris: 'set it to "true"',
}

function withinLevel(finding: Finding, policy: Policy): boolean {
  const check = policy.rules.get(finding.ruleId)?.pss
  if (!check) return true
  const namespace = finding.identity.namespace ?? ''
  const level =
    policy.config.namespaceLevels[namespace] ?? policy.namespaceLabels.get(namespace) ?? policy.config.level
  return LEVEL_RANK[check.level] <= LEVEL_RANK[level]
}

function suppressionFor(
  finding: Finding,
  annotations: readonly AnnotationSuppression[],
  policy: Policy,
): Suppression | undefined {
  for (const s of annotations) {
    if (s.reason === null || !s.rules.includes(finding.ruleId)) continue
    if (s.container !== null && s.container !== finding.container) continue
    return { source: s.source, reason: s.reason, file: s.file, line: s.line }
  }
  const entry = policy.config.ignore.find((e) => ignoreMatches(e, finding, policy.today))
  if (!entry) return undefined
  return { source: 'config', reason: entry.reason, file: policy.config.file ?? '(configuration)', line: entry.line }
}

function ignoreMatches(entry: IgnoreEntry, finding: Finding, today: string): boolean {
  if (entry.reason === '') return false
  if (entry.expires !== null && entry.expires < today) return false
  if (entry.rules.length > 0 && !entry.rules.includes(finding.ruleId)) return false
  if (entry.kind !== null && entry.kind !== finding.identity.kind) return false
  if (entry.namespace !== null && entry.namespace !== finding.identity.namespace) return false
  if (entry.container !== null && entry.container !== finding.container) return false
  return entry.name === null || globToRegExp(entry.name).test(finding.identity.name)
}
