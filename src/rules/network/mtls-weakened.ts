import { displayName } from '../../extract/identity.js'
import { asArray, asObject, asString, getIn } from '../../extract/json.js'
import type { JsonObject, ObjectPath, PathSegment, Resource } from '../../model.js'
import type { ObjectChange, TransitionContext, TransitionRule, TransitionViolation } from '../rule.js'
import { annotationOf, restoreFix, sameJson, scalarText, uniqueRef } from './shared.js'

const PEER_AUTHENTICATION = 'security.istio.io/PeerAuthentication'
const DESTINATION_RULE = 'networking.istio.io/DestinationRule'
const INBOUND_POLICY = 'config.linkerd.io/default-inbound-policy'
const INJECT = 'linkerd.io/inject'

export const mtlsWeakened: TransitionRule = {
  kind: 'transition',
  meta: {
    id: 'mtls-weakened',
    title: 'Service-mesh mTLS weakened',
    severity: 'high',
    description:
      'Mesh traffic loses its mutual TLS guarantee: an Istio PeerAuthentication leaves STRICT (or a STRICT one is removed), a DestinationRule leaves ISTIO_MUTUAL, a Linkerd default inbound policy loosens, or a meshed workload is taken out of the Linkerd mesh. Plain-text, unauthenticated traffic is accepted again.',
    remediation:
      'Keep `mtls.mode: STRICT` (narrow exceptions with `portLevelMtls` for the ports that need them), `tls.mode: ISTIO_MUTUAL`, the stricter Linkerd inbound policy and `linkerd.io/inject: enabled`.',
    messages: {
      peerAuthWeakened: 'PeerAuthentication "{{name}}" mTLS mode goes from {{from}} to {{to}}.',
      peerAuthPortWeakened: 'PeerAuthentication "{{name}}" mTLS mode for port {{port}} goes from {{from}} to {{to}}.',
      peerAuthRemoved: 'PeerAuthentication "{{name}}" with STRICT mTLS was removed.',
      destinationRuleWeakened: 'DestinationRule "{{name}}" no longer uses ISTIO_MUTUAL for {{where}}: TLS mode is now {{to}}.',
      destinationRuleRemoved: 'DestinationRule "{{name}}" that required ISTIO_MUTUAL was removed.',
      inboundPolicyLoosened: '{{kind}} "{{name}}" default inbound policy loosens from {{from}} to {{to}}.',
      inboundPolicyRemoved: '{{kind}} "{{name}}" drops default inbound policy {{from}} and falls back to the inherited default.',
      unmeshed: '{{kind}} "{{name}}" is taken out of the Linkerd mesh: linkerd.io/inject goes from {{from}} to disabled.',
    },
  },
  // PeerAuthentication and DestinationRule in every apiVersion, Namespaces, and every kind with a pod template
  appliesTo: ['*'],
  reads: [PEER_AUTHENTICATION, DESTINATION_RULE],
  check: (change, context) => {
    const shown = change.head ?? change.base
    if (!shown) return []
    const kind = `${shown.identity.group}/${shown.identity.kind}`
    if (kind === PEER_AUTHENTICATION) return peerAuthentication(change, context)
    if (kind === DESTINATION_RULE) return destinationRule(change, context)
    return linkerd(change, context)
  },
}

// Istio PeerAuthentication

/**
 * STRICT > PERMISSIVE > DISABLE. UNSET (or no mode) inherits from the parent policy: leaving
 * STRICT for it counts, since STRICT is no longer guaranteed.
 */
function peerAuthLoosened(from: string | undefined, to: string | undefined): boolean {
  if (from === 'STRICT') return to !== 'STRICT'
  // PERMISSIVE to DISABLE also loses mTLS; from PERMISSIVE to UNSET depends on the parent, unknown here
  return from === 'PERMISSIVE' && to === 'DISABLE'
}

function showMode(mode: string | undefined): string {
  return mode === undefined || mode === 'UNSET' ? 'UNSET (inherited)' : mode
}

/** An explicit mode; UNSET reads as absent since it inherits just the same. */
function explicitMode(value: unknown): string | undefined {
  const mode = asString(value)
  return mode === 'UNSET' ? undefined : mode
}

function peerAuthModes(resource: Resource): { top: string | undefined; ports: Map<string, string | undefined> } {
  const spec = asObject(resource.object.spec) ?? {}
  const ports = new Map<string, string | undefined>()
  for (const [port, setting] of Object.entries(asObject(spec.portLevelMtls) ?? {})) {
    ports.set(port, explicitMode(asObject(setting)?.mode))
  }
  return { top: explicitMode(getIn(spec, ['mtls', 'mode'])), ports }
}

function peerAuthentication(change: ObjectChange, context: TransitionContext): TransitionViolation[] {
  const { base, head } = change
  if (!base) return []
  const before = peerAuthModes(base)
  if (!head) {
    const strictPort = [...before.ports].find(([, mode]) => mode === 'STRICT')?.[0]
    if (before.top !== 'STRICT' && strictPort === undefined) return []
    if (renamedTo(base, context.head.objectsOf(PEER_AUTHENTICATION))) return []
    const path = before.top === 'STRICT' ? ['spec', 'mtls', 'mode'] : ['spec', 'portLevelMtls', strictPort ?? '', 'mode']
    return [{ on: 'base', messageId: 'peerAuthRemoved', data: { name: displayName(base.identity) }, path }]
  }
  const after = peerAuthModes(head)
  const name = displayName(head.identity)
  const violations: TransitionViolation[] = []
  if (peerAuthLoosened(before.top, after.top)) {
    const path = ['spec', 'mtls', 'mode']
    violations.push({
      on: 'head',
      messageId: 'peerAuthWeakened',
      data: { name, from: showMode(before.top), to: showMode(after.top) },
      path,
      fix: restoreFix(`Set the mTLS mode back to ${before.top ?? ''}.`, path, before.top),
    })
  }
  // a port setting overrides the policy's mode; one changed at the port itself is reported there
  for (const port of new Set([...before.ports.keys(), ...after.ports.keys()])) {
    const explicitBefore = before.ports.get(port)
    const explicitAfter = after.ports.get(port)
    if (explicitBefore === explicitAfter) continue
    const from = explicitBefore ?? before.top
    const to = explicitAfter ?? after.top
    if (!peerAuthLoosened(from, to)) continue
    const path = ['spec', 'portLevelMtls', port, 'mode']
    violations.push({
      on: 'head',
      messageId: 'peerAuthPortWeakened',
      data: { name, port, from: showMode(from), to: showMode(to) },
      path,
      fix: restoreFix(`Set the mTLS mode of port ${port} back to ${from ?? ''}.`, path, from),
    })
  }
  return violations
}

/**
 * Identity includes the name: a deleted object whose exact spec stands under another name in the
 * same namespace was renamed. One with the same name is another copy (another environment's
 * directory), not this one renamed.
 */
function renamedTo(base: Resource, candidates: readonly Resource[]): boolean {
  return candidates.some(
    (other) =>
      other.identity.namespace === base.identity.namespace &&
      other.identity.name !== base.identity.name &&
      sameJson(other.object.spec ?? {}, base.object.spec ?? {}),
  )
}

// Istio DestinationRule

/**
 * One place a DestinationRule may set a TLS mode: its traffic policy, a port of it, a subset, or
 * a port of a subset.
 */
interface TlsLocation {
  subset?: string
  port?: string
  /** the explicit mode; undefined where the entry sets none */
  mode: string | undefined
  /** path of its `tls.mode` */
  path: ObjectPath
}

interface TlsSettings {
  /** by `locationKey` */
  locations: Map<string, TlsLocation>
  subsets: Set<string>
}

function locationKey(subset: string | undefined, port: string | undefined): string {
  return `${subset ?? ''}\n${port ?? ''}`
}

function tlsSettings(resource: Resource): TlsSettings {
  const spec = asObject(resource.object.spec) ?? {}
  const settings: TlsSettings = { locations: new Map(), subsets: new Set() }
  const add = (location: TlsLocation): void => {
    settings.locations.set(locationKey(location.subset, location.port), location)
  }
  const readPolicy = (policy: JsonObject | undefined, subset: string | undefined, at: PathSegment[]): void => {
    add({ subset, mode: asString(getIn(policy, ['tls', 'mode'])), path: [...at, 'tls', 'mode'] })
    const ports = asArray(policy?.portLevelSettings)
    const number = (item: unknown): string | undefined => scalarText(getIn(item, ['port', 'number']))
    ports.forEach((item, index) => {
      const port = number(item)
      if (port === undefined) return
      const ref = uniqueRef(ports, index, number, 'port')
      add({ subset, port, mode: asString(getIn(item, ['tls', 'mode'])), path: [...at, 'portLevelSettings', ref, 'tls', 'mode'] })
    })
  }
  readPolicy(asObject(spec.trafficPolicy), undefined, ['spec', 'trafficPolicy'])
  const subsets = asArray(spec.subsets)
  const subsetName = (item: unknown): string | undefined => asString(asObject(item)?.name)
  subsets.forEach((item, index) => {
    const name = subsetName(item)
    if (name === undefined) return
    settings.subsets.add(name)
    const ref = uniqueRef(subsets, index, subsetName, 'name')
    readPolicy(asObject(asObject(item)?.trafficPolicy), name, ['spec', 'subsets', ref, 'trafficPolicy'])
  })
  return settings
}

/**
 * The mode in effect at a location. The most specific setting wins and a subset's policy
 * overrides the destination's (the order Istio merges them in): the subset's port, the
 * subset, the destination's port, the destination.
 */
function effectiveTls(settings: TlsSettings, subset: string | undefined, port: string | undefined): string | undefined {
  const chain: [string | undefined, string | undefined][] = [
    [subset, port],
    [subset, undefined],
    [undefined, port],
    [undefined, undefined],
  ]
  for (const [s, p] of chain) {
    const mode = settings.locations.get(locationKey(s, p))?.mode
    if (mode !== undefined) return mode
  }
  return undefined
}

function describeLocation(subset: string | undefined, port: string | undefined): string {
  if (subset === undefined && port === undefined) return 'its traffic policy'
  return [subset === undefined ? '' : `subset ${subset}`, port === undefined ? '' : `port ${port}`].filter(Boolean).join(' ')
}

function destinationRule(change: ObjectChange, context: TransitionContext): TransitionViolation[] {
  const { base, head } = change
  if (!base) return []
  const before = tlsSettings(base)
  if (!head) {
    const mutual = [...before.locations.values()].find((l) => l.mode === 'ISTIO_MUTUAL')
    if (!mutual || renamedTo(base, context.head.objectsOf(DESTINATION_RULE))) return []
    return [{ on: 'base', messageId: 'destinationRuleRemoved', data: { name: displayName(base.identity) }, path: mutual.path }]
  }
  const after = tlsSettings(head)
  const name = displayName(head.identity)
  const violations: TransitionViolation[] = []
  for (const key of new Set([...before.locations.keys(), ...after.locations.keys()])) {
    const location = (after.locations.get(key) ?? before.locations.get(key)) as TlsLocation
    const { subset, port } = location
    // a subset gone at head takes no traffic any more: nothing left to weaken
    if (subset !== undefined && !after.subsets.has(subset)) continue
    // report where the setting changed, not at every location inheriting it
    if (before.locations.get(key)?.mode === after.locations.get(key)?.mode) continue
    const from = effectiveTls(before, subset, port)
    const to = effectiveTls(after, subset, port)
    if (from !== 'ISTIO_MUTUAL' || to === 'ISTIO_MUTUAL') continue
    const headPath = after.locations.get(key)?.path
    violations.push({
      on: 'head',
      messageId: 'destinationRuleWeakened',
      data: { name, where: describeLocation(subset, port), to: to ?? 'unset' },
      path: headPath ?? goneEntryPath(after, subset),
      ...(headPath ? { fix: restoreFix('Set the TLS mode back to ISTIO_MUTUAL.', headPath, 'ISTIO_MUTUAL') } : {}),
    })
  }
  return violations
}

/** Where to show a port setting whose entry is gone at head: the port list that held it. */
function goneEntryPath(settings: TlsSettings, subset: string | undefined): ObjectPath {
  const policy = settings.locations.get(locationKey(subset, undefined))?.path ?? ['spec', 'trafficPolicy', 'tls', 'mode']
  // the policy's path ends in `tls.mode`: the port list sits beside `tls`
  return [...policy.slice(0, -2), 'portLevelSettings']
}

// Linkerd

/**
 * Linkerd's default inbound policies from strictest to loosest. `deny` admits only what a Server
 * authorizes. Authenticated policies demand a mesh (mTLS) identity, a stronger guarantee than a
 * source address, so both rank above the unauthenticated ones; within each pair, `cluster-*`
 * also demands an in-cluster address. `audit` admits everything (it only logs).
 */
const INBOUND_RANK: Record<string, number> = {
  deny: 5,
  'cluster-authenticated': 4,
  'all-authenticated': 3,
  'cluster-unauthenticated': 2,
  'all-unauthenticated': 1,
  audit: 1,
}
const MESHED = new Set(['enabled', 'ingress'])

interface Setting {
  value: string
  path: ObjectPath
}

/** An annotation as Linkerd reads it: the pod template's, else the object's own. */
function linkerdSetting(resource: Resource, context: TransitionContext, key: string): Setting | undefined {
  const pod = context.podOf(resource)
  const podValue = pod ? annotationOf(pod.metadata, key) : undefined
  if (pod && podValue !== undefined) return { value: podValue, path: [...pod.metadataPath, 'annotations', key] }
  const own = annotationOf(resource.object.metadata, key)
  return own === undefined ? undefined : { value: own, path: ['metadata', 'annotations', key] }
}

function linkerd(change: ObjectChange, context: TransitionContext): TransitionViolation[] {
  const { base, head } = change
  if (!base || !head) return []
  const isNamespace = head.identity.group === '' && head.identity.kind === 'Namespace'
  if (!isNamespace && !context.podOf(head)) return []
  const data = { kind: head.identity.kind, name: displayName(head.identity) }
  const violations: TransitionViolation[] = []

  const policyBefore = linkerdSetting(base, context, INBOUND_POLICY)
  const policyAfter = linkerdSetting(head, context, INBOUND_POLICY)
  const rankBefore = policyBefore ? INBOUND_RANK[policyBefore.value] : undefined
  if (policyBefore && rankBefore !== undefined) {
    const path = policyAfter?.path ?? policyBefore.path
    const fix = restoreFix(`Set the default inbound policy back to ${policyBefore.value}.`, path, policyBefore.value)
    const rankAfter = policyAfter ? INBOUND_RANK[policyAfter.value] : undefined
    if (policyAfter && rankAfter !== undefined && rankAfter < rankBefore) {
      const loosened = { ...data, from: policyBefore.value, to: policyAfter.value }
      violations.push({ on: 'head', messageId: 'inboundPolicyLoosened', data: loosened, path, fix })
    } else if (!policyAfter && rankBefore > 1) {
      // like an UNSET mTLS mode, the inherited default is unknown here: losing a strict setting counts
      violations.push({ on: 'head', messageId: 'inboundPolicyRemoved', data: { ...data, from: policyBefore.value }, path, fix })
    }
  }

  const injectBefore = linkerdSetting(base, context, INJECT)
  const injectAfter = linkerdSetting(head, context, INJECT)
  if (injectBefore && MESHED.has(injectBefore.value) && injectAfter?.value === 'disabled') {
    violations.push({
      on: 'head',
      messageId: 'unmeshed',
      data: { ...data, from: injectBefore.value },
      path: injectAfter.path,
      fix: restoreFix(`Set ${INJECT} back to ${injectBefore.value}.`, injectAfter.path, injectBefore.value),
    })
  }
  return violations
}
