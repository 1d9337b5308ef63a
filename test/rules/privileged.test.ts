import { describe } from 'vitest'
import { privileged } from '../../src/rules/pss/privileged.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-privileged', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on a privileged container',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                privileged: true
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove privileged: true.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'privileged'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" runs privileged.',
          path: 'spec.containers[name=app].securityContext.privileged',
          container: 'app',
          line: 9,
        },
      ],
    },
    {
      name: 'fires on init and ephemeral containers of a Deployment template',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          template:
            spec:
              initContainers:
                - name: init
                  securityContext: { privileged: true }
              containers:
                - name: app
              ephemeralContainers:
                - name: debug
                  securityContext:
                    privileged: true
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove privileged: true.',
          edits: [del(['spec', 'template', 'spec', 'initContainers', item(0, 'init'), 'securityContext', 'privileged'])],
        },
        {
          safety: 'review',
          description: 'Remove privileged: true.',
          edits: [del(['spec', 'template', 'spec', 'ephemeralContainers', item(0, 'debug'), 'securityContext', 'privileged'])],
        },
      ],
      expected: [
        {
          message: 'Container "init" runs privileged.',
          path: 'spec.template.spec.initContainers[name=init].securityContext.privileged',
          container: 'init',
          line: 10,
        },
        {
          message: 'Container "debug" runs privileged.',
          path: 'spec.template.spec.ephemeralContainers[name=debug].securityContext.privileged',
          container: 'debug',
          line: 16,
        },
      ],
    },
    {
      name: 'does not fire on privileged: false or no securityContext',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: a
              securityContext:
                privileged: false
            - name: b
      `,
      expected: [],
    },
  ]
  ruleCases(privileged, cases)
  ruleFixes(privileged, cases)
})
