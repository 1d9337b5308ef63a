import { describe } from 'vitest'
import { rbacSecretsAccess } from '../../../src/rules/rbac/rbac-secrets-access.js'
import { yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'

describe('rbac-secrets-access', () => {
  ruleCases(rbacSecretsAccess, [
    {
      name: 'fires once per reading verb on secrets in the core group',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: reader
          namespace: app
        rules:
          - apiGroups: [""]
            resources: [secrets]
            verbs: [get, list, watch, create]
      `,
      expected: [
        { message: 'Rule "core/secrets" grants "get" on Secrets.', path: 'rules[core/secrets].verbs[get]', container: null, line: 9 },
        { message: 'Rule "core/secrets" grants "list" on Secrets.', path: 'rules[core/secrets].verbs[list]', container: null, line: 9 },
        { message: 'Rule "core/secrets" grants "watch" on Secrets.', path: 'rules[core/secrets].verbs[watch]', container: null, line: 9 },
      ],
    },
    {
      name: 'still fires with resourceNames, naming the Secrets',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: one-secret
        rules:
          - apiGroups: [""]
            resources: [secrets]
            resourceNames: [db-password, tls]
            verbs:
              - get
      `,
      expected: [
        {
          message: 'Rule "core/secrets" grants "get" on the Secrets "db-password", "tls".',
          path: 'rules[core/secrets].verbs[get]',
          container: null,
          line: 10,
        },
      ],
    },
    {
      name: 'fires on a * verb, a * resource and a * group (also reported by rbac-wildcard)',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: wide
        rules:
          - apiGroups: ["*"]
            resources: [secrets]
            verbs: ["*"]
          - apiGroups: [""]
            resources: ["*"]
            verbs: [list]
      `,
      expected: [
        { message: 'Rule "*/secrets" grants every verb on Secrets, including reading them.', path: 'rules[*/secrets].verbs[*]', container: null, line: 8 },
        { message: 'Rule "core/*" grants "list" on Secrets.', path: 'rules[core/*].verbs[list]', container: null, line: 11 },
      ],
    },
    {
      name: 'does not fire on writing secrets, on secrets of another group, or on other resources',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: fine
        rules:
          - apiGroups: [""]
            resources: [secrets]
            verbs: [create, update, delete]
          - apiGroups: [bitnami.com]
            resources: [secrets, sealedsecrets]
            verbs: [get, list]
          - apiGroups: [""]
            resources: [configmaps, "*/status"]
            verbs: [get, list, watch]
      `,
      expected: [],
    },
    {
      name: 'does not fire on a binding, and does not throw on wrong types',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: broken
        rules:
          - apiGroups: ""
            resources: secrets
            verbs: get
          - apiGroups: [""]
            resources: [secrets]
            resourceNames: { a: b }
            verbs: [{ get: true }]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: b
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: broken }
        rules: [{ apiGroups: [""], resources: [secrets], verbs: [get] }]
      `,
      expected: [],
    },
  ])
})
