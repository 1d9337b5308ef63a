import type { PodRule } from '../rule.js'
import { containerSetting, isProfileSet, isWindowsPod, podSetting, setFix, settingViolation } from './pod-security.js'

export const seccompProfileRestricted: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-seccomp-profile-restricted',
    title: 'Seccomp profile not set',
    severity: 'medium',
    pss: { check: 'seccompProfile_restricted', level: 'restricted' },
    description:
      'Without a seccomp profile a container may run with every system call available; restricted requires RuntimeDefault or a Localhost profile.',
    remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or on every container).',
    messages: { unset: 'Container "{{container}}" has no seccomp profile, and the pod sets none.' },
  },
  fieldsRead: [
    'pod.spec.os.name',
    'pod.spec.securityContext.seccompProfile',
    'container.securityContext.seccompProfile',
  ],
  check: (pod) => {
    // Windows pods are exempt since 1.25: seccomp is a Linux feature
    if (isWindowsPod(pod)) return []
    // Any explicitly set profile is either allowed or reported by pss-seccomp-profile-baseline (the
    // check restricted replaces), so this rule reports only containers left with no profile at all.
    if (isProfileSet(podSetting(pod, 'seccompProfile'))) return []
    return pod.containers
      .map((container) => containerSetting(container, 'seccompProfile'))
      .filter((setting) => !isProfileSet(setting))
      .map((setting) => ({
        ...settingViolation(setting, 'unset'),
        fix: setFix('safe', 'Set seccompProfile.type to RuntimeDefault.', setting.path, { type: 'RuntimeDefault' }),
      }))
  },
}
