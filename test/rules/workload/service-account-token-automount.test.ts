import { describe, expect, it } from 'vitest'
import { serviceAccountTokenAutomount } from '../../../src/rules/workload/service-account-token-automount.js'
import { yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { pod, podViolations } from './support.js'

const message = "The pod mounts the API token of the namespace's default service account."

describe('service-account-token-automount', () => {
  ruleCases(serviceAccountTokenAutomount, [
    {
      name: 'fires on a pod that names no service account, at the spec',
      text: pod(`
        containers:
          - name: app
      `),
      expected: [{ message, path: 'spec.automountServiceAccountToken', container: null, line: 5 }],
    },
    {
      name: 'fires on a Deployment template, at the template spec',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          template:
            spec:
              containers:
                - name: app
      `,
      expected: [{ message, path: 'spec.template.spec.automountServiceAccountToken', container: null, line: 7 }],
    },
    {
      name: 'fires on the default service account named explicitly',
      text: pod(`
        serviceAccountName: default
        containers: []
      `),
      expected: [{ message, path: 'spec.automountServiceAccountToken', container: null, line: 5 }],
    },
    {
      name: 'fires on automountServiceAccountToken: true, at the field',
      text: pod(`
        automountServiceAccountToken: true
        serviceAccountName: ""
      `),
      expected: [{ message, path: 'spec.automountServiceAccountToken', container: null, line: 6 }],
    },
    {
      name: 'fires on the deprecated serviceAccount: default',
      text: pod(`
        serviceAccount: default
      `),
      expected: [{ message, path: 'spec.automountServiceAccountToken', container: null, line: 5 }],
    },
    {
      name: 'does not fire on automountServiceAccountToken: false',
      text: pod(`
        automountServiceAccountToken: false
      `),
      expected: [],
    },
    {
      name: 'does not fire on a named service account',
      text: pod(`
        serviceAccountName: web
      `),
      expected: [],
    },
    {
      name: 'does not fire on a service account named only by the deprecated field',
      text: pod(`
        serviceAccount: web
      `),
      expected: [],
    },
    {
      name: 'wrong types read as unset, never throw: "false" as a string and a non-string name',
      text: pod(`
        automountServiceAccountToken: "false"
        serviceAccountName: [web]
      `),
      expected: [{ message, path: 'spec.automountServiceAccountToken', container: null, line: 6 }],
    },
    {
      name: 'does not judge objects without a pod',
      text: yaml`
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: default
      `,
      expected: [],
    },
  ])

  it('fixes by setting automountServiceAccountToken: false in the pod spec, for review', () => {
    const [violation] = podViolations(serviceAccountTokenAutomount, yaml`
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: j
      spec:
        template:
          spec:
            automountServiceAccountToken: true
            containers: [{ name: app }]
    `)
    expect(violation?.fix).toEqual({
      safety: 'review',
      description: 'Do not mount a service account token into the pod.',
      edits: [{ op: 'set', path: ['spec', 'template', 'spec', 'automountServiceAccountToken'], value: false }],
    })
  })
})
