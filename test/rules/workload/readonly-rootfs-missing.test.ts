import { describe, expect, it } from 'vitest'
import { readonlyRootfsMissing } from '../../../src/rules/workload/readonly-rootfs-missing.js'
import { yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { pod, podViolations } from './support.js'

const message = (container: string) => `Container "${container}" can write to its root filesystem.`

describe('readonly-rootfs-missing', () => {
  ruleCases(readonlyRootfsMissing, [
    {
      name: 'fires on a container without securityContext, at the container',
      text: pod(`
        containers:
          - name: app
      `),
      expected: [
        { message: message('app'), path: 'spec.containers[name=app].securityContext.readOnlyRootFilesystem', container: 'app', line: 7 },
      ],
    },
    {
      name: 'fires on readOnlyRootFilesystem: false, at the field',
      text: pod(`
        containers:
          - name: app
            securityContext:
              readOnlyRootFilesystem: false
      `),
      expected: [
        { message: message('app'), path: 'spec.containers[name=app].securityContext.readOnlyRootFilesystem', container: 'app', line: 9 },
      ],
    },
    {
      name: 'fires on every container list of a DaemonSet',
      text: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: ds
        spec:
          template:
            spec:
              initContainers:
                - name: init
                  securityContext: { readOnlyRootFilesystem: true }
              containers:
                - name: app
                  securityContext: { runAsNonRoot: true }
              ephemeralContainers:
                - name: debug
      `,
      expected: [
        {
          message: message('app'),
          path: 'spec.template.spec.containers[name=app].securityContext.readOnlyRootFilesystem',
          container: 'app',
          line: 13,
        },
        {
          message: message('debug'),
          path: 'spec.template.spec.ephemeralContainers[name=debug].securityContext.readOnlyRootFilesystem',
          container: 'debug',
          line: 15,
        },
      ],
    },
    {
      name: 'only the boolean true counts: "true" as a string does not decode',
      text: pod(`
        containers:
          - name: app
            securityContext: { readOnlyRootFilesystem: "true" }
      `),
      expected: [
        { message: message('app'), path: 'spec.containers[name=app].securityContext.readOnlyRootFilesystem', container: 'app', line: 8 },
      ],
    },
    {
      name: 'does not fire on readOnlyRootFilesystem: true',
      text: pod(`
        containers:
          - name: app
            securityContext:
              readOnlyRootFilesystem: true
      `),
      expected: [],
    },
    {
      name: 'does not fire on Windows pods, where the API forbids the field',
      text: pod(`
        os: { name: windows }
        containers:
          - name: app
      `),
      expected: [],
    },
    {
      name: 'wrong types read as absent, never throw',
      text: pod(`
        securityContext: []
        containers:
          - name: app
            securityContext: "locked down"
          - [nested]
      `),
      expected: [
        { message: message('app'), path: 'spec.containers[name=app].securityContext.readOnlyRootFilesystem', container: 'app', line: 9 },
      ],
    },
  ])

  describe('fix', () => {
    const field = (name: string) => ['spec', 'containers', { index: 0, key: 'name', value: name }, 'securityContext', 'readOnlyRootFilesystem']

    it('sets readOnlyRootFilesystem: true, for review, creating securityContext where missing', () => {
      const [violation] = podViolations(readonlyRootfsMissing, pod(`
        containers:
          - name: app
      `))
      expect(violation?.fix).toEqual({
        safety: 'review',
        description: 'Make the root filesystem read-only; mount an emptyDir where the application writes.',
        edits: [{ op: 'set', path: field('app'), value: true }],
      })
    })

    it('replaces false', () => {
      const [violation] = podViolations(readonlyRootfsMissing, pod(`
        containers:
          - name: web
            securityContext: { readOnlyRootFilesystem: false, runAsNonRoot: true }
      `))
      expect(violation?.fix?.edits).toEqual([{ op: 'set', path: field('web'), value: true }])
    })

    it('is none where securityContext is not a map', () => {
      const [violation] = podViolations(readonlyRootfsMissing, pod(`
        containers:
          - name: app
            securityContext: "strict"
      `))
      expect(violation?.fix).toBeUndefined()
    })
  })
})
