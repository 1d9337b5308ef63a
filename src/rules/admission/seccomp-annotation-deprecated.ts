import type { PodTemplate } from '../../extract/pod-template.js'
import { asObject, asString } from '../../extract/json.js'
import type { JsonObject, ObjectPath } from '../../model.js'
import type { Edit, Fix, PodRule, Violation } from '../rule.js'

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod'
const CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/'

/** The securityContext.seccompProfile an annotation value stands for; undefined for a value the API never accepted. */
function profileFor(value: string): JsonObject | undefined {
  if (value === 'runtime/default' || value === 'docker/default') return { type: 'RuntimeDefault' }
  if (value === 'unconfined') return { type: 'Unconfined' }
  if (value.startsWith('localhost/') && value.length > 'localhost/'.length) {
    return { type: 'Localhost', localhostProfile: value.slice('localhost/'.length) }
  }
  return undefined
}

function hasProfile(securityContext: unknown): boolean {
  const profile = asObject(securityContext)?.seccompProfile
  return profile !== undefined && profile !== null
}

/**
 * The fix: delete the annotation and, where no seccompProfile field decides the profile yet, set
 * the field the annotation meant (a value the API never accepted is only deleted). Keeping the
 * profile is `safe`; moving `unconfined` into the field is `review`: the annotation has had no
 * effect since v1.27, so the field would weaken a pod that a kubelet now runs with RuntimeDefault.
 */
function fixFor(annotationPath: ObjectPath, value: string, target: ObjectPath | null): Fix {
  const remove: Edit = { op: 'delete', path: annotationPath }
  const profile = target === null ? undefined : profileFor(value)
  if (target === null || !profile) {
    return { safety: 'safe', description: 'Remove the annotation, which no longer has any effect.', edits: [remove] }
  }
  return {
    safety: profile.type === 'Unconfined' ? 'review' : 'safe',
    description: `Move the profile into securityContext.seccompProfile (type ${String(profile.type)}).`,
    edits: [remove, { op: 'set', path: [...target, 'seccompProfile'], value: profile }],
  }
}

/**
 * The alpha seccomp annotations on a pod template: deprecated when seccomp went GA in v1.19,
 * ignored by kubelets since v1.25 and no longer copied into the fields since v1.27. Where a field
 * already decides the profile, or the container does not exist, the fix only removes them.
 */
export const seccompAnnotationDeprecated: PodRule = {
  kind: 'pod',
  meta: {
    id: 'seccomp-annotation-deprecated',
    title: 'Deprecated seccomp annotation',
    severity: 'info',
    description:
      'The `seccomp.security.alpha.kubernetes.io` annotations have had no effect since Kubernetes v1.27 (kubelets stopped reading them in v1.25): the profile they ask for silently does not apply.',
    remediation: 'Set `securityContext.seccompProfile` (pod or container level) and remove the annotation.',
    messages: {
      pod: 'The pod annotation "{{annotation}}" is deprecated and ignored by current Kubernetes; set spec.securityContext.seccompProfile instead.',
      container:
        'The annotation "{{annotation}}" for container "{{container}}" is deprecated and ignored by current Kubernetes; set its securityContext.seccompProfile instead.',
    },
  },
  fieldsRead: [
    'pod.metadata.annotations',
    'pod.spec.securityContext.seccompProfile',
    'container.securityContext.seccompProfile',
  ],
  check: (pod: PodTemplate) => {
    const annotations = asObject(pod.metadata.annotations)
    if (!annotations) return []
    const podLevelSet = hasProfile(pod.spec.securityContext)
    const violations: Violation[] = []
    for (const [annotation, raw] of Object.entries(annotations)) {
      const value = asString(raw) ?? ''
      const path = [...pod.metadataPath, 'annotations', annotation]
      if (annotation === POD_ANNOTATION) {
        const target = podLevelSet ? null : [...pod.specPath, 'securityContext']
        violations.push({ messageId: 'pod', data: { annotation }, path, fix: fixFor(path, value, target) })
      } else if (annotation.startsWith(CONTAINER_PREFIX)) {
        const name = annotation.slice(CONTAINER_PREFIX.length)
        const container = pod.containers.find((c) => c.name === name)
        // a pod-level field already decides this container's profile on current clusters: don't override it
        const settled = !container || podLevelSet || hasProfile(container.spec.securityContext)
        const target = settled ? null : [...container.path, 'securityContext']
        violations.push({
          messageId: 'container',
          data: { annotation, container: name },
          path,
          ...(container ? { container: name } : {}),
          fix: fixFor(path, value, target),
        })
      }
    }
    return violations
  },
}
