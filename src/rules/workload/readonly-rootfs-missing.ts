import { asObject } from '../../extract/json.js'
import { containerSecurityContextPath, isWindowsPod } from '../pss/pod-security.js'
import type { Fix, PodRule, Violation } from '../rule.js'

/**
 * Every container list, ephemeral included. Windows pods are passed over: the API forbids
 * `readOnlyRootFilesystem` on them (`spec.os.name: windows`).
 */
export const readonlyRootfsMissing: PodRule = {
  kind: 'pod',
  meta: {
    id: 'readonly-rootfs-missing',
    title: 'Writable root filesystem',
    severity: 'low',
    description:
      'A writable root filesystem lets an intruder drop tools, replace binaries and persist for the life of the container; a read-only one turns those writes into errors.',
    remediation:
      'Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` at each path the application really writes to (`/tmp`, caches).',
    messages: { writable: 'Container "{{container}}" can write to its root filesystem.' },
  },
  fieldsRead: ['pod.spec.os.name', 'container.securityContext.readOnlyRootFilesystem'],
  check: (pod) => {
    if (isWindowsPod(pod)) return []
    return pod.containers.flatMap((container): Violation[] => {
      const securityContext = container.spec.securityContext
      const context = asObject(securityContext)
      if (context?.readOnlyRootFilesystem === true) return []
      const path = containerSecurityContextPath(container, 'readOnlyRootFilesystem')
      // a securityContext of the wrong type cannot take a key; the finding stands without a fix
      const fixable = securityContext === undefined || securityContext === null || context !== undefined
      const fix: Fix = {
        safety: 'review',
        description: 'Make the root filesystem read-only; mount an emptyDir where the application writes.',
        edits: [{ op: 'set', path, value: true }],
      }
      return [
        {
          messageId: 'writable',
          data: { container: container.name },
          path,
          container: container.name,
          ...(fixable ? { fix } : {}),
        },
      ]
    })
  },
}
