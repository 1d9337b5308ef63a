import type { PodRule } from '../rule.js'

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
  check: (pod) =>
    HOST_NAMESPACE_FIELDS.flatMap((field) =>
      pod.spec[field] === true ? [{ messageId: 'hostNamespace', data: { field }, path: [...pod.specPath, field] }] : [],
    ),
}
