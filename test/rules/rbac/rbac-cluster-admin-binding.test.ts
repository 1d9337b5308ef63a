import { describe, expect, it } from 'vitest'
import { rbacClusterAdminBinding } from '../../../src/rules/rbac/rbac-cluster-admin-binding.js'
import { evaluateObjects, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'

describe('rbac-cluster-admin-binding', () => {
  ruleCases(rbacClusterAdminBinding, [
    {
      name: 'fires on a ClusterRoleBinding to cluster-admin, naming the subjects',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: ci-admin
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: cluster-admin
        subjects:
          - kind: ServiceAccount
            name: deployer
            namespace: ci
          - kind: Group
            name: platform
      `,
      expected: [
        {
          message: 'The binding grants cluster-admin to ServiceAccount ci/deployer, Group platform.',
          path: 'roleRef.name',
          container: null,
          line: 8,
        },
      ],
    },
    {
      name: 'fires on a namespaced RoleBinding to the cluster-admin ClusterRole',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: admin
          namespace: kube-system
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
      `,
      expected: [
        { message: 'The binding grants cluster-admin to no subjects yet.', path: 'roleRef.name', container: null, line: 6 },
      ],
    },
    {
      name: 'fires on every subject that stands for everyone, User or Group, besides cluster-admin',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: open
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: cluster-admin
        subjects:
          - kind: User
            name: system:anonymous
          - kind: Group
            name: system:unauthenticated
          - kind: ServiceAccount
            name: default
            namespace: default
      `,
      expected: [
        {
          message: 'The binding grants cluster-admin to User system:anonymous, Group system:unauthenticated, ServiceAccount default/default.',
          path: 'roleRef.name',
          container: null,
          line: 8,
        },
        {
          message: 'The binding grants role "cluster-admin" to User "system:anonymous", which stands for unauthenticated callers.',
          path: 'subjects[name=system:anonymous]',
          container: null,
          line: 10,
        },
        {
          message: 'The binding grants role "cluster-admin" to Group "system:unauthenticated", which stands for unauthenticated callers.',
          path: 'subjects[name=system:unauthenticated]',
          container: null,
          line: 12,
        },
      ],
    },
    {
      name: 'fires on system:authenticated bound to any role',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: everyone-reads
          namespace: app
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader }
        subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated" }]
      `,
      expected: [
        {
          message: 'The binding grants role "reader" to Group "system:authenticated", which stands for every caller with any valid credential.',
          path: 'subjects[name=system:authenticated]',
          container: null,
          line: 7,
        },
      ],
    },
    {
      name: 'does not fire on ordinary bindings, a Role named cluster-admin, or service accounts named like the groups',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: view
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
        subjects: [{ kind: Group, name: devs }, { kind: ServiceAccount, name: system:anonymous, namespace: x }]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: local
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: cluster-admin }
        subjects: [{ kind: User, name: alice }]
      `,
      expected: [],
    },
    {
      name: 'does not fire on the default discovery bindings Kubernetes itself makes',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: system:public-info-viewer
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:public-info-viewer }
        subjects:
          - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated }
          - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:unauthenticated }
      `,
      expected: [],
    },
    {
      name: 'does not fire on roles or other kinds, and does not throw on wrong types',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: cluster-admin
        roleRef: { kind: ClusterRole, name: cluster-admin }
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: broken
        roleRef: cluster-admin
        subjects: system:anonymous
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: broken-2
        roleRef: { kind: [ClusterRole], name: { n: cluster-admin } }
        subjects: [null, "system:anonymous", { kind: Group, name: [system:anonymous] }]
      `,
      expected: [],
    },
  ])

  it('fixes an everyone subject by deleting it (review), and offers no fix for cluster-admin', () => {
    const [object] = evaluateObjects(
      yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: open
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
        subjects:
          - { kind: Group, name: admins }
          - { kind: Group, name: system:authenticated }
      `,
      [],
    )
    const [admin, everyone] = rbacClusterAdminBinding.check(object!.resource)
    expect(admin?.fix).toBeUndefined()
    expect(everyone?.fix).toEqual({
      safety: 'review',
      description: 'Remove the subject system:authenticated.',
      edits: [{ op: 'delete', path: ['subjects', { index: 1, key: 'name', value: 'system:authenticated' }] }],
    })
  })
})
