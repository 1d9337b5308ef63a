import { createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY, formatPatch } from 'diff'
import type { LineReplacement } from '../../model.js'
import { lineEndOf, lineStartOf, splitLines } from './lines.js'
import type { TextChange } from './text-edit.js'

/** A fix as text: the replacements a review suggests and the unified diff a report shows. */
export interface FixText {
  replacements: LineReplacement[]
  patch: string
}

/** Changes at most this many unchanged lines apart are shown as one replacement. */
const JOIN_GAP = 2

interface Hunk {
  /** 1-based line of `before` where the hunk starts */
  start: number
  removed: string[]
  added: string[]
}

/**
 * The smallest line replacements that turn `before` into `after`. A pure insertion has no line
 * to replace, so it is anchored on the line above it (or below, at the top of the file): a
 * review suggestion always replaces at least one line.
 *
 * A line diff may pair a changed line with an identical line elsewhere (`- hostPath:` of the
 * next volume), splitting one change in two around it. Changes a line or two apart are therefore
 * joined, then trimmed of the lines they begin and end with unchanged.
 */
export function lineReplacements(before: string, after: string): LineReplacement[] {
  const beforeLines = splitLines(before)
  return hunks(before, after)
    .map(trimmed)
    .filter((h) => h.removed.length > 0 || h.added.length > 0)
    .map((h) => toReplacement(anchored(h, (line) => beforeLines[line - 1])))
}

function toReplacement({ start, removed, added }: Hunk): LineReplacement {
  return { startLine: start, endLine: start + Math.max(removed.length, 1) - 1, text: withoutFinalBreak(added.join('')) }
}

/**
 * A hunk that replaces at least one line and whose text cannot be mistaken for "no line": a
 * pure insertion, or a single new empty line (text ''), takes in the line above it (below it
 * at the top of the file) unchanged.
 */
function anchored(hunk: Hunk, lineOf: (line: number) => string | undefined): Hunk {
  const ambiguous = hunk.removed.length === 0 || (hunk.added.length === 1 && /^\r?\n?$/.test(hunk.added[0] ?? ''))
  if (!ambiguous) return hunk
  const above = lineOf(hunk.start - 1)
  if (above !== undefined) {
    return { start: hunk.start - 1, removed: [above, ...hunk.removed], added: [above, ...hunk.added] }
  }
  const below = lineOf(hunk.start + hunk.removed.length)
  if (below === undefined) return hunk
  return { start: hunk.start, removed: [...hunk.removed, below], added: [...hunk.added, below] }
}

/** The line diff as hunks, those separated by at most JOIN_GAP unchanged lines joined. */
function hunks(before: string, after: string): Hunk[] {
  const result: Hunk[] = []
  let line = 1
  let current: Hunk | null = null
  let gap: string[] = []
  for (const change of diffLines(before, after)) {
    const lines = splitLines(change.value)
    if (!change.added && !change.removed) {
      if (current && lines.length <= JOIN_GAP) gap = lines
      else {
        current = null
        gap = []
      }
      line += lines.length
      continue
    }
    if (current && gap.length > 0) {
      current.removed.push(...gap)
      current.added.push(...gap)
    } else if (!current) {
      current = { start: line, removed: [], added: [] }
      result.push(current)
    }
    gap = []
    if (change.removed) {
      current.removed.push(...lines)
      line += lines.length
    } else current.added.push(...lines)
  }
  return result
}

/** A hunk without the unchanged lines it begins and ends with. */
function trimmed(hunk: Hunk): Hunk {
  let { start } = hunk
  const removed = [...hunk.removed]
  const added = [...hunk.added]
  while (removed.length > 0 && added.length > 0 && removed[removed.length - 1] === added[added.length - 1]) {
    removed.pop()
    added.pop()
  }
  while (removed.length > 0 && added.length > 0 && removed[0] === added[0]) {
    removed.shift()
    added.shift()
    start++
  }
  return { start, removed, added }
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

function withoutFinalBreak(text: string): string {
  return text.replace(/\r?\n$/, '')
}

/** Lines of context around a change, as in a unified diff. */
const CONTEXT_LINES = 3

/**
 * The line replacements and the unified diff of one change, computed on the lines around it
 * rather than the whole file (a fix touches a few lines of a file that may hold thousands).
 */
export function windowedPatch(file: string, before: string, after: string): FixText {
  const change = changedSpan(before, after)
  let start = change.start
  let firstLine = countLines(before, start)
  for (let i = 0; i < CONTEXT_LINES && start > 0; i++) {
    start = before.lastIndexOf('\n', start - 2) + 1
    firstLine--
  }
  let end = change.end
  for (let i = 0; i <= CONTEXT_LINES && end < before.length; i++) {
    const newline = before.indexOf('\n', end)
    end = newline < 0 ? before.length : newline + 1
  }
  const delta = after.length - before.length
  const oldWindow = before.slice(start, end)
  const newWindow = after.slice(start, end + delta)
  const offset = firstLine - 1
  return {
    replacements: lineReplacements(oldWindow, newWindow).map((r) => ({
      ...r,
      startLine: r.startLine + offset,
      endLine: r.endLine + offset,
    })),
    patch: unifiedPatch(file, oldWindow, newWindow).replace(
      /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/gm,
      (_, a: string, b = '', c: string, d = '') => `@@ -${Number(a) + offset}${b} +${Number(c) + offset}${d} @@`,
    ),
  }
}

/** 1-based number of the line holding `offset`. */
function countLines(text: string, offset: number): number {
  let lines = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) lines++
  return lines
}

/**
 * The span of `before` that the edit replaced, widened to start at a line start: an inserted
 * line often begins with the same spaces as the line it is inserted before, and counting those
 * as unchanged would put the change past the end of the collection it belongs to.
 */
export function changedSpan(before: string, after: string): { start: number; end: number } {
  const shortest = Math.min(before.length, after.length)
  let prefix = 0
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++
  const start = before.lastIndexOf('\n', prefix - 1) + 1
  let suffix = 0
  while (suffix < shortest - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) {
    suffix++
  }
  return { start, end: Math.max(start, before.length - suffix) }
}

/**
 * The replacement and unified diff of one edit, built from where the editor changed the text:
 * the whole lines the change touches, less those at either end it leaves as they were. No diff
 * is computed (a fix changes a few lines of a file that may hold thousands, and a diff may pair
 * a changed line with a twin elsewhere), and the fix is always one replacement.
 */
export function changePatch(file: string, before: string, change: TextChange): FixText {
  const from = lineStartOf(before, change.start)
  const head = before.slice(from, change.start) + change.text
  // the change ends at a line start and its own text ends a line: the line there stays as it is
  const endsLine = lineStartOf(before, change.end) === change.end && (head === '' || head.endsWith('\n'))
  const to = endsLine ? change.end : lineEndOf(before, change.end)
  const oldLines = splitLines(before.slice(from, to))
  const firstLine = countLines(before, from)
  const hunk = trimmed({ start: firstLine, removed: oldLines, added: splitLines(head + before.slice(change.end, to)) })
  if (hunk.removed.length === 0 && hunk.added.length === 0) return { replacements: [], patch: '' }

  const hunkFrom = from + length(oldLines.slice(0, hunk.start - firstLine))
  const hunkTo = hunkFrom + length(hunk.removed)
  // one line more than the context: an insertion is anchored on the line above or below it
  const above = linesBefore(before, hunkFrom, CONTEXT_LINES + 1)
  const below = linesAfter(before, hunkTo, CONTEXT_LINES + 1)
  const lineOf = (line: number): string | undefined =>
    line < hunk.start ? above[above.length - (hunk.start - line)] : below[line - hunk.start - hunk.removed.length]

  const contextAbove = above.slice(-CONTEXT_LINES)
  const contextBelow = below.slice(0, CONTEXT_LINES)
  const lines: string[] = []
  // pushed one by one: spreading the four (often empty) lists made V8 recompile this function again and again
  const add = (prefix: string, from: readonly string[]): void => {
    for (const line of from) {
      if (line.endsWith('\n')) lines.push(prefix + line.slice(0, -1))
      else lines.push(prefix + line, '\\ No newline at end of file')
    }
  }
  add(' ', contextAbove)
  add('-', hunk.removed)
  add('+', hunk.added)
  add(' ', contextBelow)
  const start = hunk.start - contextAbove.length
  const patch = formatPatch(
    {
      oldFileName: `a/${file}`,
      newFileName: `b/${file}`,
      oldHeader: undefined,
      newHeader: undefined,
      hunks: [
        {
          oldStart: start,
          oldLines: contextAbove.length + hunk.removed.length + contextBelow.length,
          newStart: start,
          newLines: contextAbove.length + hunk.added.length + contextBelow.length,
          lines,
        },
      ],
    },
    FILE_HEADERS_ONLY,
  )
  return { replacements: [toReplacement(anchored(hunk, lineOf))], patch }
}

function length(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length, 0)
}

/** Up to `count` whole lines that end where `offset` (a line start) is. */
function linesBefore(text: string, offset: number, count: number): string[] {
  const lines: string[] = []
  for (let end = offset; lines.length < count && end > 0; ) {
    const start = lineStartOf(text, end - 1)
    lines.unshift(text.slice(start, end))
    end = start
  }
  return lines
}

/** Up to `count` whole lines from `offset` (a line start) on. */
function linesAfter(text: string, offset: number, count: number): string[] {
  const lines: string[] = []
  for (let start = offset; lines.length < count && start < text.length; ) {
    const end = lineEndOf(text, start)
    lines.push(text.slice(start, end))
    start = end
  }
  return lines
}
