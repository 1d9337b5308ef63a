import type { PodTemplate } from '../extract/pod-template.js'
import { CONTAINER_LISTS } from '../extract/pod-template.js'
import type { Edit, JsonValue, ObjectPath, PathSegment } from '../model.js'
import type { FieldPattern, ObjectRule, PodRule, Rule } from '../rules/rule.js'

/**
 * A field of an object as rules read it and fixes change it: a path from the object's root in
 * which every list item is `[]` (the fields of one container are the fields of any).
 */
export type FieldPath = readonly string[]

/** Any item of a list. */
export const ANY_ITEM = '[]'

/** Every pod rule depends on the containers there are and their names: the pod template is made of them. */
const POD_TEMPLATE_FIELDS: readonly FieldPattern[] = ['container.name']

/**
 * The rules among `rules` whose findings on an object can differ once the `changed` fields differ:
 * every rule that declares nothing, and those that read a changed field, something inside it, or
 * a map on the way to it.
 */
export function rulesReading<R extends Rule>(rules: readonly R[], pod: PodTemplate | null, changed: readonly FieldPath[]): R[] {
  const podKey = pod ? pod.specPath.join('\0') : ''
  const changedKeys = changed.map(fieldKey)
  return rules.filter((rule) => {
    if (rule.kind === 'transition') return false
    const declared = declarationOf(rule, pod, podKey)
    return declared === null || declared.keys.some((read) => changedKeys.some((field) => read.startsWith(field) || field.startsWith(read)))
  })
}

/** A rule's declared fields in objects of one pod template layout, also as keys for quick comparison. */
interface Declaration {
  fields: FieldPath[]
  keys: string[]
}

const declarations = new WeakMap<PodRule | ObjectRule, Map<string, Declaration>>()

/** The fields a rule declares it reads in an object with this pod template; null when it declares none. */
export function declaredFields(rule: PodRule | ObjectRule, pod: PodTemplate | null): FieldPath[] | null {
  return declarationOf(rule, pod, pod ? pod.specPath.join('\0') : '')?.fields ?? null
}

function declarationOf(rule: PodRule | ObjectRule, pod: PodTemplate | null, podKey: string): Declaration | null {
  if (!rule.fieldsRead) return null
  let byPod = declarations.get(rule)
  if (!byPod) declarations.set(rule, (byPod = new Map()))
  let declaration = byPod.get(podKey)
  if (!declaration) {
    const patterns = rule.kind === 'pod' ? [...POD_TEMPLATE_FIELDS, ...rule.fieldsRead] : rule.fieldsRead
    const fields = patterns.flatMap((pattern) => expand(pattern, pod))
    declaration = { fields, keys: fields.map(fieldKey) }
    byPod.set(podKey, declaration)
  }
  return declaration
}

/** Every segment closed by a NUL: one field lies on the other's path exactly when one key starts the other. */
function fieldKey(field: FieldPath): string {
  let key = ''
  for (const segment of field) key += `${segment}\0`
  return key
}

/** The fields one pattern names in an object whose pod template (if any) sits where `pod` says. */
function expand(pattern: FieldPattern, pod: Pick<PodTemplate, 'specPath' | 'metadataPath'> | null): FieldPath[] {
  const [scope = '', ...rest] = pattern.split('.')
  if (scope === 'object') return [rest]
  // a pattern inside the pod says nothing about objects without one
  if (!pod) return []
  const spec = fieldPath(pod.specPath)
  if (scope === 'container') return CONTAINER_LISTS.map((list) => [...spec, list, ANY_ITEM, ...rest])
  const [part, ...below] = rest
  if (scope === 'pod' && part === 'spec') return [[...spec, ...below]]
  if (scope === 'pod' && part === 'metadata') return [[...fieldPath(pod.metadataPath), ...below]]
  throw new Error(`field pattern "${pattern}" names no field: it starts with object, pod.spec, pod.metadata or container`)
}

/** An object path as a field: list items by position or key become `[]`. */
function fieldPath(path: ObjectPath): FieldPath {
  return path.map((segment) => (typeof segment === 'string' ? segment : ANY_ITEM))
}

/**
 * The fields a fix's edits change, comparing the object before (`original`) and after
 * (`edited`) along each edit's path: the highest field that appears, disappears or changes type
 * there (a parent map created, a map emptied and removed), else the edited field itself. Adding
 * or removing a list item changes the list (the items after it move).
 */
export function changedFields(original: JsonValue, edited: JsonValue, edits: readonly Edit[]): FieldPath[] {
  return edits.map((edit) => {
    const removesItem = edit.op === 'delete' && typeof edit.path[edit.path.length - 1] !== 'string'
    const end = removesItem ? edit.path.length - 1 : edit.path.length
    let before: JsonValue | undefined = original
    let after: JsonValue | undefined = edited
    for (let i = 0; i < end; i++) {
      const segment = edit.path[i] as PathSegment
      before = childOf(before, segment)
      after = childOf(after, segment)
      if (shapeOf(before) !== shapeOf(after)) return fieldPath(edit.path.slice(0, i + 1))
    }
    return fieldPath(edit.path.slice(0, end))
  })
}

function childOf(value: JsonValue | undefined, segment: PathSegment): JsonValue | undefined {
  if (Array.isArray(value)) return value[typeof segment === 'number' ? segment : typeof segment === 'string' ? -1 : segment.index]
  if (value !== null && typeof value === 'object' && typeof segment === 'string') return value[segment]
  return undefined
}

function shapeOf(value: JsonValue | undefined): string {
  if (value === undefined) return 'absent'
  if (value === null) return 'null'
  return Array.isArray(value) ? 'list' : typeof value === 'object' ? 'map' : 'scalar'
}
