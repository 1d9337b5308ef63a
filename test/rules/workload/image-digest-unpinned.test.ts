import { describe, expect, it } from 'vitest'
import { imageDigestUnpinned } from '../../../src/rules/workload/image-digest-unpinned.js'
import { yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { pod, podViolations } from './support.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`

function withImage(image: string): string {
  return pod(`
    containers:
      - name: app
        image: ${JSON.stringify(image)}
  `)
}

describe('image-digest-unpinned', () => {
  const path = 'spec.containers[name=app].image'
  const tagOnly = (image: string) => ({
    name: `fires on ${image}`,
    text: withImage(image),
    expected: [{ message: `Container "app" runs image "${image}" by tag only, not by digest.`, path, container: 'app', line: 8 }],
  })
  const quiet = (image: string, why: string) => ({ name: `does not fire on ${JSON.stringify(image)}: ${why}`, text: withImage(image), expected: [] })

  ruleCases(imageDigestUnpinned, [
    tagOnly('nginx:1.25'),
    tagOnly('nginx:1.25-alpine'),
    tagOnly('library/nginx:stable'),
    tagOnly('localhost:5000/app:v1'),
    tagOnly('registry.example.com:443/team/app:2024.01.01'),
    tagOnly('[::1]:5000/app:1.0'),
    tagOnly('ghcr.io/org/app:sha-4f2a9c1'),
    tagOnly('nginx:Latest'),
    tagOnly('app:1.0@sha256'),
    quiet('nginx', 'no tag is image-tag-mutable’s'),
    quiet('nginx:latest', 'latest is image-tag-mutable’s'),
    quiet('localhost:5000/app', 'the port is not a tag, and no tag is image-tag-mutable’s'),
    quiet(`nginx:1.25@${DIGEST}`, 'tag and digest'),
    quiet(`nginx@${DIGEST}`, 'digest only'),
    quiet(`localhost:5000/team/app:v1@${DIGEST}`, 'host, port, tag and digest'),
    quiet('registry/app:${TAG}', 'a placeholder'),
    {
      name: 'fires on init and ephemeral containers of a Deployment, by name',
      text: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          template:
            spec:
              initContainers:
                - name: migrate
                  image: app:1.0
              containers:
                - name: app
                  image: app@${DIGEST}
              ephemeralContainers:
                - name: debug
                  image: busybox:1.36
      `,
      expected: [
        {
          message: 'Container "migrate" runs image "app:1.0" by tag only, not by digest.',
          path: 'spec.template.spec.initContainers[name=migrate].image',
          container: 'migrate',
          line: 10,
        },
        {
          message: 'Container "debug" runs image "busybox:1.36" by tag only, not by digest.',
          path: 'spec.template.spec.ephemeralContainers[name=debug].image',
          container: 'debug',
          line: 16,
        },
      ],
    },
    {
      name: 'wrong types read as absent, never throw',
      text: pod(`
        containers:
          - name: a
            image: { name: nginx, tag: "1.0" }
          - name: b
            image: 1.25
        initContainers: 7
      `),
      expected: [],
    },
  ])

  it('offers no fix: only the publisher knows the right digest', () => {
    expect(podViolations(imageDigestUnpinned, withImage('nginx:1.25')).map((v) => v.fix)).toEqual([undefined])
  })
})
