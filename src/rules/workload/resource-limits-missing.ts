import { asObject, getIn } from '../../extract/json.js'
import type { JsonValue } from '../../model.js'
import type { Fix, PodRule, Violation } from '../rule.js'

/** A resource quantity as the API accepts it: a string (`512Mi`) or a number; anything else reads as absent. */
function quantity(value: JsonValue | undefined): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined
}

/** A map that an edit may create keys in: absent, null, or already a map. */
function editable(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || asObject(value) !== undefined
}

/**
 * Containers of every list but `ephemeralContainers`, which the API forbids to set resources. A
 * pod-level memory limit (`spec.resources`, Kubernetes 1.32+) bounds every container, so it
 * satisfies the rule for all of them.
 */
export const resourceLimitsMissing: PodRule = {
  kind: 'pod',
  meta: {
    id: 'resource-limits-missing',
    title: 'Container without a memory limit',
    severity: 'low',
    description:
      "A container without a memory limit can use all of its node's memory: a leak or an attacker starves every other pod there until the kernel's OOM killer picks victims.",
    remediation:
      'Set `resources.limits.memory` to what the container needs at peak (often the same as `resources.requests.memory`), or set a pod-level `spec.resources.limits.memory`.',
    messages: { missing: 'Container "{{container}}" has no memory limit.' },
  },
  fieldsRead: ['pod.spec.resources.limits.memory', 'container.resources'],
  check: (pod) => {
    if (quantity(getIn(pod.spec, ['resources', 'limits', 'memory'])) !== undefined) return []
    return pod.containers.flatMap((container): Violation[] => {
      if (container.list === 'ephemeralContainers') return []
      const resources = container.spec.resources
      if (quantity(getIn(resources, ['limits', 'memory'])) !== undefined) return []
      const limitPath = [...container.path, 'resources', 'limits', 'memory']
      const request = quantity(getIn(resources, ['requests', 'memory']))
      const fix: Fix | undefined =
        request !== undefined && editable(getIn(resources, ['limits']))
          ? {
              safety: 'review',
              description: `Set the memory limit to the memory request (${request}).`,
              edits: [{ op: 'set', path: limitPath, value: request }],
            }
          : undefined
      return [
        {
          messageId: 'missing',
          data: { container: container.name },
          path: limitPath,
          container: container.name,
          ...(fix ? { fix } : {}),
        },
      ]
    })
  },
}
