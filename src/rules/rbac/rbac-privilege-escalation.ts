import type { ObjectRule } from '../rule.js'
import {
  coversGroup,
  coversResource,
  grantsVerb,
  type PolicyRule,
  policyRulesOf,
  RBAC_GROUP,
  ROLE_KINDS,
  verbPath,
} from './policy-rules.js'

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection']

/** A permission that lets its holder gain permissions it was not given. */
interface Capability {
  /** completes "lets subjects …" */
  label: string
  groups: readonly string[]
  /** `userextras/*` stands for any `userextras/<key>` */
  resources: readonly string[]
  verbs: readonly string[]
}

const CAPABILITIES: readonly Capability[] = [
  { label: 'escalate roles beyond their own permissions', groups: [RBAC_GROUP], resources: ['roles', 'clusterroles'], verbs: ['escalate'] },
  { label: 'bind any role', groups: [RBAC_GROUP], resources: ['roles', 'clusterroles'], verbs: ['bind'] },
  {
    label: 'impersonate other users, groups or service accounts',
    groups: ['', 'authentication.k8s.io'],
    resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/*'],
    verbs: ['impersonate'],
  },
  { label: 'exec into pods', groups: [''], resources: ['pods/exec'], verbs: ['create'] },
  { label: 'attach to pods', groups: [''], resources: ['pods/attach'], verbs: ['create'] },
  { label: 'mint service account tokens', groups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { label: 'reach the kubelet API through nodes/proxy', groups: [''], resources: ['nodes/proxy'], verbs: ['create'] },
  { label: 'write role bindings', groups: [RBAC_GROUP], resources: ['rolebindings', 'clusterrolebindings'], verbs: WRITE_VERBS },
  {
    label: 'write admission webhook configurations',
    groups: ['admissionregistration.k8s.io'],
    resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
    verbs: WRITE_VERBS,
  },
  {
    label: 'approve certificate signing requests',
    groups: ['certificates.k8s.io'],
    resources: ['certificatesigningrequests/approval'],
    verbs: ['update', 'patch'],
  },
  { label: 'approve certificates for signers', groups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] },
]

function covers(rule: PolicyRule, capability: Capability, verb: string): boolean {
  if (!capability.verbs.some((v) => grantsVerb(verb, v))) return false
  if (!capability.groups.some((g) => coversGroup(rule, g))) return false
  return capability.resources.some((resource) =>
    resource.endsWith('/*')
      ? rule.resources.some((r) => r === '*' || r.startsWith(resource.slice(0, -1)))
      : coversResource(rule, resource),
  )
}

/**
 * Permissions that lead to more permissions, matched the way the authorizer matches them: a `*`
 * verb, resource or group grants them too. One finding per verb entry that grants any, naming
 * what it allows. `resourceNames` narrows them but does not remove the escalation path.
 */
export const rbacPrivilegeEscalation: ObjectRule = {
  kind: 'object',
  appliesTo: ROLE_KINDS,
  meta: {
    id: 'rbac-privilege-escalation',
    title: 'RBAC rule allows privilege escalation',
    severity: 'high',
    description:
      'Some permissions are worth more than they look: binding or escalating roles, impersonation, exec into pods, minting tokens, the kubelet proxy, bindings, admission webhooks and certificate approval each let the holder obtain permissions it was never granted.',
    remediation:
      'Remove the verb, or restrict it to the few trusted subjects (and `resourceNames`) that need it, and bind it in as narrow a scope as possible.',
    messages: {
      escalation: 'Rule "{{rule}}" grants "{{verb}}", which lets subjects {{capabilities}}.',
    },
  },
  fieldsRead: ['object.rules'],
  check: (resource) =>
    policyRulesOf(resource).flatMap((rule) =>
      rule.verbs.flatMap((verb) => {
        const labels = CAPABILITIES.filter((c) => covers(rule, c, verb.value)).map((c) => c.label)
        if (labels.length === 0) return []
        return [
          {
            messageId: 'escalation',
            data: { rule: rule.segment.value, verb: verb.value, capabilities: labels.join('; ') },
            path: verbPath(rule, verb),
          },
        ]
      }),
    ),
}
