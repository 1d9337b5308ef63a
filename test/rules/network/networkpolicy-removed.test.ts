import { describe, expect, it } from 'vitest'
import { networkpolicyRemoved } from '../../../src/rules/network/networkpolicy-removed.js'
import { yaml } from '../../helpers/evaluate.js'
import { engineFindings, placed, runTransition, VIAS } from './helpers.js'

const rule = networkpolicyRemoved

const denyAll = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: default-deny
    namespace: shop
  spec:
    podSelector: {}
    policyTypes: [Ingress, Egress]
`

const webOnly = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: web
    namespace: shop
  spec:
    podSelector:
      matchLabels: { app: web }
      matchExpressions:
        - { key: tier, operator: In, values: [front, edge] }
    ingress:
      - from:
          - podSelector: { matchLabels: { app: lb } }
`

describe('networkpolicy-removed: check', () => {
  it('fires on a policy present at base and gone at head, on the base object', () => {
    expect(runTransition(rule, { base: denyAll })).toEqual([
      {
        on: 'base',
        messageId: 'removed',
        data: { policy: 'shop/default-deny', selected: 'every pod in its namespace' },
        path: 'metadata.name',
      },
    ])
  })

  it('describes the pods a narrower policy selected', () => {
    expect(runTransition(rule, { base: webOnly })[0]?.data?.selected).toBe('the pods matching app=web,tier in (front,edge)')
  })

  it('does not fire on an added or a kept policy', () => {
    expect(runTransition(rule, { head: denyAll })).toEqual([])
    expect(runTransition(rule, { base: denyAll, head: denyAll })).toEqual([])
  })

  it('treats the same spec under another name in the same namespace as a rename', () => {
    const renamed = denyAll.replace('name: default-deny', 'name: deny-everything')
    expect(runTransition(rule, { base: denyAll, headOthers: renamed })).toEqual([])
  })

  it('counts policyTypes by effect and ignores their order when matching a rename', () => {
    const base = webOnly
    const renamed = webOnly.replace('name: web', 'name: web-v2').replace('  ingress:', '  policyTypes: [Ingress]\n  ingress:')
    expect(runTransition(rule, { base, headOthers: renamed })).toEqual([])
  })

  it('treats a move from extensions/v1beta1 to networking.k8s.io/v1 as the same policy', () => {
    const old = denyAll.replace('networking.k8s.io/v1', 'extensions/v1beta1')
    expect(runTransition(rule, { base: old, headOthers: denyAll })).toEqual([])
    expect(runTransition(rule, { base: old })).toHaveLength(1)
  })

  it('still fires when a copy with the same name stays in another directory', () => {
    // envs/dev and envs/prod both hold shop/default-deny: deleting dev's copy is a deletion
    expect(runTransition(rule, { base: denyAll, headOthers: denyAll })).toHaveLength(1)
  })

  it('still fires when the renamed policy differs, or lives in another namespace', () => {
    const changed = denyAll.replace('name: default-deny', 'name: deny-ingress').replace('[Ingress, Egress]', '[Ingress]')
    expect(runTransition(rule, { base: denyAll, headOthers: changed })).toHaveLength(1)
    const elsewhere = denyAll.replace('name: default-deny', 'name: x').replace('namespace: shop', 'namespace: other')
    expect(runTransition(rule, { base: denyAll, headOthers: elsewhere })).toHaveLength(1)
  })

  it('does not throw on wrong types', () => {
    const broken = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: { name: broken }
      spec: null
    `
    expect(runTransition(rule, { base: broken })).toEqual([
      { on: 'base', messageId: 'removed', data: { policy: 'default/broken', selected: 'every pod in its namespace' }, path: 'metadata.name' },
    ])
    const weird = broken.replace('spec: null', 'spec: { podSelector: "x", ingress: "x" }')
    expect(() => runTransition(rule, { base: weird, headOthers: broken })).not.toThrow()
  })
})

describe.each(VIAS)('networkpolicy-removed through the engine (%s)', (via) => {
  const app = yaml`
    apiVersion: v1
    kind: ConfigMap
    metadata: { name: settings, namespace: shop }
    data: { color: blue }
  `

  it('reports the deleted file at the policy line, as new', async () => {
    const base = { 'k8s/policies.yaml': `${app}---\n${denyAll}`, 'k8s/other.yaml': app }
    const head = { 'k8s/policies.yaml': app, 'k8s/other.yaml': app }
    const findings = await engineFindings(rule, base, head, via)
    // the policy is the second document: its `name:` sits on line 9 of the base file
    expect(placed(findings)).toEqual(['new networkpolicy-removed k8s/policies.yaml:9'])
    expect(findings[0]?.message).toBe('NetworkPolicy "shop/default-deny" was removed; it selected every pod in its namespace.')
  })

  it('reports the copy deleted from one environment while another keeps its own', async () => {
    const base = { 'envs/dev/np.yaml': denyAll, 'envs/prod/np.yaml': denyAll }
    const head = { 'envs/prod/np.yaml': denyAll }
    expect(placed(await engineFindings(rule, base, head, via))).toEqual(['new networkpolicy-removed envs/dev/np.yaml:4'])
  })

  it('reports nothing for an unrelated change, a move to another file or a rename', async () => {
    const base = { 'a.yaml': denyAll, 'b.yaml': app }
    expect(await engineFindings(rule, base, { 'a.yaml': denyAll, 'b.yaml': app.replace('blue', 'red') }, via)).toEqual([])
    expect(await engineFindings(rule, base, { 'moved/c.yaml': denyAll, 'b.yaml': app }, via)).toEqual([])
    const renamed = denyAll.replace('name: default-deny', 'name: deny-all')
    expect(await engineFindings(rule, base, { 'a.yaml': renamed, 'b.yaml': app }, via)).toEqual([])
  })
})
