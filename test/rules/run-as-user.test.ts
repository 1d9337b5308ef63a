import { describe } from 'vitest'
import { runAsUser } from '../../src/rules/pss/run-as-user.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-run-as-user', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on UID 0 at pod and container level',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            runAsUser: 0
          containers:
            - name: app
              securityContext:
                runAsUser: 0
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove runAsUser: 0.',
          edits: [del(['spec', 'securityContext', 'runAsUser'])],
        },
        null,
      ],
      expected: [
        { message: 'The pod sets runAsUser: 0.', path: 'spec.securityContext.runAsUser', container: null, line: 7 },
        {
          message: 'Container "app" sets runAsUser: 0.',
          path: 'spec.containers[name=app].securityContext.runAsUser',
          container: 'app',
          line: 11,
        },
      ],
    },
    {
      name: 'does not fire on non-zero UIDs or unset',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext: { runAsUser: 1000 }
          containers:
            - name: a
              securityContext: { runAsUser: 65534 }
            - name: b
      `,
      expected: [],
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
          securityContext: { runAsUser: 0 }
          containers:
            - name: app
      `,
      expected: [],
    },
    {
      name: 'a container’s 0 is removed when the pod sets another UID',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            runAsUser: 1000
          containers:
            - name: app
              securityContext:
                runAsUser: 0
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove runAsUser: 0.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'runAsUser'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets runAsUser: 0.',
          path: 'spec.containers[name=app].securityContext.runAsUser',
          container: 'app',
          line: 11,
        },
      ],
    },
  ]
  ruleCases(runAsUser, cases)
  ruleFixes(runAsUser, cases)
})
