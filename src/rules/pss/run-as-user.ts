import type { PodRule } from '../rule.js'
import { scopeOf, settingsOf, settingViolation, usesUserNamespace } from './pod-security.js'

export const runAsUser: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-run-as-user',
    title: 'Runs as root (UID 0)',
    severity: 'medium',
    pss: { check: 'runAsUser', level: 'restricted' },
    description: 'runAsUser: 0 runs the container as root, whatever runAsNonRoot says elsewhere.',
    remediation: 'Set `runAsUser` to a non-zero UID, or remove it and let the image choose a non-root user.',
    messages: {
      pod: 'The pod sets runAsUser: 0.',
      container: 'Container "{{container}}" sets runAsUser: 0.',
    },
  },
  check: (pod) =>
    // since 1.35 UID 0 is allowed in a user namespace, where it maps to an unprivileged UID on the node
    usesUserNamespace(pod)
      ? []
      : settingsOf(pod, 'runAsUser')
          .filter((setting) => setting.value === 0)
          .map((setting) => settingViolation(setting, scopeOf(setting))),
}
