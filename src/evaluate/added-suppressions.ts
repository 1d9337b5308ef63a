import type { ObjectPair } from '../compare/match.js'
import type { ComparedFinding, Finding } from '../model.js'
import { formatMessage, type RuleMeta } from '../rules/rule.js'
import { type EvaluatedObject, violationFingerprint } from './evaluate.js'
import { displayPath } from './path.js'

/** Not a check of an object: the engine reports it when a change silences findings. */
export const SUPPRESSION_ADDED: RuleMeta = {
  id: 'suppression-added',
  title: 'Suppression added',
  severity: 'info',
  description:
    'A change that silences a finding deserves a reviewer as much as the finding itself: the reason given is the whole argument for the exception.',
  remediation: 'Check that the reason holds; remove the annotation to bring the finding back.',
  messages: { added: 'This change silences {{rules}}{{scope}}: "{{reason}}".' },
}

/**
 * Findings for suppression annotations that the head adds (or changes) and that silence at least
 * one finding there, placed on the annotation's line so the review shows them. `others` are the
 * findings judged outside the objects (transition rules): an annotation silencing only one of
 * those is reported too.
 */
export function addedSuppressions(pairs: readonly ObjectPair<EvaluatedObject>[], others: readonly Finding[] = []): ComparedFinding[] {
  const findings: ComparedFinding[] = []
  for (const { base, head } of pairs) {
    if (!head) continue
    const before = new Set(base?.suppressions.map((s) => `${s.key}\0${s.value}`) ?? [])
    for (const s of head.suppressions) {
      if (s.reason === null || before.has(`${s.key}\0${s.value}`)) continue
      const silenced = [...head.findings, ...others].filter(
        (f) => f.suppressedBy && f.suppressedBy.source === s.source && f.suppressedBy.file === s.file && f.suppressedBy.line === s.line,
      )
      if (silenced.length === 0) continue
      const { resource } = head
      const { identity } = resource
      const violation = { messageId: 'added', path: s.path }
      const rules = [...new Set(silenced.map((f) => f.ruleId))].join(', ')
      findings.push({
        status: 'new',
        ruleId: SUPPRESSION_ADDED.id,
        pssCheck: null,
        severity: SUPPRESSION_ADDED.severity,
        title: SUPPRESSION_ADDED.title,
        message: formatMessage(SUPPRESSION_ADDED.messages.added as string, {
          rules,
          scope: s.container ? ` for container "${s.container}"` : '',
          reason: s.reason,
        }),
        resource: { apiVersion: resource.apiVersion, kind: identity.kind, namespace: identity.namespace, name: identity.name },
        identity,
        container: s.container,
        file: s.file,
        line: s.line,
        endLine: s.line,
        path: displayPath(s.path),
        fingerprint: violationFingerprint(identity, SUPPRESSION_ADDED.id, violation),
        documentIndex: resource.documentIndex,
        documentPath: resource.documentPath,
        proposedFix: null,
      })
    }
  }
  return findings
}
