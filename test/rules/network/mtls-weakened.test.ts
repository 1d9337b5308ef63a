import { describe, expect, it } from 'vitest'
import { mtlsWeakened } from '../../../src/rules/network/mtls-weakened.js'
import { engineFindings, placed, runTransition, transitionIds, VIAS } from './helpers.js'

const rule = mtlsWeakened

/** A PeerAuthentication `default` in `shop` with the given spec lines. */
function peerAuth(spec: string[], apiVersion = 'security.istio.io/v1beta1', name = 'default'): string {
  return [`apiVersion: ${apiVersion}`, 'kind: PeerAuthentication', 'metadata:', `  name: ${name}`, '  namespace: shop', 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n')
}

const strict = peerAuth(['mtls:', '  mode: STRICT'])
const permissive = peerAuth(['mtls:', '  mode: PERMISSIVE'])

describe('mtls-weakened: Istio PeerAuthentication', () => {
  it('fires when STRICT becomes PERMISSIVE, offering STRICT back', () => {
    expect(runTransition(rule, { base: strict, head: permissive })).toEqual([
      {
        on: 'head',
        messageId: 'peerAuthWeakened',
        data: { name: 'shop/default', from: 'STRICT', to: 'PERMISSIVE' },
        path: 'spec.mtls.mode',
        fix: {
          safety: 'review',
          description: 'Set the mTLS mode back to STRICT.',
          edits: [{ op: 'set', path: ['spec', 'mtls', 'mode'], value: 'STRICT' }],
        },
      },
    ])
  })

  it.each([
    ['DISABLE', peerAuth(['mtls:', '  mode: DISABLE']), 'DISABLE'],
    ['UNSET', peerAuth(['mtls:', '  mode: UNSET']), 'UNSET (inherited)'],
    ['no mode', peerAuth(['mtls: {}']), 'UNSET (inherited)'],
    ['no mtls at all', peerAuth(['selector: { matchLabels: { app: api } }']), 'UNSET (inherited)'],
  ])('fires when STRICT becomes %s', (_name, head, to) => {
    expect(runTransition(rule, { base: strict, head })[0]?.data).toEqual({ name: 'shop/default', from: 'STRICT', to })
  })

  it('fires when PERMISSIVE becomes DISABLE, but not on other moves', () => {
    const disable = peerAuth(['mtls:', '  mode: DISABLE'])
    const unset = peerAuth(['mtls:', '  mode: UNSET'])
    expect(transitionIds(rule, { base: permissive, head: disable })).toEqual(['peerAuthWeakened@spec.mtls.mode'])
    expect(transitionIds(rule, { base: permissive, head: unset })).toEqual([]) // inherits: unknown here
    expect(transitionIds(rule, { base: permissive, head: strict })).toEqual([])
    expect(transitionIds(rule, { base: disable, head: permissive })).toEqual([])
    expect(transitionIds(rule, { base: unset, head: disable })).toEqual([])
    expect(transitionIds(rule, { base: strict, head: strict })).toEqual([])
  })

  it('applies to every apiVersion of the group', () => {
    for (const version of ['security.istio.io/v1', 'security.istio.io/v1beta1']) {
      const base = peerAuth(['mtls: { mode: STRICT }'], version)
      const head = peerAuth(['mtls: { mode: PERMISSIVE }'], version)
      expect(transitionIds(rule, { base, head })).toEqual(['peerAuthWeakened@spec.mtls.mode'])
    }
  })

  describe('per port', () => {
    const portStrict = peerAuth(['selector: { matchLabels: { app: api } }', 'mtls: { mode: PERMISSIVE }', 'portLevelMtls:', '  8080:', '    mode: STRICT'])

    it('fires when a port leaves STRICT, at the port', () => {
      const head = portStrict.replace('mode: STRICT', 'mode: DISABLE')
      expect(runTransition(rule, { base: portStrict, head })).toEqual([
        {
          on: 'head',
          messageId: 'peerAuthPortWeakened',
          data: { name: 'shop/default', port: '8080', from: 'STRICT', to: 'DISABLE' },
          path: 'spec.portLevelMtls.8080.mode',
          fix: {
            safety: 'review',
            description: 'Set the mTLS mode of port 8080 back to STRICT.',
            edits: [{ op: 'set', path: ['spec', 'portLevelMtls', '8080', 'mode'], value: 'STRICT' }],
          },
        },
      ])
    })

    it('fires when a STRICT port setting is removed and the port falls back to a looser mode', () => {
      const head = peerAuth(['selector: { matchLabels: { app: api } }', 'mtls: { mode: PERMISSIVE }'])
      expect(runTransition(rule, { base: portStrict, head })[0]?.data).toEqual({ name: 'shop/default', port: '8080', from: 'STRICT', to: 'PERMISSIVE' })
    })

    it('fires when a port inheriting STRICT gets a looser setting of its own', () => {
      const base = peerAuth(['mtls: { mode: STRICT }'])
      const head = peerAuth(['mtls: { mode: STRICT }', 'portLevelMtls:', '  9090: { mode: PERMISSIVE }'])
      expect(transitionIds(rule, { base, head })).toEqual(['peerAuthPortWeakened@spec.portLevelMtls.9090.mode'])
    })

    it('reports a policy-wide change once, not at ports that keep their own mode', () => {
      const base = peerAuth(['mtls: { mode: STRICT }', 'portLevelMtls:', '  8080: { mode: STRICT }', '  9090: { mode: PERMISSIVE }'])
      const head = base.replace('mtls: { mode: STRICT }', 'mtls: { mode: PERMISSIVE }')
      expect(transitionIds(rule, { base, head })).toEqual(['peerAuthWeakened@spec.mtls.mode'])
    })

    it('does not fire when a port is tightened or its inherited mode stays STRICT', () => {
      const base = peerAuth(['mtls: { mode: STRICT }', 'portLevelMtls:', '  8080: { mode: STRICT }'])
      const head = peerAuth(['mtls: { mode: STRICT }'])
      expect(transitionIds(rule, { base, head })).toEqual([])
      expect(transitionIds(rule, { base: portStrict.replace('mode: STRICT', 'mode: PERMISSIVE'), head: portStrict })).toEqual([])
    })
  })

  describe('deleted', () => {
    it('fires on a deleted STRICT policy, on the base object', () => {
      expect(runTransition(rule, { base: strict })).toEqual([
        { on: 'base', messageId: 'peerAuthRemoved', data: { name: 'shop/default' }, path: 'spec.mtls.mode' },
      ])
      const portOnly = peerAuth(['portLevelMtls:', '  8080: { mode: STRICT }'])
      expect(transitionIds(rule, { base: portOnly })).toEqual(['peerAuthRemoved@spec.portLevelMtls.8080.mode'])
    })

    it('does not fire on a deleted PERMISSIVE policy, an added one, or a rename', () => {
      expect(transitionIds(rule, { base: permissive })).toEqual([])
      expect(transitionIds(rule, { head: permissive })).toEqual([])
      const renamed = peerAuth(['mtls:', '  mode: STRICT'], 'security.istio.io/v1', 'mesh-strict')
      expect(transitionIds(rule, { base: strict, headOthers: renamed })).toEqual([])
      const elsewhere = renamed.replace('namespace: shop', 'namespace: other')
      expect(transitionIds(rule, { base: strict, headOthers: elsewhere })).toEqual(['peerAuthRemoved@spec.mtls.mode'])
    })
  })
})

/** A DestinationRule `api` in `shop` with the given spec lines. */
function destinationRule(spec: string[], apiVersion = 'networking.istio.io/v1beta1', name = 'api'): string {
  return [`apiVersion: ${apiVersion}`, 'kind: DestinationRule', 'metadata:', `  name: ${name}`, '  namespace: shop', 'spec:', '  host: api.shop.svc.cluster.local', ...spec.map((l) => `  ${l}`), ''].join('\n')
}

const mutual = destinationRule(['trafficPolicy:', '  tls:', '    mode: ISTIO_MUTUAL'])

describe('mtls-weakened: Istio DestinationRule', () => {
  it('fires when the traffic policy leaves ISTIO_MUTUAL, offering it back', () => {
    const head = mutual.replace('ISTIO_MUTUAL', 'DISABLE')
    expect(runTransition(rule, { base: mutual, head })).toEqual([
      {
        on: 'head',
        messageId: 'destinationRuleWeakened',
        data: { name: 'shop/api', where: 'its traffic policy', to: 'DISABLE' },
        path: 'spec.trafficPolicy.tls.mode',
        fix: {
          safety: 'review',
          description: 'Set the TLS mode back to ISTIO_MUTUAL.',
          edits: [{ op: 'set', path: ['spec', 'trafficPolicy', 'tls', 'mode'], value: 'ISTIO_MUTUAL' }],
        },
      },
    ])
    expect(runTransition(rule, { base: mutual, head: mutual.replace('ISTIO_MUTUAL', 'SIMPLE') })[0]?.data?.to).toBe('SIMPLE')
    const noTls = destinationRule(['trafficPolicy:', '  loadBalancer: { simple: ROUND_ROBIN }'])
    expect(runTransition(rule, { base: mutual, head: noTls })[0]?.data?.to).toBe('unset')
  })

  it('applies to every apiVersion of the group', () => {
    for (const version of ['networking.istio.io/v1alpha3', 'networking.istio.io/v1beta1', 'networking.istio.io/v1']) {
      const base = destinationRule(['trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }'], version)
      expect(transitionIds(rule, { base, head: base.replace('ISTIO_MUTUAL', 'DISABLE') })).toEqual(['destinationRuleWeakened@spec.trafficPolicy.tls.mode'])
    }
  })

  it('fires on a port setting, named by its port number', () => {
    const base = destinationRule([
      'trafficPolicy:',
      '  portLevelSettings:',
      '    - port: { number: 8080 }',
      '      tls: { mode: ISTIO_MUTUAL }',
      '    - port: { number: 9090 }',
      '      tls: { mode: ISTIO_MUTUAL }',
    ])
    const head = base.replace(/ISTIO_MUTUAL(?![\s\S]*ISTIO_MUTUAL)/, 'DISABLE')
    expect(runTransition(rule, { base, head })).toMatchObject([
      {
        messageId: 'destinationRuleWeakened',
        data: { where: 'port 9090', to: 'DISABLE' },
        path: 'spec.trafficPolicy.portLevelSettings[port=9090].tls.mode',
      },
    ])
  })

  it('follows inheritance: a removed port setting falls back to the traffic policy', () => {
    const base = destinationRule([
      'trafficPolicy:',
      '  tls: { mode: DISABLE }',
      '  portLevelSettings:',
      '    - port: { number: 8080 }',
      '      tls: { mode: ISTIO_MUTUAL }',
    ])
    const head = destinationRule(['trafficPolicy:', '  tls: { mode: DISABLE }'])
    const [violation] = runTransition(rule, { base, head })
    expect(violation).toMatchObject({ data: { where: 'port 8080', to: 'DISABLE' }, path: 'spec.trafficPolicy.portLevelSettings' })
    expect(violation?.fix).toBeUndefined()
    const inherited = destinationRule(['trafficPolicy:', '  tls: { mode: ISTIO_MUTUAL }'])
    expect(transitionIds(rule, { base: base.replace('mode: DISABLE', 'mode: ISTIO_MUTUAL'), head: inherited })).toEqual([])
  })

  it('reports where the setting changed, not at the subsets and ports inheriting it', () => {
    const base = destinationRule([
      'trafficPolicy:',
      '  tls: { mode: ISTIO_MUTUAL }',
      'subsets:',
      '  - name: v1',
      '    labels: { version: v1 }',
      '  - name: v2',
      '    labels: { version: v2 }',
      '    trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }',
    ])
    const head = base.replace('  tls: { mode: ISTIO_MUTUAL }', '  tls: { mode: SIMPLE }')
    expect(transitionIds(rule, { base, head })).toEqual(['destinationRuleWeakened@spec.trafficPolicy.tls.mode'])
  })

  it('fires on a subset leaving ISTIO_MUTUAL, named by the subset', () => {
    const base = destinationRule(['subsets:', '  - name: v1', '    trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }'])
    const head = base.replace('ISTIO_MUTUAL', 'DISABLE')
    expect(runTransition(rule, { base, head })).toMatchObject([
      { data: { where: 'subset v1', to: 'DISABLE' }, path: 'spec.subsets[name=v1].trafficPolicy.tls.mode' },
    ])
    // a subset gone takes no traffic any more
    expect(transitionIds(rule, { base, head: destinationRule(['subsets: []']) })).toEqual([])
  })

  it('does not fire on modes other than ISTIO_MUTUAL, or when ISTIO_MUTUAL is added', () => {
    const simple = destinationRule(['trafficPolicy: { tls: { mode: SIMPLE } }'])
    expect(transitionIds(rule, { base: simple, head: simple.replace('SIMPLE', 'DISABLE') })).toEqual([])
    expect(transitionIds(rule, { base: simple, head: mutual })).toEqual([])
    expect(transitionIds(rule, { head: simple })).toEqual([])
  })

  it('fires on a deleted ISTIO_MUTUAL rule, unless renamed', () => {
    expect(runTransition(rule, { base: mutual })).toEqual([
      { on: 'base', messageId: 'destinationRuleRemoved', data: { name: 'shop/api' }, path: 'spec.trafficPolicy.tls.mode' },
    ])
    const renamed = destinationRule(['trafficPolicy:', '  tls:', '    mode: ISTIO_MUTUAL'], 'networking.istio.io/v1', 'api-mtls')
    expect(transitionIds(rule, { base: mutual, headOthers: renamed })).toEqual([])
    expect(transitionIds(rule, { base: destinationRule(['trafficPolicy: { tls: { mode: SIMPLE } }']) })).toEqual([])
  })
})

describe('mtls-weakened: Linkerd', () => {
  function namespace(annotations: Record<string, string>): string {
    const lines = Object.entries(annotations).map(([k, v]) => `    ${k}: ${v}`)
    return ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop', ...(lines.length ? ['  annotations:', ...lines] : []), ''].join('\n')
  }

  function deployment(template: Record<string, string>, own: Record<string, string> = {}): string {
    const block = (a: Record<string, string>, indent: string): string[] =>
      Object.keys(a).length ? [`${indent}annotations:`, ...Object.entries(a).map(([k, v]) => `${indent}  ${k}: ${v}`)] : []
    return [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      '  namespace: shop',
      ...block(own, '  '),
      'spec:',
      '  template:',
      '    metadata:',
      '      labels: { app: api }',
      ...block(template, '      '),
      '    spec:',
      '      containers: [{ name: api, image: api:1 }]',
      '',
    ].join('\n')
  }

  const POLICY = 'config.linkerd.io/default-inbound-policy'
  const INJECT = 'linkerd.io/inject'

  it('fires when a namespace default inbound policy loosens, offering it back', () => {
    expect(runTransition(rule, { base: namespace({ [POLICY]: 'all-authenticated' }), head: namespace({ [POLICY]: 'all-unauthenticated' }) })).toEqual([
      {
        on: 'head',
        messageId: 'inboundPolicyLoosened',
        data: { kind: 'Namespace', name: 'shop', from: 'all-authenticated', to: 'all-unauthenticated' },
        path: 'metadata.annotations["config.linkerd.io/default-inbound-policy"]',
        fix: {
          safety: 'review',
          description: 'Set the default inbound policy back to all-authenticated.',
          edits: [{ op: 'set', path: ['metadata', 'annotations', POLICY], value: 'all-authenticated' }],
        },
      },
    ])
  })

  it.each([
    ['deny', 'cluster-authenticated', true],
    ['cluster-authenticated', 'all-authenticated', true],
    ['all-authenticated', 'cluster-unauthenticated', true],
    ['cluster-unauthenticated', 'all-unauthenticated', true],
    ['deny', 'audit', true],
    ['all-unauthenticated', 'audit', false],
    ['all-unauthenticated', 'deny', false],
    ['cluster-unauthenticated', 'all-authenticated', false],
    ['deny', 'deny', false],
    ['deny', 'something-new', false],
    ['something-new', 'all-unauthenticated', false],
  ])('%s → %s fires: %s', (from, to, fires) => {
    const ids = transitionIds(rule, { base: namespace({ [POLICY]: from }), head: namespace({ [POLICY]: to }) })
    expect(ids).toEqual(fires ? ['inboundPolicyLoosened@metadata.annotations["config.linkerd.io/default-inbound-policy"]'] : [])
  })

  it('fires when a strict policy annotation is removed, not a loose one', () => {
    expect(runTransition(rule, { base: namespace({ [POLICY]: 'deny' }), head: namespace({}) })).toMatchObject([
      { messageId: 'inboundPolicyRemoved', data: { from: 'deny' }, fix: { edits: [{ op: 'set', value: 'deny' }] } },
    ])
    expect(transitionIds(rule, { base: namespace({ [POLICY]: 'all-unauthenticated' }), head: namespace({}) })).toEqual([])
  })

  it('reads a workload pod template, then the workload itself', () => {
    expect(transitionIds(rule, { base: deployment({ [POLICY]: 'deny' }), head: deployment({ [POLICY]: 'all-unauthenticated' }) })).toEqual([
      'inboundPolicyLoosened@spec.template.metadata.annotations["config.linkerd.io/default-inbound-policy"]',
    ])
    expect(transitionIds(rule, { base: deployment({}, { [POLICY]: 'deny' }), head: deployment({}, { [POLICY]: 'all-unauthenticated' }) })).toEqual([
      'inboundPolicyLoosened@metadata.annotations["config.linkerd.io/default-inbound-policy"]',
    ])
    // moved from the workload to its pod template, unchanged: nothing
    expect(transitionIds(rule, { base: deployment({}, { [POLICY]: 'deny' }), head: deployment({ [POLICY]: 'deny' }) })).toEqual([])
  })

  it('fires when a meshed workload or namespace gets linkerd.io/inject: disabled', () => {
    expect(runTransition(rule, { base: deployment({ [INJECT]: 'enabled' }), head: deployment({ [INJECT]: 'disabled' }) })).toEqual([
      {
        on: 'head',
        messageId: 'unmeshed',
        data: { kind: 'Deployment', name: 'shop/api', from: 'enabled' },
        path: 'spec.template.metadata.annotations["linkerd.io/inject"]',
        fix: {
          safety: 'review',
          description: 'Set linkerd.io/inject back to enabled.',
          edits: [{ op: 'set', path: ['spec', 'template', 'metadata', 'annotations', INJECT], value: 'enabled' }],
        },
      },
    ])
    expect(transitionIds(rule, { base: deployment({}, { [INJECT]: 'ingress' }), head: deployment({ [INJECT]: 'disabled' }) })).toHaveLength(1)
    expect(transitionIds(rule, { base: namespace({ [INJECT]: 'enabled' }), head: namespace({ [INJECT]: 'disabled' }) })).toHaveLength(1)
  })

  it('does not fire when inject was never enabled, or is merely removed', () => {
    expect(transitionIds(rule, { base: deployment({}), head: deployment({ [INJECT]: 'disabled' }) })).toEqual([])
    expect(transitionIds(rule, { base: deployment({ [INJECT]: 'enabled' }), head: deployment({}) })).toEqual([])
  })

  it('ignores these annotations on kinds without a pod, and added or deleted objects', () => {
    const config = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: { ${INJECT}: ${v} }\n`
    expect(transitionIds(rule, { base: config('enabled'), head: config('disabled') })).toEqual([])
    expect(transitionIds(rule, { head: namespace({ [INJECT]: 'disabled' }) })).toEqual([])
    expect(transitionIds(rule, { base: namespace({ [POLICY]: 'deny' }) })).toEqual([])
  })
})

describe('mtls-weakened: robustness', () => {
  it.each([
    ['PeerAuthentication', 'security.istio.io/v1beta1', 'spec: { mtls: "x", portLevelMtls: [1, 2] }'],
    ['PeerAuthentication', 'security.istio.io/v1beta1', 'spec: { mtls: { mode: 3 }, portLevelMtls: { "80": null } }'],
    ['DestinationRule', 'networking.istio.io/v1', 'spec: { trafficPolicy: { tls: "x", portLevelSettings: [null, { port: 3 }] }, subsets: "x" }'],
    ['DestinationRule', 'networking.istio.io/v1', 'spec: { subsets: [null, { name: 3 }, { name: v1, trafficPolicy: [] }] }'],
    ['Namespace', 'v1', 'metadata: { name: shop, annotations: [1] }'],
    ['Deployment', 'apps/v1', 'spec: { template: { metadata: { annotations: "x" }, spec: {} } }'],
  ])('does not throw on a %s with wrong types', (kind, apiVersion, body) => {
    const odd = `apiVersion: ${apiVersion}\nkind: ${kind}\n${body.startsWith('metadata') ? '' : 'metadata: { name: default, namespace: shop }\n'}${body}\n`
    expect(() => runTransition(rule, { base: odd, head: odd })).not.toThrow()
    expect(() => runTransition(rule, { base: strict, head: odd })).not.toThrow()
    expect(() => runTransition(rule, { base: odd })).not.toThrow()
  })
})

describe.each(VIAS)('mtls-weakened through the engine (%s)', (via) => {
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\ndata: { a: "1" }\n'

  it('reports a loosened mode on the head line, as new, with a verified fix', async () => {
    const findings = await engineFindings(rule, { 'mesh/pa.yaml': strict, 'c.yaml': config }, { 'mesh/pa.yaml': permissive, 'c.yaml': config }, via)
    expect(placed(findings)).toEqual(['new mtls-weakened mesh/pa.yaml:8'])
    expect(findings[0]?.message).toBe('PeerAuthentication "shop/default" mTLS mode goes from STRICT to PERMISSIVE.')
    expect(findings[0]?.fix?.description).toBe('Set the mTLS mode back to STRICT.')
  })

  it('reports a deleted STRICT policy in the base file', async () => {
    const findings = await engineFindings(rule, { 'mesh/pa.yaml': strict, 'c.yaml': config }, { 'c.yaml': config }, via)
    expect(placed(findings)).toEqual(['new mtls-weakened mesh/pa.yaml:8'])
    expect(findings[0]?.message).toBe('PeerAuthentication "shop/default" with STRICT mTLS was removed.')
  })

  it('reports nothing for an unrelated change', async () => {
    const base = { 'mesh/pa.yaml': strict, 'c.yaml': config }
    const head = { 'mesh/pa.yaml': strict.replace('name: default', 'name: default\n  labels: { team: mesh }'), 'c.yaml': config.replace('"1"', '"2"') }
    expect(await engineFindings(rule, base, head, via)).toEqual([])
  })
})
