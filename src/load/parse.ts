import { type Document, LineCounter, Lexer, parseAllDocuments } from 'yaml'
import { KUBERNETES_YAML } from './yaml-dialect.js'

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

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decodes and parses one manifest file. Should not throw: unreadable content is a problem with a
 * line, template files are skipped with a reason, and a document with errors does not stop the
 * file's other documents from being read.
 */
export function parseManifestFile(path: string, bytes: Buffer): ParseOutcome {
  if (bytes.includes(0)) return { kind: 'skipped', reason: 'binary file (contains NUL bytes)' }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return { kind: 'parsed', yaml: emptyYaml(), problems: [{ line: null, message: 'not valid UTF-8' }] }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (hasTemplateSyntax(text)) {
    return { kind: 'skipped', reason: 'template syntax ({{ … }}): not plain YAML until rendered' }
  }
  if (path.endsWith('.json') && text.trim() === '') {
    return { kind: 'parsed', yaml: emptyYaml(), problems: [{ line: 1, message: 'empty JSON file' }] }
  }

  const lineCounter = new LineCounter()
  const documents = parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter })
  const parsed = Array.isArray(documents) ? documents : []
  const problems = parsed.flatMap((doc) =>
    doc.errors.map((error) => ({ line: lineCounter.linePos(error.pos[0]).line, message: firstLine(error.message) })),
  )
  return { kind: 'parsed', yaml: { text, lineCounter, documents: parsed }, problems }
}

function emptyYaml(): ParsedYaml {
  return { text: '', lineCounter: new LineCounter(), documents: [] }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message
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
