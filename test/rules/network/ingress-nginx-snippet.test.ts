import { describe, expect, it } from 'vitest'
import { ingressNginxSnippet } from '../../../src/rules/network/ingress-nginx-snippet.js'
import { findingsOf, yaml } from '../../helpers/evaluate.js'
import { ruleCases } from '../../helpers/rule-cases.js'
import { resourceOf } from './helpers.js'

const rule = ingressNginxSnippet
const snippet = (annotation: string): string =>
  `Ingress "web/shop" sets nginx.ingress.kubernetes.io/${annotation}, which injects raw NGINX configuration (CVE-2021-25742).`

describe('ingress-nginx-snippet', () => {
  ruleCases(rule, [
    {
      name: 'fires on each snippet annotation, at the annotation, never echoing its value',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: shop
          namespace: web
          annotations:
            nginx.ingress.kubernetes.io/rewrite-target: /
            nginx.ingress.kubernetes.io/configuration-snippet: |
              more_set_headers "X-Token: s3cr3t-value";
            nginx.ingress.kubernetes.io/server-snippet: "location /x { return 200; }"
            nginx.ingress.kubernetes.io/auth-snippet: "proxy_set_header Authorization 'Bearer hunter2';"
        spec:
          rules: [{ host: shop.example.com }]
      `,
      expected: [
        {
          message: snippet('configuration-snippet'),
          path: 'metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"]',
          container: null,
          line: 8,
        },
        {
          message: snippet('server-snippet'),
          path: 'metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]',
          container: null,
          line: 10,
        },
        {
          message: snippet('auth-snippet'),
          path: 'metadata.annotations["nginx.ingress.kubernetes.io/auth-snippet"]',
          container: null,
          line: 11,
        },
      ],
    },
    {
      name: 'fires on extensions/v1beta1 and networking.k8s.io/v1beta1 Ingresses',
      text: yaml`
        apiVersion: extensions/v1beta1
        kind: Ingress
        metadata:
          name: shop
          namespace: web
          annotations: { nginx.ingress.kubernetes.io/server-snippet: "x" }
        ---
        apiVersion: networking.k8s.io/v1beta1
        kind: Ingress
        metadata:
          name: shop
          namespace: web
          annotations: { nginx.ingress.kubernetes.io/auth-snippet: "x" }
      `,
      expected: [
        { message: snippet('server-snippet'), path: 'metadata.annotations["nginx.ingress.kubernetes.io/server-snippet"]', container: null, line: 6 },
        { message: snippet('auth-snippet'), path: 'metadata.annotations["nginx.ingress.kubernetes.io/auth-snippet"]', container: null, line: 13 },
      ],
    },
    {
      name: 'does not fire on other annotations, empty snippets, other kinds or wrong types',
      text: yaml`
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: a
          annotations:
            nginx.ingress.kubernetes.io/rewrite-target: /
            nginx.ingress.kubernetes.io/configuration-snippet: ""
            nginx.ingress.kubernetes.io/server-snippet: 3
            example.com/server-snippet: "x"
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: { name: b, annotations: "x" }
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: null
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: c
          annotations: { nginx.ingress.kubernetes.io/server-snippet: "x" }
      `,
      expected: [],
    },
  ])

  it('never puts the snippet text in a message', () => {
    const text = yaml`
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: shop
        annotations: { nginx.ingress.kubernetes.io/configuration-snippet: "set $token hunter2;" }
    `
    expect(findingsOf(rule, text).map((f) => f.message).join(' ')).not.toContain('hunter2')
  })

  it('offers to delete the annotation, the key as one path segment', () => {
    const [violation] = rule.check(
      resourceOf(yaml`
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: shop
          annotations: { nginx.ingress.kubernetes.io/server-snippet: "x" }
      `),
    )
    const path = ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/server-snippet']
    expect(violation?.path).toEqual(path)
    expect(violation?.fix).toEqual({
      safety: 'review',
      description: 'Remove the nginx.ingress.kubernetes.io/server-snippet annotation.',
      edits: [{ op: 'delete', path }],
    })
  })
})
