import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml'
import type { LineSpan, ObjectPath, PathSegment } from '../model.js'
import type { ParsedYaml } from './parse.js'

export interface Location extends LineSpan {
  /** true when the whole path exists; false when the span is the nearest existing ancestor's */
  exact: boolean
  /** true when the walk passed through an alias or merge key: an edit there would change every user */
  viaAlias: boolean
}

interface Step {
  node: Node
  /** where the step's line starts: the key of a map entry, or the node itself for list items */
  start: number
  viaAlias: boolean
}

/**
 * Maps a path inside a document to lines. Where the path does not exist in full, the span is the
 * first line of the deepest ancestor that does: the object that lacks the field.
 */
export function locate(yaml: ParsedYaml, documentIndex: number, path: ObjectPath): Location {
  const doc = yaml.documents[documentIndex]
  const root = doc?.contents
  if (!doc || !root) return { line: 1, endLine: 1, exact: false, viaAlias: false }
  let current: Step = { node: root, start: root.range?.[0] ?? 0, viaAlias: false }
  for (const segment of path) {
    const next = step(doc, current, segment)
    if (!next) {
      const line = lineOf(yaml, current.start)
      return { line, endLine: line, exact: false, viaAlias: current.viaAlias }
    }
    current = next
  }
  return {
    line: lineOf(yaml, current.start),
    endLine: lineOf(yaml, lastContentOffset(yaml.text, current.start, current.node.range?.[1] ?? current.start)),
    exact: true,
    viaAlias: current.viaAlias,
  }
}

function step(doc: Document.Parsed, from: Step, segment: PathSegment): Step | null {
  const resolved = resolveAlias(doc, from.node)
  const viaAlias = from.viaAlias || resolved !== from.node
  if (typeof segment === 'string') {
    if (!isMap(resolved)) return null
    const found = findPair(doc, resolved, segment)
    if (!found || !isNodeValue(found.pair.value)) return null
    const keyStart = isScalar(found.pair.key) ? found.pair.key.range?.[0] : undefined
    return {
      node: found.pair.value,
      start: keyStart ?? found.pair.value.range?.[0] ?? from.start,
      viaAlias: viaAlias || found.merged,
    }
  }
  if (!isSeq(resolved)) return null
  const index = typeof segment === 'number' ? segment : segment.index
  const item = resolved.items[index]
  if (!isNodeValue(item)) return null
  const target = resolveAlias(doc, item)
  return { node: item, start: target.range?.[0] ?? from.start, viaAlias: viaAlias || target !== item }
}

/** Finds a key in a map, looking through `<<` merge keys the way toJS() does (own keys win). */
function findPair(doc: Document.Parsed, map: YAMLMap, key: string): { pair: Pair; merged: boolean } | null {
  const merges: Node[] = []
  for (const pair of map.items) {
    const pairKey = isScalar(pair.key) ? pair.key.value : pair.key
    if (pairKey === key || (isScalar(pair.key) && String(pair.key.value) === key)) return { pair, merged: false }
    if (isScalar(pair.key) && pair.key.value === '<<' && isNodeValue(pair.value)) merges.push(pair.value)
  }
  for (const merge of merges) {
    const source = resolveAlias(doc, merge)
    const sources = isSeq(source) ? source.items.filter(isNodeValue).map((n) => resolveAlias(doc, n)) : [source]
    for (const candidate of sources) {
      if (!isMap(candidate)) continue
      const found = findPair(doc, candidate, key)
      if (found) return { pair: found.pair, merged: true }
    }
  }
  return null
}

function resolveAlias(doc: Document.Parsed, node: Node): Node {
  let current: Node = node
  for (let hops = 0; isAlias(current) && hops < 16; hops++) {
    const target = current.resolve(doc)
    if (!target) break
    current = target
  }
  return current
}

function isNodeValue(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !isPair(value) && 'range' in value
}

function lineOf(yaml: ParsedYaml, offset: number): number {
  return yaml.lineCounter.linePos(offset).line
}

/** The offset of the last non-blank character before `end`, so a block's trailing newline is not counted. */
function lastContentOffset(text: string, start: number, end: number): number {
  let last = Math.max(start, end - 1)
  while (last > start && /\s/.test(text[last] ?? '')) last--
  return last
}
