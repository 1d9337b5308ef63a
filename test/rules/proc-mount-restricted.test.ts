import { describe } from 'vitest'
import { procMountRestricted } from '../../src/rules/pss/proc-mount-restricted.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-proc-mount-restricted', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on Unmasked in a user namespace, where baseline relaxes',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostUsers: false
          containers:
            - name: app
              securityContext:
                procMount: Unmasked
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove procMount.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'procMount'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets procMount to Unmasked.',
          path: 'spec.containers[name=app].securityContext.procMount',
          container: 'app',
          line: 10,
        },
      ],
    },
    {
      name: 'leaves pods outside a user namespace to pss-proc-mount',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext: { procMount: Unmasked }
      `,
      expected: [],
    },
    {
      name: 'does not fire on Default in a user namespace',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostUsers: false
          containers:
            - name: app
              securityContext: { procMount: Default }
      `,
      expected: [],
    },
  ]
  ruleCases(procMountRestricted, cases)
  ruleFixes(procMountRestricted, cases)
})
