import { describe, expect, it } from 'vitest'
import { rbacPrivilegeEscalation } from '../../../src/rules/rbac/rbac-privilege-escalation.js'
import { findingsOf, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'

const role = (rules: string) => yaml`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata:
    name: r
  rules:
` + rules

describe('rbac-privilege-escalation', () => {
  ruleCases(rbacPrivilegeEscalation, [
    {
      name: 'fires on escalate and bind on roles, one finding per verb',
      text: role(`
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterroles]
    resourceNames: [view]
    verbs: [get, bind, escalate]
`),
      expected: [
        {
          message: 'Rule "rbac.authorization.k8s.io/clusterroles" grants "bind", which lets subjects bind any role.',
          path: 'rules[rbac.authorization.k8s.io/clusterroles].verbs[bind]',
          container: null,
          line: 10,
        },
        {
          message: 'Rule "rbac.authorization.k8s.io/clusterroles" grants "escalate", which lets subjects escalate roles beyond their own permissions.',
          path: 'rules[rbac.authorization.k8s.io/clusterroles].verbs[escalate]',
          container: null,
          line: 10,
        },
      ],
    },
    {
      name: 'fires on impersonation of users, groups, service accounts and user extras',
      text: role(`
  - apiGroups: [""]
    resources: [users, groups, serviceaccounts]
    verbs: [impersonate]
  - apiGroups: [authentication.k8s.io]
    resources: [userextras/scopes]
    verbs: [impersonate]
`),
      expected: [
        {
          message: 'Rule "core/groups,serviceaccounts,users" grants "impersonate", which lets subjects impersonate other users, groups or service accounts.',
          path: 'rules[core/groups,serviceaccounts,users].verbs[impersonate]',
          container: null,
          line: 9,
        },
        {
          message: 'Rule "authentication.k8s.io/userextras/scopes" grants "impersonate", which lets subjects impersonate other users, groups or service accounts.',
          path: 'rules[authentication.k8s.io/userextras/scopes].verbs[impersonate]',
          container: null,
          line: 12,
        },
      ],
    },
    {
      name: 'fires on create of pods/exec, pods/attach, serviceaccounts/token and nodes/proxy',
      text: role(`
  - apiGroups: [""]
    resources: [pods/exec, pods/attach]
    verbs: [create]
  - apiGroups: [""]
    resources: [serviceaccounts/token, nodes/proxy]
    verbs: [get, create]
`),
      expected: [
        {
          message: 'Rule "core/pods/attach,pods/exec" grants "create", which lets subjects exec into pods; attach to pods.',
          path: 'rules[core/pods/attach,pods/exec].verbs[create]',
          container: null,
          line: 9,
        },
        {
          message: 'Rule "core/nodes/proxy,serviceaccounts/token" grants "create", which lets subjects mint service account tokens; reach the kubelet API through nodes/proxy.',
          path: 'rules[core/nodes/proxy,serviceaccounts/token].verbs[create]',
          container: null,
          line: 12,
        },
      ],
    },
    {
      name: 'fires on writing bindings and webhook configurations, and on CSR approval',
      text: role(`
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [rolebindings]
    verbs: [get, list, patch]
  - apiGroups: [admissionregistration.k8s.io]
    resources: [validatingwebhookconfigurations]
    verbs: [delete]
  - apiGroups: [certificates.k8s.io]
    resources: [certificatesigningrequests/approval]
    verbs: [update]
  - apiGroups: [certificates.k8s.io]
    resources: [signers]
    resourceNames: [kubernetes.io/kube-apiserver-client]
    verbs: [approve]
`),
      expected: [
        {
          message: 'Rule "rbac.authorization.k8s.io/rolebindings" grants "patch", which lets subjects write role bindings.',
          path: 'rules[rbac.authorization.k8s.io/rolebindings].verbs[patch]',
          container: null,
          line: 9,
        },
        {
          message: 'Rule "admissionregistration.k8s.io/validatingwebhookconfigurations" grants "delete", which lets subjects write admission webhook configurations.',
          path: 'rules[admissionregistration.k8s.io/validatingwebhookconfigurations].verbs[delete]',
          container: null,
          line: 12,
        },
        {
          message: 'Rule "certificates.k8s.io/certificatesigningrequests/approval" grants "update", which lets subjects approve certificate signing requests.',
          path: 'rules[certificates.k8s.io/certificatesigningrequests/approval].verbs[update]',
          container: null,
          line: 15,
        },
        {
          message: 'Rule "certificates.k8s.io/signers" grants "approve", which lets subjects approve certificates for signers.',
          path: 'rules[certificates.k8s.io/signers].verbs[approve]',
          container: null,
          line: 19,
        },
      ],
    },
    {
      name: 'fires where wildcards grant them, as the authorizer matches them',
      text: role(`
  - apiGroups: [""]
    resources: ["*/exec"]
    verbs: [create]
  - apiGroups: ["*"]
    resources: [rolebindings]
    verbs: ["*"]
`),
      expected: [
        {
          message: 'Rule "core/*/exec" grants "create", which lets subjects exec into pods.',
          path: 'rules[core/*/exec].verbs[create]',
          container: null,
          line: 9,
        },
        {
          message: 'Rule "*/rolebindings" grants "*", which lets subjects write role bindings.',
          path: 'rules[*/rolebindings].verbs[*]',
          container: null,
          line: 12,
        },
      ],
    },
    {
      name: 'does not fire on read access, on the parent resource, or on verbs of the wrong group',
      text: role(`
  - apiGroups: [""]
    resources: [pods, pods/log, nodes, serviceaccounts]
    verbs: [get, list, create]
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [rolebindings, clusterroles]
    verbs: [get, list, watch]
  - apiGroups: [apps]
    resources: [deployments]
    verbs: ["*"]
  - apiGroups: [""]
    resources: [pods/exec]
    verbs: [get]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [bind, escalate, impersonate]
`),
      expected: [],
    },
    {
      name: 'does not fire on bindings, and does not throw on wrong types',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: broken
        rules: { apiGroups: ["*"], verbs: ["*"] }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: broken
        rules:
          - apiGroups: [[""]]
            resources: [null, 3]
            verbs: [escalate]
      `,
      expected: [],
    },
  ])

  it('reports a */*/* rule once, listing everything it allows', () => {
    const [finding] = findingsOf(
      rbacPrivilegeEscalation,
      role(`
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`),
    )
    expect(finding?.path).toBe('rules[*/*].verbs[*]')
    expect(finding?.message).toContain('bind any role')
    expect(finding?.message).toContain('approve certificates for signers')
  })
})
