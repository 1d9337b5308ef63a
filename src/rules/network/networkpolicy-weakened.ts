import { displayName } from '../../extract/identity.js'
import type { JsonObject, Resource } from '../../model.js'
import type { TransitionContext, TransitionRule, TransitionViolation } from '../rule.js'
import {
  type Breadth,
  broadPeers,
  type Direction,
  DIRECTIONS,
  effectiveTypes,
  NETWORK_POLICY_KINDS,
  type PolicyType,
  policiesIn,
  portsCovered,
  portsText,
  ruleRef,
  rulesOf,
  specOf,
} from './network-policy.js'
import { describeSelector, isEmptySelector, restoreFix } from './shared.js'

export const networkpolicyWeakened: TransitionRule = {
  kind: 'transition',
  meta: {
    id: 'networkpolicy-weakened',
    title: 'NetworkPolicy weakened',
    severity: 'high',
    description:
      'A NetworkPolicy now admits far more than before: a rule that allows every source or destination, a direction dropped from `policyTypes`, or a default-deny policy that gained rules or stopped selecting every pod.',
    remediation:
      'Name the peers the traffic really needs (a `podSelector`, a `namespaceSelector` with labels, a narrow `ipBlock`) and keep the directions the policy isolated in `policyTypes`.',
    messages: {
      admitsAll: 'NetworkPolicy "{{policy}}" now admits {{direction}} {{peer}} on {{ports}}.',
      typeLost: 'NetworkPolicy "{{policy}}" no longer isolates {{types}}: it is gone from the policy types.',
      defaultDenyOpened: 'Default-deny NetworkPolicy "{{policy}}" now allows {{direction}} traffic ({{count}} rule(s)).',
      defaultDenyNarrowed: 'Default-deny NetworkPolicy "{{policy}}" now selects only pods matching {{selector}}, not every pod.',
    },
  },
  appliesTo: NETWORK_POLICY_KINDS,
  reads: NETWORK_POLICY_KINDS,
  check: (change, context) => {
    const { base, head } = change
    if (!head) return []
    const headSpec = specOf(head)
    const baseSpec = base ? specOf(base) : undefined
    const policy = displayName(head.identity)
    const violations: TransitionViolation[] = []

    const headTypes = effectiveTypes(headSpec)
    const baseTypes = baseSpec ? effectiveTypes(baseSpec) : new Set<PolicyType>()
    const lost = DIRECTIONS.filter((d) => baseTypes.has(d.type) && !headTypes.has(d.type)).map((d) => d.type)
    if (lost.length > 0) {
      const restored = DIRECTIONS.filter((d) => baseTypes.has(d.type) || headTypes.has(d.type)).map((d) => d.type)
      violations.push({
        on: 'head',
        messageId: 'typeLost',
        data: { policy, types: lost.join(' and ') },
        path: ['spec', 'policyTypes'],
        fix: restoreFix(`Set policyTypes to [${restored.join(', ')}].`, ['spec', 'policyTypes'], restored),
      })
    }

    const baseDefaultDeny = (d: Direction): boolean =>
      baseSpec !== undefined &&
      baseTypes.has(d.type) &&
      isEmptySelector(baseSpec.podSelector) &&
      rulesOf(baseSpec, d).length === 0
    if (baseSpec && DIRECTIONS.some(baseDefaultDeny) && !isEmptySelector(headSpec.podSelector)) {
      violations.push({
        on: 'head',
        messageId: 'defaultDenyNarrowed',
        data: { policy, selector: describeSelector(headSpec.podSelector) },
        path: ['spec', 'podSelector'],
        fix: restoreFix('Select every pod again.', ['spec', 'podSelector'], baseSpec.podSelector ?? {}),
      })
    }

    for (const direction of DIRECTIONS) {
      if (!headTypes.has(direction.type)) continue
      const admitsAll = broadRulesGained(head, headSpec, baseSpec, baseTypes, direction, context)
      violations.push(...admitsAll)
      const headRules = rulesOf(headSpec, direction)
      if (admitsAll.length === 0 && baseSpec && baseDefaultDeny(direction) && headRules.length > 0) {
        violations.push({
          on: 'head',
          messageId: 'defaultDenyOpened',
          data: { policy, direction: direction.field, count: headRules.length },
          path: ['spec', direction.field],
          fix: restoreFix(
            `Restore the empty ${direction.field} rules of the default-deny policy.`,
            ['spec', direction.field],
            baseSpec[direction.field],
          ),
        })
      }
    }
    return violations
  },
}

const PEER_TEXT: Record<Direction['type'], Record<Breadth, string>> = {
  Ingress: { any: 'from any source', anyPod: 'from every pod in every namespace', anyAddress: 'from any address' },
  Egress: { any: 'to any destination', anyPod: 'to every pod in every namespace', anyAddress: 'to any address' },
}

/**
 * Rules of the head that admit everything and that the base did not already admit as widely on
 * the same ports. They only weaken something where the direction was isolated at base, by this
 * policy or by another one in the namespace (policies add up: an allow-all policy added next to
 * a default-deny one undoes it).
 */
function broadRulesGained(
  head: Resource,
  headSpec: JsonObject,
  baseSpec: JsonObject | undefined,
  baseTypes: ReadonlySet<PolicyType>,
  direction: Direction,
  context: TransitionContext,
): TransitionViolation[] {
  const isolatedByOthers = (): boolean =>
    policiesIn(context.base, head.identity.namespace).some(
      (p) => p.identity.name !== head.identity.name && effectiveTypes(specOf(p)).has(direction.type),
    )
  const headRules = rulesOf(headSpec, direction)
  // rules of a direction the base did not isolate were not in effect there
  const baseRules = baseSpec && baseTypes.has(direction.type) ? rulesOf(baseSpec, direction) : []
  const violations: TransitionViolation[] = []
  let isolated: boolean | undefined
  headRules.forEach((rule, i) => {
    for (const peer of broadPeers(rule, direction)) {
      const covered = baseRules.some(
        (baseRule) =>
          portsCovered(baseRule, rule) &&
          broadPeers(baseRule, direction).some((b) => b.breadth === 'any' || b.breadth === peer.breadth),
      )
      if (covered) continue
      isolated ??= baseTypes.has(direction.type) || isolatedByOthers()
      if (!isolated) return
      const ports = portsText(rule)
      violations.push({
        on: 'head',
        messageId: 'admitsAll',
        data: {
          policy: displayName(head.identity),
          direction: direction.field,
          peer: PEER_TEXT[direction.type][peer.breadth],
          ports: ports === undefined ? 'every port' : `${ports.includes(',') ? 'ports' : 'port'} ${ports}`,
        },
        path: ['spec', direction.field, ruleRef(headRules, i), ...peer.path],
      })
    }
  })
  return violations
}
