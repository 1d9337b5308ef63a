import type { PodRule, Violation } from '../rule.js'
import { containerImage } from './image-reference.js'

/** Images with no tag or `latest` are image-tag-mutable's: one finding per image field. */
export const imageDigestUnpinned: PodRule = {
  kind: 'pod',
  meta: {
    id: 'image-digest-unpinned',
    title: 'Image pinned by tag only',
    severity: 'info',
    description:
      'A tag is a movable name: whoever can push to the repository can point it at other content, and the next pull runs that content without a change to the manifest.',
    remediation:
      'Add the digest of the image you reviewed (`app:1.4.2@sha256:…`); the tag stays as documentation and the digest decides what runs.',
    messages: {
      tagOnly: 'Container "{{container}}" runs image "{{image}}" by tag only, not by digest.',
    },
  },
  fieldsRead: ['container.image'],
  check: (pod) =>
    pod.containers.flatMap((container): Violation[] => {
      const found = containerImage(container)
      if (found?.pinning !== 'tag') return []
      return [
        {
          messageId: 'tagOnly',
          data: { container: container.name, image: found.image },
          path: found.path,
          container: container.name,
        },
      ]
    }),
}
