import { displayName, identityKey } from '../../extract/identity.js'
import type { TransitionRule } from '../rule.js'
import { NETWORK_POLICY_KINDS, policiesIn, samePolicySpec, specOf } from './network-policy.js'
import { describeSelector, isEmptySelector } from './shared.js'

export const networkpolicyRemoved: TransitionRule = {
  kind: 'transition',
  meta: {
    id: 'networkpolicy-removed',
    title: 'NetworkPolicy removed',
    severity: 'high',
    description:
      'A NetworkPolicy present at base is gone at head: the pods it selected lose the isolation it gave them, often silently reopening traffic a default-deny policy closed.',
    remediation:
      'Keep the policy, or replace it with one that selects the same pods before removing it. No automatic fix is offered: restoring a deleted object is a decision, not an edit.',
    messages: {
      removed: 'NetworkPolicy "{{policy}}" was removed; it selected {{selected}}.',
    },
  },
  appliesTo: NETWORK_POLICY_KINDS,
  reads: NETWORK_POLICY_KINDS,
  check: (change, context) => {
    const { base, head } = change
    if (!base || head) return []
    const spec = specOf(base)
    // identity includes the name, so a rename reads as delete + add: a policy of the same
    // namespace with the same spec at head keeps the protection (a move from extensions/v1beta1
    // too). One with the very same identity is another copy (another environment's directory),
    // not this one renamed.
    const kept = policiesIn(context.head, base.identity.namespace).some(
      (p) => identityKey(p.identity) !== identityKey(base.identity) && samePolicySpec(specOf(p), spec),
    )
    if (kept) return []
    const selected = isEmptySelector(spec.podSelector)
      ? 'every pod in its namespace'
      : `the pods matching ${describeSelector(spec.podSelector)}`
    return [
      {
        on: 'base',
        messageId: 'removed',
        data: { policy: displayName(base.identity), selected },
        path: ['metadata', 'name'],
      },
    ]
  },
}
