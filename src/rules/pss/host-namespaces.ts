import type { PodRule } from '../rule.js'
import { hostProcessSettings, removeFix } from './pod-security.js'

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const

export const hostNamespaces: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-host-namespaces',
    title: 'Host namespaces shared',
    severity: 'high',
    pss: { check: 'hostNamespaces', level: 'baseline' },
    description:
      "Sharing the node's network, process or IPC namespace lets a pod see and reach the host's traffic, processes and shared memory.",
    remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC`, or set them to `false`.',
    messages: { hostNamespace: 'The pod sets {{field}}: true.' },
  },
  fieldsRead: [
    'pod.spec.hostNetwork',
    'pod.spec.hostPID',
    'pod.spec.hostIPC',
    'pod.spec.securityContext.windowsOptions.hostProcess',
    'container.securityContext.windowsOptions.hostProcess',
  ],
  check: (pod) =>
    HOST_NAMESPACE_FIELDS.flatMap((field) => {
      if (pod.spec[field] !== true) return []
      const path = [...pod.specPath, field]
      // HostProcess containers require hostNetwork: no fix for it until they are gone
      const blocked = field === 'hostNetwork' && hostProcessSettings(pod).length > 0
      const fix = blocked ? undefined : removeFix(`Remove ${field}: true.`, path)
      return [{ messageId: 'hostNamespace', data: { field }, path, fix }]
    }),
}
