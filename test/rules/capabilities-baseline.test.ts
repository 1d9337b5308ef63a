import { describe } from 'vitest'
import { capabilitiesBaseline } from '../../src/rules/pss/capabilities-baseline.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-capabilities-baseline', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on each added capability outside the baseline set, by value',
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
                  add:
                    - CHOWN
                    - SYS_ADMIN
                    - NET_RAW
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove capability SYS_ADMIN.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'capabilities', 'add', item(1, 'SYS_ADMIN', null)])],
        },
        {
          safety: 'review',
          description: 'Remove capability NET_RAW.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'capabilities', 'add', item(2, 'NET_RAW', null)])],
        },
      ],
      expected: [
        {
          message: 'Container "app" adds capability SYS_ADMIN.',
          path: 'spec.containers[name=app].securityContext.capabilities.add[SYS_ADMIN]',
          container: 'app',
          line: 12,
        },
        {
          message: 'Container "app" adds capability NET_RAW.',
          path: 'spec.containers[name=app].securityContext.capabilities.add[NET_RAW]',
          container: 'app',
          line: 13,
        },
      ],
    },
    {
      name: 'matches exactly: lower case and the CAP_ prefix are not the same capability',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          ephemeralContainers:
            - name: debug
              securityContext:
                capabilities: { add: [chown, CAP_KILL] }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove capability chown.',
          edits: [del(['spec', 'ephemeralContainers', item(0, 'debug'), 'securityContext', 'capabilities', 'add', item(0, 'chown', null)])],
        },
        {
          safety: 'review',
          description: 'Remove capability CAP_KILL.',
          edits: [del(['spec', 'ephemeralContainers', item(0, 'debug'), 'securityContext', 'capabilities', 'add', item(1, 'CAP_KILL', null)])],
        },
      ],
      expected: [
        {
          message: 'Container "debug" adds capability chown.',
          path: 'spec.ephemeralContainers[name=debug].securityContext.capabilities.add[chown]',
          container: 'debug',
          line: 9,
        },
        {
          message: 'Container "debug" adds capability CAP_KILL.',
          path: 'spec.ephemeralContainers[name=debug].securityContext.capabilities.add[CAP_KILL]',
          container: 'debug',
          line: 9,
        },
      ],
    },
    {
      name: 'does not fire on the baseline set, nor on drop',
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
                  drop: [SYS_ADMIN]
                  add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
      `,
      expected: [],
    },
  ]
  ruleCases(capabilitiesBaseline, cases)
  ruleFixes(capabilitiesBaseline, cases)
})
