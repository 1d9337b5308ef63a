import { asArray, asObject } from '../../extract/json.js'
import type { ObjectRule, Violation } from '../rule.js'
import { policyRulesOf, ROLE_KINDS, strings } from './policy-rules.js'

const FIELDS = ['apiGroups', 'resources', 'verbs'] as const

/**
 * `*` in a rule's verbs, resources (also `*\/subresource`) or apiGroups: one finding per wildcard
 * entry, so widening a rule that already had one wildcard is still new. No fix: the narrower list
 * is a human's choice. `nonResourceURLs: ["*"]` is not reported: it reaches only endpoints such
 * as /healthz and /metrics, and a `*` verb on them is reported through `verbs`.
 */
export const rbacWildcard: ObjectRule = {
  kind: 'object',
  appliesTo: ROLE_KINDS,
  meta: {
    id: 'rbac-wildcard',
    title: 'Wildcard in an RBAC rule',
    severity: 'high',
    description:
      'A `*` grants everything that exists now and everything added later (new resources, CRDs, subresources, verbs such as `escalate`), which is rarely what was reviewed.',
    remediation: 'List the verbs, resources and API groups the subject needs instead of `*`.',
    messages: {
      verbs: 'Rule "{{rule}}" grants every verb ("*"), including escalate, bind and impersonate where they apply.',
      resources: 'Rule "{{rule}}" grants access to every resource of its API groups ("*"), including ones added later.',
      subresources: 'Rule "{{rule}}" grants the "{{subresource}}" subresource of every resource ("{{entry}}").',
      apiGroups: 'Rule "{{rule}}" applies to every API group ("*"), including CRDs installed later.',
    },
  },
  fieldsRead: ['object.rules'],
  check: (resource) => {
    const items = asArray(resource.object.rules)
    return policyRulesOf(resource).flatMap((rule) => {
      const raw = asObject(items[rule.segment.index]) ?? {}
      return FIELDS.flatMap((field) =>
        strings(raw[field]).flatMap((entry): Violation[] => {
          const isSubresourceWildcard = field === 'resources' && entry.value.startsWith('*/')
          if (entry.value !== '*' && !isSubresourceWildcard) return []
          return [
            {
              messageId: isSubresourceWildcard ? 'subresources' : field,
              data: { rule: rule.segment.value, entry: entry.value, subresource: entry.value.slice(2) },
              path: ['rules', rule.segment, field, { index: entry.index, key: null, value: entry.value }],
            },
          ]
        }),
      )
    })
  },
}
