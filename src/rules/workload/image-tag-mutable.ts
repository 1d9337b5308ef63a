import type { PodRule, Violation } from '../rule.js'
import { containerImage } from './image-reference.js'

export const imageTagMutable: PodRule = {
  kind: 'pod',
  meta: {
    id: 'image-tag-mutable',
    title: 'Image without a tag or tagged latest',
    severity: 'medium',
    description:
      'An image with no tag or the tag `latest` runs whatever the registry serves at pull time: two nodes can run different code, a rollback does not roll back, and a pushed image goes live unreviewed.',
    remediation:
      'Reference a specific, immutable release tag (`app:1.4.2`), or better a digest (`app@sha256:…`), and update it through the pull request that ships it.',
    messages: {
      untagged: 'Container "{{container}}" runs image "{{image}}" without a tag, which pulls `latest`.',
      latest: 'Container "{{container}}" runs image "{{image}}" by the mutable tag `latest`.',
    },
  },
  fieldsRead: ['container.image'],
  check: (pod) =>
    pod.containers.flatMap((container): Violation[] => {
      const found = containerImage(container)
      if (!found || (found.pinning !== 'untagged' && found.pinning !== 'latest')) return []
      return [
        {
          messageId: found.pinning,
          data: { container: container.name, image: found.image },
          path: found.path,
          container: container.name,
        },
      ]
    }),
}
