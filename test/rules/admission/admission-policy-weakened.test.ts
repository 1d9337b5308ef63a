import { describe, expect, it } from 'vitest'
import { admissionPolicyWeakened } from '../../../src/rules/admission/admission-policy-weakened.js'
import { yaml } from '../../helpers/evaluate.js'
import { diffTrees } from '../../helpers/revisions.js'
import { checkChange } from './transition.js'

const check = (base: string | null, head: string | null) => checkChange(admissionPolicyWeakened, base, head)
const brief = (base: string | null, head: string | null) =>
  check(base, head).map((v) => ({ on: v.on, messageId: v.messageId, data: v.data, path: v.path, severity: v.severity }))

function constraint(spec: string): string {
  return `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata:\n  name: must-have-owner\nspec:\n  match: { kinds: [{ apiGroups: [""], kinds: [Namespace] }] }\n${spec}`
}

function kyverno(spec: string, kind = 'ClusterPolicy'): string {
  return `apiVersion: kyverno.io/v1\nkind: ${kind}\nmetadata:\n  name: require-labels\nspec:\n${spec}`
}

const KYVERNO_RULES = `  rules:
    - name: check-owner
      match: { any: [{ resources: { kinds: [Pod] } }] }
      validate: { message: owner, pattern: { metadata: { labels: { owner: "?*" } } } }
    - name: add-defaults
      mutate: { patchStrategicMerge: { metadata: { labels: { team: x } } } }
`

function binding(actions: string): string {
  return `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: replicas\nspec:\n  policyName: replicas\n${actions}`
}

function webhooks(apiVersion: string, policies: (string | null)[], kind = 'ValidatingWebhookConfiguration'): string {
  const items = policies
    .map((p, i) => `  - name: hook-${i}.example.com\n${p === null ? '' : `    failurePolicy: ${p}\n`}    sideEffects: None\n`)
    .join('')
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: policy-hooks\nwebhooks:\n${items}`
}

describe('admission-policy-weakened', () => {
  describe('Gatekeeper constraints', () => {
    it('fires when enforcementAction leaves deny (absent is deny), fixing it back', () => {
      const violations = check(constraint(''), constraint('  enforcementAction: dryrun\n'))
      expect(violations).toEqual([
        {
          on: 'head',
          messageId: 'gatekeeper',
          data: { from: 'deny (default)', to: 'dryrun' },
          path: ['spec', 'enforcementAction'],
          fix: {
            safety: 'review',
            description: "Restore the constraint's enforcement action.",
            edits: [{ op: 'delete', path: ['spec', 'enforcementAction'] }],
          },
        },
      ])
      expect(brief(constraint('  enforcementAction: deny\n'), constraint('  enforcementAction: warn\n'))[0]?.data).toEqual({ from: 'deny', to: 'warn' })
      expect(check(constraint('  enforcementAction: Deny\n'), constraint('  enforcementAction: warn\n'))[0]?.fix?.edits).toEqual([
        { op: 'set', path: ['spec', 'enforcementAction'], value: 'Deny' },
      ])
    })

    it('reads scoped enforcement: deny at an admission point enforces, deny only at audit does not', () => {
      const scoped = (action: string, point: string) =>
        constraint(`  enforcementAction: scoped\n  scopedEnforcementActions:\n    - action: ${action}\n      enforcementPoints: [{ name: ${point} }]\n`)
      expect(check(constraint(''), scoped('deny', 'validation.gatekeeper.sh'))).toEqual([])
      expect(check(constraint(''), scoped('deny', '"*"'))).toEqual([])
      expect(brief(constraint(''), scoped('deny', 'audit.gatekeeper.sh'))).toEqual([
        { on: 'head', messageId: 'gatekeeper', data: { from: 'deny (default)', to: 'scoped' }, path: ['spec', 'enforcementAction'], severity: undefined },
      ])
      // both scoped: the change is in the scoped actions
      expect(brief(scoped('deny', 'vap.k8s.io'), scoped('warn', 'vap.k8s.io'))[0]?.path).toEqual(['spec', 'scopedEnforcementActions'])
    })

    it('does not fire when a constraint starts denying, stays in dryrun, or only changes its match', () => {
      expect(check(constraint('  enforcementAction: dryrun\n'), constraint(''))).toEqual([])
      expect(check(constraint('  enforcementAction: dryrun\n'), constraint('  enforcementAction: warn\n'))).toEqual([])
      expect(check(constraint(''), constraint('  enforcementAction: DENY\n  parameters: { labels: [owner] }\n'))).toEqual([])
      expect(check(null, constraint('  enforcementAction: dryrun\n'))).toEqual([])
    })
  })

  describe('Kyverno policies', () => {
    it('fires at validationFailureAction when the policy moves its validate rules to Audit', () => {
      const violations = check(
        kyverno(`  validationFailureAction: Enforce\n${KYVERNO_RULES}`),
        kyverno(`  validationFailureAction: Audit\n${KYVERNO_RULES}`),
      )
      expect(violations).toEqual([
        {
          on: 'head',
          messageId: 'kyvernoPolicy',
          data: { from: 'Enforce', to: 'Audit', rules: '"check-owner"' },
          path: ['spec', 'validationFailureAction'],
          fix: {
            safety: 'review',
            description: 'Set validationFailureAction back to "Enforce".',
            edits: [{ op: 'set', path: ['spec', 'validationFailureAction'], value: 'Enforce' }],
          },
        },
      ])
    })

    it('is case-insensitive (legacy enforce/audit) and reads an absent action as Audit', () => {
      expect(brief(kyverno(`  validationFailureAction: enforce\n${KYVERNO_RULES}`, 'Policy'), kyverno(KYVERNO_RULES, 'Policy'))).toEqual([
        {
          on: 'head',
          messageId: 'kyvernoPolicy',
          data: { from: 'enforce', to: 'unset (Audit)', rules: '"check-owner"' },
          path: ['spec', 'validationFailureAction'],
          severity: undefined,
        },
      ])
      expect(check(kyverno(`  validationFailureAction: enforce\n${KYVERNO_RULES}`), kyverno(`  validationFailureAction: Enforce\n${KYVERNO_RULES}`))).toEqual([])
    })

    it('fires at a rule whose own validate.failureAction goes to Audit, naming the rule', () => {
      const rules = (action: string) => `  rules:
    - name: other
      validate: { failureAction: Enforce, deny: {} }
    - name: check-owner
      validate:
        failureAction: ${action}
        pattern: { metadata: { labels: { owner: "?*" } } }
`
      const violations = check(kyverno(rules('Enforce')), kyverno(rules('Audit')))
      const path = ['spec', 'rules', { index: 1, key: 'name', value: 'check-owner' }, 'validate', 'failureAction']
      expect(violations).toEqual([
        {
          on: 'head',
          messageId: 'kyvernoRule',
          data: { rule: 'check-owner', from: 'Enforce', to: 'Audit' },
          path,
          fix: { safety: 'review', description: "Set the rule's failureAction back to Enforce.", edits: [{ op: 'set', path, value: 'Enforce' }] },
        },
      ])
      // the rule overrides an Audit policy: only the rule's own action counts
      expect(check(kyverno(`  validationFailureAction: Audit\n${rules('Enforce')}`), kyverno(`  validationFailureAction: Enforce\n${rules('Audit')}`))).toHaveLength(1)
      expect(check(kyverno(`  validationFailureAction: Enforce\n${rules('Enforce')}`), kyverno(`  validationFailureAction: Audit\n${rules('Enforce')}`))).toEqual([])
    })

    it('fires when a rule drops its own Enforce and the policy audits', () => {
      const rule = (own: string) => `  rules:\n    - name: r\n      validate: { ${own}deny: {} }\n`
      expect(brief(kyverno(rule('failureAction: Enforce, ')), kyverno(rule('')))).toEqual([
        {
          on: 'head',
          messageId: 'kyvernoRule',
          data: { rule: 'r', from: 'Enforce', to: 'unset (policy: Audit)' },
          path: ['spec', 'rules', { index: 0, key: 'name', value: 'r' }, 'validate', 'failureAction'],
          severity: undefined,
        },
      ])
    })

    it('does not fire for mutate-only policies, renamed rules or Audit to Enforce', () => {
      const mutateOnly = `  rules:\n    - name: add-defaults\n      mutate: { patchStrategicMerge: {} }\n`
      expect(check(kyverno(`  validationFailureAction: Enforce\n${mutateOnly}`), kyverno(`  validationFailureAction: Audit\n${mutateOnly}`))).toEqual([])
      expect(check(kyverno(`  validationFailureAction: Audit\n${KYVERNO_RULES}`), kyverno(`  validationFailureAction: Enforce\n${KYVERNO_RULES}`))).toEqual([])
      expect(
        check(
          kyverno(`  validationFailureAction: Enforce\n${KYVERNO_RULES}`),
          kyverno(`  validationFailureAction: Audit\n${KYVERNO_RULES.replace('check-owner', 'check-owner-v2')}`),
        ),
      ).toEqual([])
    })
  })

  describe('ValidatingAdmissionPolicyBinding', () => {
    it('fires when Deny leaves validationActions, fixing it back', () => {
      expect(check(binding('  validationActions: [Deny, Audit]\n'), binding('  validationActions: [Warn, Audit]\n'))).toEqual([
        {
          on: 'head',
          messageId: 'binding',
          data: { to: '["Warn","Audit"]' },
          path: ['spec', 'validationActions'],
          fix: {
            safety: 'review',
            description: 'Set validationActions back to ["Deny","Audit"].',
            edits: [{ op: 'set', path: ['spec', 'validationActions'], value: ['Deny', 'Audit'] }],
          },
        },
      ])
    })

    it('does not fire when Deny stays or is added', () => {
      expect(check(binding('  validationActions: [Deny]\n'), binding('  validationActions: [Warn, Deny]\n'))).toEqual([])
      expect(check(binding('  validationActions: [Audit]\n'), binding('  validationActions: [Deny]\n'))).toEqual([])
      expect(check(binding('  validationActions: Deny\n'), binding('  validationActions: [Warn]\n'))).toEqual([])
    })
  })

  describe('webhook configurations', () => {
    it('fires per webhook (by name) going from Fail (the v1 default) to Ignore', () => {
      const violations = check(
        webhooks('admissionregistration.k8s.io/v1', [null, 'Fail', 'Ignore']),
        webhooks('admissionregistration.k8s.io/v1', ['Ignore', 'Fail', 'Ignore']),
      )
      const path = ['webhooks', { index: 0, key: 'name', value: 'hook-0.example.com' }, 'failurePolicy']
      expect(violations).toEqual([
        {
          on: 'head',
          messageId: 'webhook',
          data: { webhook: 'hook-0.example.com' },
          path,
          fix: { safety: 'review', description: 'Set failurePolicy back to Fail.', edits: [{ op: 'set', path, value: 'Fail' }] },
        },
      ])
      expect(
        brief(
          webhooks('admissionregistration.k8s.io/v1', ['Fail'], 'MutatingWebhookConfiguration'),
          webhooks('admissionregistration.k8s.io/v1', [null, 'Ignore'], 'MutatingWebhookConfiguration').replace('hook-0', 'hook-x'),
        ),
      ).toEqual([])
    })

    it('reads an absent failurePolicy as Ignore in v1beta1', () => {
      expect(check(webhooks('admissionregistration.k8s.io/v1beta1', [null]), webhooks('admissionregistration.k8s.io/v1', ['Ignore']))).toEqual([])
      expect(check(webhooks('admissionregistration.k8s.io/v1', [null]), webhooks('admissionregistration.k8s.io/v1beta1', [null]))).toHaveLength(1)
      expect(check(webhooks('admissionregistration.k8s.io/v1beta1', [null]), webhooks('admissionregistration.k8s.io/v1', [null]))).toEqual([])
    })
  })

  describe('deletion', () => {
    it('fires on the base object when an enforcing object is deleted', () => {
      expect(brief(constraint(''), null)).toEqual([
        { on: 'base', messageId: 'deleted', data: { kind: 'K8sRequiredLabels', name: 'must-have-owner' }, path: [], severity: undefined },
      ])
      for (const text of [
        kyverno(`  validationFailureAction: Enforce\n${KYVERNO_RULES}`),
        kyverno(`  validationFailureAction: Audit\n${KYVERNO_RULES}`),
        binding('  validationActions: [Deny]\n'),
        webhooks('admissionregistration.k8s.io/v1', ['Ignore'], 'MutatingWebhookConfiguration'),
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: replicas\nspec: {}\n',
      ]) {
        expect(brief(text, null).map((v) => [v.on, v.messageId, v.severity])).toEqual([['base', 'deleted', undefined]])
      }
      expect(check(constraint(''), null)[0]?.fix).toBeUndefined()
    })

    it('lowers a deleted object that only audited to low', () => {
      const auditOnly = `  rules:\n    - name: r\n      validate: { deny: {} }\n`
      for (const text of [constraint('  enforcementAction: dryrun\n'), kyverno(auditOnly, 'Policy'), binding('  validationActions: [Audit, Warn]\n')]) {
        expect(brief(text, null).map((v) => [v.messageId, v.severity])).toEqual([['deletedAuditOnly', 'low']])
      }
      expect(brief(kyverno(auditOnly, 'Policy'), null)[0]?.data).toEqual({ kind: 'Policy', name: 'default/require-labels' })
    })

    it('names the constraint kind a deleted ConstraintTemplate takes with it', () => {
      const template = yaml`
        apiVersion: templates.gatekeeper.sh/v1
        kind: ConstraintTemplate
        metadata:
          name: k8srequiredlabels
        spec:
          crd:
            spec:
              names:
                kind: K8sRequiredLabels
      `
      expect(brief(template, null)).toEqual([
        {
          on: 'base',
          messageId: 'templateDeleted',
          data: { name: 'k8srequiredlabels', constraintKind: 'K8sRequiredLabels' },
          path: [],
          severity: undefined,
        },
      ])
      expect(check(template, template.replace('K8sRequiredLabels', 'K8sRequiredLabelsV2'))).toEqual([])
    })

    it('does not throw on wrong types', () => {
      const broken = [
        'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sX\nmetadata: { name: x }\nspec: [deny]\n',
        'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sX\nmetadata: { name: x }\nspec: { enforcementAction: 3, scopedEnforcementActions: { a: 1 } }\n',
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: x }\nspec: { validationFailureAction: [Enforce], rules: { name: r } }\n',
        'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: x }\nspec: { rules: [null, { name: [r], validate: 1 }] }\n',
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: { name: x }\nspec: { validationActions: { Deny: true } }\n',
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: { name: x }\nwebhooks: [null, { name: 1, failurePolicy: Ignore }]\n',
      ]
      for (const base of broken) for (const head of broken) if (base.slice(0, 60) === head.slice(0, 60)) expect(() => check(base, head)).not.toThrow()
      for (const base of broken) expect(() => check(base, null)).not.toThrow()
    })
  })

  describe.each(['dirs', 'git'] as const)('base → head via %s', (via) => {
    const policies = {
      'policy/constraint.yaml': constraint(''),
      'policy/webhooks.yaml': webhooks('admissionregistration.k8s.io/v1', ['Fail']),
      'policy/kyverno.yaml': kyverno(`  validationFailureAction: Enforce\n${KYVERNO_RULES}`),
    }

    it('reports a constraint switched to dryrun as new on its head line', async () => {
      const report = await diffTrees(
        policies,
        { ...policies, 'policy/constraint.yaml': constraint('  enforcementAction: dryrun\n') },
        { via, rules: [admissionPolicyWeakened] },
      )
      expect(report.findings.map((f) => ({ status: f.status, ruleId: f.ruleId, file: f.file, line: f.line, severity: f.severity }))).toEqual([
        { status: 'new', ruleId: 'admission-policy-weakened', file: 'policy/constraint.yaml', line: 7, severity: 'high' },
      ])
    })

    it('reports a deleted webhook configuration at its base file and line', async () => {
      const { 'policy/webhooks.yaml': _gone, ...rest } = policies
      const report = await diffTrees(policies, rest, { via, rules: [admissionPolicyWeakened] })
      expect(report.findings.map((f) => ({ status: f.status, ruleId: f.ruleId, file: f.file, line: f.line }))).toEqual([
        { status: 'new', ruleId: 'admission-policy-weakened', file: 'policy/webhooks.yaml', line: 1 },
      ])
    })

    it('reports nothing for an unrelated change or a move to another file', async () => {
      const { 'policy/kyverno.yaml': kyvernoText, ...rest } = policies
      const report = await diffTrees(
        policies,
        {
          ...rest,
          'policy/constraint.yaml': constraint('  parameters: { labels: [owner, team] }\n'),
          'policy/moved/kyverno.yaml': kyvernoText,
        },
        { via, rules: [admissionPolicyWeakened] },
      )
      expect(report.findings).toEqual([])
    })
  })
})
