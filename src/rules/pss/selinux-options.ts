import { asObject, asString } from '../../extract/json.js'
import type { PodRule, Violation } from '../rule.js'
import { removeFix, scopeOf, settingsOf, settingViolation } from './pod-security.js'

/** SELinux types baseline allows ('' = unset); container_engine_t since policy 1.31. */
const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
])

export const selinuxOptions: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-selinux-options',
    title: 'Custom SELinux options',
    severity: 'high',
    pss: { check: 'seLinuxOptions', level: 'baseline' },
    description:
      'A custom SELinux user, role or type can lift the confinement the container runtime gives every container.',
    remediation:
      'Remove `seLinuxOptions.user` and `.role`, and leave `.type` unset or one of container_t, container_init_t, container_kvm_t, container_engine_t.',
    messages: {
      podType: 'The pod sets seLinuxOptions.type to "{{value}}".',
      containerType: 'Container "{{container}}" sets seLinuxOptions.type to "{{value}}".',
      podUser: 'The pod sets seLinuxOptions.user.',
      containerUser: 'Container "{{container}}" sets seLinuxOptions.user.',
      podRole: 'The pod sets seLinuxOptions.role.',
      containerRole: 'Container "{{container}}" sets seLinuxOptions.role.',
    },
  },
  fieldsRead: ['pod.spec.securityContext.seLinuxOptions', 'container.securityContext.seLinuxOptions'],
  check: (pod) =>
    settingsOf(pod, 'seLinuxOptions').flatMap((setting) => {
      const options = asObject(setting.value)
      if (!options) return []
      const scope = scopeOf(setting)
      const violations: Violation[] = []
      const report = (messageId: string, field: string, data: Record<string, string> = {}): void => {
        const violation = settingViolation(setting, messageId, data, field)
        violations.push({ ...violation, fix: removeFix(`Remove seLinuxOptions.${field}.`, violation.path) })
      }
      const type = asString(options.type) ?? ''
      if (!ALLOWED_TYPES.has(type)) report(`${scope}Type`, 'type', { value: type })
      if (asString(options.user)) report(`${scope}User`, 'user')
      if (asString(options.role)) report(`${scope}Role`, 'role')
      return violations
    }),
}
