import type { PodRule, Violation } from '../rule.js'
import { containerSetting, podSetting, settingViolation, usesUserNamespace } from './pod-security.js'

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
  check: (pod) => {
    // since 1.35 anything goes in a user namespace: root in the pod is not root on the node
    if (usesUserNamespace(pod)) return []
    const podLevel = podSetting(pod, 'runAsNonRoot')
    const violations: Violation[] = podLevel.value === false ? [settingViolation(podLevel, 'pod')] : []
    for (const container of pod.containers) {
      const setting = containerSetting(container, 'runAsNonRoot')
      if (setting.value === false) violations.push(settingViolation(setting, 'container'))
      // A container that sets nothing inherits the pod's value: uncovered only when the pod sets none.
      // (A pod-level false is reported once above, not again for every container inheriting it.)
      else if (typeof setting.value !== 'boolean' && typeof podLevel.value !== 'boolean') {
        violations.push(settingViolation(setting, 'unset'))
      }
    }
    return violations
  },
}
