import { describe } from 'vitest'
import { capabilitiesRestricted } from '../../src/rules/pss/capabilities-restricted.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-capabilities-restricted', () => {
  ruleCases(capabilitiesRestricted, [
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
  ])
})
