import { Composer, type CST, type Document, LineCounter, Lexer, Parser, YAMLParseError } from 'yaml'
import { KUBERNETES_YAML, MAX_NESTING } from './yaml-dialect.js'

/** Parsed YAML with its positions, kept together so any node can be mapped back to lines. */
export interface ParsedYaml {
  text: string
  lineCounter: LineCounter
  /** every document, in file order; those with `errors` are reported, never evaluated */
  documents: Document.Parsed[]
}

export interface ParseProblem {
  /** 1-based, or null where the problem concerns the whole file */
  line: number | null
  message: string
}

export type ParseOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'parsed'; yaml: ParsedYaml; problems: ParseProblem[] }

/** Problems reported per file: a generated or binary-ish file can hold thousands, and one says enough. */
export const MAX_PROBLEMS_PER_FILE = 20

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decodes and parses one manifest file. Should not throw: unreadable content is a problem with a
 * line, template files are skipped with a reason, and a document with errors does not stop the
 * file's other documents from being read.
 */
export function parseManifestFile(path: string, bytes: Buffer): ParseOutcome {
  const notText = notTextReason(bytes)
  if (notText) return { kind: 'skipped', reason: notText }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return { kind: 'parsed', yaml: emptyYaml(), problems: [{ line: firstInvalidUtf8Line(bytes), message: 'not valid UTF-8' }] }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (hasTemplateSyntax(text)) {
    return { kind: 'skipped', reason: 'template syntax ({{ … }}): not plain YAML until rendered' }
  }
  if (path.endsWith('.json') && text.trim() === '') {
    return { kind: 'parsed', yaml: emptyYaml(), problems: [{ line: 1, message: 'empty JSON file' }] }
  }

  const lineCounter = new LineCounter()
  const documents = parseYamlDocuments(text, lineCounter)
  const problems = documents.flatMap((doc) =>
    doc.errors.map((error) => ({ line: lineCounter.linePos(error.pos[0]).line, message: firstLine(error.message) })),
  )
  return { kind: 'parsed', yaml: { text, lineCounter, documents }, problems: capProblems(problems) }
}

/**
 * `parseAllDocuments`, with one guard in between: a document nested deeper than MAX_NESTING is
 * composed empty and carries an error on the line where the limit is passed. Composing, toJS()
 * and every walker after them recurse once per level; a 10,000-deep `[[[[…` must not reach them.
 * The lexer and the CST parser are iterative, so measuring the depth there is safe.
 */
export function parseYamlDocuments(text: string, lineCounter: LineCounter = new LineCounter()): Document.Parsed[] {
  const composer = new Composer(KUBERNETES_YAML)
  const tooDeep: (number | null)[] = []
  function* guarded(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type === 'document') {
        const offset = token.value ? deeperThan(token.value, MAX_NESTING) : null
        tooDeep.push(offset)
        if (offset !== null) yield { ...token, value: undefined }
        else yield token
      } else yield token
    }
  }
  const documents = Array.from(composer.compose(guarded(new Parser(lineCounter.addNewLine).parse(text))))
  documents.forEach((doc, i) => {
    const offset = tooDeep[i]
    if (offset === null || offset === undefined) return
    doc.errors.push(
      new YAMLParseError([offset, offset + 1], 'RESOURCE_EXHAUSTION', `nested more than ${MAX_NESTING} levels deep: not read`),
    )
  })
  return documents
}

/** The offset of the first collection nested deeper than `max` levels, or null. Iterative: no recursion on input depth. */
export function deeperThan(root: CST.Token, max: number): number | null {
  const stack: [CST.Token, number][] = [[root, 1]]
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue
    if (depth > max) return token.offset
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1])
      if (item.value) stack.push([item.value, depth + 1])
    }
  }
  return null
}

/** At most MAX_PROBLEMS_PER_FILE problems, the last saying how many more there were. */
export function capProblems(problems: ParseProblem[]): ParseProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems
  const shown = problems.slice(0, MAX_PROBLEMS_PER_FILE - 1)
  return [...shown, { line: null, message: `${problems.length - shown.length} more problems in this file not listed` }]
}

function emptyYaml(): ParsedYaml {
  return { text: '', lineCounter: new LineCounter(), documents: [] }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message
}

/** Why a file's bytes are not text to parse (a binary file, UTF-16), or null when they may be. */
export function notTextReason(bytes: Buffer): string | null {
  if (isUtf16(bytes)) return 'UTF-16 encoded file: not read (manifests are UTF-8)'
  if (bytes.includes(0)) return 'binary file (contains NUL bytes)'
  return null
}

/** A UTF-16 byte order mark: such a file is full of NUL bytes, but it is text, and says so differently. */
function isUtf16(bytes: Buffer): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
}

/** The 1-based line holding the first byte sequence that is not UTF-8. */
function firstInvalidUtf8Line(bytes: Buffer): number {
  let line = 1
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end < 0) end = bytes.length
    try {
      utf8.decode(bytes.subarray(start, end))
    } catch {
      return line
    }
    start = end + 1
    line++
  }
  return 1
}

/**
 * True when `{{` opens a flow mapping inside another one, which is how template placeholders
 * (`replicas: {{replicas}}`, Helm's `{{- if … }}`) look to a YAML lexer. A `{{` inside a quoted or
 * plain string is ordinary text (Prometheus rules and Go templates in ConfigMaps use it).
 */
export function hasTemplateSyntax(text: string): boolean {
  if (!text.includes('{{')) return false
  let previous = ''
  for (const token of new Lexer().lex(text)) {
    if (token === '{' && previous === '{') return true
    previous = token
  }
  return false
}
