import type { PodRule } from '../rule.js'
import { disallowedProfileTypes, runtimeDefaultProfileFix, scopeOf, settingViolation } from './pod-security.js'

export const seccompProfileBaseline: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-seccomp-profile-baseline',
    title: 'Seccomp disabled',
    severity: 'high',
    pss: { check: 'seccompProfile_baseline', level: 'baseline' },
    description:
      'An Unconfined seccomp profile lets the container make every system call, including the rarely used ones most kernel exploits go through.',
    remediation: 'Set `seccompProfile.type` to `RuntimeDefault` (or `Localhost` with a profile on the node).',
    messages: {
      pod: 'The pod sets seccompProfile.type to "{{type}}".',
      container: 'Container "{{container}}" sets seccompProfile.type to "{{type}}".',
    },
  },
  fieldsRead: ['pod.spec.securityContext.seccompProfile', 'container.securityContext.seccompProfile'],
  check: (pod) =>
    disallowedProfileTypes(pod, 'seccompProfile').map(({ setting, type }) => ({
      ...settingViolation(setting, scopeOf(setting), { type }, 'type'),
      fix: runtimeDefaultProfileFix(setting, 'seccompProfile', type),
    })),
}
