import { describe } from 'vitest'
import { hostNamespaces } from '../../src/rules/pss/host-namespaces.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-host-namespaces', () => {
  ruleCases(hostNamespaces, [
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
  ])
})
