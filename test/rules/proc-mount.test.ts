import { describe } from 'vitest'
import { procMount } from '../../src/rules/pss/proc-mount.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-proc-mount', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on procMount: Unmasked',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
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
          line: 9,
        },
      ],
    },
    {
      name: 'fires with hostUsers: true',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostUsers: true
          initContainers:
            - name: init
              securityContext: { procMount: Unmasked }
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove procMount.',
          edits: [del(['spec', 'initContainers', item(0, 'init'), 'securityContext', 'procMount'])],
        },
      ],
      expected: [
        {
          message: 'Container "init" sets procMount to Unmasked.',
          path: 'spec.initContainers[name=init].securityContext.procMount',
          container: 'init',
          line: 9,
        },
      ],
    },
    {
      name: 'does not fire in a user namespace (hostUsers: false, since 1.35)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostUsers: false
          containers:
            - name: app
              securityContext: { procMount: Unmasked }
      `,
      expected: [],
    },
    {
      name: 'does not fire on Default or unset',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: a
              securityContext: { procMount: Default }
            - name: b
      `,
      expected: [],
    },
  ]
  ruleCases(procMount, cases)
  ruleFixes(procMount, cases)
})
