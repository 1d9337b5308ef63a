import { describe } from 'vitest'
import { selinuxOptions } from '../../src/rules/pss/selinux-options.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-selinux-options', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on a custom type at pod level',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seLinuxOptions:
              type: spc_t
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove seLinuxOptions.type.',
          edits: [del(['spec', 'securityContext', 'seLinuxOptions', 'type'])],
        },
      ],
      expected: [
        {
          message: 'The pod sets seLinuxOptions.type to "spc_t".',
          path: 'spec.securityContext.seLinuxOptions.type',
          container: null,
          line: 8,
        },
      ],
    },
    {
      name: 'fires once per field on a container setting user, role and type',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              securityContext:
                seLinuxOptions:
                  user: system_u
                  role: system_r
                  type: unconfined_t
                  level: s0:c1
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove seLinuxOptions.type.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'seLinuxOptions', 'type'])],
        },
        {
          safety: 'review',
          description: 'Remove seLinuxOptions.user.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'seLinuxOptions', 'user'])],
        },
        {
          safety: 'review',
          description: 'Remove seLinuxOptions.role.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'seLinuxOptions', 'role'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets seLinuxOptions.type to "unconfined_t".',
          path: 'spec.containers[name=app].securityContext.seLinuxOptions.type',
          container: 'app',
          line: 12,
        },
        {
          message: 'Container "app" sets seLinuxOptions.user.',
          path: 'spec.containers[name=app].securityContext.seLinuxOptions.user',
          container: 'app',
          line: 10,
        },
        {
          message: 'Container "app" sets seLinuxOptions.role.',
          path: 'spec.containers[name=app].securityContext.seLinuxOptions.role',
          container: 'app',
          line: 11,
        },
      ],
    },
    {
      name: 'does not fire on the allowed types (container_engine_t since 1.31), empty options or a level',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            seLinuxOptions: { type: container_t, level: "s0:c123,c456" }
          initContainers:
            - name: a
              securityContext: { seLinuxOptions: { type: container_init_t } }
          containers:
            - name: b
              securityContext: { seLinuxOptions: { type: container_kvm_t } }
            - name: c
              securityContext: { seLinuxOptions: { type: container_engine_t } }
            - name: d
              securityContext: { seLinuxOptions: { type: "", user: "", role: "" } }
      `,
      expected: [],
    },
  ]
  ruleCases(selinuxOptions, cases)
  ruleFixes(selinuxOptions, cases)
})
