import { describe } from 'vitest'
import { hostPathVolumes } from '../../src/rules/pss/host-path-volumes.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-host-path-volumes', () => {
  const cases: FixedRuleCase[] = [
    {
      name: 'fires on each hostPath volume',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
          volumes:
            - name: cache
              emptyDir: {}
            - name: docker-sock
              hostPath:
                path: /var/run/docker.sock
            - name: root
              hostPath: { path: / }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Replace the hostPath source of volume "docker-sock" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [del(['spec', 'volumes', item(1, 'docker-sock'), 'hostPath']), set(['spec', 'volumes', item(1, 'docker-sock'), 'emptyDir'], {})],
        },
        {
          safety: 'review',
          description: 'Replace the hostPath source of volume "root" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [del(['spec', 'volumes', item(2, 'root'), 'hostPath']), set(['spec', 'volumes', item(2, 'root'), 'emptyDir'], {})],
        },
      ],
      expected: [
        {
          message: 'Volume "docker-sock" mounts a host path.',
          path: 'spec.volumes[name=docker-sock].hostPath',
          container: null,
          line: 12,
        },
        { message: 'Volume "root" mounts a host path.', path: 'spec.volumes[name=root].hostPath', container: null, line: 15 },
      ],
    },
    {
      name: 'fires on an empty hostPath block',
      text: yaml`
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: ds
        spec:
          template:
            spec:
              containers:
                - name: app
              volumes:
                - name: host
                  hostPath: {}
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Replace the hostPath source of volume "host" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [del(['spec', 'template', 'spec', 'volumes', item(0, 'host'), 'hostPath']), set(['spec', 'template', 'spec', 'volumes', item(0, 'host'), 'emptyDir'], {})],
        },
      ],
      expected: [
        {
          message: 'Volume "host" mounts a host path.',
          path: 'spec.template.spec.volumes[name=host].hostPath',
          container: null,
          line: 12,
        },
      ],
    },
    {
      name: 'does not fire on other volumes or hostPath: null',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
          volumes:
            - name: config
              configMap: { name: c }
            - name: nothing
              hostPath: null
      `,
      expected: [],
    },
  ]
  ruleCases(hostPathVolumes, cases)
  ruleFixes(hostPathVolumes, cases)
})
