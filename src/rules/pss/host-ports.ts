import { asArray, asObject } from '../../extract/json.js'
import type { PodRule } from '../rule.js'
import { itemRef, removeFix } from './pod-security.js'

export const hostPorts: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-host-ports',
    title: 'Host port',
    severity: 'high',
    pss: { check: 'hostPorts', level: 'baseline' },
    description:
      "A host port binds the container to the node's own network interfaces, bypassing network policies and exposing it beyond the cluster network.",
    remediation: 'Remove `hostPort` (or set it to 0) and expose the port through a Service instead.',
    messages: { hostPort: 'Container "{{container}}" binds host port {{hostPort}}.' },
  },
  fieldsRead: ['container.ports'],
  check: (pod) =>
    pod.containers.flatMap((container) =>
      asArray(container.spec.ports).flatMap((item, index) => {
        const port = asObject(item)
        const hostPort = port?.hostPort
        if (typeof hostPort !== 'number' || hostPort === 0) return []
        // a named port is identified by its name, an unnamed one by its container port
        const ref = itemRef(item, index, typeof port?.name === 'string' ? 'name' : 'containerPort')
        const path = [...container.path, 'ports', ref, 'hostPort']
        const fix = removeFix(`Remove hostPort ${hostPort}.`, path)
        return [{ messageId: 'hostPort', data: { container: container.name, hostPort }, path, container: container.name, fix }]
      }),
    ),
}
