import type { JsonObject, JsonValue, ObjectPath, PathSegment } from '../model.js'

/** Narrowing helpers for untyped manifest data: wrong types read as absent, never throw. */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined
}

export function asArray(value: unknown): JsonValue[] {
  return Array.isArray(value) ? (value as JsonValue[]) : []
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Reads a nested field; any non-object on the way yields undefined. */
export function getIn(value: unknown, keys: readonly string[]): JsonValue | undefined {
  let current: unknown = value
  for (const key of keys) {
    const object = asObject(current)
    if (!object) return undefined
    current = object[key]
  }
  return current as JsonValue | undefined
}

/** One step down an object path: a map's key, or a list's item by position (a `ListItem` by its index). */
export function childAt(value: JsonValue | undefined, segment: PathSegment): JsonValue | undefined {
  if (Array.isArray(value)) return value[typeof segment === 'number' ? segment : typeof segment === 'string' ? -1 : segment.index]
  if (value !== null && typeof value === 'object' && typeof segment === 'string') return value[segment]
  return undefined
}

/** The value an object path leads to, or undefined where it leads nowhere. */
export function valueAt(root: JsonValue | undefined, path: ObjectPath): JsonValue | undefined {
  let current = root
  for (const segment of path) current = childAt(current, segment)
  return current
}

/** Equal as JSON values: map key order and keys set to undefined do not count (YAML gives them no meaning), list order does. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]))
  }
  const x = asObject(a)
  const y = asObject(b)
  if (!x || !y) return false
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) if (!sameJson(x[key], y[key])) return false
  return true
}
