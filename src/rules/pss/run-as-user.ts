import type { PodRule } from '../rule.js'
import { podSetting, removeFix, scopeOf, settingsOf, settingViolation, usesUserNamespace } from './pod-security.js'

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
  fieldsRead: ['pod.spec.hostUsers', 'pod.spec.securityContext.runAsUser', 'container.securityContext.runAsUser'],
  check: (pod) =>
    // since 1.35 UID 0 is allowed in a user namespace, where it maps to an unprivileged UID on the node
    usesUserNamespace(pod)
      ? []
      : settingsOf(pod, 'runAsUser')
          .filter((setting) => setting.value === 0)
          .map((setting) => {
            // No UID can be guessed: removing the 0 hands the choice back to the image's USER (or the
            // pod's runAsUser), which runAsNonRoot: true then checks. Not while the pod's is 0 too.
            const inheritsRoot = setting.container !== undefined && podSetting(pod, 'runAsUser').value === 0
            const fix = inheritsRoot ? undefined : removeFix('Remove runAsUser: 0.', setting.path)
            return { ...settingViolation(setting, scopeOf(setting)), fix }
          }),
}
