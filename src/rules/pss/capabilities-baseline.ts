import type { PodRule } from '../rule.js'
import { addedCapabilities, BASELINE_CAPABILITIES, removeFix } from './pod-security.js'

export const capabilitiesBaseline: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-capabilities-baseline',
    title: 'Capability beyond the default set added',
    severity: 'high',
    pss: { check: 'capabilities_baseline', level: 'baseline' },
    description:
      'Capabilities outside the default container set (SYS_ADMIN, NET_RAW, SYS_PTRACE, ...) give root-like powers over the kernel, the network or other processes.',
    remediation:
      'Remove the capability from `securityContext.capabilities.add`; baseline allows only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT, spelled exactly so.',
    messages: { capability: 'Container "{{container}}" adds capability {{capability}}.' },
  },
  fieldsRead: ['container.securityContext.capabilities.add'],
  check: (pod) =>
    pod.containers.flatMap((container) =>
      addedCapabilities(container)
        .filter(({ capability }) => !BASELINE_CAPABILITIES.has(capability))
        .map(({ capability, path }) => ({
          messageId: 'capability',
          data: { container: container.name, capability },
          path,
          container: container.name,
          fix: removeFix(`Remove capability ${capability}.`, path),
        })),
    ),
}
