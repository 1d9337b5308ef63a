import { displayName } from '../../extract/identity.js'
import type { TransitionRule } from '../rule.js'
import { NETWORK_POLICY_KINDS, policiesSelecting } from './network-policy.js'
import { labelsOf, listNames } from './shared.js'

export const workloadUncovered: TransitionRule = {
  kind: 'transition',
  meta: {
    id: 'workload-uncovered',
    title: 'Workload no longer selected by any NetworkPolicy',
    severity: 'medium',
    description:
      'A workload whose pods some NetworkPolicy selected at base is selected by none at head (a label changed, a policy was removed or its selector narrowed): its pods accept and send any traffic again.',
    remediation:
      "Keep the pod labels the policies select, or widen a policy's `podSelector` (or add one) so it selects the new labels.",
    messages: {
      uncovered:
        '{{kind}} "{{workload}}" is no longer selected by any NetworkPolicy; at base it was selected by {{policies}}.',
    },
  },
  // any kind with a pod template, configured CRDs included: the check asks `podOf`
  appliesTo: ['*'],
  reads: NETWORK_POLICY_KINDS,
  check: (change, context) => {
    const { base, head } = change
    if (!base || !head) return []
    const basePod = context.podOf(base)
    const headPod = context.podOf(head)
    if (!basePod || !headPod) return []
    const before = policiesSelecting(context.base, base.identity.namespace, labelsOf(basePod.metadata))
    if (before.length === 0) return []
    if (policiesSelecting(context.head, head.identity.namespace, labelsOf(headPod.metadata)).length > 0) return []
    return [
      {
        on: 'head',
        messageId: 'uncovered',
        data: {
          kind: head.identity.kind,
          workload: displayName(head.identity),
          policies: listNames(before.map((p) => p.identity.name)),
        },
        path: [...headPod.metadataPath, 'labels'],
      },
    ]
  },
}
