import { describe } from 'vitest'
import { hostPathVolumes } from '../../src/rules/pss/host-path-volumes.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-host-path-volumes', () => {
  ruleCases(hostPathVolumes, [
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
  ])
})
