import { describe, expect, it } from 'vitest'
import { ingressTlsRemoved } from '../../../src/rules/network/ingress-tls-removed.js'
import { yaml } from '../../helpers/evaluate.js'
import { engineFindings, placed, runTransition, transitionIds, VIAS } from './helpers.js'

const rule = ingressTlsRemoved

function ingress(tls: string, apiVersion = 'networking.k8s.io/v1'): string {
  return `${yaml`
    apiVersion: ${apiVersion}
    kind: Ingress
    metadata:
      name: shop
      namespace: web
    spec:
      rules:
        - host: shop.example.com
          http:
            paths: [{ path: /, pathType: Prefix, backend: { service: { name: shop, port: { number: 80 } } } }]
        - host: api.example.com
          http:
            paths: [{ path: /, pathType: Prefix, backend: { service: { name: api, port: { number: 80 } } } }]
  `}${tls}`
}

const bothTls = ingress('  tls:\n    - hosts: [shop.example.com, api.example.com]\n      secretName: shop-tls\n')

describe('ingress-tls-removed: check', () => {
  it('fires for each served host that loses TLS when the tls block goes, offering it back', () => {
    const violations = runTransition(rule, { base: bothTls, head: ingress('') })
    expect(violations.map((v) => `${v.messageId}@${v.path}`)).toEqual([
      'tlsRemoved@spec.rules[host=shop.example.com].host',
      'tlsRemoved@spec.rules[host=api.example.com].host',
    ])
    expect(violations[0]).toMatchObject({
      on: 'head',
      data: { ingress: 'web/shop', host: 'shop.example.com' },
      fix: {
        safety: 'review',
        edits: [{ op: 'set', path: ['spec', 'tls'], value: [{ hosts: ['shop.example.com', 'api.example.com'], secretName: 'shop-tls' }] }],
      },
    })
  })

  it('fires for a host dropped from tls[].hosts', () => {
    const head = ingress('  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n')
    expect(transitionIds(rule, { base: bothTls, head })).toEqual(['tlsRemoved@spec.rules[host=api.example.com].host'])
  })

  it('knows wildcard certificates and tls entries without hosts', () => {
    const wildcard = ingress('  tls:\n    - hosts: ["*.example.com"]\n      secretName: wildcard\n')
    const noHosts = ingress('  tls:\n    - secretName: default-cert\n')
    expect(transitionIds(rule, { base: bothTls, head: wildcard })).toEqual([])
    expect(transitionIds(rule, { base: bothTls, head: noHosts })).toEqual([])
    expect(transitionIds(rule, { base: wildcard, head: ingress('') })).toHaveLength(2)
    // a wildcard covers one label only
    const deeper = ingress('  tls:\n    - hosts: ["*.com"]\n      secretName: x\n')
    expect(transitionIds(rule, { base: deeper, head: ingress('') })).toEqual([])
  })

  it('does not fire for a host no longer served, one never under TLS, or an unchanged Ingress', () => {
    const lines = bothTls.split('\n')
    // drop the api.example.com rule (three lines) and its TLS host
    const head = [...lines.slice(0, 10), ...lines.slice(13)].join('\n').replace('[shop.example.com, api.example.com]', '[shop.example.com]')
    expect(head).not.toContain('api.example.com')
    expect(transitionIds(rule, { base: bothTls, head })).toEqual([])
    const shopTls = ingress('  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n')
    expect(transitionIds(rule, { base: shopTls, head: shopTls.replace('shop-tls', 'shop-tls-2') })).toEqual([])
    expect(transitionIds(rule, { base: ingress(''), head: ingress('') })).toEqual([])
    expect(transitionIds(rule, { base: bothTls, head: bothTls })).toEqual([])
  })

  it('does not fire on added or deleted Ingresses', () => {
    expect(transitionIds(rule, { head: ingress('') })).toEqual([])
    expect(transitionIds(rule, { base: bothTls })).toEqual([])
  })

  it('reads extensions/v1beta1 Ingresses too', () => {
    const old = (tls: string): string => ingress(tls, 'extensions/v1beta1')
    expect(transitionIds(rule, { base: old('  tls:\n    - hosts: [shop.example.com]\n'), head: old('') })).toEqual([
      'tlsRemoved@spec.rules[host=shop.example.com].host',
    ])
  })

  it('names a rule by index where two rules serve the same host', () => {
    const twice = yaml`
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: { name: x }
      spec:
        rules:
          - host: a.example.com
          - host: a.example.com
        tls:
          - hosts: [a.example.com]
    `
    expect(transitionIds(rule, { base: twice, head: twice.replace(/ {2}tls:[\s\S]*$/, '') })).toEqual(['tlsRemoved@spec.rules[0].host'])
  })

  it.each(['spec: null', 'spec: { rules: "x", tls: 3 }', 'spec: { rules: [null, 3, { host: 5 }], tls: [null, { hosts: "x" }] }'])(
    'does not throw on %s',
    (spec) => {
      const odd = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: shop, namespace: web }\n${spec}\n`
      expect(() => runTransition(rule, { base: bothTls, head: odd })).not.toThrow()
      expect(() => runTransition(rule, { base: odd, head: bothTls })).not.toThrow()
    },
  )
})

describe.each(VIAS)('ingress-tls-removed through the engine (%s)', (via) => {
  it('reports the host line of the head file, as new, with a verified fix', async () => {
    const head = ingress('  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n')
    const findings = await engineFindings(rule, { 'ing.yaml': bothTls }, { 'ing.yaml': head }, via)
    expect(placed(findings)).toEqual(['new ingress-tls-removed ing.yaml:11'])
    expect(findings[0]?.message).toBe('Ingress "web/shop" no longer terminates TLS for host api.example.com.')
    expect(findings[0]?.fix?.description).toBe('Restore the TLS section of the base.')
  })

  it('reports nothing for an unrelated change', async () => {
    const findings = await engineFindings(rule, { 'ing.yaml': bothTls }, { 'ing.yaml': bothTls.replace('namespace: web\n', 'namespace: web\n  labels: { team: a }\n') }, via)
    expect(findings).toEqual([])
  })
})
