import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from 'diff'
import type { LineReplacement } from '../../model.js'

/**
 * The smallest line replacements that turn `before` into `after`. A pure insertion has no line
 * to replace, so it is anchored on the line above it (or below, at the top of the file): a
 * review suggestion always replaces at least one line.
 */
export function lineReplacements(before: string, after: string): LineReplacement[] {
  const beforeLines = splitLines(before)
  const replacements: LineReplacement[] = []
  let line = 1
  let pending: { start: number; removed: number; added: string[] } | null = null
  const flush = (): void => {
    if (!pending) return
    const { start, removed, added } = pending
    if (removed > 0) {
      replacements.push({ startLine: start, endLine: start + removed - 1, text: added.join('') })
    } else if (start > 1) {
      replacements.push({ startLine: start - 1, endLine: start - 1, text: (beforeLines[start - 2] ?? '') + added.join('') })
    } else {
      replacements.push({ startLine: 1, endLine: 1, text: added.join('') + (beforeLines[0] ?? '') })
    }
    pending = null
  }
  for (const change of diffLines(before, after)) {
    const lines = splitLines(change.value)
    if (!change.added && !change.removed) {
      flush()
      line += lines.length
      continue
    }
    pending ??= { start: line, removed: 0, added: [] }
    if (change.removed) {
      pending.removed += lines.length
      line += lines.length
    } else pending.added.push(...lines)
  }
  flush()
  return replacements.map((r) => ({ ...r, text: withoutFinalBreak(r.text) }))
}

/** Applies replacements (made against the same text) from the bottom up, keeping the file's line endings. */
export function applyReplacements(text: string, replacements: readonly LineReplacement[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const lines = splitLines(text)
  const sorted = [...replacements].sort((a, b) => b.startLine - a.startLine)
  for (const r of sorted) {
    const replacesLastLine = r.endLine >= lines.length
    const keepUnterminated = replacesLastLine && !(lines[lines.length - 1] ?? '').endsWith('\n')
    const replacement = r.text === '' ? [] : splitLines(keepUnterminated ? r.text : r.text + eol)
    lines.splice(r.startLine - 1, r.endLine - r.startLine + 1, ...replacement)
  }
  return lines.join('')
}

export function unifiedPatch(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  })
}

/** Lines with their line breaks attached, so joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

function withoutFinalBreak(text: string): string {
  return text.replace(/\r?\n$/, '')
}
