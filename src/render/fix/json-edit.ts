import type { Edit, JsonObject, JsonValue, ObjectPath, PathSegment } from '../../model.js'

/**
 * Applies structural edits to a plain copy of an object: what the text edits must amount to once
 * the file is read again. Returns null when an edit does not fit the object (a path through a
 * scalar, a list item that is not there).
 */
export function applyEditsToJson(object: JsonObject, edits: readonly Edit[]): JsonObject | null {
  let result: JsonValue = object
  for (const edit of edits) {
    result = copyAlong(result, edit.path)
    const next = applyOne(result, edit)
    if (next === undefined) return null
    result = next
  }
  return result as JsonObject
}

function applyOne(root: JsonValue, edit: Edit): JsonValue | undefined {
  const parentPath = edit.path.slice(0, -1)
  const last = edit.path[edit.path.length - 1]
  if (last === undefined) return undefined
  const create = edit.op !== 'delete'
  const parent = walk(root, parentPath, create)
  if (parent === undefined) return edit.op === 'delete' ? root : undefined
  if (edit.op === 'delete') {
    if (Array.isArray(parent)) {
      const index = indexOf(parent, last)
      if (index >= 0) parent.splice(index, 1)
    } else if (typeof last === 'string' && isObject(parent)) delete parent[last]
    return root
  }
  if (typeof last !== 'string' || !isObject(parent)) {
    if (edit.op === 'set' && Array.isArray(parent)) {
      const index = indexOf(parent, last)
      if (index < 0) return undefined
      parent[index] = edit.value
      return root
    }
    return undefined
  }
  if (edit.op === 'set') parent[last] = edit.value
  else {
    const list = parent[last]
    if (list === undefined || list === null) parent[last] = [edit.value]
    else if (Array.isArray(list)) list.push(edit.value)
    else return undefined
  }
  return root
}

/**
 * A copy of `root` in which the collections along `path` are new and everything else is shared:
 * an edit then changes only the copy, at the cost of the path's length, not the object's size.
 */
function copyAlong(root: JsonValue, path: ObjectPath): JsonValue {
  const copy = shallowCopy(root)
  let current: JsonValue = copy
  for (const segment of path) {
    let next: JsonValue | undefined
    if (Array.isArray(current)) {
      const index = indexOf(current, segment)
      if (index < 0) break
      next = shallowCopy(current[index] as JsonValue)
      current[index] = next
    } else if (isObject(current) && typeof segment === 'string' && current[segment] !== undefined) {
      next = shallowCopy(current[segment] as JsonValue)
      current[segment] = next
    } else break
    current = next
  }
  return copy
}

function shallowCopy(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return [...value]
  return isObject(value) ? { ...value } : value
}

/** Follows the path; with `create`, missing maps are made on the way (as `set` does in text). */
function walk(root: JsonValue, path: ObjectPath, create: boolean): JsonValue | undefined {
  let current: JsonValue | undefined = root
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = indexOf(current, segment)
      current = index >= 0 ? current[index] : undefined
    } else if (isObject(current) && typeof segment === 'string') {
      let next: JsonValue | undefined = current[segment]
      if ((next === undefined || next === null) && create) {
        next = {}
        current[segment] = next
      }
      current = next
    } else return undefined
    if (current === undefined) return undefined
  }
  return current
}

function indexOf(list: JsonValue[], segment: PathSegment): number {
  if (typeof segment === 'number') return segment < list.length ? segment : -1
  if (typeof segment === 'string') return -1
  return segment.index < list.length ? segment.index : -1
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
