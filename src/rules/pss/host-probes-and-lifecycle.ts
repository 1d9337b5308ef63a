import { asString, getIn } from '../../extract/json.js'
import type { PodRule } from '../rule.js'
import { removeFix } from './pod-security.js'

/** Where a probe or lifecycle handler names the host it connects to: handler path, then action. */
const HANDLERS = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
]
const ACTIONS = ['httpGet', 'tcpSocket']
/** Every field that can name a host, e.g. `livenessProbe.httpGet.host` (built once: the check runs for every pod). */
const HOST_FIELDS = HANDLERS.flatMap((handler) => ACTIONS.map((action) => [...handler, action, 'host']))

export const hostProbesAndLifecycle: PodRule = {
  kind: 'pod',
  meta: {
    id: 'pss-host-probes-and-lifecycle',
    title: 'Probe or lifecycle hook to another host',
    severity: 'high',
    pss: { check: 'hostProbesAndHostLifecycle', level: 'baseline' },
    description:
      'A probe or lifecycle hook with a `host` makes the kubelet connect to any address it names, from the node: a way to reach services the pod itself cannot.',
    remediation: 'Remove `host` so the kubelet connects to the pod IP.',
    messages: { host: 'Container "{{container}}" points {{field}} at host {{host}}.' },
  },
  fieldsRead: ['container.livenessProbe', 'container.readinessProbe', 'container.startupProbe', 'container.lifecycle'],
  check: (pod) =>
    pod.containers.flatMap((container) =>
      HOST_FIELDS.flatMap((fields) => {
        const host = asString(getIn(container.spec, fields))
        if (!host) return []
        const path = [...container.path, ...fields]
        const data = { container: container.name, field: fields.join('.'), host }
        const fix = removeFix(`Remove ${fields.join('.')} so the kubelet connects to the pod IP.`, path)
        return [{ messageId: 'host', data, path, container: container.name, fix }]
      }),
    ),
}
