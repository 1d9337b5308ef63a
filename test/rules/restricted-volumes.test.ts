import { describe } from 'vitest'
import { restrictedVolumes } from '../../src/rules/pss/restricted-volumes.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'

describe('pss-restricted-volumes', () => {
  ruleCases(restrictedVolumes, [
    {
      name: 'fires on inline network and node volume sources, and unknown ones',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
          volumes:
            - name: share
              nfs:
                server: nfs.example
                path: /exports
            - name: repo
              gitRepo: { repository: https://example.com/repo.git }
            - name: future
              someNewSource: { id: x }
      `,
      expected: [
        { message: 'Volume "share" has source type nfs.', path: 'spec.volumes[name=share].nfs', container: null, line: 10 },
        { message: 'Volume "repo" has source type gitRepo.', path: 'spec.volumes[name=repo].gitRepo', container: null, line: 14 },
        {
          message: 'Volume "future" has source type someNewSource.',
          path: 'spec.volumes[name=future].someNewSource',
          container: null,
          line: 16,
        },
      ],
    },
    {
      name: 'leaves hostPath to pss-host-path-volumes',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
          volumes:
            - name: host
              hostPath: { path: /etc }
      `,
      expected: [],
    },
    {
      name: 'does not fire on the allowed sources, or a volume with a name only (defaults to emptyDir)',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
          volumes:
            - name: bare
            - { name: a, configMap: { name: c } }
            - { name: b, csi: { driver: secrets-store.csi.k8s.io } }
            - { name: c, downwardAPI: { items: [] } }
            - { name: d, emptyDir: {} }
            - { name: e, ephemeral: { volumeClaimTemplate: { spec: {} } } }
            - { name: f, image: { reference: registry.example/data:1 } }
            - { name: g, persistentVolumeClaim: { claimName: data } }
            - { name: h, projected: { sources: [] } }
            - { name: i, secret: { secretName: s } }
      `,
      expected: [],
    },
  ])
})
