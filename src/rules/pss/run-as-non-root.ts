import type { Container, PodTemplate } from '../../extract/pod-template.js'
import type { PodRule, Violation } from '../rule.js'
import {
  containerSetting,
  effectiveRunAsUser,
  podSetting,
  setFix,
  type Setting,
  settingViolation,
  usesUserNamespace,
} from './pod-security.js'

/**
 * runAsNonRoot: true where the setting is. No fix while a container it governs runs as UID 0:
 * the kubelet would refuse to start it (pss-run-as-user's fix removes the 0 first).
 */
function nonRootFix(setting: Setting, governed: readonly Container[], pod: PodTemplate): Violation['fix'] {
  if (governed.some((container) => effectiveRunAsUser(pod, container) === 0)) return undefined
  return setFix('review', 'Set runAsNonRoot: true.', setting.path, true)
}

export const runAsNonRoot: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-run-as-non-root',
    title: 'May run as root',
    severity: 'medium',
    pss: { check: 'runAsNonRoot', level: 'restricted' },
    description:
      'Without runAsNonRoot: true the kubelet starts the container as whatever user its image names, root included.',
    remediation: 'Set `securityContext.runAsNonRoot: true` on the pod (or on every container) and run the image as a non-zero UID.',
    messages: {
      pod: 'The pod sets runAsNonRoot: false.',
      container: 'Container "{{container}}" sets runAsNonRoot: false.',
      unset: 'Container "{{container}}" does not set runAsNonRoot: true, nor does the pod.',
    },
  },
  fieldsRead: [
    'pod.spec.hostUsers',
    'pod.spec.securityContext.runAsNonRoot',
    'pod.spec.securityContext.runAsUser',
    'container.securityContext.runAsNonRoot',
    'container.securityContext.runAsUser',
  ],
  check: (pod) => {
    // since 1.35 anything goes in a user namespace: root in the pod is not root on the node
    if (usesUserNamespace(pod)) return []
    const podLevel = podSetting(pod, 'runAsNonRoot')
    const violations: Violation[] = []
    if (podLevel.value === false) {
      const inheriting = pod.containers.filter((c) => typeof containerSetting(c, 'runAsNonRoot').value !== 'boolean')
      violations.push({ ...settingViolation(podLevel, 'pod'), fix: nonRootFix(podLevel, inheriting, pod) })
    }
    for (const container of pod.containers) {
      const setting = containerSetting(container, 'runAsNonRoot')
      const fix = nonRootFix(setting, [container], pod)
      if (setting.value === false) violations.push({ ...settingViolation(setting, 'container'), fix })
      // A container that sets nothing inherits the pod's value: uncovered only when the pod sets none.
      // (A pod-level false is reported once above, not again for every container inheriting it.)
      else if (typeof setting.value !== 'boolean' && typeof podLevel.value !== 'boolean') {
        violations.push({ ...settingViolation(setting, 'unset'), fix })
      }
    }
    return violations
  },
}
