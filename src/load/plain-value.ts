import { type Document, isMap, isPair, isScalar, isSeq } from 'yaml'

/** What `plainValue` returns for a document it leaves to yaml's own `toJS()`. */
export const NOT_PLAIN: unique symbol = Symbol('not plain')

/**
 * A document's value exactly as `doc.toJS()` gives it, built straight from the nodes, for a
 * document of untagged maps and lists holding scalars that are strings, numbers, booleans or null:
 * what manifests are. `toJS()` keeps a table of anchors and calls hooks for every node, and that
 * conversion cost as much as every rule together on a large scan. Anything else (aliases, merge
 * keys, tagged collections such as `!!set`, collection keys, binary scalars) is `NOT_PLAIN`.
 */
export function plainValue(doc: Document.Parsed): unknown {
  return valueOf(doc.contents)
}

function valueOf(node: unknown): unknown {
  if (node === null || node === undefined) return node
  if (isScalar(node)) return isJsonScalar(node.value) ? node.value : NOT_PLAIN
  if (isMap(node)) {
    if (node.tag !== undefined) return NOT_PLAIN
    const object: Record<string, unknown> = {}
    for (const { key, value } of node.items) {
      let name: string
      if (key === null) name = ''
      else if (key === undefined) name = 'undefined'
      else if (isScalar(key) && isJsonScalar(key.value) && key.value !== '<<') name = key.value === null ? '' : String(key.value)
      else return NOT_PLAIN
      const item = valueOf(value)
      if (item === NOT_PLAIN) return NOT_PLAIN
      // as toJS() does: `__proto__` becomes an own property, not the prototype (other inherited
      // names, such as `constructor`, are plain data properties that an assignment shadows)
      if (name === '__proto__') {
        Object.defineProperty(object, name, { value: item, writable: true, enumerable: true, configurable: true })
      } else object[name] = item
    }
    return object
  }
  if (isSeq(node)) {
    if (node.tag !== undefined) return NOT_PLAIN
    const list: unknown[] = []
    for (const item of node.items) {
      const value = isPair(item) ? NOT_PLAIN : valueOf(item)
      if (value === NOT_PLAIN) return NOT_PLAIN
      list.push(value)
    }
    return list
  }
  return NOT_PLAIN
}

function isJsonScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}
