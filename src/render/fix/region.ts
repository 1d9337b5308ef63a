import { type Document, isMap, isScalar, isSeq, parseAllDocuments, parseDocument } from 'yaml'
import { asObject, sameJson, valueAt } from '../../extract/json.js'
import { documentValue } from '../../extract/resources.js'
import { lastContentOffset } from '../../load/locate.js'
import type { ParsedYaml } from '../../load/parse.js'
import { KUBERNETES_YAML } from '../../load/yaml-dialect.js'
import { isNode, type PathStep, type PathWalk, walkPath } from '../../load/yaml-path.js'
import type { Edit, Finding, JsonObject, JsonValue, ObjectPath } from '../../model.js'
import { columnOf, lineEndOf } from './lines.js'
import { memoized } from '../../memo.js'

/**
 * Whether the edited text reads back as `expected` (the object with the edits applied as data).
 * The text outside `span` (the part of the original the edits replaced) is untouched, so it is
 * enough to parse the smallest collection around the change on its own and compare it with the
 * same part of `expected`; when no such collection parses alone (anchors from elsewhere, odd
 * indentation), the whole edited document is read instead.
 */
export function textMatches(
  original: ParsedYaml,
  edited: string,
  span: { start: number; end: number },
  finding: Finding,
  edits: readonly Edit[],
  expected: JsonObject,
): boolean {
  const before = original.text
  const { start: changeStart, end: changeEnd } = span
  const delta = edited.length - before.length
  const doc = original.documents[finding.documentIndex]
  if (!doc?.contents) return false
  const [first, ...others] = edits
  if (first) {
    // the collection that holds every edit: the edited one's, or the deepest one several share
    const full = [...finding.documentPath, ...others.reduce(commonPrefix, first.path)]
    const walk = walkPath(doc, doc.contents, full)
    const { steps } = walk
    const relative = (path: ObjectPath): ObjectPath => path.slice(finding.documentPath.length)
    if (others.length === 0) {
      const quick = quickCheck(first, before, edited, walk, span, (path) => valueAt(expected, relative(path)), full)
      if (quick !== undefined) return quick
    }
    for (let depth = steps.length - 1; depth >= finding.documentPath.length; depth--) {
      const node = (steps[depth] as (typeof steps)[number]).resolved
      if (!(isMap(node) || isSeq(node)) || !node.range) continue
      const [start, , nodeEnd] = node.range
      // A block collection may end before its last line break (a comment follows): count the break in.
      const lineBreak = before.indexOf('\n', nodeEnd - 1)
      const end = lineBreak >= 0 && before.slice(nodeEnd, lineBreak).trim() === '' ? lineBreak + 1 : nodeEnd
      if (start > changeStart || changeEnd > end) continue
      const parsed = parseRegion(edited.slice(start, end + delta), columnOf(before, start))
      if (parsed === undefined) continue
      return sameJson(parsed, valueAt(expected, full.slice(finding.documentPath.length, depth)))
    }
  }
  const reread = parseDocumentAt(edited, finding.documentIndex)
  return reread !== undefined && sameJson(valueAt(reread, finding.documentPath), expected)
}

/**
 * The two commonest edits read back without parsing the collection around them: a scalar
 * replaced in place (only the new scalar is parsed, in the same flow or block context), and new
 * entries appended to a block map (only the new lines are parsed, after checking that they sit
 * at the map's indentation right after its last entry, before a less indented line). Undefined
 * when the edit is of another shape.
 */
function quickCheck(
  edit: Edit,
  before: string,
  edited: string,
  walk: PathWalk,
  span: { start: number; end: number },
  expectedAt: (path: ObjectPath) => JsonValue | undefined,
  full: ObjectPath,
): boolean | undefined {
  const last = walk.steps[walk.steps.length - 1] as PathStep
  const delta = edited.length - before.length
  if (edit.op === 'set' && walk.missing.length === 0 && isScalar(last.node) && last.node.range) {
    const [start, end] = last.node.range
    const token = edited.slice(start, end + delta)
    // the text outside the span is the original's: within the scalar, only the scalar changed
    if (token.includes('\n') || span.start < start || span.end > end) return undefined
    const flow = last.parent?.flow === true
    const value = parseStandalone(flow ? `[${token}]` : `k: ${token}`)
    const read = flow ? (Array.isArray(value) ? value[0] : undefined) : asObject(value)?.k
    return sameJson(read, expectedAt(full))
  }
  const key = walk.missing[0]
  const map = last.resolved
  if (edit.op === 'delete' || typeof key !== 'string' || !isMap(map) || map.flow || !map.range || delta <= 0) return undefined
  const firstKey = map.items[0]?.key
  if (!isNode(firstKey) || !firstKey.range) return undefined
  const insertAt = lineEndOf(before, lastContentOffset(before, map.range[0], map.range[1]))
  // nothing of the original replaced: the change is the lines inserted there
  if (span.start !== insertAt || span.end !== insertAt) return undefined
  const indent = columnOf(before, firstKey.range[0])
  const inserted = edited.slice(insertAt, insertAt + delta).split('\n')
  if (inserted.pop() !== '' || !inserted.every((line, i) => indentOf(line) === indent || (i > 0 && indentOf(line) > indent))) {
    return undefined
  }
  const next = nextContentLine(before, insertAt)
  if (next !== undefined && !next.startsWith('---') && !next.startsWith('...') && indentOf(next) >= indent) return undefined
  const read = parseStandalone(inserted.map((line) => line.slice(indent)).join('\n'))
  const path = full.slice(0, full.length - walk.missing.length)
  return sameJson(read, { [key]: expectedAt([...path, key]) ?? null })
}

/** The first line (with its line break) from `offset` on that holds more than blanks or a comment; undefined at the end of the text. */
function nextContentLine(text: string, offset: number): string | undefined {
  for (let start = offset, end = 0; start < text.length; start = end) {
    end = lineEndOf(text, start)
    const line = text.slice(start, end)
    const content = line.trim()
    if (content !== '' && !content.startsWith('#')) return line
  }
  return undefined
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length
}

/** A snippet's value (read only: it is shared by every snippet with the same text). */
const parseStandalone = memoized((text: string): JsonValue | undefined =>
  // Cut out of a CRLF file, the last line keeps a bare CR: line breaks mean the same either way.
  documentJson(parseDocument(text.replace(/\r(?=\n|$)/g, ''), KUBERNETES_YAML)),
)

/** A document's value, or undefined when it has errors or cannot be read (aliases past the limits). */
function documentJson(doc: Document.Parsed | undefined): JsonValue | undefined {
  if (!doc || doc.errors.length > 0) return undefined
  const value = documentValue(doc)
  return value instanceof Error ? undefined : (value as JsonValue)
}

/** A block collection cut out of its file, its indentation removed; undefined when it does not stand alone. */
function parseRegion(text: string, indent: number): JsonValue | undefined {
  const lines = text.split('\n')
  const dedented = [lines[0] ?? '']
  for (const line of lines.slice(1)) {
    const content = line.trim()
    if (content === '' || content.startsWith('#')) dedented.push(content)
    else if (indentOf(line) < indent) return undefined
    else dedented.push(line.slice(indent))
  }
  return parseStandalone(dedented.join('\n'))
}

function parseDocumentAt(text: string, index: number): JsonValue | undefined {
  const docs = parseAllDocuments(text, KUBERNETES_YAML)
  return Array.isArray(docs) ? documentJson(docs[index]) : undefined
}

function commonPrefix(path: ObjectPath, edit: Edit): ObjectPath {
  let length = 0
  while (length < path.length && length < edit.path.length && sameJson(path[length], edit.path[length])) length++
  return path.slice(0, length)
}
