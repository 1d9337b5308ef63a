import type { PodTemplate } from '../extract/pod-template.js'
import { CONTAINER_LISTS } from '../extract/pod-template.js'
import type { Edit, ObjectPath } from '../model.js'
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
  const index = readIndex(rules, pod)
  const concerned = new Uint8Array(rules.length)
  const mark = (readers: readonly number[] | undefined): void => {
    for (const i of readers ?? []) concerned[i] = 1
  }
  mark(index.undeclared)
  for (const field of changed) {
    const key = fieldKey(field)
    // the fields on the way to the changed one, from the object's root ('') to the field itself
    mark(index.readers.get(''))
    for (let end = key.indexOf('\0'); end >= 0; end = key.indexOf('\0', end + 1)) mark(index.readers.get(key.slice(0, end + 1)))
    // and the fields below it: keys that start with its key sort together, from its own on
    for (let i = firstAtOrAfter(index.keys, key); i < index.keys.length && (index.keys[i] as string).startsWith(key); i++) {
      mark(index.readers.get(index.keys[i] as string))
    }
  }
  return rules.filter((_, i) => concerned[i] === 1)
}

/** For one list of rules in objects of one pod template layout: which rules read each declared field. */
interface ReadIndex {
  /** positions of the pod and object rules that declare nothing */
  undeclared: number[]
  /** rule positions by the key of a field they declare */
  readers: Map<string, number[]>
  /** the keys of `readers`, sorted */
  keys: string[]
}

const indexes = new WeakMap<readonly Rule[], Map<string, ReadIndex>>()

function readIndex(rules: readonly Rule[], pod: PodTemplate | null): ReadIndex {
  const podKey = pod ? pod.specPath.join('\0') : ''
  let byPod = indexes.get(rules)
  if (!byPod) indexes.set(rules, (byPod = new Map()))
  let index = byPod.get(podKey)
  if (!index) {
    const built: ReadIndex = { undeclared: [], readers: new Map(), keys: [] }
    rules.forEach((rule, i) => {
      if (rule.kind === 'transition') return
      const fields = declaredFields(rule, pod)
      if (!fields) built.undeclared.push(i)
      for (const key of new Set((fields ?? []).map(fieldKey))) built.readers.set(key, [...(built.readers.get(key) ?? []), i])
    })
    built.keys = [...built.readers.keys()].sort()
    byPod.set(podKey, (index = built))
  }
  return index
}

/** The first position in a sorted list whose key is not less than `key`. */
function firstAtOrAfter(sorted: readonly string[], key: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as string) < key) low = middle + 1
    else high = middle
  }
  return low
}

/** The fields a rule declares it reads in an object with this pod template; null when it declares none. */
export function declaredFields(rule: PodRule | ObjectRule, pod: PodTemplate | null): FieldPath[] | null {
  if (!rule.fieldsRead) return null
  const patterns = rule.kind === 'pod' ? [...POD_TEMPLATE_FIELDS, ...rule.fieldsRead] : rule.fieldsRead
  return patterns.flatMap((pattern) => expand(pattern, pod))
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
 * The fields a fix's edits change: each edited field, also where the edit creates the maps that
 * hold it (a map missing or null reads like an empty one: see `FieldPattern`). Adding or removing
 * a list item changes the list (the items after it move).
 */
export function changedFields(edits: readonly Edit[]): FieldPath[] {
  return edits.map((edit) => {
    const removesItem = edit.op === 'delete' && typeof edit.path[edit.path.length - 1] !== 'string'
    return fieldPath(removesItem ? edit.path.slice(0, -1) : edit.path)
  })
}
