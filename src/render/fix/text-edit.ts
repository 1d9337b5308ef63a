import { type Document, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, visit, type YAMLMap, type YAMLSeq } from 'yaml'
import { lastContentOffset } from '../../load/locate.js'
import type { ParsedYaml } from '../../load/parse.js'
import { type PathStep, type PathWalk, walkPath } from '../../load/yaml-path.js'
import type { JsonValue, ObjectPath, PathSegment } from '../../model.js'
import type { Edit } from '../../rules/rule.js'
import { columnOf, lineEndOf, lineStartOf } from './lines.js'
import {
  detectStyle,
  type FlowStyle,
  renderBlockEntry,
  renderBlockItem,
  renderFlow,
  renderKey,
  renderMultilineFlow,
  renderScalarLike,
  type TextStyle,
} from './yaml-text.js'

/** A file's style, read once however many fixes it gets. */
const styles = new WeakMap<ParsedYaml, TextStyle>()

/** What one edit did to a text: `before[start, end)` became `text`. */
export interface TextChange {
  start: number
  end: number
  text: string
}

export type TextEditResult = { ok: true; text: string; change: TextChange } | { ok: false; reason: string }

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
  // an alias needs a `*` and an anchor's `&`: the common case skips walking the document
  const anchor = yaml.text.includes('*') && yaml.text.includes('&') ? sharedAnchor(doc, walk, edit) : null
  if (anchor !== null) {
    return refuse(`the value is shared through the anchor &${anchor}; an edit would change every place that uses it`)
  }
  let style = styles.get(yaml)
  if (!style) {
    style = detectStyle(yaml.text, yaml.documents)
    styles.set(yaml, style)
  }
  const editor = new TextEditor(yaml.text, style)
  switch (edit.op) {
    case 'set':
      return walk.missing.length === 0
        ? editor.replaceValue(walk.steps, edit.value)
        : editor.addMissing(last, walk.missing, edit.value)
    case 'delete':
      return walk.missing.length === 0 ? editor.remove(walk.steps) : { ok: true, text: yaml.text, change: { start: 0, end: 0, text: '' } }
    case 'append':
      if (walk.missing.length > 0) return editor.addMissing(last, walk.missing, [edit.value])
      return editor.append(walk.steps, edit.value)
  }
}

function refuse(reason: string): TextEditResult {
  return { ok: false, reason }
}

/**
 * The anchor (used by some alias or merge key) of a node the edit would change, or null. Editing
 * inside an anchored node, replacing or deleting it, changes every place that refers to it; only
 * an alias itself (`key: *ref`) can be replaced or deleted on its own.
 */
function sharedAnchor(doc: Document.Parsed, walk: PathWalk, edit: Edit): string | null {
  const used = aliasesIn(doc)
  if (used.size === 0) return null
  const lastIndex = walk.steps.length - 1
  for (const [i, step] of walk.steps.entries()) {
    const editsInside = i < lastIndex || walk.missing.length > 0 || edit.op === 'append'
    if (editsInside && step.node !== step.resolved) return (step.resolved as Node).anchor ?? '?'
    const anchor = (editsInside ? step.resolved : step.node).anchor
    if (anchor !== undefined && used.has(anchor)) return anchor
    // a node replaced or deleted takes the anchors inside it along
    if (!editsInside) return anchorWithin(step.node, used)
  }
  return null
}

/** The anchors a document's aliases refer to, found once per document however many fixes it gets. */
const aliasSources = new WeakMap<Document.Parsed, ReadonlySet<string>>()

function aliasesIn(doc: Document.Parsed): ReadonlySet<string> {
  let used = aliasSources.get(doc)
  if (!used) {
    const sources = new Set<string>()
    visit(doc, {
      Alias(_, alias) {
        sources.add(alias.source)
      },
    })
    aliasSources.set(doc, sources)
    used = sources
  }
  return used
}

function anchorWithin(node: Node, used: ReadonlySet<string>): string | null {
  let found: string | null = null
  visit(node, {
    Node(_, inner) {
      if (inner.anchor !== undefined && used.has(inner.anchor)) {
        found = inner.anchor
        return visit.BREAK
      }
      return undefined
    },
  })
  return found
}

class TextEditor {
  constructor(
    private readonly text: string,
    private readonly style: TextStyle,
  ) {}

  private splice(start: number, end: number, insert: string): TextEditResult {
    return { ok: true, text: this.text.slice(0, start) + insert + this.text.slice(end), change: { start, end, text: insert } }
  }

  /** Sets a value that exists: a scalar in place, anything else after its key's colon. */
  replaceValue(steps: readonly PathStep[], value: JsonValue): TextEditResult {
    const target = steps[steps.length - 1] as PathStep
    const node = target.node
    const isScalarValue = value === null || typeof value !== 'object'
    if (isScalar(node) && hasSource(node) && isScalarValue) {
      const [start, end] = rangeOf(node)
      return this.splice(start, end, renderScalarLike(node, value, this.flowStyle(target.parent)))
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
    // an empty `{}` in a block map becomes a block map, as its author would have written it
    const emptyInBlock = isMap(node) && node.items.length === 0 && last.parent?.flow !== true
    if ((emptyInBlock || isEmptyScalar(node)) && last.pair) {
      return this.replaceAfterColon(last.pair, node, { [key as string]: entryValue }, this.keyColumn(last.pair), last.parent)
    }
    if (isMap(node)) return this.insertEntry(node, key as string, entryValue)
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
    if (ownsLines) {
      const stop = this.lineEnd(end)
      // the file's last line, without a line break: the break before it goes, so none is added
      const unterminated = stop === this.text.length && !this.text.endsWith('\n')
      return this.splice(unterminated ? lineStart - this.eolLengthBefore(lineStart) : lineStart, stop, '')
    }
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
    // a new string item is quoted (or not) like the item before it
    const sibling = list.items[list.items.length - 1]
    const like = typeof value === 'string' && isScalar(sibling) ? sibling : null
    if (list.flow) {
      const item = like ? renderScalarLike(like, value, this.flowStyle(list), true) : null
      return this.insertFlow(list, value, item)
    }
    const first = list.items[0] as Node | undefined
    if (!first) return refuse('expected a list with items')
    const dash = this.text.lastIndexOf('-', rangeOf(first)[0])
    const dashColumn = this.column(dash)
    // the new item's content starts as far after its dash as the first item's does (`- a`, `-   a`)
    const offset = Math.max(2, rangeOf(first)[0] - dash)
    const at = this.lineEnd(this.contentEnd(list))
    const lines = like
      ? [`${' '.repeat(dashColumn)}-${' '.repeat(offset - 1)}${renderScalarLike(like, value, this.style)}`]
      : renderBlockItem(value, dashColumn, this.style, offset)
    return this.insertLines(at, lines)
  }

  private insertEntry(map: YAMLMap, key: string, value: JsonValue): TextEditResult {
    if (map.flow) return this.insertFlow(map, value, null, key)
    const firstKey = map.items[0]?.key as Node | undefined
    if (!firstKey) return refuse('expected a map with entries')
    const column = this.column(rangeOf(firstKey)[0])
    const at = this.lineEnd(this.contentEnd(map))
    return this.insertLines(at, renderBlockEntry(key, value, column, this.style))
  }

  /**
   * Adds an item (a map entry when `key` is given) before the closing bracket of a flow
   * collection. Where the items stand on lines of their own (pretty-printed JSON), the new one
   * gets its own line at their column, its value laid out the same way.
   */
  private insertFlow(collection: YAMLMap | YAMLSeq, value: JsonValue, rendered: string | null, key?: string): TextEditResult {
    const [start, end] = rangeOf(collection)
    const [open, closing] = isMap(collection) ? ['{', '}'] : ['[', ']']
    const entry = (valueText: string): string =>
      key === undefined ? valueText : `${renderKey(key, this.style.json)}: ${valueText}`
    const inline = entry(rendered ?? renderFlow(value, key === undefined, this.flowStyle(collection)))
    if (collection.items.length === 0) return this.splice(start, end, `${open}${inline}${closing}`)
    const close = this.text.lastIndexOf(closing, end - 1)
    if (close < start) return refuse('malformed flow collection')
    let before = close
    while (before > start && /\s/.test(this.text[before - 1] ?? '')) before--
    const lastItem = collection.items[collection.items.length - 1] as Pair | Node
    const lastStart = rangeOf(isMap(collection) ? ((lastItem as Pair).key as Node) : (lastItem as Node))[0]
    const lineStart = this.lineStart(lastStart)
    if (lineStart > start && /^\s*$/.test(this.text.slice(lineStart, lastStart))) {
      const column = lastStart - lineStart
      const multiline = rendered ?? renderMultilineFlow(value, column, this.style)
      return this.splice(before, before, `,${this.style.eol}${' '.repeat(column)}${entry(multiline)}`)
    }
    return this.splice(before, before, `, ${inline}`)
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
      // an item on lines of its own (pretty-printed JSON) goes with its lines
      const lineStart = this.lineStart(start)
      const blank = (from: number, to: number): boolean => /^\s*$/.test(this.text.slice(from, to))
      const ownsLines = blank(lineStart, start) && blank(after, this.lineEnd(after))
      if (ownsLines) return this.splice(lineStart, this.lineEnd(after), '')
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
    const inline = parent?.flow === true || (isNonEmptyFlow(old) && typeof value === 'object') || !isNonEmptyObject(value)
    if (inline) {
      return this.splice(colon + 1, Math.max(colon + 1, oldEnd), ` ${renderFlow(value, false, this.flowStyle(parent))}`)
    }
    const lines = Object.entries(value as Record<string, JsonValue>).flatMap((([k, v]) =>
      renderBlockEntry(k, v, keyColumn + this.style.indent, this.style)))
    return this.splice(colon + 1, Math.max(colon + 1, oldEnd), this.style.eol + lines.join(this.style.eol))
  }

  /** The file's style for a value going into `collection`: `{ a: 1 }` where it pads its own braces. */
  private flowStyle(collection: YAMLMap | YAMLSeq | null): FlowStyle {
    const start = collection?.flow === true && collection.items.length > 0 ? rangeOf(collection)[0] : -1
    return { ...this.style, padded: start >= 0 && this.text[start + 1] === ' ' }
  }

  private insertLines(at: number, lines: readonly string[]): TextEditResult {
    const block = lines.join(this.style.eol)
    // at the end of a file without a final line break, the new last line has none either
    if (at > 0 && this.text[at - 1] !== '\n') return this.splice(at, at, this.style.eol + block)
    return this.splice(at, at, block + this.style.eol)
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
    return lineStartOf(this.text, offset)
  }

  /** The offset just past the line break that ends the line holding `offset` (or the text's end). */
  private lineEnd(offset: number): number {
    return lineEndOf(this.text, offset)
  }

  private eolLengthBefore(offset: number): number {
    if (this.text[offset - 1] !== '\n') return 0
    return this.text[offset - 2] === '\r' ? 2 : 1
  }

  private column(offset: number): number {
    return columnOf(this.text, offset)
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

/** A flow collection with items: replaced in flow style. An empty `{}` or `[]` is just how "nothing" is written. */
function isNonEmptyFlow(node: Node): boolean {
  return (isMap(node) || isSeq(node)) && node.flow === true && node.items.length > 0
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
