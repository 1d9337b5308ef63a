import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml'
import type { ObjectPath, PathSegment } from '../model.js'

/** One node reached while following a path through a parsed document. */
export interface PathStep {
  /** the value node as written (it may be an alias) */
  node: Node
  /** the node after following aliases */
  resolved: Node
  /** the map entry holding the node, when the step was a key */
  pair: Pair | null
  /** the collection holding the node (the root has none) */
  parent: YAMLMap | YAMLSeq | null
  /** offset where the step's first line starts: the key of a map entry, else the node itself */
  start: number
  /** the walk passed through an alias or merge key up to here: an edit would change every user */
  viaAlias: boolean
}

export interface PathWalk {
  /** the root step, then one step per segment that exists */
  steps: [PathStep, ...PathStep[]]
  /** the segments that do not exist, in order ([] when the whole path exists) */
  missing: PathSegment[]
}

/** Follows a path (from the document's root) through maps, lists, aliases and merge keys. */
export function walkPath(doc: Document.Parsed, root: Node, path: ObjectPath): PathWalk {
  const first: PathStep = {
    node: root,
    resolved: resolveAlias(doc, root),
    pair: null,
    parent: null,
    start: root.range?.[0] ?? 0,
    viaAlias: false,
  }
  const steps: [PathStep, ...PathStep[]] = [first]
  let current = first
  for (let i = 0; i < path.length; i++) {
    const next = step(doc, current, path[i] as PathSegment)
    if (!next) return { steps, missing: path.slice(i) }
    steps.push(next)
    current = next
  }
  return { steps, missing: [] }
}

function step(doc: Document.Parsed, from: PathStep, segment: PathSegment): PathStep | null {
  const container = from.resolved
  const viaAlias = from.viaAlias || container !== from.node
  if (typeof segment === 'string') {
    if (!isMap(container)) return null
    const found = findPair(doc, container, segment)
    if (!found || !isNode(found.pair.value)) return null
    const value = found.pair.value
    const keyStart = isScalar(found.pair.key) ? found.pair.key.range?.[0] : undefined
    return {
      node: value,
      resolved: resolveAlias(doc, value),
      pair: found.pair,
      parent: found.owner,
      start: keyStart ?? value.range?.[0] ?? from.start,
      viaAlias: viaAlias || found.owner !== container,
    }
  }
  if (!isSeq(container)) return null
  const item = container.items[typeof segment === 'number' ? segment : segment.index]
  if (!isNode(item)) return null
  const resolved = resolveAlias(doc, item)
  return {
    node: item,
    resolved,
    pair: null,
    parent: container,
    start: resolved.range?.[0] ?? from.start,
    viaAlias: viaAlias || resolved !== item,
  }
}

/** Finds a key in a map, looking through `<<` merge keys the way toJS() does (own keys win). */
function findPair(
  doc: Document.Parsed,
  map: YAMLMap,
  key: string,
  visited: Set<YAMLMap> = new Set(),
): { pair: Pair; owner: YAMLMap } | null {
  // a map that merges itself (`&a { <<: *a }`) must not send the walk round in circles
  if (visited.has(map)) return null
  visited.add(map)
  const merges: Node[] = []
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      if (isNode(pair.value)) merges.push(pair.value)
    } else if (isScalar(pair.key) && String(pair.key.value) === key) return { pair, owner: map }
  }
  for (const merge of merges) {
    const source = resolveAlias(doc, merge)
    const sources = isSeq(source) ? source.items.filter(isNode).map((n) => resolveAlias(doc, n)) : [source]
    for (const candidate of sources) {
      if (!isMap(candidate)) continue
      const found = findPair(doc, candidate, key, visited)
      if (found) return found
    }
  }
  return null
}

/**
 * A `<<` merge key as the YAML 1.1 schema resolves it: the parser gives a plain `<<` the value
 * `Symbol(<<)`, not the string `<<`; a quoted `"<<"` is an ordinary key.
 */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false
  if (typeof key.value === 'symbol') return key.value.description === '<<'
  return key.value === '<<' && (key.type === undefined || key.type === 'PLAIN')
}

export function resolveAlias(doc: Document.Parsed, node: Node): Node {
  let current: Node = node
  for (let hops = 0; isAlias(current) && hops < 16; hops++) {
    const target = current.resolve(doc)
    if (!target) break
    current = target
  }
  return current
}

export function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !isPair(value) && 'range' in value
}
