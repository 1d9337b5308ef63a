import { describe, expect, it } from 'vitest'
import { resourceLimitsMissing } from '../../../src/rules/workload/resource-limits-missing.js'
import { yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { pod, podViolations } from './support.js'

const message = (container: string) => `Container "${container}" has no memory limit.`

describe('resource-limits-missing', () => {
  ruleCases(resourceLimitsMissing, [
    {
      name: 'fires on a container without resources, at the container (the nearest existing ancestor)',
      text: pod(`
        containers:
          - name: app
            image: app:1
      `),
      expected: [{ message: message('app'), path: 'spec.containers[name=app].resources.limits.memory', container: 'app', line: 7 }],
    },
    {
      name: 'fires on a CPU-only limit, at limits',
      text: pod(`
        containers:
          - name: app
            resources:
              requests: { memory: 128Mi }
              limits:
                cpu: 500m
      `),
      expected: [{ message: message('app'), path: 'spec.containers[name=app].resources.limits.memory', container: 'app', line: 10 }],
    },
    {
      name: 'fires on init containers of a StatefulSet, not on ephemeral containers (the API forbids their resources)',
      text: yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: s
        spec:
          template:
            spec:
              initContainers:
                - name: init
              containers:
                - name: app
                  resources: { limits: { memory: 1Gi } }
              ephemeralContainers:
                - name: debug
      `,
      expected: [
        {
          message: message('init'),
          path: 'spec.template.spec.initContainers[name=init].resources.limits.memory',
          container: 'init',
          line: 9,
        },
      ],
    },
    {
      name: 'a null or non-quantity limit counts as missing',
      text: pod(`
        containers:
          - name: a
            resources: { limits: { memory: null } }
          - name: b
            resources: { limits: { memory: [1Gi] } }
      `),
      expected: [
        { message: message('a'), path: 'spec.containers[name=a].resources.limits.memory', container: 'a', line: 8 },
        { message: message('b'), path: 'spec.containers[name=b].resources.limits.memory', container: 'b', line: 10 },
      ],
    },
    {
      name: 'does not fire on a memory limit, as a string or a number',
      text: pod(`
        containers:
          - name: a
            resources: { limits: { memory: 512Mi } }
          - name: b
            resources:
              limits:
                memory: 536870912
      `),
      expected: [],
    },
    {
      name: 'does not fire when a pod-level memory limit bounds every container',
      text: pod(`
        resources:
          limits: { memory: 2Gi }
        containers:
          - name: a
          - name: b
      `),
      expected: [],
    },
    {
      name: 'wrong types read as absent, never throw',
      text: pod(`
        resources: "lots"
        containers:
          - name: a
            resources: "lots"
          - name: b
            resources: { limits: [memory] }
          - 12
      `),
      expected: [
        { message: message('a'), path: 'spec.containers[name=a].resources.limits.memory', container: 'a', line: 9 },
        { message: message('b'), path: 'spec.containers[name=b].resources.limits.memory', container: 'b', line: 11 },
      ],
    },
  ])

  describe('fix', () => {
    it('is none without a memory request: the number is a human decision', () => {
      const violations = podViolations(resourceLimitsMissing, pod(`
        containers:
          - name: app
            resources: { requests: { cpu: 100m } }
      `))
      expect(violations).toHaveLength(1)
      expect(violations[0]?.fix).toBeUndefined()
    })

    it('sets the limit to the memory request, for review', () => {
      const [violation] = podViolations(resourceLimitsMissing, yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          template:
            spec:
              containers:
                - name: app
                  resources:
                    requests: { memory: 256Mi, cpu: 100m }
                    limits: { cpu: "1" }
      `)
      const limit = ['spec', 'template', 'spec', 'containers', { index: 0, key: 'name', value: 'app' }, 'resources', 'limits', 'memory']
      expect(violation?.fix).toEqual({
        safety: 'review',
        description: 'Set the memory limit to the memory request (256Mi).',
        edits: [{ op: 'set', path: limit, value: '256Mi' }],
      })
    })

    it('keeps a numeric request numeric', () => {
      const [violation] = podViolations(resourceLimitsMissing, pod(`
        containers:
          - name: app
            resources: { requests: { memory: 268435456 } }
      `))
      expect(violation?.fix?.edits).toEqual([
        { op: 'set', path: ['spec', 'containers', { index: 0, key: 'name', value: 'app' }, 'resources', 'limits', 'memory'], value: 268435456 },
      ])
    })

    it('is none where limits is not a map the edit could add to', () => {
      const [violation] = podViolations(resourceLimitsMissing, pod(`
        containers:
          - name: app
            resources: { requests: { memory: 1Gi }, limits: "1Gi" }
      `))
      expect(violation?.fix).toBeUndefined()
    })
  })
})
