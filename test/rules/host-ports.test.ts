import { describe } from 'vitest'
import { hostPorts } from '../../src/rules/pss/host-ports.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes } from '../fix/rule-fixes.js'

describe('pss-host-ports', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on a host port, naming the port by its name when it has one',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              ports:
                - containerPort: 80
                - name: http
                  containerPort: 8080
                  hostPort: 8080
                - containerPort: 9090
                  hostPort: 9091
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove hostPort 8080.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'ports', item(1, 'http'), 'hostPort'])],
        },
        {
          safety: 'review',
          description: 'Remove hostPort 9091.',
          edits: [del(['spec', 'containers', item(0, 'app'), 'ports', item(2, '9090', 'containerPort'), 'hostPort'])],
        },
      ],
      expected: [
        {
          message: 'Container "app" binds host port 8080.',
          path: 'spec.containers[name=app].ports[name=http].hostPort',
          container: 'app',
          line: 12,
        },
        {
          message: 'Container "app" binds host port 9091.',
          path: 'spec.containers[name=app].ports[containerPort=9090].hostPort',
          container: 'app',
          line: 14,
        },
      ],
    },
    {
      name: 'fires on an init container',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          initContainers:
            - name: init
              ports: [{ containerPort: 53, hostPort: 53 }]
          containers:
            - name: app
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Remove hostPort 53.',
          edits: [del(['spec', 'initContainers', item(0, 'init'), 'ports', item(0, '53', 'containerPort'), 'hostPort'])],
        },
      ],
      expected: [
        {
          message: 'Container "init" binds host port 53.',
          path: 'spec.initContainers[name=init].ports[containerPort=53].hostPort',
          container: 'init',
          line: 8,
        },
      ],
    },
    {
      name: 'does not fire on hostPort: 0 or container ports only',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
              ports:
                - containerPort: 80
                  hostPort: 0
                - containerPort: 81
      `,
      expected: [],
    },
  ]
  ruleCases(hostPorts, cases)
  ruleFixes(hostPorts, cases)
})
