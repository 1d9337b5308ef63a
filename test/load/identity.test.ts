import { describe, expect, it } from 'vitest'
import { groupOf, identityKey, makeIdentity } from '../../src/extract/identity.js'
import { evaluateText } from '../support/engine.js'

const identities = (text: string) => evaluateText('objects.yaml', text).objects.map((o) => o.resource.identity)

describe('object identity', () => {
  it('defaults the namespace of namespaced kinds to default', () => {
    expect(identities('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n')).toEqual([
      { group: 'apps', kind: 'Deployment', namespace: 'default', name: 'web' },
    ])
    // an explicit `default` and an empty namespace are the same object as none
    const explicit = identities('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\n')
    const empty = identities('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ""\n')
    expect(explicit).toEqual(identities('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'))
    expect(empty).toEqual(explicit)
  })

  it('keeps a named namespace', () => {
    expect(identities('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\n')).toEqual([
      { group: '', kind: 'Service', namespace: 'shop', name: 's' },
    ])
  })

  it('gives cluster-scoped kinds no namespace, even when one is written', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: shop',
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast',
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv',
      'apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata:\n  name: must-have-owner',
    ].join('\n---\n')
    expect(identities(text)).toEqual([
      { group: '', kind: 'Namespace', namespace: null, name: 'shop' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: null, name: 'reader' },
      { group: 'storage.k8s.io', kind: 'StorageClass', namespace: null, name: 'fast' },
      { group: '', kind: 'PersistentVolume', namespace: null, name: 'pv' },
      { group: 'constraints.gatekeeper.sh', kind: 'K8sRequiredLabels', namespace: null, name: 'must-have-owner' },
    ])
  })

  it('takes the group from apiVersion, without the version', () => {
    expect(groupOf('v1')).toBe('')
    expect(groupOf('apps/v1')).toBe('apps')
    expect(groupOf('networking.k8s.io/v1beta1')).toBe('networking.k8s.io')
    // the version is not part of the identity: v1beta1 and v1 of one group are the same object
    expect(makeIdentity('batch/v1beta1', 'CronJob', undefined, 'c')).toEqual(makeIdentity('batch/v1', 'CronJob', undefined, 'c'))
    // but another group is another object
    expect(identityKey(makeIdentity('example.com/v1', 'Deployment', 'a', 'x'))).not.toBe(
      identityKey(makeIdentity('apps/v1', 'Deployment', 'a', 'x')),
    )
  })

  it('distinguishes identities in keys', () => {
    const keys = new Set(
      [
        makeIdentity('v1', 'Pod', 'a', 'x'),
        makeIdentity('v1', 'Pod', 'b', 'x'),
        makeIdentity('v1', 'Pod', 'a', 'y'),
        makeIdentity('v1', 'Service', 'a', 'x'),
        makeIdentity('apps/v1', 'Pod', 'a', 'x'),
      ].map(identityKey),
    )
    expect(keys.size).toBe(5)
  })

  it('names an object by generateName when it has no name', () => {
    expect(identities('apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n')).toEqual([
      { group: 'batch', kind: 'Job', namespace: 'default', name: 'migrate-' },
    ])
  })
})
