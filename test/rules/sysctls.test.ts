import { describe } from 'vitest'
import { sysctls } from '../../src/rules/pss/sysctls.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-sysctls', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on each sysctl outside the allowed set, naming it',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            sysctls:
              - name: net.ipv4.tcp_syncookies
                value: "1"
              - name: kernel.msgmax
                value: "65536"
              - name: net.core.somaxconn
                value: "1024"
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove sysctl kernel.msgmax.',
          edits: [del(['spec', 'securityContext', 'sysctls', item(1, 'kernel.msgmax')])],
        },
        {
          safety: 'review',
          description: 'Remove sysctl net.core.somaxconn.',
          edits: [del(['spec', 'securityContext', 'sysctls', item(2, 'net.core.somaxconn')])],
        },
      ],
      expected: [
        {
          message: 'The pod sets sysctl "kernel.msgmax".',
          path: 'spec.securityContext.sysctls[name=kernel.msgmax]',
          container: null,
          line: 10,
        },
        {
          message: 'The pod sets sysctl "net.core.somaxconn".',
          path: 'spec.securityContext.sysctls[name=net.core.somaxconn]',
          container: null,
          line: 12,
        },
      ],
    },
    {
      name: 'does not fire on sysctls allowed by 1.37',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            sysctls:
              - { name: net.ipv4.tcp_slow_start_after_idle, value: "0" }
              - { name: net.ipv4.tcp_notsent_lowat, value: "16384" }
          containers:
            - name: app
      `,
      expected: [],
    },
  ]
  ruleCases(sysctls, cases)
  ruleFixes(sysctls, cases)
})
