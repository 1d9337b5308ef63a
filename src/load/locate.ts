import type { LineSpan, ObjectPath } from '../model.js'
import type { ParsedYaml } from './parse.js'
import { walkPath } from './yaml-path.js'

export interface Location extends LineSpan {
  /** true when the whole path exists; false when the span is the nearest existing ancestor's */
  exact: boolean
  /** true when the walk passed through an alias or merge key: an edit there would change every user */
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
  const { steps, missing } = walkPath(doc, root, path)
  const last = steps[steps.length - 1] ?? steps[0]
  const line = lineOf(yaml, last.start)
  if (missing.length > 0) return { line, endLine: line, exact: false, viaAlias: last.viaAlias }
  const end = lastContentOffset(yaml.text, last.start, last.node.range?.[1] ?? last.start)
  return { line, endLine: lineOf(yaml, end), exact: true, viaAlias: last.viaAlias }
}

function lineOf(yaml: ParsedYaml, offset: number): number {
  return yaml.lineCounter.linePos(offset).line
}

/** The offset of the last non-blank character before `end`, so a block's trailing newline is not counted. */
export function lastContentOffset(text: string, start: number, end: number): number {
  let last = Math.max(start, end - 1)
  while (last > start && /\s/.test(text[last] ?? '')) last--
  return last
}
