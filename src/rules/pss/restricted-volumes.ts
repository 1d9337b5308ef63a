import type { PodRule } from '../rule.js'
import { ALLOWED_VOLUME_SOURCES, emptyDirFix, volumeSources, volumesOf } from './pod-security.js'

export const restrictedVolumes: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-restricted-volumes',
    title: 'Volume type not allowed',
    severity: 'medium',
    pss: { check: 'restrictedVolumes', level: 'restricted' },
    description:
      'Restricted pods mount only ephemeral, projected or PersistentVolumeClaim-backed volumes; inline network and node volumes bypass the storage the cluster admin controls.',
    remediation:
      'Use a PersistentVolumeClaim for storage, or a configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi or image volume.',
    messages: { source: 'Volume "{{volume}}" has source type {{source}}.' },
  },
  fieldsRead: ['pod.spec.volumes'],
  check: (pod) =>
    volumesOf(pod).flatMap((volume) => {
      const fields = volumeSources(volume)
      // Like upstream, one allowed source is enough; a volume with none defaults to emptyDir.
      if (fields.some((field) => ALLOWED_VOLUME_SOURCES.has(field))) return []
      return fields
        // hostPath is pss-host-path-volumes' (the baseline check restricted replaces): report each field once
        .filter((field) => field !== 'hostPath')
        .map((source) => ({
          messageId: 'source',
          data: { volume: volume.name, source },
          path: [...volume.path, source],
          fix: emptyDirFix(volume),
        }))
    }),
}
