import { describe } from 'vitest'
import { allowPrivilegeEscalation } from '../../src/rules/pss/allow-privilege-escalation.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-allow-privilege-escalation', () => {
  const cases: FixedRuleCase[] = [
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
      fixes: [
        {
          safety: 'review',
          description: 'Set allowPrivilegeEscalation: false.',
          edits: [set(['spec', 'containers', item(0, 'a'), 'securityContext', 'allowPrivilegeEscalation'], false)],
        },
        {
          safety: 'safe',
          description: 'Set allowPrivilegeEscalation: false.',
          edits: [set(['spec', 'containers', item(1, 'b'), 'securityContext', 'allowPrivilegeEscalation'], false)],
        },
        {
          safety: 'safe',
          description: 'Set allowPrivilegeEscalation: false.',
          edits: [set(['spec', 'containers', item(2, 'c'), 'securityContext', 'allowPrivilegeEscalation'], false)],
        },
      ],
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
    {
      name: 'offers no fix on a privileged container or one adding CAP_SYS_ADMIN (the API rejects false there)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: priv
              securityContext:
                privileged: true
            - name: admin
              securityContext:
                capabilities: { add: [CAP_SYS_ADMIN] }
      `,
      fixes: [null, null],
      expected: [
        {
          message: 'Container "priv" does not set allowPrivilegeEscalation: false.',
          path: 'spec.containers[name=priv].securityContext.allowPrivilegeEscalation',
          container: 'priv',
          line: 8,
        },
        {
          message: 'Container "admin" does not set allowPrivilegeEscalation: false.',
          path: 'spec.containers[name=admin].securityContext.allowPrivilegeEscalation',
          container: 'admin',
          line: 11,
        },
      ],
    },
    {
      name: 'a securityContext shared through an anchor gets no patch, with the reason',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: a
              securityContext: &shared
                runAsUser: 1000
            - name: b
              securityContext: *shared
      `,
      fixes: [
        {
          safety: 'safe',
          description: 'Set allowPrivilegeEscalation: false.',
          edits: [set(['spec', 'containers', item(0, 'a'), 'securityContext', 'allowPrivilegeEscalation'], false)],
        },
        {
          safety: 'safe',
          description: 'Set allowPrivilegeEscalation: false.',
          edits: [set(['spec', 'containers', item(1, 'b'), 'securityContext', 'allowPrivilegeEscalation'], false)],
        },
      ],
      refused: /anchor/,
      expected: [
        {
          message: 'Container "a" does not set allowPrivilegeEscalation: false.',
          path: 'spec.containers[name=a].securityContext.allowPrivilegeEscalation',
          container: 'a',
          line: 8,
        },
        {
          message: 'Container "b" does not set allowPrivilegeEscalation: false.',
          path: 'spec.containers[name=b].securityContext.allowPrivilegeEscalation',
          container: 'b',
          line: 11,
        },
      ],
    },
  ]
  ruleCases(allowPrivilegeEscalation, cases)
  ruleFixes(allowPrivilegeEscalation, cases)
})
