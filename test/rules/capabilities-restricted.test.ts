import { describe } from 'vitest'
import { capabilitiesRestricted } from '../../src/rules/pss/capabilities-restricted.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, append, del, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-capabilities-restricted', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires when drop lacks ALL, or capabilities are missing altogether',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: a
              securityContext:
                capabilities:
                  drop: [NET_RAW, all]
            - name: b
      `,
      fixes: [
        {
          safety: 'safe',
          description: 'Drop ALL capabilities.',
          edits: [append(['spec', 'containers', item(0, 'a'), 'securityContext', 'capabilities', 'drop'], 'ALL')],
        },
        {
          safety: 'safe',
          description: 'Drop ALL capabilities.',
          edits: [set(['spec', 'containers', item(1, 'b'), 'securityContext', 'capabilities', 'drop'], ['ALL'])],
        },
      ],
      expected: [
        {
          message: 'Container "a" does not drop ALL capabilities.',
          path: 'spec.containers[name=a].securityContext.capabilities.drop',
          container: 'a',
          line: 10,
        },
        {
          message: 'Container "b" does not drop ALL capabilities.',
          path: 'spec.containers[name=b].securityContext.capabilities.drop',
          container: 'b',
          line: 11,
        },
      ],
    },
    {
      name: 'fires on added baseline capabilities other than NET_BIND_SERVICE',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                capabilities:
                  drop: [ALL]
                  add:
                    - NET_BIND_SERVICE
                    - CHOWN
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove capability CHOWN.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'capabilities', 'add', item(1, 'CHOWN', null)])],
        },
      ],
      expected: [
        {
          message: 'Container "app" adds capability CHOWN.',
          path: 'spec.containers[name=app].securityContext.capabilities.add[CHOWN]',
          container: 'app',
          line: 13,
        },
      ],
    },
    {
      name: 'leaves capabilities outside the baseline set to pss-capabilities-baseline',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                capabilities: { drop: [ALL], add: [SYS_ADMIN, NET_RAW] }
      `,
      expected: [],
    },
    {
      name: 'does not fire on drop ALL with NET_BIND_SERVICE added back',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }
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
          os:
            name: windows
          containers:
            - name: app
      `,
      expected: [],
    },
    {
      name: 'dropping ALL where capabilities are added back is for review',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: web
              securityContext:
                capabilities:
                  add: [NET_BIND_SERVICE]
            - name: empty
              securityContext:
                capabilities:
                  drop:
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Drop ALL capabilities, keeping only the ones the container adds.',
          edits: [set(['spec', 'containers', item(0, 'web'), 'securityContext', 'capabilities', 'drop'], ['ALL'])],
        },
        {
          safety: 'safe',
          description: 'Drop ALL capabilities.',
          edits: [set(['spec', 'containers', item(1, 'empty'), 'securityContext', 'capabilities', 'drop'], ['ALL'])],
        },
      ],
      expected: [
        {
          message: 'Container "web" does not drop ALL capabilities.',
          path: 'spec.containers[name=web].securityContext.capabilities.drop',
          container: 'web',
          line: 9,
        },
        {
          message: 'Container "empty" does not drop ALL capabilities.',
          path: 'spec.containers[name=empty].securityContext.capabilities.drop',
          container: 'empty',
          line: 14,
        },
      ],
    },
  ]
  ruleCases(capabilitiesRestricted, cases)
  ruleFixes(capabilitiesRestricted, cases)
})
