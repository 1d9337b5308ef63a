import type { PodRule } from '../rule.js'
import { emptyDirFix, isPresent, volumesOf } from './pod-security.js'

export const hostPathVolumes: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-host-path-volumes',
    title: 'hostPath volume',
    severity: 'high',
    pss: { check: 'hostPathVolumes', level: 'baseline' },
    description:
      "A hostPath volume mounts a directory of the node into the pod: it can read the node's secrets and, writable, take the node over.",
    remediation: 'Replace the `hostPath` volume with an emptyDir, a ConfigMap or Secret, or a PersistentVolumeClaim.',
    messages: { hostPath: 'Volume "{{volume}}" mounts a host path.' },
  },
  fieldsRead: ['pod.spec.volumes'],
  check: (pod) =>
    volumesOf(pod).flatMap((volume) =>
      isPresent(volume.spec.hostPath)
        ? [
            {
              messageId: 'hostPath',
              data: { volume: volume.name },
              path: [...volume.path, 'hostPath'],
              fix: emptyDirFix(volume),
            },
          ]
        : [],
    ),
}
