import { describe, expect, it } from 'vitest'
import { imageDigestUnpinned } from '../../../src/rules/workload/image-digest-unpinned.js'
import { parseImageReference, pinningOf } from '../../../src/rules/workload/image-reference.js'
import { imageTagMutable } from '../../../src/rules/workload/image-tag-mutable.js'
import { findingsOf, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { pod, podViolations } from './support.js'

const DIGEST = `sha256:${'a'.repeat(64)}`

/** A Pod whose one container `app` runs `image` (written as a YAML double-quoted string) on line 8. */
function withImage(image: string): string {
  return pod(`
    containers:
      - name: app
        image: ${JSON.stringify(image)}
  `)
}

describe('parseImageReference', () => {
  it.each([
    ['nginx', { name: 'nginx', tag: null, digest: null }],
    ['nginx:1.25', { name: 'nginx', tag: '1.25', digest: null }],
    ['library/nginx:latest', { name: 'library/nginx', tag: 'latest', digest: null }],
    ['docker.io/library/nginx', { name: 'docker.io/library/nginx', tag: null, digest: null }],
    ['localhost:5000/app', { name: 'localhost:5000/app', tag: null, digest: null }],
    ['localhost:5000/app:v2', { name: 'localhost:5000/app', tag: 'v2', digest: null }],
    ['registry.example.com:443/team/app', { name: 'registry.example.com:443/team/app', tag: null, digest: null }],
    ['[::1]:5000/app:1.0', { name: '[::1]:5000/app', tag: '1.0', digest: null }],
    ['[::1]:5000/app', { name: '[::1]:5000/app', tag: null, digest: null }],
    [`app:1.0@${DIGEST}`, { name: 'app', tag: '1.0', digest: DIGEST }],
    [`localhost:5000/app@${DIGEST}`, { name: 'localhost:5000/app', tag: null, digest: DIGEST }],
    [`app@sha512:${'b'.repeat(128)}`, { name: 'app', tag: null, digest: `sha512:${'b'.repeat(128)}` }],
    ['app:', { name: 'app', tag: null, digest: null }],
    ['app@latest', { name: 'app', tag: null, digest: null }],
    ['app:latest@sha256:', { name: 'app', tag: 'latest', digest: null }],
  ])('%s', (reference, expected) => {
    expect(parseImageReference(reference)).toEqual(expected)
  })

  it.each(['', '   ', ' nginx', 'nginx ', 'nginx:1.0 ', '${IMAGE}', 'registry/${APP}:1.0', '{{ .Values.image }}', '$(IMAGE)', '<YOUR-IMAGE>', 'app:%TAG%'])(
    'cannot judge %j',
    (reference) => {
      expect(parseImageReference(reference)).toBeNull()
    },
  )

  it.each([
    ['nginx', 'untagged'],
    ['nginx:latest', 'latest'],
    ['nginx:Latest', 'tag'],
    ['nginx:1.25', 'tag'],
    [`nginx:latest@${DIGEST}`, 'digest'],
    [`nginx@${DIGEST}`, 'digest'],
  ] as const)('%s is pinned by %s', (reference, pinning) => {
    const parsed = parseImageReference(reference)
    expect(parsed && pinningOf(parsed)).toBe(pinning)
  })
})

describe('image-tag-mutable', () => {
  const path = 'spec.containers[name=app].image'
  const untagged = (image: string) => ({
    name: `fires on ${image} (no tag)`,
    text: withImage(image),
    expected: [{ message: `Container "app" runs image "${image}" without a tag, which pulls \`latest\`.`, path, container: 'app', line: 8 }],
  })
  const latest = (image: string) => ({
    name: `fires on ${image} (latest)`,
    text: withImage(image),
    expected: [{ message: `Container "app" runs image "${image}" by the mutable tag \`latest\`.`, path, container: 'app', line: 8 }],
  })
  const quiet = (image: string, why: string) => ({ name: `does not fire on ${JSON.stringify(image)}: ${why}`, text: withImage(image), expected: [] })

  ruleCases(imageTagMutable, [
    untagged('nginx'),
    untagged('library/nginx'),
    untagged('docker.io/library/nginx'),
    untagged('localhost:5000/app'),
    untagged('registry.example.com:443/team/app'),
    untagged('[::1]:5000/app'),
    untagged('app:'),
    untagged('app@latest'),
    latest('nginx:latest'),
    latest('localhost:5000/app:latest'),
    latest('ghcr.io/org/team/app:latest'),
    latest('app:latest@sha256:'),
    quiet('nginx:1.25', 'a tag (image-digest-unpinned reports it)'),
    quiet('localhost:5000/app:v1', 'the tag after the port'),
    quiet('nginx:Latest', 'tags are case-sensitive'),
    quiet(`nginx@${DIGEST}`, 'digest-pinned'),
    quiet(`nginx:latest@${DIGEST}`, 'digest-pinned, whatever the tag says'),
    quiet(`localhost:5000/app@${DIGEST}`, 'digest-pinned behind a port'),
    quiet('${IMAGE}', 'a placeholder another tool fills in'),
    quiet('{{ .Values.image }}', 'a template'),
    quiet('<YOUR-CONTAINER>', 'a placeholder for the reader'),
    quiet('', 'empty'),
    quiet(' nginx', 'surrounding whitespace, which the API rejects'),
    {
      name: 'fires in every container list and every workload kind',
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
                  initContainers:
                    - name: init
                      image: busybox
                  containers:
                    - name: app
                      image: app:1.0
                  ephemeralContainers:
                    - name: debug
                      image: busybox:latest
      `,
      expected: [
        {
          message: 'Container "init" runs image "busybox" without a tag, which pulls `latest`.',
          path: 'spec.jobTemplate.spec.template.spec.initContainers[name=init].image',
          container: 'init',
          line: 13,
        },
        {
          message: 'Container "debug" runs image "busybox:latest" by the mutable tag `latest`.',
          path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[name=debug].image',
          container: 'debug',
          line: 19,
        },
      ],
    },
    {
      name: 'wrong types and missing images read as absent, never throw',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          template:
            spec:
              initContainers: "not a list"
              containers:
                - name: number
                  image: 42
                - name: list
                  image: [nginx]
                - name: none
                - name: "null"
                  image: null
                - "not a container"
              ephemeralContainers: { name: x }
      `,
      expected: [],
    },
  ])

  it('offers no fix: the right tag is a human decision', () => {
    const violations = podViolations(imageTagMutable, withImage('nginx'))
    expect(violations).toHaveLength(1)
    expect(violations[0]?.fix).toBeUndefined()
  })

  it('reports each image field once across image-tag-mutable and image-digest-unpinned', () => {
    const images = ['nginx', 'nginx:latest', 'nginx:1.25', 'localhost:5000/app', 'localhost:5000/app:2', `app:latest@${DIGEST}`, `app@${DIGEST}`]
    for (const image of images) {
      const text = withImage(image)
      const count = findingsOf(imageTagMutable, text).length + findingsOf(imageDigestUnpinned, text).length
      expect(count, image).toBe(image.includes('@') ? 0 : 1)
    }
  })
})
