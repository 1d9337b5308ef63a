import { type Scalar, parseDocument } from 'yaml'
import { KUBERNETES_YAML } from '../../load/yaml-dialect.js'
import type { JsonValue } from '../../model.js'

/** How a file is written, so that added text looks as if its author had typed it. */
export interface TextStyle {
  eol: '\n' | '\r\n'
  /** spaces per nesting level */
  indent: number
  /** a JSON file: every key and string double-quoted */
  json: boolean
}

export function detectStyle(text: string): TextStyle {
  const json = /^\s*[[{]/.test(text)
  return { eol: text.includes('\r\n') ? '\r\n' : '\n', indent: detectIndent(text), json }
}

/** The most common step by which indentation grows from one line to the next (2 when unclear). */
function detectIndent(text: string): number {
  const counts = new Map<number, number>()
  let previous = 0
  for (const line of text.split('\n')) {
    const content = line.trimStart()
    if (content === '' || content.startsWith('#')) continue
    const indent = line.length - content.length
    const step = indent - previous
    if (step > 0 && step <= 8) counts.set(step, (counts.get(step) ?? 0) + 1)
    previous = indent + (content.startsWith('- ') ? 2 : 0)
  }
  let best = 2
  let bestCount = 0
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step < best)) [best, bestCount] = [step, count]
  }
  return best
}

/** `key: value` lines at `column`; a non-empty map value goes on the following lines. */
export function renderBlockEntry(key: string, value: JsonValue, column: number, style: TextStyle): string[] {
  const pad = ' '.repeat(column)
  if (!isNonEmptyMap(value)) return [`${pad}${renderKey(key)}: ${renderFlow(value, false, style.json)}`]
  return [
    `${pad}${renderKey(key)}:`,
    ...Object.entries(value).flatMap(([k, v]) => renderBlockEntry(k, v as JsonValue, column + style.indent, style)),
  ]
}

/** A block list item `- value` with its dash at `column`; a map's first entry shares the dash line. */
export function renderBlockItem(value: JsonValue, column: number, style: TextStyle): string[] {
  const pad = ' '.repeat(column)
  if (!isNonEmptyMap(value)) return [`${pad}- ${renderFlow(value, false, style.json)}`]
  const lines = Object.entries(value).flatMap(([k, v]) => renderBlockEntry(k, v as JsonValue, column + 2, style))
  return [`${pad}- ${(lines[0] ?? '').trimStart()}`, ...lines.slice(1)]
}

/**
 * A value on one line: scalars plain where YAML reads them back unchanged, collections in flow
 * style. Strings inside flow lists are double-quoted (`drop: ["ALL"]`), as people write them.
 */
export function renderFlow(value: JsonValue, inList: boolean, json = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderFlow(v, true, json)).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${renderKey(k, json)}: ${renderFlow(v as JsonValue, false, json)}`,
    )
    return `{${entries.join(', ')}}`
  }
  if (typeof value === 'string') return json || inList || !isPlainSafe(value, true) ? JSON.stringify(value) : value
  return String(value)
}

export function renderKey(key: string, json = false): string {
  return !json && isPlainSafe(key, true) ? key : JSON.stringify(key)
}

/** A new scalar written in the quoting style of the one it replaces. */
export function renderScalarLike(old: Scalar, value: JsonValue, json: boolean): string {
  if (typeof value !== 'string') return renderFlow(value, false, json)
  if (old.type === 'QUOTE_DOUBLE') return JSON.stringify(value)
  if (old.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`
  return isPlainSafe(value, false) ? value : JSON.stringify(value)
}

/** True when `text` written plain reads back as the same string (not `yes`, `1.0`, `null`, `a: b`). */
function isPlainSafe(text: string, inFlow: boolean): boolean {
  if (text === '' || text !== text.trim() || /[\n\r\t]/.test(text)) return false
  if (inFlow && /[,[\]{}]/.test(text)) return false
  try {
    const doc = parseDocument(`${text}\n`, { ...KUBERNETES_YAML })
    return doc.errors.length === 0 && doc.toJS() === text
  } catch {
    return false
  }
}

function isNonEmptyMap(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0
}
