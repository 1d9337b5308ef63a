import { describe } from 'vitest'
import { restrictedVolumes } from '../../src/rules/pss/restricted-volumes.js'
import { yaml } from '../helpers/evaluate.js'
import { ruleCases } from '../helpers/rule-cases.js'
import { type FixedRuleCase, del, item, ruleFixes, set } from '../fix/rule-fixes.js'

describe('pss-restricted-volumes', () => {
  const cases: FixedRuleCase[] = [
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
      fixes: [
        {
          safety: 'review',
          description: 'Replace the nfs source of volume "share" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [del(['spec', 'volumes', item(0, 'share'), 'nfs']), set(['spec', 'volumes', item(0, 'share'), 'emptyDir'], {})],
        },
        {
          safety: 'review',
          description: 'Replace the gitRepo source of volume "repo" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [del(['spec', 'volumes', item(1, 'repo'), 'gitRepo']), set(['spec', 'volumes', item(1, 'repo'), 'emptyDir'], {})],
        },
        {
          safety: 'review',
          description: 'Replace the someNewSource source of volume "future" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [del(['spec', 'volumes', item(2, 'future'), 'someNewSource']), set(['spec', 'volumes', item(2, 'future'), 'emptyDir'], {})],
        },
      ],
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
    {
      name: 'a volume with two disallowed sources gets one fix that replaces both',
      text: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: app
          volumes:
            - name: twice
              nfs: { server: nfs.example, path: /a }
              iscsi: { targetPortal: 10.0.0.1, iqn: x, lun: 0 }
      `,
      fixes: [
        {
          safety: 'review',
          description: 'Replace the nfs and iscsi source of volume "twice" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [
            del(['spec', 'volumes', item(0, 'twice'), 'nfs']),
            del(['spec', 'volumes', item(0, 'twice'), 'iscsi']),
            set(['spec', 'volumes', item(0, 'twice'), 'emptyDir'], {}),
          ],
        },
        {
          safety: 'review',
          description: 'Replace the nfs and iscsi source of volume "twice" with an emptyDir (empty when the pod starts, gone when it ends).',
          edits: [
            del(['spec', 'volumes', item(0, 'twice'), 'nfs']),
            del(['spec', 'volumes', item(0, 'twice'), 'iscsi']),
            set(['spec', 'volumes', item(0, 'twice'), 'emptyDir'], {}),
          ],
        },
      ],
      expected: [
        { message: 'Volume "twice" has source type nfs.', path: 'spec.volumes[name=twice].nfs', container: null, line: 10 },
        { message: 'Volume "twice" has source type iscsi.', path: 'spec.volumes[name=twice].iscsi', container: null, line: 11 },
      ],
    },
  ]
  ruleCases(restrictedVolumes, cases)
  ruleFixes(restrictedVolumes, cases)
})
