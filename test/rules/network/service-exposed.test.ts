import { describe, expect, it } from 'vitest'
import { serviceExposed } from '../../../src/rules/network/service-exposed.js'
import { engineFindings, placed, runTransition, transitionIds, VIAS } from './helpers.js'

const rule = serviceExposed

/** A Service `admin` in `ops` with the given spec lines and annotations. */
function service(specLines: string[] = [], annotations: Record<string, string> = {}): string {
  const notes = Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`)
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: admin',
    '  namespace: ops',
    ...(notes.length > 0 ? ['  annotations:', ...notes] : []),
    'spec:',
    '  selector: { app: admin }',
    ...specLines.map((l) => `  ${l}`),
    '  ports:',
    '    - name: http',
    '      port: 80',
    ...(specLines.some((l) => l.includes('NodePort') || l.includes('LoadBalancer')) ? ['      nodePort: 30080'] : []),
    '',
  ].join('\n')
}

const clusterIP = service()
const nodePort = service(['type: NodePort'])
const loadBalancer = service(['type: LoadBalancer'])

describe('service-exposed: type', () => {
  it('fires when a ClusterIP Service becomes NodePort, offering the base type back', () => {
    expect(runTransition(rule, { base: clusterIP, head: nodePort })).toEqual([
      {
        on: 'head',
        messageId: 'typeChanged',
        data: { service: 'ops/admin', from: 'ClusterIP', to: 'NodePort', reach: 'on a port of every node' },
        path: 'spec.type',
        fix: {
          safety: 'review',
          description: 'Set the type back to ClusterIP.',
          // the base named no type; a ClusterIP Service may not keep its nodePorts
          edits: [
            { op: 'delete', path: ['spec', 'type'] },
            { op: 'delete', path: ['spec', 'ports', { index: 0, key: 'name', value: 'http' }, 'nodePort'] },
          ],
        },
      },
    ])
  })

  it('sets an explicit base type back, and keeps nodePorts when the base had them', () => {
    const explicit = service(['type: ClusterIP'])
    expect(runTransition(rule, { base: explicit, head: loadBalancer })[0]?.fix?.edits).toEqual([
      { op: 'set', path: ['spec', 'type'], value: 'ClusterIP' },
      { op: 'delete', path: ['spec', 'ports', { index: 0, key: 'name', value: 'http' }, 'nodePort'] },
    ])
    expect(runTransition(rule, { base: nodePort, head: loadBalancer })).toMatchObject([
      {
        messageId: 'typeChanged',
        data: { from: 'NodePort', to: 'LoadBalancer', reach: 'through an external load balancer' },
        fix: { edits: [{ op: 'set', path: ['spec', 'type'], value: 'NodePort' }] },
      },
    ])
  })

  it('fires on a Service created as NodePort or LoadBalancer', () => {
    expect(runTransition(rule, { head: loadBalancer })).toEqual([
      {
        on: 'head',
        messageId: 'created',
        data: { service: 'ops/admin', type: 'LoadBalancer', reach: 'through an external load balancer' },
        path: 'spec.type',
      },
    ])
    expect(transitionIds(rule, { head: nodePort })).toEqual(['created@spec.type'])
  })

  it('rates an internal load balancer low, and fires when it turns external', () => {
    const internal = service(['type: LoadBalancer'], { 'networking.gke.io/load-balancer-type': 'Internal' })
    expect(runTransition(rule, { base: clusterIP, head: internal })).toMatchObject([
      { messageId: 'typeChanged', data: { to: 'internal LoadBalancer' }, severity: 'low' },
    ])
    expect(runTransition(rule, { base: internal, head: loadBalancer })).toEqual([
      {
        on: 'head',
        messageId: 'becameExternal',
        data: { service: 'ops/admin', annotation: 'networking.gke.io/load-balancer-type' },
        path: 'metadata.annotations["networking.gke.io/load-balancer-type"]',
        fix: {
          safety: 'review',
          description: 'Make the load balancer internal again.',
          edits: [{ op: 'set', path: ['metadata', 'annotations', 'networking.gke.io/load-balancer-type'], value: 'Internal' }],
        },
      },
    ])
    const awsInternal = service(['type: LoadBalancer'], { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' })
    expect(transitionIds(rule, { base: awsInternal, head: awsInternal })).toEqual([])
    expect(transitionIds(rule, { base: loadBalancer, head: awsInternal })).toEqual([])
  })

  it.each([
    ['an unchanged NodePort', nodePort, nodePort],
    ['an unchanged LoadBalancer', loadBalancer, loadBalancer],
    ['LoadBalancer to NodePort', loadBalancer, nodePort],
    ['NodePort to ClusterIP', nodePort, clusterIP],
    ['ClusterIP to headless', clusterIP, service(['clusterIP: None'])],
    ['ClusterIP to ExternalName', clusterIP, service(['type: ExternalName', 'externalName: db.example.com'])],
  ])('does not fire on %s', (_name, base, head) => {
    expect(transitionIds(rule, { base, head })).toEqual([])
  })

  it('does not fire on a ClusterIP Service created, or on a deleted Service', () => {
    expect(transitionIds(rule, { head: clusterIP })).toEqual([])
    expect(transitionIds(rule, { base: loadBalancer })).toEqual([])
  })
})

describe('service-exposed: externalIPs', () => {
  it('fires on each external IP the head adds', () => {
    const one = service(['externalIPs: [203.0.113.10]'])
    const two = service(['externalIPs: [203.0.113.10, 203.0.113.11]'])
    expect(runTransition(rule, { base: clusterIP, head: one })).toEqual([
      {
        on: 'head',
        messageId: 'externalIP',
        data: { service: 'ops/admin', ip: '203.0.113.10' },
        path: 'spec.externalIPs[203.0.113.10]',
      },
    ])
    expect(transitionIds(rule, { base: one, head: two })).toEqual(['externalIP@spec.externalIPs[203.0.113.11]'])
    expect(transitionIds(rule, { head: one })).toEqual(['externalIP@spec.externalIPs[203.0.113.10]'])
    expect(transitionIds(rule, { base: two, head: one })).toEqual([])
  })
})

describe('service-exposed: load balancer source ranges', () => {
  const restricted = service(['type: LoadBalancer', 'loadBalancerSourceRanges: [10.0.0.0/8, 192.168.0.0/16]'])

  it('fires when a LoadBalancer loses its source ranges, offering them back', () => {
    expect(runTransition(rule, { base: restricted, head: loadBalancer })).toEqual([
      {
        on: 'head',
        messageId: 'sourceRangesRemoved',
        data: { service: 'ops/admin' },
        path: 'spec.loadBalancerSourceRanges',
        fix: {
          safety: 'review',
          description: 'Restore the source ranges.',
          edits: [{ op: 'set', path: ['spec', 'loadBalancerSourceRanges'], value: ['10.0.0.0/8', '192.168.0.0/16'] }],
        },
      },
    ])
  })

  it('reads the older annotation as source ranges too', () => {
    const annotated = service(['type: LoadBalancer'], { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8, 192.168.0.0/16' })
    expect(transitionIds(rule, { base: annotated, head: loadBalancer })).toEqual([
      'sourceRangesRemoved@metadata.annotations["service.beta.kubernetes.io/load-balancer-source-ranges"]',
    ])
    // moving the ranges from the annotation to the field is no loss
    expect(transitionIds(rule, { base: annotated, head: restricted })).toEqual([])
  })

  it('fires when a range admitting every address is added', () => {
    const open = service(['type: LoadBalancer', 'loadBalancerSourceRanges: [10.0.0.0/8, 0.0.0.0/0]'])
    expect(transitionIds(rule, { base: restricted, head: open })).toEqual(['sourceRangeOpen@spec.loadBalancerSourceRanges[0.0.0.0/0]'])
  })

  it('does not fire when ranges narrow or stay', () => {
    const narrower = service(['type: LoadBalancer', 'loadBalancerSourceRanges: [10.0.0.0/8]'])
    expect(transitionIds(rule, { base: restricted, head: narrower })).toEqual([])
    expect(transitionIds(rule, { base: restricted, head: restricted })).toEqual([])
    expect(transitionIds(rule, { base: loadBalancer, head: restricted })).toEqual([])
  })
})

describe('service-exposed: robustness', () => {
  it.each([
    'spec: null',
    'spec: { type: 5, externalIPs: "x", loadBalancerSourceRanges: 3, ports: "x" }',
    'spec: { type: NodePort, ports: [null, 3, { nodePort: 30000 }] }',
  ])('does not throw on %s', (spec) => {
    const odd = `apiVersion: v1\nkind: Service\nmetadata: { name: admin, namespace: ops, annotations: 3 }\n${spec}\n`
    expect(() => runTransition(rule, { base: odd, head: loadBalancer })).not.toThrow()
    expect(() => runTransition(rule, { base: clusterIP, head: odd })).not.toThrow()
    expect(() => runTransition(rule, { head: odd })).not.toThrow()
  })
})

describe.each(VIAS)('service-exposed through the engine (%s)', (via) => {
  it('reports the type line of the head file, as new', async () => {
    const base = { 'svc/admin.yaml': clusterIP, 'svc/web.yaml': clusterIP.replace('admin', 'web') }
    const head = { 'svc/admin.yaml': nodePort, 'svc/web.yaml': clusterIP.replace('admin', 'web') }
    const findings = await engineFindings(rule, base, head, via)
    expect(placed(findings)).toEqual(['new service-exposed svc/admin.yaml:8'])
    expect(findings[0]?.message).toBe('Service "ops/admin" changes from ClusterIP to NodePort, reachable on a port of every node.')
    expect(findings[0]?.fix?.description).toBe('Set the type back to ClusterIP.')
  })

  it('reports nothing for an unrelated change to an exposed Service', async () => {
    const base = { 'svc/admin.yaml': nodePort }
    const head = { 'svc/admin.yaml': nodePort.replace('app: admin', 'app: admin2') }
    expect(await engineFindings(rule, base, head, via)).toEqual([])
  })
})
