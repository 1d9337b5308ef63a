import { describe } from 'vitest'
import { hostProbesAndLifecycle } from '../../src/rules/pss/host-probes-and-lifecycle.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-host-probes-and-lifecycle', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on every probe and lifecycle handler that names a host',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              livenessProbe:
                httpGet: { host: 10.0.0.1, port: 80 }
              readinessProbe:
                tcpSocket: { host: db.internal, port: 5432 }
              startupProbe:
                httpGet: { host: 169.254.169.254, port: 80 }
              lifecycle:
                postStart:
                  httpGet: { host: a.example, port: 80 }
                preStop:
                  tcpSocket: { host: b.example, port: 80 }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove livenessProbe.httpGet.host so the kubelet connects to the pod IP.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'livenessProbe', 'httpGet', 'host'])],
        },
        {
          safety: 'review',
          description: 'Remove readinessProbe.tcpSocket.host so the kubelet connects to the pod IP.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'readinessProbe', 'tcpSocket', 'host'])],
        },
        {
          safety: 'review',
          description: 'Remove startupProbe.httpGet.host so the kubelet connects to the pod IP.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'startupProbe', 'httpGet', 'host'])],
        },
        {
          safety: 'review',
          description: 'Remove lifecycle.postStart.httpGet.host so the kubelet connects to the pod IP.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'lifecycle', 'postStart', 'httpGet', 'host'])],
        },
        {
          safety: 'review',
          description: 'Remove lifecycle.preStop.tcpSocket.host so the kubelet connects to the pod IP.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'lifecycle', 'preStop', 'tcpSocket', 'host'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" points livenessProbe.httpGet.host at host 10.0.0.1.',
          path: 'spec.containers[name=app].livenessProbe.httpGet.host',
          container: 'app',
          line: 9,
        },
        {
          message: 'Container "app" points readinessProbe.tcpSocket.host at host db.internal.',
          path: 'spec.containers[name=app].readinessProbe.tcpSocket.host',
          container: 'app',
          line: 11,
        },
        {
          message: 'Container "app" points startupProbe.httpGet.host at host 169.254.169.254.',
          path: 'spec.containers[name=app].startupProbe.httpGet.host',
          container: 'app',
          line: 13,
        },
        {
          message: 'Container "app" points lifecycle.postStart.httpGet.host at host a.example.',
          path: 'spec.containers[name=app].lifecycle.postStart.httpGet.host',
          container: 'app',
          line: 16,
        },
        {
          message: 'Container "app" points lifecycle.preStop.tcpSocket.host at host b.example.',
          path: 'spec.containers[name=app].lifecycle.preStop.tcpSocket.host',
          container: 'app',
          line: 18,
        },
      ],
    },
    {
      name: 'fires on an init (sidecar) container',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          initContainers:
            - name: sidecar
              restartPolicy: Always
              readinessProbe:
                tcpSocket:
                  host: 8.8.8.8
                  port: 53
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove readinessProbe.tcpSocket.host so the kubelet connects to the pod IP.',
          edits: [del(['spec', 'initContainers', item(0, 'sidecar'), 'readinessProbe', 'tcpSocket', 'host'])],
        },
      ],
      expected: [
        {
          message: 'Container "sidecar" points readinessProbe.tcpSocket.host at host 8.8.8.8.',
          path: 'spec.initContainers[name=sidecar].readinessProbe.tcpSocket.host',
          container: 'sidecar',
          line: 11,
        },
      ],
    },
    {
      name: 'does not fire without a host, or with host: ""',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              livenessProbe:
                httpGet: { port: 80, path: /healthz }
              readinessProbe:
                tcpSocket: { host: "", port: 80 }
              lifecycle:
                preStop:
                  exec: { command: [sleep, "5"] }
      `,
      expected: [],
    },
  ]
  ruleCases(hostProbesAndLifecycle, cases)
  ruleFixes(hostProbesAndLifecycle, cases)
})
