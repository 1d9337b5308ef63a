import type { PodRule } from '../rule.js'
import { nonDefaultProcMounts, procMountViolation, usesUserNamespace } from './pod-security.js'

export const procMount: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-proc-mount',
    title: 'Unmasked /proc',
    severity: 'high',
    pss: { check: 'procMount', level: 'baseline' },
    description:
      "A procMount other than Default unmasks parts of /proc that expose the node's kernel and other containers.",
    remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
    messages: { procMount: 'Container "{{container}}" sets procMount to {{procMount}}.' },
  },
  fieldsRead: ['pod.spec.hostUsers', 'container.securityContext.procMount'],
  check: (pod) =>
    // since 1.35 baseline allows any procMount in a user namespace; pss-proc-mount-restricted reports those
    usesUserNamespace(pod)
      ? []
      : nonDefaultProcMounts(pod).map(procMountViolation),
}
