import { describe, expect, it } from 'vitest'
import { rbacWildcard } from '../../../src/rules/rbac/rbac-wildcard.js'
import { evaluateObjects, findingsOf, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'

describe('rbac-wildcard', () => {
  ruleCases(rbacWildcard, [
    {
      name: 'fires once per wildcard entry of a ClusterRole rule',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: everything
        rules:
          - apiGroups: ["*"]
            resources: ["*"]
            verbs: ["*"]
      `,
      expected: [
        {
          message: 'Rule "*/*" applies to every API group ("*"), including CRDs installed later.',
          path: 'rules[*/*].apiGroups[*]',
          container: null,
          line: 6,
        },
        {
          message: 'Rule "*/*" grants access to every resource of its API groups ("*"), including ones added later.',
          path: 'rules[*/*].resources[*]',
          container: null,
          line: 7,
        },
        {
          message: 'Rule "*/*" grants every verb ("*"), including escalate, bind and impersonate where they apply.',
          path: 'rules[*/*].verbs[*]',
          container: null,
          line: 8,
        },
      ],
    },
    {
      name: 'fires on a * verb in a namespaced Role, naming the rule by its groups and resources',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: deployer
          namespace: apps
        rules:
          - apiGroups: [""]
            resources: [configmaps]
            verbs: [get]
          - apiGroups: ["apps", ""]
            resources: [statefulsets, deployments]
            verbs:
              - get
              - "*"
      `,
      expected: [
        {
          message: 'Rule "core,apps/deployments,statefulsets" grants every verb ("*"), including escalate, bind and impersonate where they apply.',
          path: 'rules[core,apps/deployments,statefulsets].verbs[*]',
          container: null,
          line: 14,
        },
      ],
    },
    {
      name: 'fires on a */subresource wildcard',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: scaler
        rules:
          - apiGroups: [apps]
            resources: ["*/scale"]
            verbs: [update]
      `,
      expected: [
        {
          message: 'Rule "apps/*/scale" grants the "scale" subresource of every resource ("*/scale").',
          path: 'rules[apps/*/scale].resources[*/scale]',
          container: null,
          line: 7,
        },
      ],
    },
    {
      name: 'fires on a * verb for non-resource URLs, not on the URL wildcard itself',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: urls
        rules:
          - nonResourceURLs: ["*"]
            verbs: [get]
          - nonResourceURLs: [/healthz, /metrics]
            verbs: ["*"]
      `,
      expected: [
        {
          message: 'Rule "/healthz,/metrics" grants every verb ("*"), including escalate, bind and impersonate where they apply.',
          path: 'rules[/healthz,/metrics].verbs[*]',
          container: null,
          line: 9,
        },
      ],
    },
    {
      name: 'does not fire on explicit lists, pods/* style names or wildcards inside words',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: explicit
        rules:
          - apiGroups: ["", apps]
            resources: [pods, "pods/*", deployments]
            resourceNames: ["*"]
            verbs: [get, list, "watch*"]
      `,
      expected: [],
    },
    {
      name: 'does not fire on bindings or other kinds that carry a rules field',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: b
        roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
        subjects: [{ kind: Group, name: devs }]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: i
        spec:
          rules:
            - host: "*"
              verbs: ["*"]
      `,
      expected: [],
    },
    {
      name: 'does not throw or fire on wrong types',
      text: yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: broken
        rules:
          - "*"
          - null
          - apiGroups: "*"
            resources: { "*": true }
            verbs: [1, null, [ "*" ]]
      `,
      expected: [],
    },
  ])

  it('keeps the same fingerprint when rules are reordered or their lists reordered', () => {
    const before = evaluateObjects(yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: r
      rules:
        - apiGroups: [""]
          resources: [pods]
          verbs: [get]
        - apiGroups: [apps, batch]
          resources: [jobs, deployments]
          verbs: ["*"]
    `, [rbacWildcard])[0]?.findings
    const after = evaluateObjects(yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: r
      rules:
        - apiGroups: [batch, apps]
          resources: [deployments, jobs]
          verbs: ["*"]
        - apiGroups: [""]
          resources: [pods]
          verbs: [get]
    `, [rbacWildcard])[0]?.findings
    expect(after?.map((f) => f.fingerprint)).toEqual(before?.map((f) => f.fingerprint))
    expect(after?.[0]?.line).toBe(8)
  })

  it('has no fix: the narrower list is a human choice', () => {
    const violations = rbacWildcard.check(
      evaluateObjects(yaml`
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: { name: r }
        rules: [{ apiGroups: [""], resources: ["*"], verbs: [get] }]
      `, [])[0]!.resource,
    )
    expect(violations).toHaveLength(1)
    expect(violations[0]?.fix).toBeUndefined()
    expect(findingsOf(rbacWildcard, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n')).toEqual([])
  })
})
