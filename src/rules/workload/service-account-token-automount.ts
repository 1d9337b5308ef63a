import { asString } from '../../extract/json.js'
import type { JsonObject } from '../../model.js'
import type { PodRule } from '../rule.js'

/**
 * The service account a pod runs as, as the API server resolves it: `serviceAccountName`, else
 * the deprecated `serviceAccount`, else `default`. Non-strings read as unset.
 */
export function serviceAccountOf(spec: JsonObject): string {
  const name = asString(spec.serviceAccountName) || asString(spec.serviceAccount)
  return name || 'default'
}

/**
 * Only the pod spec is read: a `default` ServiceAccount with `automountServiceAccountToken: false`
 * also prevents the mount, but that object is not part of the pod (suppress the finding there).
 */
export const serviceAccountTokenAutomount: PodRule = {
  kind: 'pod',
  meta: {
    id: 'service-account-token-automount',
    title: 'Default service account token mounted',
    severity: 'low',
    description:
      "A pod that names no service account runs as its namespace's `default` one and gets its API token mounted; anyone who takes over the pod holds that token, and whatever RBAC grants `default`, now or later.",
    remediation:
      'Set `automountServiceAccountToken: false` in the pod spec, or run the pod as a dedicated service account with only the permissions it needs.',
    messages: {
      defaultToken: 'The pod mounts the API token of the namespace\'s default service account.',
    },
  },
  fieldsRead: ['pod.spec.automountServiceAccountToken', 'pod.spec.serviceAccountName', 'pod.spec.serviceAccount'],
  check: (pod) => {
    if (pod.spec.automountServiceAccountToken === false) return []
    if (serviceAccountOf(pod.spec) !== 'default') return []
    const path = [...pod.specPath, 'automountServiceAccountToken']
    return [
      {
        messageId: 'defaultToken',
        path,
        fix: {
          safety: 'review',
          description: 'Do not mount a service account token into the pod.',
          edits: [{ op: 'set', path, value: false }],
        },
      },
    ]
  },
}
