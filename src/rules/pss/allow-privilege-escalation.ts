import type { Container } from '../../extract/pod-template.js'
import type { PodRule } from '../rule.js'
import {
  addedCapabilities,
  containerSecurityContext,
  containerSetting,
  isWindowsPod,
  setFix,
  settingViolation,
} from './pod-security.js'

/** The API rejects allowPrivilegeEscalation: false on a privileged container or one adding CAP_SYS_ADMIN. */
function needsEscalation(container: Container): boolean {
  return (
    containerSecurityContext(container)?.privileged === true ||
    addedCapabilities(container).some(({ capability }) => capability === 'CAP_SYS_ADMIN')
  )
}

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
  fieldsRead: [
    'pod.spec.os.name',
    'container.securityContext.allowPrivilegeEscalation',
    'container.securityContext.privileged',
    'container.securityContext.capabilities.add',
  ],
  check: (pod) =>
    // Windows pods are exempt since 1.25: the field does not apply to them
    isWindowsPod(pod)
      ? []
      : pod.containers.flatMap((container) => {
          const setting = containerSetting(container, 'allowPrivilegeEscalation')
          if (setting.value === false) return []
          const allowed = setting.value === true
          // an explicit true was chosen, so turning it off is for review; no fix until privileged goes
          const fix = needsEscalation(container)
            ? undefined
            : setFix(allowed ? 'review' : 'safe', 'Set allowPrivilegeEscalation: false.', setting.path, false)
          return [{ ...settingViolation(setting, allowed ? 'allowed' : 'unset'), fix }]
        }),
}
