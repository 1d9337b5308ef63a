import { describe } from 'vitest'
import { windowsHostProcess } from '../../src/rules/pss/windows-host-process.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-windows-host-process', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires at pod and container level',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          os: { name: windows }
          hostNetwork: true
          securityContext:
            windowsOptions:
              hostProcess: true
          containers:
            - name: app
              securityContext:
                windowsOptions: { hostProcess: true }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove windowsOptions.hostProcess from the pod and its containers.',
          edits: [del(['spec', 'securityContext', 'windowsOptions', 'hostProcess']), del(['spec', 'containers', item(0, 'app'), 'securityContext', 'windowsOptions', 'hostProcess'])],
        },
        {
          safety: 'review',
          description: 'Remove windowsOptions.hostProcess from the pod and its containers.',
          edits: [del(['spec', 'securityContext', 'windowsOptions', 'hostProcess']), del(['spec', 'containers', item(0, 'app'), 'securityContext', 'windowsOptions', 'hostProcess'])],
        },
      ],
      expected: [
        {
          message: 'The pod sets windowsOptions.hostProcess: true.',
          path: 'spec.securityContext.windowsOptions.hostProcess',
          container: null,
          line: 10,
        },
        {
          message: 'Container "app" sets windowsOptions.hostProcess: true.',
          path: 'spec.containers[name=app].securityContext.windowsOptions.hostProcess',
          container: 'app',
          line: 14,
        },
      ],
    },
    {
      name: 'does not fire on hostProcess: false or empty windowsOptions',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            windowsOptions: { hostProcess: false }
          containers:
            - name: app
              securityContext: { windowsOptions: {} }
      `,
      expected: [],
    },
    {
      name: 'a single HostProcess setting is removed on its own',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          hostNetwork: true
          containers:
            - name: app
              securityContext:
                windowsOptions:
                  hostProcess: true
                  runAsUserName: ContainerAdministrator
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove windowsOptions.hostProcess.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'securityContext', 'windowsOptions', 'hostProcess'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" sets windowsOptions.hostProcess: true.',
          path: 'spec.containers[name=app].securityContext.windowsOptions.hostProcess',
          container: 'app',
          line: 11,
        },
      ],
    },
  ]
  ruleCases(windowsHostProcess, cases)
  ruleFixes(windowsHostProcess, cases)
})
