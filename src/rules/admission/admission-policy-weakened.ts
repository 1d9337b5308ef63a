import { displayName } from '../../extract/identity.js'
import { asArray, asObject, asString, getIn } from '../../extract/json.js'
import type { JsonObject, JsonValue, ListItem, Resource } from '../../model.js'
import type { Edit, Fix, TransitionRule, TransitionViolation } from '../rule.js'

const GATEKEEPER_CONSTRAINTS = 'constraints.gatekeeper.sh'
const KYVERNO = 'kyverno.io'
const ADMISSION = 'admissionregistration.k8s.io'

/** Gatekeeper enforcement points that act when an object is admitted (`*` is every point). */
const ADMISSION_POINTS = new Set(['validation.gatekeeper.sh', 'vap.k8s.io', '*'])

function spec(resource: Resource): JsonObject {
  return asObject(resource.object.spec) ?? {}
}

function restore(description: string, edits: Edit[]): Fix {
  return { safety: 'review', description, edits }
}

/** `set` the base value back, or `delete` the head's where the base relied on the default. */
function restoreField(path: string[], baseValue: JsonValue | undefined, what: string): Fix {
  return baseValue === undefined
    ? restore(`Remove ${what} to restore the default.`, [{ op: 'delete', path }])
    : restore(`Set ${what} back to ${JSON.stringify(baseValue)}.`, [{ op: 'set', path, value: baseValue }])
}

/**
 * Whether a constraint denies at admission: `enforcementAction` absent or `deny`, or `scoped`
 * with a `deny` entry for an admission enforcement point (no points listed reads as all).
 */
function gatekeeperDenies(resource: Resource): boolean {
  const action = (asString(spec(resource).enforcementAction) ?? 'deny').toLowerCase()
  if (action === 'deny') return true
  if (action !== 'scoped') return false
  return asArray(spec(resource).scopedEnforcementActions).some((item) => {
    const entry = asObject(item)
    if (asString(entry?.action)?.toLowerCase() !== 'deny') return false
    const points = asArray(entry?.enforcementPoints).flatMap((p) => asString(asObject(p)?.name) ?? [])
    return points.length === 0 || points.some((name) => ADMISSION_POINTS.has(name.toLowerCase()))
  })
}

function gatekeeperChange(base: Resource, head: Resource): TransitionViolation[] {
  if (!gatekeeperDenies(base) || gatekeeperDenies(head)) return []
  const baseAction = asString(spec(base).enforcementAction)
  const headAction = asString(spec(head).enforcementAction)
  const sameAction = (baseAction ?? 'deny').toLowerCase() === (headAction ?? 'deny').toLowerCase()
  const field = sameAction ? 'scopedEnforcementActions' : 'enforcementAction'
  const edits: Edit[] = []
  for (const key of ['enforcementAction', 'scopedEnforcementActions']) {
    const before = spec(base)[key]
    const after = spec(head)[key]
    if (JSON.stringify(before) === JSON.stringify(after)) continue
    edits.push(before === undefined ? { op: 'delete', path: ['spec', key] } : { op: 'set', path: ['spec', key], value: before })
  }
  return [
    {
      on: 'head',
      messageId: 'gatekeeper',
      data: { from: baseAction ?? 'deny (default)', to: headAction ?? 'deny (default)' },
      path: ['spec', field],
      fix: restore('Restore the constraint\'s enforcement action.', edits),
    },
  ]
}

type KyvernoAction = 'Enforce' | 'Audit'

/** `Enforce`/`Audit`, also the legacy lowercase spellings; anything else reads as unset. */
function kyvernoAction(value: unknown): KyvernoAction | undefined {
  const text = asString(value)?.toLowerCase()
  return text === 'enforce' ? 'Enforce' : text === 'audit' ? 'Audit' : undefined
}

interface KyvernoRule {
  segment: ListItem
  /** the rule's own `validate.failureAction`, if valid */
  own: KyvernoAction | undefined
  /** what applies: its own action, else the policy's, else Audit */
  effective: KyvernoAction
}

function kyvernoRules(resource: Resource): Map<string, KyvernoRule> {
  const policyAction = kyvernoAction(spec(resource).validationFailureAction) ?? 'Audit'
  const rules = new Map<string, KyvernoRule>()
  asArray(spec(resource).rules).forEach((item, index) => {
    const rule = asObject(item)
    const name = asString(rule?.name)
    const validate = asObject(rule?.validate)
    if (!name || !validate || rules.has(name)) return
    const own = kyvernoAction(validate.failureAction)
    rules.set(name, { segment: { index, key: 'name', value: name }, own, effective: own ?? policyAction })
  })
  return rules
}

/** Whether every rule only validates in Audit mode: mutate, generate and verifyImages rules act on their own. */
function kyvernoAuditOnly(resource: Resource): boolean {
  const items = asArray(spec(resource).rules)
  const validating = kyvernoRules(resource)
  const others = items.filter((item) => !asObject(asObject(item)?.validate))
  return others.length === 0 && [...validating.values()].every((r) => r.effective === 'Audit')
}

/**
 * Every validate rule (by name, present at both revisions) that enforced at base and audits at
 * head: at the rule's own `failureAction` where either revision sets one there, else once at
 * the policy's `validationFailureAction` for all the rules it demoted.
 */
function kyvernoChange(base: Resource, head: Resource): TransitionViolation[] {
  const before = kyvernoRules(base)
  const violations: TransitionViolation[] = []
  const viaPolicy: string[] = []
  for (const [name, rule] of kyvernoRules(head)) {
    const baseRule = before.get(name)
    if (baseRule?.effective !== 'Enforce' || rule.effective !== 'Audit') continue
    if (rule.own === undefined && baseRule.own === undefined) {
      viaPolicy.push(name)
      continue
    }
    const path = ['spec', 'rules', rule.segment, 'validate', 'failureAction']
    violations.push({
      on: 'head',
      messageId: 'kyvernoRule',
      data: { rule: name, from: baseRule.own ?? 'unset (policy: Enforce)', to: rule.own ?? 'unset (policy: Audit)' },
      path,
      fix: restore(`Set the rule's failureAction back to Enforce.`, [{ op: 'set', path, value: 'Enforce' }]),
    })
  }
  if (viaPolicy.length > 0) {
    const baseValue = asString(spec(base).validationFailureAction)
    const headValue = asString(spec(head).validationFailureAction)
    const path = ['spec', 'validationFailureAction']
    violations.unshift({
      on: 'head',
      messageId: 'kyvernoPolicy',
      data: { from: baseValue ?? 'unset', to: headValue ?? 'unset (Audit)', rules: viaPolicy.map((n) => `"${n}"`).join(', ') },
      path,
      fix: restoreField(path, baseValue, 'validationFailureAction'),
    })
  }
  return violations
}

function bindingDenies(resource: Resource): boolean {
  return asArray(spec(resource).validationActions).includes('Deny')
}

function bindingChange(base: Resource, head: Resource): TransitionViolation[] {
  if (!bindingDenies(base) || bindingDenies(head)) return []
  const path = ['spec', 'validationActions']
  const baseActions = spec(base).validationActions as JsonValue
  return [
    {
      on: 'head',
      messageId: 'binding',
      data: { to: JSON.stringify(spec(head).validationActions ?? []) },
      path,
      fix: restore(`Set validationActions back to ${JSON.stringify(baseActions)}.`, [{ op: 'set', path, value: baseActions }]),
    },
  ]
}

/** `failurePolicy` as the API server defaults it: `Fail` in v1, `Ignore` in v1beta1. */
function failurePolicyOf(webhook: JsonObject, apiVersion: string): string {
  return asString(webhook.failurePolicy) ?? (apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail')
}

function webhooksOf(resource: Resource): Map<string, { segment: ListItem; failurePolicy: string }> {
  const webhooks = new Map<string, { segment: ListItem; failurePolicy: string }>()
  asArray(resource.object.webhooks).forEach((item, index) => {
    const webhook = asObject(item)
    const name = asString(webhook?.name)
    if (!webhook || !name || webhooks.has(name)) return
    webhooks.set(name, { segment: { index, key: 'name', value: name }, failurePolicy: failurePolicyOf(webhook, resource.apiVersion) })
  })
  return webhooks
}

function webhookChange(base: Resource, head: Resource): TransitionViolation[] {
  const before = webhooksOf(base)
  return [...webhooksOf(head)].flatMap(([name, webhook]): TransitionViolation[] => {
    if (before.get(name)?.failurePolicy !== 'Fail' || webhook.failurePolicy !== 'Ignore') return []
    const path = ['webhooks', webhook.segment, 'failurePolicy']
    return [
      {
        on: 'head',
        messageId: 'webhook',
        data: { webhook: name },
        path,
        fix: restore('Set failurePolicy back to Fail.', [{ op: 'set', path, value: 'Fail' }]),
      },
    ]
  })
}

/** Whether the object blocked anything at admission; one that only audited or warned is a smaller loss. */
function enforcedAt(resource: Resource): boolean {
  const { group, kind } = resource.identity
  if (group === GATEKEEPER_CONSTRAINTS) return gatekeeperDenies(resource)
  if (group === KYVERNO) return !kyvernoAuditOnly(resource)
  if (group === ADMISSION && kind === 'ValidatingAdmissionPolicyBinding') return bindingDenies(resource)
  return true
}

function deletion(base: Resource): TransitionViolation[] {
  const { kind } = base.identity
  const name = displayName(base.identity)
  if (kind === 'ConstraintTemplate') {
    const constraintKind = asString(getIn(base.object, ['spec', 'crd', 'spec', 'names', 'kind'])) ?? name
    return [{ on: 'base', messageId: 'templateDeleted', data: { name, constraintKind }, path: [] }]
  }
  const enforced = enforcedAt(base)
  return [
    {
      on: 'base',
      messageId: enforced ? 'deleted' : 'deletedAuditOnly',
      data: { kind, name },
      path: [],
      ...(enforced ? {} : { severity: 'low' as const }),
    },
  ]
}

/**
 * Admission controls that stop blocking at head: a Gatekeeper constraint leaves `deny`, a Kyverno
 * validate rule leaves `Enforce`, a ValidatingAdmissionPolicyBinding loses `Deny`, a webhook's
 * `failurePolicy` goes from `Fail` to `Ignore`; or any of these objects (or a ValidatingAdmissionPolicy
 * or Gatekeeper ConstraintTemplate) is deleted. A deleted object that only audited is `low`.
 * Objects created at head are not compared; the fix puts the base value back.
 */
export const admissionPolicyWeakened: TransitionRule = {
  kind: 'transition',
  appliesTo: [
    `${GATEKEEPER_CONSTRAINTS}/*`,
    'templates.gatekeeper.sh/ConstraintTemplate',
    `${KYVERNO}/Policy`,
    `${KYVERNO}/ClusterPolicy`,
    `${ADMISSION}/ValidatingAdmissionPolicy`,
    `${ADMISSION}/ValidatingAdmissionPolicyBinding`,
    `${ADMISSION}/ValidatingWebhookConfiguration`,
    `${ADMISSION}/MutatingWebhookConfiguration`,
  ],
  meta: {
    id: 'admission-policy-weakened',
    title: 'Admission policy weakened',
    severity: 'high',
    description:
      'Admission policies are the cluster\'s last check before an object is stored. Switching one to audit or dry-run, letting its webhook fail open, or deleting it removes that check while the policy still looks present in the repository.',
    remediation: 'Keep the policy enforcing; exempt the specific namespace or object that needs an exception instead.',
    messages: {
      gatekeeper: 'The constraint no longer denies: enforcementAction goes from {{from}} to {{to}}.',
      kyvernoPolicy:
        'validationFailureAction goes from {{from}} to {{to}}, so the rules {{rules}} audit instead of blocking.',
      kyvernoRule: 'Rule "{{rule}}" no longer blocks: validate.failureAction goes from {{from}} to {{to}}.',
      binding: 'The binding drops Deny from validationActions (now {{to}}): violations are no longer rejected.',
      webhook: 'Webhook "{{webhook}}" goes from failurePolicy Fail to Ignore: requests are admitted whenever it is down or times out.',
      deleted: 'The {{kind}} "{{name}}" is deleted, and what it enforced with it.',
      deletedAuditOnly: 'The {{kind}} "{{name}}" is deleted; it only audited or warned, so its reports stop.',
      templateDeleted:
        'The ConstraintTemplate "{{name}}" is deleted, which removes the constraint kind {{constraintKind}} and every constraint of it.',
    },
  },
  check: ({ base, head }) => {
    if (!base) return []
    if (!head) return deletion(base)
    const { group, kind } = head.identity
    if (group !== base.identity.group || kind !== base.identity.kind) return []
    if (group === GATEKEEPER_CONSTRAINTS) return gatekeeperChange(base, head)
    if (group === KYVERNO) return kyvernoChange(base, head)
    if (kind === 'ValidatingAdmissionPolicyBinding') return bindingChange(base, head)
    if (kind === 'ValidatingWebhookConfiguration' || kind === 'MutatingWebhookConfiguration') return webhookChange(base, head)
    return []
  },
}
