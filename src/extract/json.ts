import type { JsonObject, JsonValue } from '../model.js'

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
