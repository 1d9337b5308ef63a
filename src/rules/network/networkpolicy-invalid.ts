import { displayName } from '../../extract/identity.js'
import { asArray, asObject } from '../../extract/json.js'
import type { JsonValue, PathSegment, Resource } from '../../model.js'
import type { Fix, ObjectRule, Violation } from '../rule.js'
import { parseCidr, strictlyContains } from './cidr.js'
import { type Direction, DIRECTIONS, effectiveTypes, NETWORK_POLICY_KINDS, ruleRef, rulesOf, specOf } from './network-policy.js'

const REJECTED = 'the API server rejects the whole policy, so none of it applies'

export const networkpolicyInvalid: ObjectRule = {
  kind: 'object',
  meta: {
    id: 'networkpolicy-invalid',
    title: 'NetworkPolicy ipBlock the API server rejects',
    severity: 'medium',
    description:
      'An `ipBlock` whose CIDR does not parse (`0.0.0.0/0/32`, `10.0.0.0/33`) or whose `except` entries are not inside it: the API server rejects the policy, so what applies is whatever was there before, not what the author meant. `0.0.0.0/0/32` is often written in the belief that it denies everything.',
    remediation:
      'Write a valid CIDR, with `except` entries strictly inside it. To deny all egress, list `Egress` in `policyTypes` and give no egress rules (`egress: []`); ingress likewise.',
    messages: {
      cidrInvalid: `ipBlock CIDR "{{cidr}}" in NetworkPolicy "{{policy}}" is not a valid CIDR: ${REJECTED}. To deny all {{direction}}, list {{type}} in policyTypes with no {{direction}} rules.`,
      cidrMissing: `An ipBlock in NetworkPolicy "{{policy}}" has no CIDR: ${REJECTED}.`,
      exceptInvalid: `except entry "{{except}}" of ipBlock "{{cidr}}" in NetworkPolicy "{{policy}}" is not a valid CIDR: ${REJECTED}.`,
      exceptOutside: `except entry "{{except}}" is not strictly inside ipBlock "{{cidr}}" in NetworkPolicy "{{policy}}": ${REJECTED}.`,
    },
  },
  appliesTo: NETWORK_POLICY_KINDS,
  fieldsRead: ['object.spec.ingress', 'object.spec.egress', 'object.spec.policyTypes'],
  check: (resource) => {
    const spec = specOf(resource)
    const violations: Violation[] = []
    for (const direction of DIRECTIONS) {
      const rules = rulesOf(spec, direction)
      rules.forEach((rule, i) => {
        const peers = asArray(asObject(rule)?.[direction.peers])
        peers.forEach((item, j) => {
          const ipBlock = asObject(asObject(item)?.ipBlock)
          if (!ipBlock) return
          const at: PathSegment[] = ['spec', direction.field, ruleRef(rules, i), direction.peers, j, 'ipBlock']
          const alone = rules.length === 1 && peers.length === 1
          violations.push(...checkIpBlock(resource, ipBlock.cidr, ipBlock.except, at, direction, alone))
        })
      })
    }
    return violations
  },
}

function checkIpBlock(
  resource: Resource,
  cidrValue: JsonValue | undefined,
  exceptValue: JsonValue | undefined,
  at: PathSegment[],
  direction: Direction,
  onlyPeerOfOnlyRule: boolean,
): Violation[] {
  const policy = displayName(resource.identity)
  if (typeof cidrValue !== 'string' || cidrValue === '') {
    return [{ messageId: 'cidrMissing', data: { policy }, path: [...at, 'cidr'] }]
  }
  const cidr = parseCidr(cidrValue)
  if (!cidr) {
    const violation: Violation = {
      messageId: 'cidrInvalid',
      data: { policy, cidr: cidrValue, direction: direction.field, type: direction.type },
      path: [...at, 'cidr'],
    }
    // the one peer of the one rule: most likely an attempt at "deny everything", so offer its real form
    if (onlyPeerOfOnlyRule) violation.fix = denyAllFix(resource, direction)
    return [violation]
  }
  const violations: Violation[] = []
  asArray(exceptValue).forEach((item, k) => {
    if (typeof item !== 'string') return
    const path = [...at, 'except', { index: k, key: null, value: item }]
    const except = parseCidr(item)
    if (!except) violations.push({ messageId: 'exceptInvalid', data: { policy, cidr: cidrValue, except: item }, path })
    else if (!strictlyContains(cidr, except)) {
      violations.push({ messageId: 'exceptOutside', data: { policy, cidr: cidrValue, except: item }, path })
    }
  })
  return violations
}

/** `<direction>: []` with the direction in `policyTypes` (kept explicit: an empty egress list drops the implicit Egress). */
function denyAllFix(resource: Resource, direction: Direction): Fix {
  const types = effectiveTypes(specOf(resource))
  types.add(direction.type)
  const policyTypes = DIRECTIONS.filter((d) => types.has(d.type)).map((d) => d.type)
  return {
    safety: 'review',
    description: `Deny all ${direction.field}: no ${direction.field} rules, ${direction.type} in policyTypes.`,
    edits: [
      { op: 'set', path: ['spec', direction.field], value: [] },
      { op: 'set', path: ['spec', 'policyTypes'], value: policyTypes },
    ],
  }
}
