import { describe, expect, it } from 'vitest'
import { networkpolicyWeakened } from '../../../src/rules/network/networkpolicy-weakened.js'
import { engineFindings, placed, runTransition, transitionIds, VIAS } from './helpers.js'

const rule = networkpolicyWeakened

/** A policy `api` in namespace `shop` with the given spec lines (indented as under `spec:`). */
function policy(spec: string, name = 'api'): string {
  const body = spec
    .replace(/^\n/, '')
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${body}\n`
}

const base = policy(`
podSelector: { matchLabels: { app: api } }
policyTypes: [Ingress, Egress]
ingress:
  - from:
      - podSelector: { matchLabels: { app: web } }
    ports:
      - port: 8080
egress:
  - to:
      - podSelector: { matchLabels: { app: db } }
    ports:
      - port: 5432
`)

/** The base with one more ingress rule. */
function withIngressRule(rule: string): string {
  return base.replace('  egress:', `${rule.replace(/^\n/, '').trimEnd()}\n  egress:`)
}

describe('networkpolicy-weakened: rules that admit everything', () => {
  it.each([
    [
      'a rule without peers',
      `
    - ports:
        - port: 9090
`,
      'admitsAll@spec.ingress[ports=9090]',
      'from any source',
    ],
    [
      'an empty peer',
      `
    - from:
        - podSelector: { matchLabels: { app: web } }
        - {}
`,
      'admitsAll@spec.ingress[1].from[1]',
      'from any source',
    ],
    [
      'a namespaceSelector {} without podSelector',
      `
    - from:
        - namespaceSelector: {}
      ports: [{ port: 9090 }]
`,
      'admitsAll@spec.ingress[ports=9090].from[0].namespaceSelector',
      'from every pod in every namespace',
    ],
    [
      'a namespaceSelector {} with an empty podSelector',
      `
    - from:
        - namespaceSelector: {}
          podSelector: {}
      ports: [{ port: 9090 }]
`,
      'admitsAll@spec.ingress[ports=9090].from[0].namespaceSelector',
      'from every pod in every namespace',
    ],
    [
      'an ipBlock 0.0.0.0/0',
      `
    - from:
        - ipBlock: { cidr: 0.0.0.0/0 }
      ports: [{ port: 9090 }]
`,
      'admitsAll@spec.ingress[ports=9090].from[0].ipBlock.cidr',
      'from any address',
    ],
    [
      'an ipBlock ::/0, even with except',
      `
    - from:
        - ipBlock: { cidr: '::/0', except: ['fd00::/8'] }
      ports: [{ port: 9090 }]
`,
      'admitsAll@spec.ingress[ports=9090].from[0].ipBlock.cidr',
      'from any address',
    ],
  ])('fires on %s', (_name, added, id, peer) => {
    const violations = runTransition(rule, { base, head: withIngressRule(added) })
    expect(violations.map((v) => `${v.messageId}@${v.path}`)).toEqual([id])
    expect(violations[0]?.data?.peer).toBe(peer)
    expect(violations[0]?.on).toBe('head')
  })

  it('says which ports the rule opens', () => {
    const head = withIngressRule(`
    - ports:
        - port: 53
          protocol: UDP
        - port: 8000
          endPort: 9000
`)
    expect(runTransition(rule, { base, head })[0]?.data).toEqual({
      policy: 'shop/api',
      direction: 'ingress',
      peer: 'from any source',
      ports: 'ports 53/UDP,8000-9000',
    })
  })

  it('fires on egress to anywhere', () => {
    const head = base.replace('      - podSelector: { matchLabels: { app: db } }', '      - ipBlock: { cidr: 0.0.0.0/0 }')
    expect(transitionIds(rule, { base, head })).toEqual(['admitsAll@spec.egress[ports=5432].to[0].ipBlock.cidr'])
  })

  it.each([
    ['a podSelector {} alone (its own namespace)', '        - podSelector: {}'],
    ['a namespaceSelector with labels', '        - namespaceSelector: { matchLabels: { team: a } }'],
    ['namespaceSelector {} with a podSelector', '        - { namespaceSelector: {}, podSelector: { matchLabels: { app: x } } }'],
    ['a narrow ipBlock', '        - ipBlock: { cidr: 10.0.0.0/8 }'],
    ['an unparsable ipBlock', '        - ipBlock: { cidr: 0.0.0.0/0/32 }'],
  ])('does not fire on %s', (_name, peer) => {
    const head = withIngressRule(`\n    - from:\n${peer}\n`)
    expect(transitionIds(rule, { base, head })).toEqual([])
  })

  it('does not fire when the base already admitted as widely on those ports', () => {
    const wide = withIngressRule('\n    - from: [{}]\n')
    expect(transitionIds(rule, { base: wide, head: wide })).toEqual([])
    // reformatted, reordered, narrowed to a port: still nothing new
    const narrowed = withIngressRule('\n    - ports: [{ port: 80 }]\n')
    expect(transitionIds(rule, { base: wide, head: narrowed })).toEqual([])
  })

  it('fires when an allow-all rule widens from some ports to every port, or from pods to addresses', () => {
    const onPort = withIngressRule('\n    - ports: [{ port: 80 }]\n')
    const everyPort = withIngressRule('\n    - from: []\n')
    expect(transitionIds(rule, { base: onPort, head: everyPort })).toEqual(['admitsAll@spec.ingress[1]'])
    const anyPod = withIngressRule('\n    - from: [{ namespaceSelector: {} }]\n')
    const anyAddress = withIngressRule('\n    - from: [{ ipBlock: { cidr: 0.0.0.0/0 } }]\n')
    expect(transitionIds(rule, { base: anyPod, head: anyAddress })).toEqual(['admitsAll@spec.ingress[1].from[0].ipBlock.cidr'])
  })

  it('names rules by their ports only where no sibling shares them', () => {
    const head = withIngressRule('\n    - ports: [{ port: 8080 }]\n')
    // the new rule has the same ports as the first rule: both are named by index
    expect(transitionIds(rule, { base, head })).toEqual(['admitsAll@spec.ingress[1]'])
  })

  it('ignores rules of a direction the policy does not isolate', () => {
    const head = base.replace('[Ingress, Egress]', '[Ingress]').replace('      - podSelector: { matchLabels: { app: db } }', '      - {}')
    // losing Egress is reported; the allow-all egress rule has no effect
    expect(transitionIds(rule, { base, head })).toEqual(['typeLost@spec.policyTypes'])
  })
})

describe('networkpolicy-weakened: policy types', () => {
  it('fires when a direction is dropped, offering the types back', () => {
    const head = base.replace('[Ingress, Egress]', '[Ingress]')
    expect(runTransition(rule, { base, head })).toEqual([
      {
        on: 'head',
        messageId: 'typeLost',
        data: { policy: 'shop/api', types: 'Egress' },
        path: 'spec.policyTypes',
        fix: {
          safety: 'review',
          description: 'Set policyTypes to [Ingress, Egress].',
          edits: [{ op: 'set', path: ['spec', 'policyTypes'], value: ['Ingress', 'Egress'] }],
        },
      },
    ])
  })

  it('keeps what the head added when restoring', () => {
    const ingressOnly = policy('podSelector: {}\npolicyTypes: [Ingress]')
    const egressOnly = policy('podSelector: {}\npolicyTypes: [Egress]')
    const [violation] = runTransition(rule, { base: ingressOnly, head: egressOnly })
    expect(violation?.data?.types).toBe('Ingress')
    expect(violation?.fix?.edits).toEqual([{ op: 'set', path: ['spec', 'policyTypes'], value: ['Ingress', 'Egress'] }])
  })

  it('knows the implicit default: Ingress, plus Egress when there are egress rules', () => {
    const implicit = base.replace('  policyTypes: [Ingress, Egress]\n', '')
    // removing the egress rules of an implicit policy drops Egress isolation
    const noEgress = implicit.replace(/ {2}egress:[\s\S]*$/, '')
    expect(transitionIds(rule, { base: implicit, head: noEgress })).toEqual(['typeLost@spec.policyTypes'])
    // spelling out the implicit types, or an empty list, changes nothing
    expect(transitionIds(rule, { base: implicit, head: base })).toEqual([])
    const emptyTypes = policy('podSelector: {}\npolicyTypes: []')
    const ingressTypes = policy('podSelector: {}\npolicyTypes: [Ingress]')
    expect(transitionIds(rule, { base: ingressTypes, head: emptyTypes })).toEqual([])
    expect(transitionIds(rule, { base: emptyTypes, head: ingressTypes })).toEqual([])
  })

  it('does not fire when a direction is added', () => {
    const ingressOnly = base.replace('[Ingress, Egress]', '[Ingress]')
    expect(transitionIds(rule, { base: ingressOnly, head: base })).toEqual([])
  })
})

describe('networkpolicy-weakened: default-deny policies', () => {
  const denyAll = policy('podSelector: {}\npolicyTypes: [Ingress, Egress]', 'default-deny')

  it('fires when a default-deny policy gains rules, offering the empty rules back', () => {
    const head = denyAll.replace('policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress, Egress]\n  egress:\n    - to: [{ podSelector: { matchLabels: { app: dns } } }]')
    expect(runTransition(rule, { base: denyAll, head })).toEqual([
      {
        on: 'head',
        messageId: 'defaultDenyOpened',
        data: { policy: 'shop/default-deny', direction: 'egress', count: 1 },
        path: 'spec.egress',
        fix: {
          safety: 'review',
          description: 'Restore the empty egress rules of the default-deny policy.',
          edits: [{ op: 'delete', path: ['spec', 'egress'] }],
        },
      },
    ])
    const explicitEmpty = denyAll.replace('policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress, Egress]\n  ingress: []')
    const opened = explicitEmpty.replace('ingress: []', 'ingress:\n    - from: [{ podSelector: {} }]')
    expect(runTransition(rule, { base: explicitEmpty, head: opened })[0]?.fix?.edits).toEqual([
      { op: 'set', path: ['spec', 'ingress'], value: [] },
    ])
  })

  it('reports an allow-all rule once, as such', () => {
    const head = denyAll.replace('policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress, Egress]\n  ingress: [{}]')
    expect(transitionIds(rule, { base: denyAll, head })).toEqual(['admitsAll@spec.ingress[0]'])
  })

  it('fires when a default-deny policy stops selecting every pod', () => {
    const head = denyAll.replace('podSelector: {}', 'podSelector: { matchLabels: { app: legacy } }')
    const [violation] = runTransition(rule, { base: denyAll, head })
    expect(violation).toMatchObject({
      messageId: 'defaultDenyNarrowed',
      data: { policy: 'shop/default-deny', selector: 'app=legacy' },
      path: 'spec.podSelector',
    })
    expect(violation?.fix?.edits).toEqual([{ op: 'set', path: ['spec', 'podSelector'], value: {} }])
  })

  it('does not treat a policy with rules, or one selecting some pods, as default-deny', () => {
    const selective = policy('podSelector: { matchLabels: { app: a } }\npolicyTypes: [Ingress]', 'x')
    const selectiveOpened = selective.replace('policyTypes: [Ingress]', 'policyTypes: [Ingress]\n  ingress: [{ from: [{ podSelector: {} }] }]')
    expect(transitionIds(rule, { base: selective, head: selectiveOpened })).toEqual([])
    expect(transitionIds(rule, { base, head: base.replace('app: api }', 'app: api2 }') })).toEqual([])
  })
})

describe('networkpolicy-weakened: policies add up', () => {
  const denyAllIngress = policy('podSelector: {}\npolicyTypes: [Ingress]', 'default-deny')
  const allowAll = policy('podSelector: {}\ningress: [{}]', 'allow-all')

  it('fires on a new allow-all policy where another policy isolated that direction at base', () => {
    expect(transitionIds(rule, { head: allowAll, baseOthers: denyAllIngress, headOthers: denyAllIngress })).toEqual([
      'admitsAll@spec.ingress[0]',
    ])
  })

  it('does not fire on a new allow-all policy in a namespace nothing isolated', () => {
    expect(transitionIds(rule, { head: allowAll })).toEqual([])
    const elsewhere = denyAllIngress.replace('namespace: shop', 'namespace: other')
    expect(transitionIds(rule, { head: allowAll, baseOthers: elsewhere })).toEqual([])
    const egressOnly = policy('podSelector: {}\npolicyTypes: [Egress]', 'deny-egress')
    expect(transitionIds(rule, { head: allowAll, baseOthers: egressOnly })).toEqual([])
  })

  it('fires when a policy starts isolating a direction with an allow-all rule that another policy denied', () => {
    const ingressOnly = policy('podSelector: { matchLabels: { app: api } }\npolicyTypes: [Ingress]')
    const withEgress = policy('podSelector: { matchLabels: { app: api } }\npolicyTypes: [Ingress, Egress]\negress: [{}]')
    const denyEgress = policy('podSelector: {}\npolicyTypes: [Egress]', 'deny-egress')
    expect(transitionIds(rule, { base: ingressOnly, head: withEgress, baseOthers: denyEgress })).toEqual(['admitsAll@spec.egress[0]'])
    expect(transitionIds(rule, { base: ingressOnly, head: withEgress })).toEqual([])
  })
})

describe('networkpolicy-weakened: robustness', () => {
  it.each([
    ['spec: null', 'spec: null'],
    ['ingress: "x"', 'spec: { ingress: "x", egress: 3, policyTypes: "Ingress" }'],
    ['peers of wrong types', 'spec: { ingress: [3, { from: "x" }, { from: [null, 7, { ipBlock: "x" }] }] }'],
  ])('does not throw on %s', (_name, spec) => {
    const odd = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: api, namespace: shop }\n${spec}\n`
    expect(() => runTransition(rule, { base, head: odd })).not.toThrow()
    expect(() => runTransition(rule, { base: odd, head: base })).not.toThrow()
    expect(() => runTransition(rule, { head: odd, baseOthers: odd })).not.toThrow()
  })

  it('does nothing for a deleted policy (networkpolicy-removed reports it)', () => {
    expect(transitionIds(rule, { base })).toEqual([])
  })
})

describe.each(VIAS)('networkpolicy-weakened through the engine (%s)', (via) => {
  const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\ndata: { a: "1" }\n'

  it('reports the widened rule on the head line, as new', async () => {
    const head = base.replace('      - podSelector: { matchLabels: { app: web } }', '      - namespaceSelector: {}')
    const findings = await engineFindings(rule, { 'np.yaml': base, 'c.yaml': config }, { 'np.yaml': head, 'c.yaml': config }, via)
    // spec.ingress[ports=8080].from[0].namespaceSelector is on line 11
    expect(placed(findings)).toEqual(['new networkpolicy-weakened np.yaml:11'])
    expect(findings[0]?.path).toBe('spec.ingress[ports=8080].from[0].namespaceSelector')
    expect(findings[0]?.message).toBe('NetworkPolicy "shop/api" now admits ingress from every pod in every namespace on port 8080.')
  })

  it('offers a verified fix for a dropped policy type', async () => {
    const head = base.replace('[Ingress, Egress]', '[Ingress]')
    const findings = await engineFindings(rule, { 'np.yaml': base }, { 'np.yaml': head }, via)
    expect(placed(findings)).toEqual(['new networkpolicy-weakened np.yaml:8'])
    expect(findings[0]?.fix?.description).toBe('Set policyTypes to [Ingress, Egress].')
  })

  it('sees an isolating policy in an unchanged file', async () => {
    const denyAll = policy('podSelector: {}\npolicyTypes: [Ingress]', 'default-deny')
    const allowAll = policy('podSelector: {}\ningress: [{}]', 'allow-all')
    const findings = await engineFindings(rule, { 'deny.yaml': denyAll }, { 'deny.yaml': denyAll, 'allow.yaml': allowAll }, via)
    expect(placed(findings)).toEqual(['new networkpolicy-weakened allow.yaml:8'])
  })

  it('reports nothing for an unrelated change', async () => {
    const findings = await engineFindings(
      rule,
      { 'np.yaml': base, 'c.yaml': config },
      { 'np.yaml': base, 'c.yaml': config.replace('"1"', '"2"') },
      via,
    )
    expect(findings).toEqual([])
  })
})
