import { describe } from 'vitest'
import { hostNamespaces } from '../../src/rules/pss/host-namespaces.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-host-namespaces', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires once per shared namespace',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostNetwork: true
          hostPID: true
          hostIPC: true
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove hostNetwork: true.',
          edits: [del(['spec', 'hostNetwork'])],
        },
        {
          safety: 'review',
          description: 'Remove hostPID: true.',
          edits: [del(['spec', 'hostPID'])],
        },
        {
          safety: 'review',
          description: 'Remove hostIPC: true.',
          edits: [del(['spec', 'hostIPC'])],
        },
      ],
      expected: [
        { message: 'The pod sets hostNetwork: true.', path: 'spec.hostNetwork', container: null, line: 6 },
        { message: 'The pod sets hostPID: true.', path: 'spec.hostPID', container: null, line: 7 },
        { message: 'The pod sets hostIPC: true.', path: 'spec.hostIPC', container: null, line: 8 },
      ],
    },
    {
      name: 'fires in a CronJob template',
      text: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: c
        spec:
          schedule: "@daily"
          jobTemplate:
            spec:
              template:
                spec:
                  hostPID: true
                  containers:
                    - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove hostPID: true.',
          edits: [del(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'hostPID'])],
        },
      ],
      expected: [
        {
          message: 'The pod sets hostPID: true.',
          path: 'spec.jobTemplate.spec.template.spec.hostPID',
          container: null,
          line: 11,
        },
      ],
    },
    {
      name: 'does not fire when the fields are false or unset',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostNetwork: false
          hostIPC: false
          containers:
            - name: app
      `,
      expected: [],
    },
    {
      name: 'offers no fix for hostNetwork while HostProcess containers need it',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostNetwork: true
          hostPID: true
          securityContext:
            windowsOptions: { hostProcess: true }
          containers:
            - name: app
      `,
      fixes: [null, { safety: 'review', description: 'Remove hostPID: true.', edits: [del(['spec', 'hostPID'])] }],
      expected: [
        { message: 'The pod sets hostNetwork: true.', path: 'spec.hostNetwork', container: null, line: 6 },
        { message: 'The pod sets hostPID: true.', path: 'spec.hostPID', container: null, line: 7 },
      ],
    },
  ]
  ruleCases(hostNamespaces, cases)
  ruleFixes(hostNamespaces, cases)
})
