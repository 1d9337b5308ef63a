import { displayName } from '../../extract/identity.js'
import { asObject } from '../../extract/json.js'
import type { ObjectRule, Violation } from '../rule.js'
import { INGRESS_KINDS } from './shared.js'

/** Annotations that paste raw NGINX configuration into the controller's config (CVE-2021-25742). */
const SNIPPET_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/configuration-snippet',
  'nginx.ingress.kubernetes.io/server-snippet',
  'nginx.ingress.kubernetes.io/auth-snippet',
] as const

export const ingressNginxSnippet: ObjectRule = {
  kind: 'object',
  meta: {
    id: 'ingress-nginx-snippet',
    title: 'ingress-nginx snippet annotation',
    severity: 'high',
    description:
      'ingress-nginx snippet annotations insert raw NGINX configuration into the controller, which can read every Secret in the cluster (CVE-2021-25742): whoever can write an Ingress can take over the controller.',
    remediation:
      'Remove the snippet annotation and use the dedicated ingress-nginx annotations, or move the configuration into the controller ConfigMap that only cluster operators can change.',
    messages: {
      snippet: 'Ingress "{{ingress}}" sets {{annotation}}, which injects raw NGINX configuration (CVE-2021-25742).',
    },
  },
  appliesTo: INGRESS_KINDS,
  fieldsRead: ['object.metadata.annotations'],
  check: (resource) => {
    const annotations = asObject(asObject(resource.object.metadata)?.annotations) ?? {}
    return SNIPPET_ANNOTATIONS.flatMap((annotation): Violation[] => {
      const value = annotations[annotation]
      // the value is never echoed: snippets can carry credentials (auth headers, tokens)
      if (typeof value !== 'string' || value.trim() === '') return []
      const path = ['metadata', 'annotations', annotation]
      return [
        {
          messageId: 'snippet',
          data: { ingress: displayName(resource.identity), annotation },
          path,
          fix: { safety: 'review', description: `Remove the ${annotation} annotation.`, edits: [{ op: 'delete', path }] },
        },
      ]
    })
  },
}
