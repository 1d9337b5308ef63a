import { type Document, isMap, isScalar, isSeq, type Node } from 'yaml'
import { isNode, resolveAlias } from '../yaml-path.js'

/**
 * One step of a finding's display path (`spec.template.spec.containers[name=app].securityContext`),
 * read back: findings carry the path as text, and a rendered object's field has to be found again
 * in the files it came from, where list items may sit at other indexes.
 */
export type PathStep =
  | { kind: 'key'; key: string }
  /** a list item named by one of its fields: `[name=app]` */
  | { kind: 'item'; key: string; value: string }
  /** a list item given by its value (`add[SYS_ADMIN]`) or, for digits, possibly by its index (`[3]`) */
  | { kind: 'value'; value: string }

/** Parses what `displayPath` writes. Unparseable text ends the path where it stops making sense. */
export function parseDisplayPath(path: string): PathStep[] {
  const steps: PathStep[] = []
  let i = 0
  while (i < path.length) {
    const c = path[i]
    if (c === '.') {
      i++
      continue
    }
    if (c === '[') {
      if (path[i + 1] === '"') {
        // a JSON string: keys with dots or slashes (annotation names)
        let end = i + 2
        while (end < path.length && !(path[end] === '"' && path[end - 1] !== '\\')) end++
        try {
          steps.push({ kind: 'key', key: JSON.parse(path.slice(i + 1, end + 1)) as string })
        } catch {
          return steps
        }
        i = end + 2
        continue
      }
      const close = path.indexOf(']', i)
      if (close < 0) return steps
      const inner = path.slice(i + 1, close)
      const named = /^([A-Za-z0-9_-]+)=(.*)$/.exec(inner)
      steps.push(named ? { kind: 'item', key: named[1] as string, value: named[2] as string } : { kind: 'value', value: inner })
      i = close + 1
      continue
    }
    let end = i
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++
    steps.push({ kind: 'key', key: path.slice(i, end) })
    i = end
  }
  return steps
}

/** The keys of a path, list steps left out: what a Helm values key or a template line can be matched on. */
export function keysOf(steps: readonly PathStep[]): string[] {
  return steps.flatMap((s) => (s.kind === 'key' ? [s.key] : []))
}

/**
 * Follows the steps through a JSON value. Returns the concrete path (keys and indexes) as far as it
 * exists, the value at its end, and whether the whole path exists.
 */
export function resolveSteps(root: unknown, steps: readonly PathStep[]): { path: (string | number)[]; value: unknown; complete: boolean } {
  const path: (string | number)[] = []
  let current: unknown = root
  for (const step of steps) {
    if (step.kind === 'key') {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step.key)) {
        return { path, value: undefined, complete: false }
      }
      path.push(step.key)
      current = (current as Record<string, unknown>)[step.key]
      continue
    }
    if (!Array.isArray(current)) return { path, value: undefined, complete: false }
    const index = itemIndex(current, step)
    if (index < 0) return { path, value: undefined, complete: false }
    path.push(index)
    current = current[index]
  }
  return { path, value: current, complete: true }
}

function itemIndex(list: readonly unknown[], step: Exclude<PathStep, { kind: 'key' }>): number {
  if (step.kind === 'item') {
    return list.findIndex((item) => item !== null && typeof item === 'object' && String((item as Record<string, unknown>)[step.key]) === step.value)
  }
  const byValue = list.findIndex((item) => (typeof item === 'string' || typeof item === 'number') && String(item) === step.value)
  if (byValue >= 0 || !/^\d+$/.test(step.value)) return byValue
  const index = Number(step.value)
  return index < list.length ? index : -1
}

/** Where a walk through a YAML document got to. */
export interface YamlReach {
  /** offset of the deepest step's first line (a map entry's key, else the node) */
  start: number
  /** how many steps exist in the document */
  depth: number
  exact: boolean
  /** the node at the deepest step */
  node: Node
}

/**
 * Follows the steps through a parsed YAML node, list items by name or value (never by the
 * rendered object's index: a patch lists only the containers it changes).
 */
export function walkSteps(doc: Document.Parsed, root: Node, steps: readonly PathStep[]): YamlReach {
  let node = resolveAlias(doc, root)
  let start = root.range?.[0] ?? 0
  for (let depth = 0; depth < steps.length; depth++) {
    const step = steps[depth] as PathStep
    let next: Node | undefined
    let nextStart: number | undefined
    if (step.kind === 'key') {
      if (!isMap(node)) return { start, depth, exact: false, node }
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step.key)
      if (pair && isNode(pair.value)) {
        next = pair.value
        nextStart = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? pair.value.range?.[0]
      }
    } else if (isSeq(node)) {
      const items = node.items.filter(isNode).map((n) => resolveAlias(doc, n))
      const index = yamlItemIndex(items, step)
      next = index < 0 ? undefined : items[index]
      nextStart = next?.range?.[0]
    }
    if (!next) return { start, depth, exact: false, node }
    node = resolveAlias(doc, next)
    start = nextStart ?? start
  }
  return { start, depth: steps.length, exact: true, node }
}

function yamlItemIndex(items: readonly Node[], step: Exclude<PathStep, { kind: 'key' }>): number {
  if (step.kind === 'item') {
    return items.findIndex(
      (item) =>
        isMap(item) &&
        item.items.some((p) => isScalar(p.key) && String(p.key.value) === step.key && isScalar(p.value) && String(p.value.value) === step.value),
    )
  }
  const byValue = items.findIndex((item) => isScalar(item) && String(item.value) === step.value)
  if (byValue >= 0 || !/^\d+$/.test(step.value)) return byValue
  const index = Number(step.value)
  return index < items.length ? index : -1
}

/** Follows a concrete path (keys and indexes, as a JSON patch names them) through a YAML node. */
export function walkConcrete(doc: Document.Parsed, root: Node, path: readonly (string | number)[]): YamlReach {
  let node = resolveAlias(doc, root)
  let start = root.range?.[0] ?? 0
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth] as string | number
    let next: Node | undefined
    let nextStart: number | undefined
    if (typeof segment === 'number') {
      if (isSeq(node)) {
        const item = node.items[segment]
        if (isNode(item)) {
          next = item
          nextStart = item.range?.[0]
        }
      }
    } else if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment)
      if (pair && isNode(pair.value)) {
        next = pair.value
        nextStart = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? pair.value.range?.[0]
      }
    }
    if (!next) return { start, depth, exact: false, node }
    node = resolveAlias(doc, next)
    start = nextStart ?? start
  }
  return { start, depth: path.length, exact: true, node }
}
