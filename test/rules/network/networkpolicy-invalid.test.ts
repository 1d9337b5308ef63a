import { describe, expect, it } from 'vitest'
import { networkpolicyInvalid } from '../../../src/rules/network/networkpolicy-invalid.js'
import { findingsOf, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { resourceOf } from './helpers.js'

const rule = networkpolicyInvalid
const REJECTED = 'the API server rejects the whole policy, so none of it applies'

describe('networkpolicy-invalid', () => {
  ruleCases(rule, [
    {
      name: 'fires on 0.0.0.0/0/32, explaining how to deny all egress',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-egress, namespace: shop }
        spec:
          podSelector: {}
          policyTypes: [Egress]
          egress:
            - to:
                - ipBlock:
                    cidr: 0.0.0.0/0/32
      `,
      expected: [
        {
          message: `ipBlock CIDR "0.0.0.0/0/32" in NetworkPolicy "shop/deny-egress" is not a valid CIDR: ${REJECTED}. To deny all egress, list Egress in policyTypes with no egress rules.`,
          path: 'spec.egress[0].to[0].ipBlock.cidr',
          container: null,
          line: 10,
        },
      ],
    },
    {
      name: 'fires on prefixes too long for the family, in ingress too',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: p }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: 10.0.0.0/33 }
                - ipBlock: { cidr: "::/129" }
              ports: [{ port: 443 }]
      `,
      expected: [
        {
          message: `ipBlock CIDR "10.0.0.0/33" in NetworkPolicy "default/p" is not a valid CIDR: ${REJECTED}. To deny all ingress, list Ingress in policyTypes with no ingress rules.`,
          path: 'spec.ingress[ports=443].from[0].ipBlock.cidr',
          container: null,
          line: 8,
        },
        {
          message: `ipBlock CIDR "::/129" in NetworkPolicy "default/p" is not a valid CIDR: ${REJECTED}. To deny all ingress, list Ingress in policyTypes with no ingress rules.`,
          path: 'spec.ingress[ports=443].from[1].ipBlock.cidr',
          container: null,
          line: 9,
        },
      ],
    },
    {
      name: 'fires on except entries outside the CIDR, equal to it, of another family, or unparsable',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: p, namespace: shop }
        spec:
          podSelector: {}
          egress:
            - to:
                - ipBlock:
                    cidr: 10.0.0.0/8
                    except:
                      - 10.1.0.0/16
                      - 192.168.0.0/16
                      - 10.0.0.0/8
                      - fd00::/8
                      - 10.0.0.0/40
      `,
      expected: [
        {
          message: `except entry "192.168.0.0/16" is not strictly inside ipBlock "10.0.0.0/8" in NetworkPolicy "shop/p": ${REJECTED}.`,
          path: 'spec.egress[0].to[0].ipBlock.except[192.168.0.0/16]',
          container: null,
          line: 12,
        },
        {
          message: `except entry "10.0.0.0/8" is not strictly inside ipBlock "10.0.0.0/8" in NetworkPolicy "shop/p": ${REJECTED}.`,
          path: 'spec.egress[0].to[0].ipBlock.except[10.0.0.0/8]',
          container: null,
          line: 13,
        },
        {
          message: `except entry "fd00::/8" is not strictly inside ipBlock "10.0.0.0/8" in NetworkPolicy "shop/p": ${REJECTED}.`,
          path: 'spec.egress[0].to[0].ipBlock.except[fd00::/8]',
          container: null,
          line: 14,
        },
        {
          message: `except entry "10.0.0.0/40" of ipBlock "10.0.0.0/8" in NetworkPolicy "shop/p" is not a valid CIDR: ${REJECTED}.`,
          path: 'spec.egress[0].to[0].ipBlock.except[10.0.0.0/40]',
          container: null,
          line: 15,
        },
      ],
    },
    {
      name: 'fires on an ipBlock without a CIDR',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: p }
        spec:
          egress:
            - to:
                - ipBlock: { except: [10.0.0.0/8] }
      `,
      expected: [
        {
          message: `An ipBlock in NetworkPolicy "default/p" has no CIDR: ${REJECTED}.`,
          path: 'spec.egress[0].to[0].ipBlock.cidr',
          container: null,
          line: 7,
        },
      ],
    },
    {
      name: 'does not fire on valid blocks (IPv6, host bits, leading zeros, except inside)',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: p }
        spec:
          podSelector: {}
          ingress:
            - from:
                - ipBlock: { cidr: 0.0.0.0/0, except: [169.254.169.254/32, 10.0.0.0/8] }
                - ipBlock: { cidr: "::/0", except: ["fd00::/8"] }
                - ipBlock: { cidr: 10.0.0.1/8 }
                - ipBlock: { cidr: 010.0.0.0/8 }
                - podSelector: {}
          egress:
            - to:
                - ipBlock: { cidr: 2001:db8::/32, except: [2001:db8:1::/48] }
      `,
      expected: [],
    },
    {
      name: 'does not fire on other kinds or on wrong types',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: a }
        spec: { ingress: "x", egress: [3, { to: "x" }, { to: [null, { ipBlock: "x" }] }] }
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: b }
        spec: null
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: c }
        data: { cidr: 0.0.0.0/0/32 }
      `,
      expected: [],
    },
  ])

  it('offers the real deny-all form where the bad block is the only peer of the only rule', () => {
    const [violation] = rule.check(
      resourceOf(yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: deny-egress }
        spec:
          podSelector: {}
          egress:
            - to:
                - ipBlock: { cidr: 0.0.0.0/0/32 }
      `),
    )
    // no policyTypes: the implicit Egress would vanish with the rules, so the types are spelled out
    expect(violation?.fix).toEqual({
      safety: 'review',
      description: 'Deny all egress: no egress rules, Egress in policyTypes.',
      edits: [
        { op: 'set', path: ['spec', 'egress'], value: [] },
        { op: 'set', path: ['spec', 'policyTypes'], value: ['Ingress', 'Egress'] },
      ],
    })
  })

  it('offers no fix where other peers show another intent', () => {
    const [violation] = rule.check(
      resourceOf(yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: { name: p }
        spec:
          egress:
            - to:
                - ipBlock: { cidr: 10.0.0.0/33 }
                - podSelector: {}
      `),
    )
    expect(violation?.messageId).toBe('cidrInvalid')
    expect(violation?.fix).toBeUndefined()
  })

  it('reads the NetworkPolicy that extensions/v1beta1 served before Kubernetes 1.16', () => {
    const text = yaml`
      apiVersion: extensions/v1beta1
      kind: NetworkPolicy
      metadata: { name: p }
      spec: { egress: [{ to: [{ ipBlock: { cidr: 1.2.3.4/99 } }] }] }
    `
    expect(findingsOf(rule, text).map((f) => f.path)).toEqual(['spec.egress[0].to[0].ipBlock.cidr'])
  })
})
