import type { Container, PodTemplate } from '../../extract/pod-template.js'
import { asObject, asString, getIn } from '../../extract/json.js'
import type { JsonObject, ObjectPath } from '../../model.js'

/** Shared readers for the Pod Security Standards checks, mirroring how upstream PSA reads a pod. */

export function podSecurityContext(pod: PodTemplate): JsonObject | undefined {
  return asObject(pod.spec.securityContext)
}

export function containerSecurityContext(container: Container): JsonObject | undefined {
  return asObject(container.spec.securityContext)
}

/** Paths to the pod-level and a container's securityContext. */
export function podSecurityContextPath(pod: PodTemplate, ...rest: string[]): ObjectPath {
  return [...pod.specPath, 'securityContext', ...rest]
}

export function containerSecurityContextPath(container: Container, ...rest: string[]): ObjectPath {
  return [...container.path, 'securityContext', ...rest]
}

/** Pods with `spec.os.name: windows` are exempt from some restricted checks since policy 1.25. */
export function isWindowsPod(pod: PodTemplate): boolean {
  return asString(getIn(pod.spec, ['os', 'name'])) === 'windows'
}

/** `spec.hostUsers: false` runs the pod in a user namespace, which relaxes some checks since 1.35. */
export function usesUserNamespace(pod: PodTemplate): boolean {
  return pod.spec.hostUsers === false
}
