import { asArray, asObject, asString } from '../../extract/json.js'
import type { ObjectRule, Violation } from '../rule.js'
import { BINDING_KINDS } from './policy-rules.js'

/** Groups (and user names) that stand for everyone, or for everyone with any credential at all. */
const EVERYONE = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated'])

/**
 * The read-only discovery roles Kubernetes itself binds to these groups by default; a repository
 * that carries the default bindings is not granting anything new.
 */
const DEFAULT_PUBLIC_ROLES = new Set(['system:basic-user', 'system:discovery', 'system:public-info-viewer'])

function describeSubject(subject: Record<string, unknown>): string {
  const kind = asString(subject.kind) ?? 'subject'
  const name = asString(subject.name) ?? '?'
  const namespace = asString(subject.namespace)
  return kind === 'ServiceAccount' && namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`
}

/**
 * A binding to the `cluster-admin` ClusterRole (reported at `roleRef.name`, no fix: what to bind
 * instead is a human's choice), and every subject that is a User or Group standing for all
 * callers (reported at the subject, fixed by deleting it).
 */
export const rbacClusterAdminBinding: ObjectRule = {
  kind: 'object',
  appliesTo: BINDING_KINDS,
  meta: {
    id: 'rbac-cluster-admin-binding',
    title: 'Binding to cluster-admin or to everyone',
    severity: 'critical',
    description:
      '`cluster-admin` can do anything to any object; `system:anonymous`, `system:unauthenticated` and `system:authenticated` stand for every caller, so a binding to them hands its role to the whole network or to anyone holding any credential.',
    remediation:
      'Bind a role that grants only what the subjects need, and bind named users, groups or service accounts, never the built-in groups that stand for everyone.',
    messages: {
      clusterAdmin: 'The binding grants cluster-admin to {{subjects}}.',
      everyone: 'The binding grants role "{{role}}" to {{kind}} "{{name}}", which stands for {{who}}.',
    },
  },
  fieldsRead: ['object.roleRef', 'object.subjects'],
  check: (resource) => {
    const roleRef = asObject(resource.object.roleRef)
    const roleKind = asString(roleRef?.kind)
    const roleName = asString(roleRef?.name) ?? ''
    const subjects = asArray(resource.object.subjects).map((item, index) => ({ index, subject: asObject(item) }))
    const violations: Violation[] = []
    if (roleKind === 'ClusterRole' && roleName === 'cluster-admin') {
      const named = subjects.flatMap(({ subject }) => (subject ? [describeSubject(subject)] : []))
      violations.push({
        messageId: 'clusterAdmin',
        data: { subjects: named.length > 0 ? named.join(', ') : 'no subjects yet' },
        path: ['roleRef', 'name'],
      })
    }
    if (roleKind === 'ClusterRole' && DEFAULT_PUBLIC_ROLES.has(roleName)) return violations
    for (const { index, subject } of subjects) {
      const kind = asString(subject?.kind)
      const name = asString(subject?.name)
      if (!name || !EVERYONE.has(name) || (kind !== 'Group' && kind !== 'User')) continue
      const path = ['subjects', { index, key: 'name', value: name }]
      violations.push({
        messageId: 'everyone',
        data: {
          role: roleName,
          kind,
          name,
          who: name === 'system:authenticated' ? 'every caller with any valid credential' : 'unauthenticated callers',
        },
        path,
        fix: { safety: 'review', description: `Remove the subject ${name}.`, edits: [{ op: 'delete', path }] },
      })
    }
    return violations
  },
}
