import { asArray, asObject, asString } from '../../extract/json.js'
import type { JsonObject, JsonValue, PathSegment, Resource } from '../../model.js'
import type { RevisionView } from '../rule.js'
import { parseCidr, isEverything } from './cidr.js'
import { isEmptySelector, type LabelMap, sameJson, scalarText, selectorMatches, uniqueRef } from './shared.js'

/** Readers for `networking.k8s.io/NetworkPolicy`, shared by the NetworkPolicy rules. */

/** NetworkPolicy as served today, and as `extensions/v1beta1` served it until Kubernetes 1.16. */
export const NETWORK_POLICY_KINDS = ['networking.k8s.io/NetworkPolicy', 'extensions/NetworkPolicy'] as const

export type PolicyType = 'Ingress' | 'Egress'

export interface Direction {
  type: PolicyType
  /** the rule list: `ingress` or `egress` */
  field: 'ingress' | 'egress'
  /** the peer list of one rule: `from` or `to` */
  peers: 'from' | 'to'
}

export const DIRECTIONS: readonly Direction[] = [
  { type: 'Ingress', field: 'ingress', peers: 'from' },
  { type: 'Egress', field: 'egress', peers: 'to' },
]

export function specOf(resource: Resource): JsonObject {
  return asObject(resource.object.spec) ?? {}
}

/**
 * The directions a policy isolates, as the API server defaults `policyTypes`: when it is absent
 * or empty, `Ingress`, plus `Egress` when the policy has egress rules.
 */
export function effectiveTypes(spec: JsonObject): Set<PolicyType> {
  const listed = asArray(spec.policyTypes)
  if (listed.length > 0) return new Set(listed.filter((t): t is PolicyType => t === 'Ingress' || t === 'Egress'))
  const types = new Set<PolicyType>(['Ingress'])
  if (asArray(spec.egress).length > 0) types.add('Egress')
  return types
}

export function rulesOf(spec: JsonObject, direction: Direction): JsonValue[] {
  return asArray(spec[direction.field])
}

/** One text per port of a rule (`443`, `53/UDP`, `8000-9000`), or undefined when it lists none (every port). */
export function portTexts(rule: JsonValue | undefined): string[] | undefined {
  const ports = asArray(asObject(rule)?.ports)
  if (ports.length === 0) return undefined
  return ports.map((item) => {
    const port = asObject(item)
    const number = scalarText(port?.port) ?? '*'
    const end = scalarText(port?.endPort)
    const protocol = asString(port?.protocol)
    return `${number}${end ? `-${end}` : ''}${protocol && protocol !== 'TCP' ? `/${protocol}` : ''}`
  })
}

/** A rule's ports as one text (`80,443,53/UDP`), or undefined when it has none. */
export function portsText(rule: JsonValue | undefined): string | undefined {
  return portTexts(rule)?.join(',')
}

/** Whether every port of `rule` is among the ports of `wider` (a rule without ports has them all). */
export function portsCovered(wider: JsonValue | undefined, rule: JsonValue | undefined): boolean {
  const widerPorts = portTexts(wider)
  if (widerPorts === undefined) return true
  const ports = portTexts(rule)
  return ports !== undefined && ports.every((p) => widerPorts.includes(p))
}

/**
 * Rules have no name: one is named by its ports where no sibling has the same ports
 * (`ingress[ports=443]`), and by its index otherwise.
 */
export function ruleRef(rules: readonly JsonValue[], index: number): PathSegment {
  return uniqueRef(rules, index, portsText, 'ports')
}

/** How widely a peer (or a rule without peers) admits traffic. */
export type Breadth = 'any' | 'anyPod' | 'anyAddress'

export interface BroadPeer {
  breadth: Breadth
  /** path from the rule to the offending field ([] for a rule without peers) */
  path: PathSegment[]
}

/**
 * The parts of one rule that admit everything: no peers at all, an empty peer `{}`, a
 * `namespaceSelector: {}` with no (or an empty) `podSelector` (every pod of every namespace),
 * or an `ipBlock` whose prefix is 0 (`0.0.0.0/0`, `::/0`, whatever its `except`).
 */
export function broadPeers(rule: JsonValue | undefined, direction: Direction): BroadPeer[] {
  const object = asObject(rule)
  if (!object) return []
  const peers = asArray(object[direction.peers])
  if (peers.length === 0) return [{ breadth: 'any', path: [] }]
  const found: BroadPeer[] = []
  peers.forEach((item, j) => {
    const peer = asObject(item)
    if (!peer) return
    const has = (key: string): boolean => peer[key] !== undefined && peer[key] !== null
    if (!has('podSelector') && !has('namespaceSelector') && !has('ipBlock')) {
      found.push({ breadth: 'any', path: [direction.peers, j] })
    } else if (has('namespaceSelector') && isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector)) {
      found.push({ breadth: 'anyPod', path: [direction.peers, j, 'namespaceSelector'] })
    } else if (has('ipBlock')) {
      const cidr = parseCidr(asString(asObject(peer.ipBlock)?.cidr) ?? '')
      if (cidr && isEverything(cidr)) found.push({ breadth: 'anyAddress', path: [direction.peers, j, 'ipBlock', 'cidr'] })
    }
  })
  return found
}

/** The same policy in effect: selector, isolated directions and rules (names and metadata aside). */
export function samePolicySpec(a: JsonObject, b: JsonObject): boolean {
  const normal = (spec: JsonObject): JsonObject => ({
    podSelector: asObject(spec.podSelector) ?? {},
    policyTypes: [...effectiveTypes(spec)].sort(),
    ingress: asArray(spec.ingress),
    egress: asArray(spec.egress),
  })
  return sameJson(normal(a), normal(b))
}

const byNamespace = new WeakMap<RevisionView, Map<string, Resource[]>>()

/** The NetworkPolicies of one namespace in a revision (indexed once per view). */
export function policiesIn(view: RevisionView, namespace: string | null): readonly Resource[] {
  let index = byNamespace.get(view)
  if (!index) {
    index = new Map()
    for (const policy of NETWORK_POLICY_KINDS.flatMap((kind) => view.objectsOf(kind))) {
      const key = policy.identity.namespace ?? ''
      const list = index.get(key)
      if (list) list.push(policy)
      else index.set(key, [policy])
    }
    byNamespace.set(view, index)
  }
  return index.get(namespace ?? '') ?? []
}

/** The policies of the revision that select a pod with these labels in this namespace. */
export function policiesSelecting(view: RevisionView, namespace: string | null, labels: LabelMap): Resource[] {
  return policiesIn(view, namespace).filter((policy) => selectorMatches(specOf(policy).podSelector, labels))
}
