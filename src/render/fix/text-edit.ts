import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml'
import { lastContentOffset } from '../../load/locate.js'
import type { ParsedYaml } from '../../load/parse.js'
import { type PathStep, walkPath } from '../../load/yaml-path.js'
import type { JsonValue, ObjectPath, PathSegment } from '../../model.js'
import type { Edit } from '../../rules/rule.js'
import { detectStyle, renderBlockEntry, renderBlockItem, renderFlow, renderKey, renderScalarLike, type TextStyle } from './yaml-text.js'

export type TextEditResult = { ok: true; text: string } | { ok: false; reason: string }

/**
 * Applies one structural edit to a file's text as the smallest text change that does it, in the
 * file's own style: its indentation, quoting, flow or block collections and line endings. Text
 * outside the edited node is never touched, so comments and key order survive. Refuses (with
 * the reason) what it cannot do faithfully, such as editing a value shared through an alias.
 */
export function applyEdit(yaml: ParsedYaml, documentIndex: number, documentPath: ObjectPath, edit: Edit): TextEditResult {
  const doc = yaml.documents[documentIndex]
  if (!doc?.contents) return refuse('the document is empty')
  const walk = walkPath(doc, doc.contents, [...documentPath, ...edit.path])
  const last = walk.steps[walk.steps.length - 1] ?? walk.steps[0]
  if (last.viaAlias) return refuse('the value comes from a YAML anchor or alias; an edit would change every place that uses it')
  const editor = new TextEditor(yaml.text, detectStyle(yaml.text))
  switch (edit.op) {
    case 'set':
      return walk.missing.length === 0
        ? editor.replaceValue(walk.steps, edit.value)
        : editor.addMissing(last, walk.missing, edit.value)
    case 'delete':
      return walk.missing.length === 0 ? editor.remove(walk.steps) : { ok: true, text: yaml.text }
    case 'append':
      if (walk.missing.length > 0) return editor.addMissing(last, walk.missing, [edit.value])
      return editor.append(walk.steps, edit.value)
  }
}

function refuse(reason: string): TextEditResult {
  return { ok: false, reason }
}

class TextEditor {
  constructor(
    private readonly text: string,
    private readonly style: TextStyle,
  ) {}

  private splice(start: number, end: number, insert: string): TextEditResult {
    return { ok: true, text: this.text.slice(0, start) + insert + this.text.slice(end) }
  }

  /** Sets a value that exists: a scalar in place, anything else after its key's colon. */
  replaceValue(steps: readonly PathStep[], value: JsonValue): TextEditResult {
    const target = steps[steps.length - 1] as PathStep
    const node = target.node
    const isScalarValue = value === null || typeof value !== 'object'
    if (isScalar(node) && hasSource(node) && isScalarValue) {
      const [start, end] = rangeOf(node)
      return this.splice(start, end, renderScalarLike(node, value, this.style.json))
    }
    if (!target.pair) return refuse('cannot replace a list item that is a collection')
    return this.replaceAfterColon(target.pair, node, value, this.keyColumn(target.pair), target.parent)
  }

  /** Creates the missing tail of a path under the deepest node that exists. */
  addMissing(last: PathStep, missing: readonly PathSegment[], value: JsonValue): TextEditResult {
    if (!missing.every((s): s is string => typeof s === 'string')) {
      return refuse('cannot create a list item that does not exist')
    }
    const [key, ...rest] = missing
    const entryValue = rest.reduceRight<JsonValue>((inner, k) => ({ [k]: inner }), value)
    const node = last.resolved
    if (isMap(node)) return this.insertEntry(node, key as string, entryValue)
    if (isEmptyScalar(node) && last.pair) {
      return this.replaceAfterColon(last.pair, node, { [key as string]: entryValue }, this.keyColumn(last.pair), last.parent)
    }
    return refuse(`expected a map where "${String(key)}" should go`)
  }

  /** Deletes a map entry or a list item; a collection left empty becomes `{}` or `[]`. */
  remove(steps: readonly PathStep[]): TextEditResult {
    const target = steps[steps.length - 1] as PathStep
    const holder = steps[steps.length - 2]
    const parent = target.parent
    if (!parent || !holder) return refuse('cannot delete the whole object')
    const items = (parent.items as unknown[]).length
    if (parent.flow) return this.removeFlowItem(parent, target)
    if (items === 1) return this.emptyCollection(holder, parent, isMap(parent) ? '{}' : '[]')
    const start = target.pair ? (rangeOf(target.pair.key as Node)[0]) : rangeOf(target.node)[0]
    const end = this.contentEnd(target.node)
    const lineStart = this.lineStart(start)
    const prefix = this.text.slice(lineStart, start)
    const ownsLines = target.pair ? /^\s*$/.test(prefix) : /^\s*-\s+$/.test(prefix)
    if (ownsLines) return this.splice(lineStart, this.lineEnd(end), '')
    // The first entry of a list item's map shares the `- ` line: the next entry moves up to it.
    const next = /^\s*-\s+$/.test(prefix) ? nextPairKeyStart(parent, target.pair) : null
    if (next === null) return refuse('cannot delete this entry without rewriting the lines around it')
    return this.splice(start, next, '')
  }

  /** Adds an item at the end of an existing list. */
  append(steps: readonly PathStep[], value: JsonValue): TextEditResult {
    const target = steps[steps.length - 1] as PathStep
    const list = target.resolved
    if (isEmptyScalar(list) && target.pair) {
      return this.replaceAfterColon(target.pair, list, [value], this.keyColumn(target.pair), target.parent)
    }
    if (!isSeq(list)) return refuse('expected a list')
    if (list.flow) return this.insertFlow(list, renderFlow(value, true, this.style.json))
    const first = list.items[0] as Node | undefined
    if (!first) return refuse('expected a list with items')
    const dashColumn = this.column(this.text.lastIndexOf('-', rangeOf(first)[0]))
    const at = this.lineEnd(this.contentEnd(list))
    return this.insertLines(at, renderBlockItem(value, dashColumn, this.style))
  }

  private insertEntry(map: YAMLMap, key: string, value: JsonValue): TextEditResult {
    if (map.flow) return this.insertFlow(map, `${renderKey(key, this.style.json)}: ${renderFlow(value, false, this.style.json)}`)
    const firstKey = map.items[0]?.key as Node | undefined
    if (!firstKey) return refuse('expected a map with entries')
    const column = this.column(rangeOf(firstKey)[0])
    const at = this.lineEnd(this.contentEnd(map))
    return this.insertLines(at, renderBlockEntry(key, value, column, this.style))
  }

  /** Inserts `item` before the closing bracket of a flow collection. */
  private insertFlow(collection: YAMLMap | YAMLSeq, item: string): TextEditResult {
    const [start, end] = rangeOf(collection)
    const [open, closing] = isMap(collection) ? ['{', '}'] : ['[', ']']
    if (collection.items.length === 0) return this.splice(start, end, `${open}${item}${closing}`)
    const close = this.text.lastIndexOf(closing, end - 1)
    if (close < start) return refuse('malformed flow collection')
    let before = close
    while (before > start && /\s/.test(this.text[before - 1] ?? '')) before--
    return this.splice(before, before, `, ${item}`)
  }

  private removeFlowItem(parent: YAMLMap | YAMLSeq, target: PathStep): TextEditResult {
    const items = parent.items as (Pair | Node)[]
    const index = items.findIndex((item) => item === (target.pair ?? target.node))
    const start = target.pair ? rangeOf(target.pair.key as Node)[0] : rangeOf(target.node)[0]
    const end = rangeOf(target.node)[1]
    if (items.length === 1) {
      const [open, close] = rangeOf(parent)
      return this.splice(open, close, isMap(parent) ? '{}' : '[]')
    }
    if (index < items.length - 1) {
      const comma = this.text.indexOf(',', end)
      let after = comma + 1
      while (this.text[after] === ' ') after++
      return this.splice(start, after, '')
    }
    const comma = this.text.lastIndexOf(',', start)
    return this.splice(comma, end, '')
  }

  /** Turns the collection `parent` into an empty one, written where its key or dash is. */
  private emptyCollection(holder: PathStep, parent: YAMLMap | YAMLSeq, empty: string): TextEditResult {
    const end = this.contentEnd(parent)
    if (holder.pair) {
      const colon = this.colonAfter(holder.pair)
      if (colon < 0) return refuse('cannot find the key of the collection')
      return this.splice(colon + 1, this.lineEnd(end) - this.eolLengthBefore(this.lineEnd(end)), ` ${empty}`)
    }
    if (holder.parent && isSeq(holder.parent)) {
      const [start] = rangeOf(parent)
      return this.splice(start, this.lineEnd(end) - this.eolLengthBefore(this.lineEnd(end)), empty)
    }
    return refuse('cannot empty the whole object')
  }

  /** Replaces what follows `key:` with a value: inline for scalars and flow, block lines for maps. */
  private replaceAfterColon(
    pair: Pair,
    old: Node,
    value: JsonValue,
    keyColumn: number,
    parent: YAMLMap | YAMLSeq | null,
  ): TextEditResult {
    const colon = this.colonAfter(pair)
    if (colon < 0) return refuse('cannot find the key')
    const oldEnd = hasSource(old) ? this.contentEnd(old) + 1 : colon + 1
    const inline = parent?.flow === true || (isFlow(old) && typeof value === 'object') || !isNonEmptyObject(value)
    if (inline) return this.splice(colon + 1, Math.max(colon + 1, oldEnd), ` ${renderFlow(value, false, this.style.json)}`)
    const lines = Object.entries(value as Record<string, JsonValue>).flatMap((([k, v]) =>
      renderBlockEntry(k, v, keyColumn + this.style.indent, this.style)))
    return this.splice(colon + 1, Math.max(colon + 1, oldEnd), this.style.eol + lines.join(this.style.eol))
  }

  private insertLines(at: number, lines: readonly string[]): TextEditResult {
    const needsBreak = at > 0 && this.text[at - 1] !== '\n'
    const block = lines.join(this.style.eol) + this.style.eol
    return this.splice(at, at, needsBreak ? this.style.eol + block : block)
  }

  private keyColumn(pair: Pair): number {
    return this.column(rangeOf(pair.key as Node)[0])
  }

  private colonAfter(pair: Pair): number {
    return this.text.indexOf(':', rangeOf(pair.key as Node)[1])
  }

  /** The offset of the node's last character, not counting trailing blank lines or comments. */
  private contentEnd(node: Node): number {
    const [start, valueEnd] = rangeOf(node)
    return lastContentOffset(this.text, start, valueEnd)
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1
  }

  /** The offset just past the line break that ends the line holding `offset` (or the text's end). */
  private lineEnd(offset: number): number {
    const newline = this.text.indexOf('\n', offset)
    return newline < 0 ? this.text.length : newline + 1
  }

  private eolLengthBefore(offset: number): number {
    if (this.text[offset - 1] !== '\n') return 0
    return this.text[offset - 2] === '\r' ? 2 : 1
  }

  private column(offset: number): number {
    return offset - this.lineStart(offset)
  }
}

function rangeOf(node: Node | Pair): [number, number] {
  const range = (node as Node).range
  return range ? [range[0], range[1]] : [0, 0]
}

function hasSource(node: Node): boolean {
  const range = node.range
  return range !== undefined && range !== null && range[1] > range[0]
}

function isEmptyScalar(node: Node): node is Scalar {
  return isScalar(node) && node.value === null
}

function isFlow(node: Node): boolean {
  return (isMap(node) || isSeq(node)) && node.flow === true
}

function isNonEmptyObject(value: JsonValue): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0
}

function nextPairKeyStart(parent: YAMLMap | YAMLSeq, pair: Pair | null): number | null {
  if (!pair || !isMap(parent)) return null
  const index = parent.items.indexOf(pair)
  const next = parent.items[index + 1]
  return next ? rangeOf(next.key as Node)[0] : null
}
