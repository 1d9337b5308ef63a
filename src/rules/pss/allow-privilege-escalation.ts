import type { PodRule } from '../rule.js'
import { containerSetting, isWindowsPod, settingViolation } from './pod-security.js'

export const allowPrivilegeEscalation: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-allow-privilege-escalation',
    title: 'Privilege escalation allowed',
    severity: 'medium',
    pss: { check: 'allowPrivilegeEscalation', level: 'restricted' },
    description:
      'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent (setuid binaries, file capabilities).',
    remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
    messages: {
      unset: 'Container "{{container}}" does not set allowPrivilegeEscalation: false.',
      allowed: 'Container "{{container}}" sets allowPrivilegeEscalation: true.',
    },
  },
  check: (pod) =>
    // Windows pods are exempt since 1.25: the field does not apply to them
    isWindowsPod(pod)
      ? []
      : pod.containers.flatMap((container) => {
          const setting = containerSetting(container, 'allowPrivilegeEscalation')
          if (setting.value === false) return []
          return [settingViolation(setting, setting.value === true ? 'allowed' : 'unset')]
        }),
}
