import { describe } from 'vitest'
import { allowPrivilegeEscalation } from '../../src/rules/pss/allow-privilege-escalation.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-allow-privilege-escalation', () => {
  ruleCases(allowPrivilegeEscalation, [
    {
      name: 'fires on true, and on unset pointing at the field that should exist',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: a
              securityContext:
                allowPrivilegeEscalation: true
            - name: b
              securityContext:
                runAsUser: 1000
            - name: c
      `,
      expected: [
        {
          message: 'Container "a" sets allowPrivilegeEscalation: true.',
          path: 'spec.containers[name=a].securityContext.allowPrivilegeEscalation',
          container: 'a',
          line: 9,
        },
        {
          message: 'Container "b" does not set allowPrivilegeEscalation: false.',
          path: 'spec.containers[name=b].securityContext.allowPrivilegeEscalation',
          container: 'b',
          line: 11,
        },
        {
          message: 'Container "c" does not set allowPrivilegeEscalation: false.',
          path: 'spec.containers[name=c].securityContext.allowPrivilegeEscalation',
          container: 'c',
          line: 13,
        },
      ],
    },
    {
      name: 'does not fire when every container sets false',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          initContainers:
            - name: init
              securityContext: { allowPrivilegeEscalation: false }
          containers:
            - name: app
              securityContext: { allowPrivilegeEscalation: false }
      `,
      expected: [],
    },
    {
      name: 'does not fire on Windows pods (exempt since 1.25)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          os: { name: windows }
          containers:
            - name: app
      `,
      expected: [],
    },
  ])
})
