import { asArray, asObject } from '../../extract/json.js'
import type { ObjectRule } from '../rule.js'
import { coversGroup, coversResource, policyRulesOf, ROLE_KINDS, strings, verbPath } from './policy-rules.js'

const READ_VERBS = new Set(['get', 'list', 'watch', '*'])

/**
 * Reading Secrets: `get`, `list`, `watch` or `*` on `secrets` (or `*`) in the core group (or `*`).
 * One finding per verb, so adding `list` to a rule that had `get` is new and removing it is
 * fixed. A `*` verb is reported here as well as by rbac-wildcard: reading every Secret is a
 * risk of its own. `resourceNames` narrows the access but does not remove it.
 */
export const rbacSecretsAccess: ObjectRule = {
  kind: 'object',
  appliesTo: ROLE_KINDS,
  meta: {
    id: 'rbac-secrets-access',
    title: 'RBAC rule reads Secrets',
    severity: 'medium',
    description:
      'Whoever can read Secrets holds every credential stored in them, including service account tokens that may carry more privileges than the reader.',
    remediation:
      'Grant access to Secrets only to the workloads that need them, by `resourceNames` where possible, and prefer mounting them over reading them through the API.',
    messages: {
      read: 'Rule "{{rule}}" grants "{{verb}}" on Secrets.',
      readNamed: 'Rule "{{rule}}" grants "{{verb}}" on the Secrets {{names}}.',
      all: 'Rule "{{rule}}" grants every verb on Secrets, including reading them.',
    },
  },
  fieldsRead: ['object.rules'],
  check: (resource) => {
    const items = asArray(resource.object.rules)
    return policyRulesOf(resource).flatMap((rule) => {
      if (!coversGroup(rule, '') || !coversResource(rule, 'secrets')) return []
      const names = strings(asObject(items[rule.segment.index])?.resourceNames).map((e) => `"${e.value}"`)
      return rule.verbs
        .filter((verb) => READ_VERBS.has(verb.value))
        .map((verb) => ({
          messageId: verb.value === '*' ? 'all' : names.length > 0 ? 'readNamed' : 'read',
          data: { rule: rule.segment.value, verb: verb.value, names: names.join(', ') },
          path: verbPath(rule, verb),
        }))
    })
  },
}
