import { type Document, isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml'
import { KUBERNETES_YAML } from '../../load/yaml-dialect.js'
import type { JsonValue } from '../../model.js'
import { memoized } from '../../memo.js'
import { lineEndOf } from './lines.js'

/** How a file is written, so that added text looks as if its author had typed it. */
export interface TextStyle {
  eol: '\n' | '\r\n'
  /** spaces per nesting level */
  indent: number
  /** a JSON file: every key and string double-quoted */
  json: boolean
  /** how the file writes string values: plain where it can, or always in one kind of quotes */
  quote: Quote
}

export type Quote = 'plain' | 'double' | 'single'

/** What a flow collection written on one line needs to know: the file's style, and `{ a: 1 }` spacing. */
export interface FlowStyle {
  json: boolean
  quote: Quote
  /** braces padded with spaces, as in the collection the value goes into */
  padded?: boolean
}

export function detectStyle(text: string, documents: readonly Document[] = []): TextStyle {
  const json = looksLikeJson(text)
  return {
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    indent: detectIndent(text),
    json,
    quote: json ? 'double' : detectQuote(documents),
  }
}

/** The quoting most of the file's string values use (keys do not count). */
function detectQuote(documents: readonly Document[]): Quote {
  const counts: Record<Quote, number> = { plain: 0, double: 0, single: 0 }
  // a plain walk: yaml's visit() builds a path for every node, which costs more than the counting
  const count = (node: unknown): void => {
    if (isMap(node)) for (const pair of node.items) count(pair.value)
    else if (isSeq(node)) for (const item of node.items) count(item)
    else if (isScalar(node) && typeof node.value === 'string') {
      if (node.type === 'QUOTE_DOUBLE') counts.double++
      else if (node.type === 'QUOTE_SINGLE') counts.single++
      else if (node.type === 'PLAIN') counts.plain++
    }
  }
  for (const doc of documents) count(doc.contents)
  if (counts.double > counts.plain && counts.double >= counts.single) return 'double'
  if (counts.single > counts.plain) return 'single'
  return 'plain'
}

/**
 * JSON, as opposed to a YAML document in flow style (`{kind: Pod, ...}`): it opens with a bracket
 * and its first key or item, past any nested brackets, is double-quoted (or there is none).
 */
function looksLikeJson(text: string): boolean {
  return /^\s*[[{][\s[{]*["\]}]/.test(text)
}

/** The most common step by which indentation grows from one line to the next (2 when unclear). */
function detectIndent(text: string): number {
  const counts = new Map<number, number>()
  let previous = 0
  // line by line without splitting: this runs on every file that gets a fix
  for (let start = 0, end = 0; start < text.length; start = end) {
    end = lineEndOf(text, start)
    let first = start
    while (first < end && isBlank(text, first)) first++
    if (first < end && text[first] !== '#') {
      const indent = first - start
      const step = indent - previous
      if (step > 0 && step <= 8) counts.set(step, (counts.get(step) ?? 0) + 1)
      previous = indent + (text.startsWith('- ', first) ? 2 : 0)
    }
  }
  let best = 2
  let bestCount = 0
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count]
  }
  return best
}

const WHITESPACE = /\s/

/** Whether the character at `index` is one `trimStart()` removes (spaces, tabs, a CR, a BOM, …). */
function isBlank(text: string, index: number): boolean {
  const code = text.charCodeAt(index)
  return code === 0x20 || ((code < 0x21 || code > 0x7e) && WHITESPACE.test(text.charAt(index)))
}

/** `key: value` lines at `column`; a non-empty map value goes on the following lines. */
export function renderBlockEntry(key: string, value: JsonValue, column: number, style: TextStyle): string[] {
  const pad = ' '.repeat(column)
  if (!isNonEmptyMap(value)) return [`${pad}${renderKey(key)}: ${renderFlow(value, false, style)}`]
  return [
    `${pad}${renderKey(key)}:`,
    ...Object.entries(value).flatMap(([k, v]) => renderBlockEntry(k, v as JsonValue, column + style.indent, style)),
  ]
}

/**
 * A block list item `- value` with its dash at `column` and its content `offset` columns further
 * (`- a` or `-   a`, as the list's other items); a map's first entry shares the dash line.
 */
export function renderBlockItem(value: JsonValue, column: number, style: TextStyle, offset = 2): string[] {
  const dash = `${' '.repeat(column)}-${' '.repeat(Math.max(1, offset - 1))}`
  if (!isNonEmptyMap(value)) return [`${dash}${renderFlow(value, false, style)}`]
  const lines = Object.entries(value).flatMap(([k, v]) => renderBlockEntry(k, v as JsonValue, column + offset, style))
  return [`${dash}${(lines[0] ?? '').trimStart()}`, ...lines.slice(1)]
}

/**
 * A value on one line: scalars plain where YAML reads them back unchanged (unless the file quotes
 * its strings), collections in flow style. Strings inside flow lists are quoted (`drop: ["ALL"]`),
 * as people write them.
 */
export function renderFlow(value: JsonValue, inList: boolean, style: FlowStyle): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderFlow(v, true, style)).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${renderKey(k, style.json)}: ${renderFlow(v as JsonValue, false, style)}`,
    )
    if (entries.length === 0) return '{}'
    return style.padded ? `{ ${entries.join(', ')} }` : `{${entries.join(', ')}}`
  }
  if (typeof value === 'string') return renderString(value, style.json ? 'double' : style.quote, inList, true)
  return String(value)
}

/** A string in the given quotes; `plain` falls back to double quotes where plain would not read back. */
function renderString(value: string, quote: Quote, inList: boolean, inFlow: boolean): string {
  if (quote === 'single') return `'${value.replace(/'/g, "''")}'`
  if (quote === 'double' || inList || !isPlainSafe(value, inFlow)) return JSON.stringify(value)
  return value
}

export function renderKey(key: string, json = false): string {
  return !json && isPlainSafe(key, true) ? key : JSON.stringify(key)
}

/** A new scalar written in the quoting style of the one it replaces (or of its neighbour in a list). */
export function renderScalarLike(old: Scalar, value: JsonValue, style: FlowStyle, inFlow = false): string {
  if (typeof value !== 'string') return renderFlow(value, false, style)
  if (old.type === 'QUOTE_DOUBLE' || style.json) return JSON.stringify(value)
  if (old.type === 'QUOTE_SINGLE') return renderString(value, 'single', false, inFlow)
  return renderString(value, 'plain', false, inFlow)
}

/**
 * A value for a flow collection whose items stand on lines of their own, at `column`: pretty-
 * printed with the file's indentation in JSON, on one line otherwise.
 */
export function renderMultilineFlow(value: JsonValue, column: number, style: TextStyle): string {
  if (!style.json) return renderFlow(value, false, style)
  const pad = ' '.repeat(column)
  return JSON.stringify(value, null, style.indent)
    .split('\n')
    .map((line, i) => (i === 0 ? line : pad + line))
    .join(style.eol)
}

/** True when `text` written plain reads back as the same string (not `yes`, `1.0`, `null`, `a: b`). */
function isPlainSafe(text: string, inFlow: boolean): boolean {
  if (text === '' || text !== text.trim() || /[\n\r\t]/.test(text)) return false
  if (inFlow && /[,[\]{}]/.test(text)) return false
  return readsBackPlain(text)
}

/** Keys and values recur in every fix (`capabilities`, `RuntimeDefault`): each is parsed once. */
const readsBackPlain = memoized((text: string): boolean => {
  try {
    const doc = parseDocument(`${text}\n`, { ...KUBERNETES_YAML })
    return doc.errors.length === 0 && doc.toJS() === text
  } catch {
    return false
  }
})

function isNonEmptyMap(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0
}
