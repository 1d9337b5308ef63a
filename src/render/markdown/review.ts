import { severityRank, type ReportedFinding } from '../../model.js'
import type { CommentableDiff } from '../commentable.js'
import { GITHUB_TEXT_LIMIT, type MarkdownContext } from './context.js'
import { escapeHtml, escapeText, fence, token } from './escape.js'
import { locationText, objectText, ruleLink, ruleWhy, severityText } from './finding.js'
import { truncateMarkdown } from './truncate.js'

/** GitHub shows a review with many comments poorly, and a big review is noise: the rest go in its body. */
export const MAX_INLINE_COMMENTS = 30

const FINGERPRINT_MARKER = /<!-- kube-ratchet:fp=([A-Za-z0-9._-]+) -->/

/** The hidden marker that ties a review comment to its finding across runs. */
export function fingerprintMarker(fingerprint: string): string {
  return `<!-- kube-ratchet:fp=${token(fingerprint)} -->`
}

/** The fingerprint a comment body carries, or null when it is not one of ours. */
export function fingerprintOf(body: string | null | undefined): string | null {
  return FINGERPRINT_MARKER.exec(body ?? '')?.[1] ?? null
}

/** The marker that identifies the review of one head commit, so a review is never posted twice. */
export function reviewMarker(headSha: string): string {
  return `<!-- kube-ratchet:review head=${token(headSha)} -->`
}

/** Where a comment goes: `line` on the RIGHT side, and `startLine` only when the range spans lines. */
export interface CommentAnchor {
  line: number
  startLine: number | null
  /** the fix is offered as a one-click suggestion of exactly these lines */
  suggestion: boolean
}

export interface InlineComment extends CommentAnchor {
  path: string
  body: string
  finding: ReportedFinding
}

export interface ReviewPlan {
  /** at most MAX_INLINE_COMMENTS, in file and line order */
  comments: InlineComment[]
  /** commentable, but over the cap: listed in the review body */
  overflow: ReportedFinding[]
  /** no commentable line: the check run's annotations and summary carry them */
  outside: ReportedFinding[]
  /** commented by an earlier run and still there: not posted again */
  alreadyCommented: ReportedFinding[]
}

/**
 * Where a finding can be commented on. A fix with exactly one replacement whose lines sit in one
 * hunk becomes a suggestion anchored on those lines. Otherwise the comment goes on the finding's
 * lines (all in one hunk), or else on its first line; null when none of that is in the diff.
 */
export function anchorFor(finding: ReportedFinding, diff: CommentableDiff): CommentAnchor | null {
  const file = finding.file
  const only = finding.fix?.replacements.length === 1 ? finding.fix.replacements[0] : undefined
  if (only && diff.inOneHunk(file, only.startLine, only.endLine)) {
    return { line: only.endLine, startLine: only.startLine < only.endLine ? only.startLine : null, suggestion: true }
  }
  if (diff.inOneHunk(file, finding.line, finding.endLine)) {
    return { line: finding.endLine, startLine: finding.line < finding.endLine ? finding.line : null, suggestion: false }
  }
  if (diff.isCommentable(file, finding.line)) return { line: finding.line, startLine: null, suggestion: false }
  return null
}

/** Most severe first, then by place: which findings get the inline comments when there are too many. */
function bySeverity(a: ReportedFinding, b: ReportedFinding): number {
  return severityRank(b.severity) - severityRank(a.severity) || byPlace(a, b)
}

function byPlace(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line
}

/**
 * Splits the new findings between inline comments, the review body and the check run. A
 * fingerprint in `commented` was posted by an earlier run and is not posted again; two new
 * findings with one fingerprint get one comment.
 */
export function planReview(
  findings: readonly ReportedFinding[],
  diff: CommentableDiff,
  context: MarkdownContext,
  options: { commented?: ReadonlySet<string>; max?: number } = {},
): ReviewPlan {
  const max = options.max ?? MAX_INLINE_COMMENTS
  const plan: ReviewPlan = { comments: [], overflow: [], outside: [], alreadyCommented: [] }
  const seen = new Set<string>()
  const candidates: (InlineComment & { finding: ReportedFinding })[] = []
  for (const finding of [...findings].filter((f) => f.status === 'new').sort(bySeverity)) {
    if (options.commented?.has(finding.fingerprint)) {
      plan.alreadyCommented.push(finding)
      continue
    }
    const anchor = anchorFor(finding, diff)
    if (!anchor) {
      plan.outside.push(finding)
      continue
    }
    if (seen.has(finding.fingerprint)) continue
    seen.add(finding.fingerprint)
    if (candidates.length >= max) {
      plan.overflow.push(finding)
      continue
    }
    candidates.push({ ...anchor, path: finding.file, body: commentBody(finding, anchor, context), finding })
  }
  plan.comments = candidates.sort((a, b) => byPlace({ file: a.path, line: a.line }, { file: b.path, line: b.line }))
  return plan
}

/**
 * A review comment: severity and title, what and why, the rule's page, the verified fix (a
 * suggestion when the anchor allows one, else a diff) and the hidden fingerprint marker.
 */
export function commentBody(finding: ReportedFinding, anchor: Pick<CommentAnchor, 'suggestion'>, context: MarkdownContext): string {
  const parts = [
    `**${severityText(finding)} · ${escapeText(finding.title)}** · ${ruleLink(context, finding.ruleId)} · ${objectText(finding)}`,
    whatAndWhy(finding),
  ]
  const fix = finding.fix
  if (fix) {
    const label = fix.safety === 'safe' ? 'Safe fix' : 'Review carefully'
    parts.push(`**${label}:** ${escapeText(fix.description)}`)
    const only = fix.replacements[0]
    if (anchor.suggestion && fix.replacements.length === 1 && only) parts.push(fence(only.text, 'suggestion'))
    else parts.push(fence(patchBody(fix.patch, PATCH_LIMIT), 'diff'))
  } else if (finding.fixNote) {
    parts.push(`_${escapeText(capitalize(finding.fixNote))}._`)
  }
  parts.push(fingerprintMarker(finding.fingerprint))
  const body = parts.join('\n\n')
  if (body.length <= GITHUB_TEXT_LIMIT) return body
  // A fix too long for one comment: the comment keeps the finding and points at the full report.
  return [...parts.slice(0, 2), '_The fix is too long to show here; it is in the JSON report._', fingerprintMarker(finding.fingerprint)].join('\n\n')
}

/** How much of a patch a comment or body shows. */
const PATCH_LIMIT = 20_000

/** The hunks of a patch, without the `---`/`+++` header that repeats the file name. */
function patchBody(patch: string, limit: number): string {
  const body = patch.replace(/^(?:Index:[^\n]*\n)?(?:=+\n)?---[^\n]*\n\+\+\+[^\n]*\n/, '')
  if (body.length <= limit) return body
  const cut = body.lastIndexOf('\n', limit)
  return `${body.slice(0, cut < 0 ? limit : cut)}\n… (patch truncated)\n`
}

/** What (the finding's message, untrusted) and why (the rule's description, ours). */
function whatAndWhy(finding: ReportedFinding): string {
  const why = ruleWhy(finding.ruleId)
  const what = escapeText(finding.message)
  return why ? `${what} ${why}` : what
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export interface ReviewBodyOptions {
  headSha: string
  /** a random token of this run: the review it created is recognised even when a 5xx hid the answer */
  runToken: string
  /** findings listed in the body because the inline cap was reached, or because GitHub refused the comments */
  listed: readonly ReportedFinding[]
  /** number of inline comments in the review */
  inline: number
  /** new findings that could not be commented on: they are in the check run */
  outside: number
  /** GitHub refused the inline comments (422): every finding is in the body */
  refused?: boolean
}

/** The review's body: a one-line verdict, findings that did not get an inline comment, markers. */
export function reviewBody(context: MarkdownContext, options: ReviewBodyOptions): string {
  const total = options.inline + options.listed.length
  const lines = [
    `**kube-ratchet** found ${total} new security ${total === 1 ? 'regression' : 'regressions'} in the changed lines.`,
  ]
  if (options.refused) {
    lines.push('', 'GitHub did not accept inline comments on these lines, so they are listed here.')
  } else if (options.listed.length > 0) {
    lines.push('', `${options.inline} are commented inline; the other ${options.listed.length} are listed here.`)
  }
  if (options.listed.length > 0) {
    lines.push('')
    for (const f of options.listed) lines.push(...listedFinding(context, f, options.headSha))
  }
  if (options.outside > 0) {
    const n = options.outside
    lines.push('', `${n} more new ${n === 1 ? 'finding sits' : 'findings sit'} outside the diff: see the ${escapeText(context.checkName)} check.`)
  }
  const markers = `\n\n${reviewMarker(options.headSha)}\n<!-- kube-ratchet:run=${token(options.runToken)} -->`
  return truncateMarkdown(lines.join('\n'), `The ${escapeText(context.checkName)} check and the JSON report list every finding.`, GITHUB_TEXT_LIMIT - markers.length) + markers
}

/** A finding in the review body: one list item, with its fix folded away. */
function listedFinding(context: MarkdownContext, f: ReportedFinding, headSha: string): string[] {
  const item = [
    `- **${severityText(f)}** ${ruleLink(context, f.ruleId)} ${escapeText(f.message)} (${objectText(f)}) at ${locationText(context, f, headSha)}`,
  ]
  if (f.fix) {
    const label = f.fix.safety === 'safe' ? 'Safe fix' : 'Review carefully'
    item.push(
      `  <details><summary>${label}: ${escapeHtml(f.fix.description)}</summary>`,
      '',
      ...fence(patchBody(f.fix.patch, 4_000), 'diff').split('\n').map((l) => (l === '' ? '' : `  ${l}`)),
      '',
      '  </details>',
    )
  }
  return item
}
