import type { PodRule } from '../rule.js'
import { nonDefaultProcMounts, procMountViolation, usesUserNamespace } from './pod-security.js'

export const procMountRestricted: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-proc-mount-restricted',
    title: 'Unmasked /proc in a user namespace',
    severity: 'medium',
    pss: { check: 'procMount_restricted', level: 'restricted' },
    description:
      'Restricted keeps /proc masked even in a user namespace, where baseline allows unmasking it.',
    remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
    messages: { procMount: 'Container "{{container}}" sets procMount to {{procMount}}.' },
  },
  fieldsRead: ['pod.spec.hostUsers', 'container.securityContext.procMount'],
  check: (pod) =>
    // Outside a user namespace pss-proc-mount (the baseline check this one replaces) reports the
    // same field; only `hostUsers: false`, where baseline relaxes, is left for restricted.
    usesUserNamespace(pod)
      ? nonDefaultProcMounts(pod).map(procMountViolation)
      : [],
}
