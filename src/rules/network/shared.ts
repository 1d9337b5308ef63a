import { asArray, asObject, asString } from '../../extract/json.js'
import type { JsonObject, JsonValue, ObjectPath, PathSegment } from '../../model.js'
import type { Edit, Fix } from '../rule.js'

/** Helpers shared by the network rules. Everything reads untyped manifest data and never throws. */

/** Ingress in every API group that served it. */
export const INGRESS_KINDS = ['networking.k8s.io/Ingress', 'extensions/Ingress'] as const

export { sameJson } from '../../extract/json.js'

/** An edit that puts a field back the way the base had it: `set` its value, or `delete` it when the base had none. */
export function restoreEdit(path: ObjectPath, baseValue: JsonValue | undefined): Edit {
  return baseValue === undefined ? { op: 'delete', path } : { op: 'set', path, value: baseValue }
}

/** A `review` fix restoring one field. */
export function restoreFix(description: string, path: ObjectPath, baseValue: JsonValue | undefined): Fix {
  return { safety: 'review', description, edits: [restoreEdit(path, baseValue)] }
}

/** A string-valued annotation (`metadata.annotations[key]`); other types read as absent. */
export function annotationOf(metadata: unknown, key: string): string | undefined {
  return asString(asObject(asObject(metadata)?.annotations)?.[key])
}

/** A label or selector value as a string: YAML may have read `version: 2` as a number. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** `namespace/name` lists shown in messages, cut after a few. */
export function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`)
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ')
}

/** A list item by the string or number at `key`, when that value is unique in the list; otherwise its index. */
export function uniqueRef(
  list: readonly JsonValue[],
  index: number,
  valueOf: (item: JsonValue | undefined) => string | undefined,
  key: string,
): PathSegment {
  const value = valueOf(list[index])
  if (value === undefined) return index
  const clashes = list.filter((item) => valueOf(item) === value).length
  return clashes === 1 ? { index, key, value } : index
}

export type LabelMap = ReadonlyMap<string, string>

/** Labels of a `metadata`, string-valued (numbers and booleans as written). */
export function labelsOf(metadata: JsonObject | undefined): LabelMap {
  const labels = new Map<string, string>()
  for (const [key, value] of Object.entries(asObject(metadata?.labels) ?? {})) {
    const text = scalarText(value)
    if (text !== undefined) labels.set(key, text)
  }
  return labels
}

/**
 * Whether a `metav1.LabelSelector` matches the labels: every `matchLabels` pair and every
 * `matchExpressions` requirement (In, NotIn, Exists, DoesNotExist). An empty or absent selector
 * matches everything; one the API server would reject (an unknown operator, In without values)
 * matches nothing.
 */
export function selectorMatches(selector: unknown, labels: LabelMap): boolean {
  const object = asObject(selector) ?? {}
  for (const [key, value] of Object.entries(asObject(object.matchLabels) ?? {})) {
    const text = scalarText(value)
    if (text === undefined || labels.get(key) !== text) return false
  }
  for (const item of asArray(object.matchExpressions)) {
    const expression = asObject(item)
    if (!expression) continue
    const key = asString(expression.key)
    const values = asArray(expression.values).map(scalarText).filter((v): v is string => v !== undefined)
    if (key === undefined) return false
    const label = labels.get(key)
    switch (expression.operator) {
      case 'In':
        if (values.length === 0 || label === undefined || !values.includes(label)) return false
        break
      case 'NotIn':
        if (values.length === 0 || (label !== undefined && values.includes(label))) return false
        break
      case 'Exists':
        if (label === undefined) return false
        break
      case 'DoesNotExist':
        if (label !== undefined) return false
        break
      default:
        return false
    }
  }
  return true
}

/** Whether a selector has no requirement at all (`{}`, absent, or empty lists): it selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  const object = asObject(selector) ?? {}
  const labels = Object.keys(asObject(object.matchLabels) ?? {})
  return labels.length === 0 && !asArray(object.matchExpressions).some((e) => asObject(e))
}

/** A selector the way kubectl prints one: `app=web,tier in (a,b),!legacy`. */
export function describeSelector(selector: unknown): string {
  const object = asObject(selector) ?? {}
  const parts: string[] = []
  for (const [key, value] of Object.entries(asObject(object.matchLabels) ?? {})) parts.push(`${key}=${scalarText(value) ?? '?'}`)
  for (const item of asArray(object.matchExpressions)) {
    const expression = asObject(item)
    const key = asString(expression?.key) ?? '?'
    const values = asArray(expression?.values).map((v) => scalarText(v) ?? '?').join(',')
    switch (expression?.operator) {
      case 'In':
        parts.push(`${key} in (${values})`)
        break
      case 'NotIn':
        parts.push(`${key} notin (${values})`)
        break
      case 'Exists':
        parts.push(key)
        break
      case 'DoesNotExist':
        parts.push(`!${key}`)
        break
      default:
        parts.push(`${key} ${String(expression?.operator)} (${values})`)
    }
  }
  return parts.join(',')
}
