import { displayName } from '../../extract/identity.js'
import { asArray, asObject, asString } from '../../extract/json.js'
import type { JsonObject, PathSegment, Resource } from '../../model.js'
import type { Edit, TransitionRule, TransitionViolation } from '../rule.js'
import { isEverything, parseCidr } from './cidr.js'
import { annotationOf, restoreFix, scalarText, uniqueRef } from './shared.js'

/**
 * Annotations that make a cloud provider build an internal load balancer, reachable from the
 * private network only, with the value that asks for it (compared case-insensitively).
 */
const INTERNAL_LOAD_BALANCER: readonly [annotation: string, value: string][] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', 'internal'],
  ['networking.gke.io/load-balancer-type', 'internal'],
  ['cloud.google.com/load-balancer-type', 'internal'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', 'true'],
]

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges'

interface Exposure {
  type: string
  /** 0 inside the cluster, 1 NodePort, 2 internal load balancer, 3 load balancer */
  level: 0 | 1 | 2 | 3
  label: string
  /** the annotation that makes the load balancer internal */
  internalBy?: string
}

const REACH = ['', 'on a port of every node', 'through an internal load balancer', 'through an external load balancer']

export const serviceExposed: TransitionRule = {
  kind: 'transition',
  meta: {
    id: 'service-exposed',
    title: 'Service exposed outside the cluster',
    severity: 'medium',
    description:
      'A Service becomes reachable from outside the cluster: it turns (or is created as) NodePort or LoadBalancer, an internal load balancer turns external, it gains `externalIPs`, or a LoadBalancer stops restricting its source ranges.',
    remediation:
      'Keep internal Services `ClusterIP` and publish them through an Ingress or Gateway; if a load balancer is needed, make it internal or restrict `loadBalancerSourceRanges`. Avoid `externalIPs`.',
    messages: {
      created: 'Service "{{service}}" is created as {{type}}, reachable {{reach}}.',
      typeChanged: 'Service "{{service}}" changes from {{from}} to {{to}}, reachable {{reach}}.',
      becameExternal: 'LoadBalancer Service "{{service}}" is no longer internal: annotation {{annotation}} changed.',
      externalIP: 'Service "{{service}}" gains external IP {{ip}}.',
      sourceRangesRemoved: 'LoadBalancer Service "{{service}}" no longer restricts source ranges: any address may connect.',
      sourceRangeOpen: 'LoadBalancer Service "{{service}}" now admits source range {{range}}: any address.',
    },
  },
  appliesTo: ['/Service'],
  check: (change) => {
    const { base, head } = change
    if (!head) return []
    const service = displayName(head.identity)
    const headSpec = asObject(head.object.spec) ?? {}
    const baseSpec = base ? (asObject(base.object.spec) ?? {}) : undefined
    const after = exposureOf(head)
    const before = base ? exposureOf(base) : undefined
    const violations: TransitionViolation[] = []
    const severity = after.level === 2 ? ('low' as const) : undefined

    if (after.level > (before?.level ?? 0)) {
      const reach = REACH[after.level] ?? ''
      if (!base || !before || !baseSpec) {
        const data = { service, type: after.label, reach }
        violations.push({ on: 'head', messageId: 'created', data, path: ['spec', 'type'], severity })
      } else if (before.type !== after.type) {
        violations.push({
          on: 'head',
          messageId: 'typeChanged',
          data: { service, from: before.label, to: after.label, reach },
          path: ['spec', 'type'],
          severity,
          fix: {
            safety: 'review',
            description: `Set the type back to ${before.type}.`,
            edits: [restoreType(baseSpec), ...(before.level === 0 ? nodePortDeletions(headSpec) : [])],
          },
        })
      } else if (before.internalBy) {
        const annotation = before.internalBy
        violations.push({
          on: 'head',
          messageId: 'becameExternal',
          data: { service, annotation },
          path: ['metadata', 'annotations', annotation],
          fix: restoreFix(
            'Make the load balancer internal again.',
            ['metadata', 'annotations', annotation],
            annotationOf(base.object.metadata, annotation),
          ),
        })
      }
    }

    const baseIPs = new Set(asArray(baseSpec?.externalIPs).filter((ip) => typeof ip === 'string'))
    asArray(headSpec.externalIPs).forEach((ip, index) => {
      if (typeof ip !== 'string' || baseIPs.has(ip)) return
      violations.push({
        on: 'head',
        messageId: 'externalIP',
        data: { service, ip },
        path: ['spec', 'externalIPs', { index, key: null, value: ip }],
      })
    })

    if (base && baseSpec && before && before.level >= 2 && after.level >= 2) {
      violations.push(...sourceRangeChanges(base, baseSpec, head, headSpec, service))
    }
    return violations
  },
}

function exposureOf(resource: Resource): Exposure {
  const type = asString(asObject(resource.object.spec)?.type) ?? 'ClusterIP'
  if (type === 'NodePort') return { type, level: 1, label: 'NodePort' }
  if (type !== 'LoadBalancer') return { type, level: 0, label: type }
  const internalBy = INTERNAL_LOAD_BALANCER.find(
    ([annotation, value]) => annotationOf(resource.object.metadata, annotation)?.toLowerCase() === value,
  )?.[0]
  return internalBy ? { type, level: 2, label: 'internal LoadBalancer', internalBy } : { type, level: 3, label: 'LoadBalancer' }
}

function restoreType(baseSpec: JsonObject): Edit {
  const type = asString(baseSpec.type)
  return type === undefined ? { op: 'delete', path: ['spec', 'type'] } : { op: 'set', path: ['spec', 'type'], value: type }
}

/** A ClusterIP Service may not keep `nodePort`s: the API server rejects them. */
function nodePortDeletions(headSpec: JsonObject): Edit[] {
  const ports = asArray(headSpec.ports)
  return ports.flatMap((item, index): Edit[] => {
    if (asObject(item)?.nodePort === undefined) return []
    const name = (value: unknown): string | undefined => asString(asObject(value)?.name)
    const number = (value: unknown): string | undefined => scalarText(asObject(value)?.port)
    const ref: PathSegment =
      name(item) !== undefined ? uniqueRef(ports, index, name, 'name') : uniqueRef(ports, index, number, 'port')
    return [{ op: 'delete', path: ['spec', 'ports', ref, 'nodePort'] }]
  })
}

/** The ranges a load balancer admits: the field, or the older annotation when the field is empty. */
function sourceRangesOf(resource: Resource, spec: JsonObject): { ranges: string[]; field: 'spec' | 'annotation' | null } {
  const ranges = asArray(spec.loadBalancerSourceRanges).filter((r): r is string => typeof r === 'string')
  if (ranges.length > 0) return { ranges, field: 'spec' }
  const annotation = annotationOf(resource.object.metadata, SOURCE_RANGES_ANNOTATION)
  const listed = (annotation ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '')
  return listed.length > 0 ? { ranges: listed, field: 'annotation' } : { ranges: [], field: null }
}

function sourceRangeChanges(
  base: Resource,
  baseSpec: JsonObject,
  head: Resource,
  headSpec: JsonObject,
  service: string,
): TransitionViolation[] {
  const before = sourceRangesOf(base, baseSpec)
  const after = sourceRangesOf(head, headSpec)
  if (before.ranges.length === 0) return []
  if (after.ranges.length === 0) {
    const inSpec = before.field === 'spec'
    const path = inSpec ? ['spec', 'loadBalancerSourceRanges'] : ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION]
    const baseValue = inSpec
      ? baseSpec.loadBalancerSourceRanges
      : annotationOf(base.object.metadata, SOURCE_RANGES_ANNOTATION)
    return [
      {
        on: 'head',
        messageId: 'sourceRangesRemoved',
        data: { service },
        path,
        fix: restoreFix('Restore the source ranges.', path, baseValue),
      },
    ]
  }
  const wide = after.ranges.filter((range) => {
    const cidr = parseCidr(range)
    return cidr !== null && isEverything(cidr) && !before.ranges.includes(range)
  })
  return wide.map((range) => {
    const index = asArray(headSpec.loadBalancerSourceRanges).indexOf(range)
    const path: PathSegment[] =
      after.field === 'spec'
        ? ['spec', 'loadBalancerSourceRanges', { index, key: null, value: range }]
        : ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION]
    return { on: 'head' as const, messageId: 'sourceRangeOpen', data: { service, range }, path }
  })
}
