import { describe, expect, it } from 'vitest'
import { podTemplateOf } from '../../../src/extract/pod-template.js'
import { seccompAnnotationDeprecated } from '../../../src/rules/admission/seccomp-annotation-deprecated.js'
import type { Violation } from '../../../src/rules/rule.js'
import { yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { resourceOf } from './transition.js'

function violationsOf(text: string): Violation[] {
  const resource = resourceOf(text)
  const pod = podTemplateOf(resource)
  if (!pod) throw new Error('no pod')
  return seccompAnnotationDeprecated.check(pod, resource)
}

const POD = 'seccomp.security.alpha.kubernetes.io/pod'
const CONTAINER = (name: string) => `container.seccomp.security.alpha.kubernetes.io/${name}`

function deployment(annotations: Record<string, string>, spec = '        containers:\n          - name: app\n            image: app:1\n'): string {
  const lines = Object.entries(annotations).map(([k, v]) => `          ${k}: ${v}\n`)
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n${lines.join('')}    spec:\n${spec}`
}

describe('seccomp-annotation-deprecated', () => {
  ruleCases(seccompAnnotationDeprecated, [
    {
      name: 'fires on the pod annotation of a Deployment template',
      text: deployment({ [POD]: 'runtime/default' }),
      expected: [
        {
          message: `The pod annotation "${POD}" is deprecated and ignored by current Kubernetes; set spec.securityContext.seccompProfile instead.`,
          path: `spec.template.metadata.annotations["${POD}"]`,
          container: null,
          line: 9,
        },
      ],
    },
    {
      name: 'fires on container annotations of a bare Pod, naming the container',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations:
            container.seccomp.security.alpha.kubernetes.io/app: localhost/profiles/audit.json
            container.seccomp.security.alpha.kubernetes.io/gone: unconfined
        spec:
          containers:
            - name: app
      `,
      expected: [
        {
          message: `The annotation "${CONTAINER('app')}" for container "app" is deprecated and ignored by current Kubernetes; set its securityContext.seccompProfile instead.`,
          path: `metadata.annotations["${CONTAINER('app')}"]`,
          container: 'app',
          line: 6,
        },
        {
          message: `The annotation "${CONTAINER('gone')}" for container "gone" is deprecated and ignored by current Kubernetes; set its securityContext.seccompProfile instead.`,
          path: `metadata.annotations["${CONTAINER('gone')}"]`,
          container: null,
          line: 7,
        },
      ],
    },
    {
      name: 'does not fire on the seccompProfile field, other annotations, or the workload’s own metadata',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            seccomp.security.alpha.kubernetes.io/pod: runtime/default
        spec:
          template:
            metadata:
              annotations:
                container.apparmor.security.beta.kubernetes.io/app: runtime/default
                seccomp.security.alpha.kubernetes.io/podx: runtime/default
            spec:
              securityContext:
                seccompProfile: { type: RuntimeDefault }
              containers:
                - name: app
      `,
      expected: [],
    },
    {
      name: 'does not fire on objects without a pod, and does not throw on wrong types',
      text: yaml`
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
          annotations:
            seccomp.security.alpha.kubernetes.io/pod: runtime/default
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: [seccomp.security.alpha.kubernetes.io/pod]
        spec:
          containers: [{ name: app }]
      `,
      expected: [],
    },
  ])

  describe('fix', () => {
    it('moves runtime/default and docker/default into the pod securityContext (safe)', () => {
      for (const value of ['runtime/default', 'docker/default']) {
        const [violation] = violationsOf(deployment({ [POD]: value }))
        expect(violation?.fix).toEqual({
          safety: 'safe',
          description: 'Move the profile into securityContext.seccompProfile (type RuntimeDefault).',
          edits: [
            { op: 'delete', path: ['spec', 'template', 'metadata', 'annotations', POD] },
            { op: 'set', path: ['spec', 'template', 'spec', 'securityContext', 'seccompProfile'], value: { type: 'RuntimeDefault' } },
          ],
        })
      }
    })

    it('moves a container annotation into that container, localhost profiles with their path', () => {
      const [violation] = violationsOf(deployment({ [CONTAINER('app')]: 'localhost/operator/strict.json' }))
      expect(violation?.container).toBe('app')
      expect(violation?.fix?.safety).toBe('safe')
      expect(violation?.fix?.edits).toEqual([
        { op: 'delete', path: ['spec', 'template', 'metadata', 'annotations', CONTAINER('app')] },
        {
          op: 'set',
          path: ['spec', 'template', 'spec', 'containers', { index: 0, key: 'name', value: 'app' }, 'securityContext', 'seccompProfile'],
          value: { type: 'Localhost', localhostProfile: 'operator/strict.json' },
        },
      ])
    })

    it('moves unconfined as a review fix: it writes down a weaker profile', () => {
      const [violation] = violationsOf(deployment({ [POD]: 'unconfined' }))
      expect(violation?.fix?.safety).toBe('review')
      expect(violation?.fix?.edits[1]).toEqual({
        op: 'set',
        path: ['spec', 'template', 'spec', 'securityContext', 'seccompProfile'],
        value: { type: 'Unconfined' },
      })
    })

    it('only deletes the annotation where a field already decides, the container is missing, or the value is invalid', () => {
      const onlyDelete = (v: Violation | undefined) => v?.fix?.edits.map((e) => e.op)
      const podLevel = '        securityContext:\n          seccompProfile: { type: Localhost, localhostProfile: x.json }\n        containers:\n          - name: app\n'
      const containerLevel = '        containers:\n          - name: app\n            securityContext: { seccompProfile: { type: RuntimeDefault } }\n'
      expect(violationsOf(deployment({ [POD]: 'runtime/default' }, podLevel)).map(onlyDelete)).toEqual([['delete']])
      expect(violationsOf(deployment({ [CONTAINER('app')]: 'runtime/default' }, podLevel)).map(onlyDelete)).toEqual([['delete']])
      expect(violationsOf(deployment({ [CONTAINER('app')]: 'unconfined' }, containerLevel)).map(onlyDelete)).toEqual([['delete']])
      expect(violationsOf(deployment({ [CONTAINER('sidecar')]: 'runtime/default' })).map(onlyDelete)).toEqual([['delete']])
      expect(violationsOf(deployment({ [POD]: 'localhost/' })).map(onlyDelete)).toEqual([['delete']])
      expect(violationsOf(deployment({ [POD]: '"[1]"' })).map((v) => v.fix?.safety)).toEqual(['safe'])
      // the pod annotation still moves to pod level when only a container sets the field
      expect(violationsOf(deployment({ [POD]: 'runtime/default' }, containerLevel)).map(onlyDelete)).toEqual([['delete', 'set']])
    })
  })
})
