import { describe } from 'vitest'
import { windowsHostProcess } from '../../src/rules/pss/windows-host-process.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-windows-host-process', () => {
  ruleCases(windowsHostProcess, [
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
  ])
})
