import { asArray, asObject, asString } from '../../extract/json.js'
import type { JsonObject, ListItem, PathSegment, Resource } from '../../model.js'

/** Shared readers for RBAC rules: how the API server's authorizer matches a PolicyRule. */

export const RBAC_GROUP = 'rbac.authorization.k8s.io'
export const ROLE_KINDS = [`${RBAC_GROUP}/Role`, `${RBAC_GROUP}/ClusterRole`] as const
export const BINDING_KINDS = [`${RBAC_GROUP}/RoleBinding`, `${RBAC_GROUP}/ClusterRoleBinding`] as const

/** One entry of a Role's `rules`, its string lists read leniently (non-strings are skipped). */
export interface PolicyRule {
  /** `rules[<apiGroups>/<resources>]`: the item named by its content, so reordering rules changes nothing */
  segment: ListItem
  apiGroups: string[]
  resources: string[]
  verbs: Entry[]
}

/** A string list item with its index, for paths that name the item by value. */
export interface Entry {
  index: number
  value: string
}

/** The rules of a Role or ClusterRole; anything that is not a map is passed over. */
export function policyRulesOf(resource: Resource): PolicyRule[] {
  return asArray(resource.object.rules).flatMap((item, index) => {
    const rule = asObject(item)
    if (!rule) return []
    return [
      {
        segment: { index, key: null, value: describeRule(rule) },
        apiGroups: strings(rule.apiGroups).map((e) => e.value),
        resources: strings(rule.resources).map((e) => e.value),
        verbs: strings(rule.verbs),
      },
    ]
  })
}

export function strings(value: unknown): Entry[] {
  return asArray(value).flatMap((item, index) => {
    const text = asString(item)
    return text === undefined ? [] : [{ index, value: text }]
  })
}

/**
 * A rule's identity by content: `core/secrets`, `apps/deployments,statefulsets`, `*\/*`, or its
 * non-resource URLs. Lists are sorted so reordering inside a rule does not make a new finding.
 * The core API group, an empty string, is written `core` as the Kubernetes docs call it.
 */
export function describeRule(rule: JsonObject): string {
  const sorted = (value: unknown) => [...new Set(strings(value).map((e) => e.value))].sort()
  const groups = sorted(rule.apiGroups).map((g) => (g === '' ? 'core' : g))
  const resources = sorted(rule.resources)
  if (groups.length > 0 || resources.length > 0) return `${groups.join(',')}/${resources.join(',')}`
  return sorted(rule.nonResourceURLs).join(',')
}

/** The path to a verb, named by its value: `rules[core/secrets].verbs[get]`. */
export function verbPath(rule: PolicyRule, verb: Entry): PathSegment[] {
  return ['rules', rule.segment, 'verbs', { index: verb.index, key: null, value: verb.value }]
}

/** Whether the rule's apiGroups cover a group (`*` covers every group). */
export function coversGroup(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group)
}

/**
 * Whether the rule's resources cover `resource` (`pods` or `pods/exec`), as the authorizer
 * matches them: `*` covers everything, `*\/exec` covers every resource's `exec` subresource.
 */
export function coversResource(rule: PolicyRule, resource: string): boolean {
  const slash = resource.indexOf('/')
  const subresource = slash < 0 ? null : resource.slice(slash + 1)
  return rule.resources.some((r) => r === '*' || r === resource || (subresource !== null && r === `*/${subresource}`))
}

/** Whether one verb entry grants `verb` (`*` grants every verb). */
export function grantsVerb(entry: string, verb: string): boolean {
  return entry === '*' || entry === verb
}
