import { describe, expect, it } from 'vitest'
import { labelsOf, selectorMatches } from '../../../src/rules/network/shared.js'
import { workloadUncovered } from '../../../src/rules/network/workload-uncovered.js'
import { yaml } from '../../helpers/evaluate.js'
import { engineFindings, placed, runTransition, transitionIds, VIAS } from './helpers.js'

const rule = workloadUncovered

function deployment(labels: string, namespace = 'shop'): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      namespace: ${namespace}
    spec:
      replicas: 2
      selector: { matchLabels: { app: api } }
      template:
        metadata:
          labels: ${labels}
        spec:
          containers:
            - name: app
              image: api:1.0
  `
}

function policy(name: string, podSelector: string, namespace = 'shop'): string {
  return yaml`
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: ${name}
      namespace: ${namespace}
    spec:
      podSelector: ${podSelector}
      policyTypes: [Ingress]
  `
}

const apiPolicy = policy('api-ingress', '{ matchLabels: { app: api } }')

describe('workload-uncovered: check', () => {
  it('fires when the labels a policy selected change, at the pod template labels', () => {
    expect(
      runTransition(rule, {
        base: deployment('{ app: api }'),
        head: deployment('{ app: api-v2 }'),
        baseOthers: apiPolicy,
        headOthers: apiPolicy,
      }),
    ).toEqual([
      {
        on: 'head',
        messageId: 'uncovered',
        data: { kind: 'Deployment', workload: 'shop/api', policies: '"api-ingress"' },
        path: 'spec.template.metadata.labels',
      },
    ])
  })

  it('fires when the only selecting policy is gone at head', () => {
    const workload = deployment('{ app: api }')
    expect(transitionIds(rule, { base: workload, head: workload, baseOthers: apiPolicy })).toEqual([
      'uncovered@spec.template.metadata.labels',
    ])
  })

  it('lists a few of the policies that selected it', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((n) => policy(n, '{ matchLabels: { app: api } }')).join('---\n')
    const [violation] = runTransition(rule, { base: deployment('{ app: api }'), head: deployment('{ app: x }'), baseOthers: many, headOthers: many })
    expect(violation?.data?.policies).toBe('"a", "b", "c" and 2 more')
  })

  it('does not fire while any policy still selects it', () => {
    const byTier = policy('tier', '{ matchLabels: { tier: backend } }')
    const both = `${apiPolicy}---\n${byTier}`
    expect(
      transitionIds(rule, {
        base: deployment('{ app: api, tier: backend }'),
        head: deployment('{ app: api-v2, tier: backend }'),
        baseOthers: both,
        headOthers: both,
      }),
    ).toEqual([])
    const everything = policy('default-deny', '{}')
    expect(
      transitionIds(rule, { base: deployment('{ app: api }'), head: deployment('{ app: x }'), baseOthers: everything, headOthers: everything }),
    ).toEqual([])
  })

  it('does not fire for a workload no policy selected at base', () => {
    expect(transitionIds(rule, { base: deployment('{ app: web }'), head: deployment('{ app: x }'), baseOthers: apiPolicy, headOthers: apiPolicy })).toEqual([])
  })

  it('only counts policies of the same namespace', () => {
    const elsewhere = policy('api-ingress', '{ matchLabels: { app: api } }', 'other')
    expect(
      transitionIds(rule, { base: deployment('{ app: api }'), head: deployment('{ app: x }'), baseOthers: elsewhere, headOthers: elsewhere }),
    ).toEqual([])
    // the workload names no namespace: it lives in `default`, and so does a policy naming none
    const inDefault = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: p }
      spec: { podSelector: { matchLabels: { app: api } } }
    `
    const base = deployment('{ app: api }').replace('  namespace: shop\n', '')
    const head = deployment('{ app: x }').replace('  namespace: shop\n', '')
    expect(transitionIds(rule, { base, head, baseOthers: inDefault, headOthers: inDefault })).toEqual(['uncovered@spec.template.metadata.labels'])
  })

  it('does not fire on added or deleted workloads, or on objects without a pod', () => {
    const workload = deployment('{ app: api }')
    expect(transitionIds(rule, { head: workload, baseOthers: apiPolicy })).toEqual([])
    expect(transitionIds(rule, { base: workload, baseOthers: apiPolicy })).toEqual([])
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\n'
    expect(transitionIds(rule, { base: config, head: config, baseOthers: apiPolicy })).toEqual([])
  })

  it('finds the pod of every workload kind', () => {
    const cronJob = (app: string): string => yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: { name: nightly, namespace: shop }
      spec:
        schedule: "0 3 * * *"
        jobTemplate:
          spec:
            template:
              metadata: { labels: { app: ${app} } }
              spec: { containers: [{ name: job, image: job:1 }] }
    `
    expect(transitionIds(rule, { base: cronJob('api'), head: cronJob('x'), baseOthers: apiPolicy, headOthers: apiPolicy })).toEqual([
      'uncovered@spec.jobTemplate.spec.template.metadata.labels',
    ])
    const pod = (app: string): string => `apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: shop, labels: { app: ${app} } }\nspec: { containers: [{ name: a }] }\n`
    expect(transitionIds(rule, { base: pod('api'), head: pod('x'), baseOthers: apiPolicy, headOthers: apiPolicy })).toEqual(['uncovered@metadata.labels'])
  })

  it('reads the NetworkPolicy of extensions/v1beta1 as well', () => {
    const old = apiPolicy.replace('networking.k8s.io/v1', 'extensions/v1beta1')
    expect(transitionIds(rule, { base: deployment('{ app: api }'), head: deployment('{ app: x }'), baseOthers: old, headOthers: old })).toEqual([
      'uncovered@spec.template.metadata.labels',
    ])
  })

  it('does not throw on wrong types', () => {
    const odd = policy('odd', '"x"').replace('policyTypes: [Ingress]', 'ingress: 3')
    const weird = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: weird, namespace: shop }
      spec: { podSelector: { matchLabels: "x", matchExpressions: [null, 3, { key: 5 }] } }
    `
    expect(() =>
      runTransition(rule, { base: deployment('"x"'), head: deployment('[1, 2]'), baseOthers: `${odd}---\n${weird}`, headOthers: weird }),
    ).not.toThrow()
  })
})

describe('label selectors', () => {
  const labels = labelsOf({ labels: { app: 'api', tier: 'backend', version: 2 } })

  it.each([
    [{}, true],
    [null, true],
    [{ matchLabels: { app: 'api' } }, true],
    [{ matchLabels: { app: 'api', tier: 'front' } }, false],
    [{ matchLabels: { version: 2 } }, true], // YAML read both as numbers
    [{ matchLabels: { version: '2' } }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'front'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true], // absent label: not in
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    // matchLabels AND matchExpressions
    [{ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    // what the API server rejects selects nothing
    [{ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['api'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, false],
    [{ matchExpressions: [{ operator: 'Exists' }] }, false],
  ])('%j matches: %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected)
  })
})

describe.each(VIAS)('workload-uncovered through the engine (%s)', (via) => {
  const policies = `${apiPolicy}---\n${policy('other', '{ matchLabels: { app: other } }')}`

  it('sees the policy in an unchanged file when the workload labels change in the diff', async () => {
    const base = { 'policies/network.yaml': policies, 'apps/api.yaml': deployment('{ app: api }') }
    const head = { 'policies/network.yaml': policies, 'apps/api.yaml': deployment('{ app: api-v2 }') }
    const findings = await engineFindings(rule, base, head, via)
    // `labels:` of the pod template is line 11 of the Deployment
    expect(placed(findings)).toEqual(['new workload-uncovered apps/api.yaml:11'])
    expect(findings[0]?.message).toBe('Deployment "shop/api" is no longer selected by any NetworkPolicy; at base it was selected by "api-ingress".')
  })

  it('reports nothing for an unrelated change to the workload', async () => {
    const base = { 'policies/network.yaml': policies, 'apps/api.yaml': deployment('{ app: api }') }
    const head = { 'policies/network.yaml': policies, 'apps/api.yaml': deployment('{ app: api }').replace('replicas: 2', 'replicas: 5') }
    expect(await engineFindings(rule, base, head, via)).toEqual([])
  })

  it('reports the workload when its policy is deleted in the same change', async () => {
    const workload = deployment('{ app: api }')
    const base = { 'policies/api.yaml': apiPolicy, 'apps/api.yaml': workload }
    const head = { 'apps/api.yaml': workload.replace('api:1.0', 'api:1.1') }
    expect(placed(await engineFindings(rule, base, head, via))).toEqual(['new workload-uncovered apps/api.yaml:11'])
  })
})
