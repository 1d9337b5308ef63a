import { displayName } from '../../extract/identity.js'
import { SEVERITIES, severityRank, type Report, type ReportedFinding, type Severity } from '../../model.js'
import { countsLine, summarize } from '../summary.js'
import { GITHUB_TEXT_LIMIT, SEVERITY_LABEL, type MarkdownContext } from './context.js'
import { code, escapeText } from './escape.js'
import { locationText, objectText, ruleLink } from './finding.js'
import { truncateMarkdown } from './truncate.js'

/** `2 new security regressions (1 critical)`, or `No new security regressions`. */
export function checkTitle(report: Report): string {
  const news = report.findings.filter((f) => f.status === 'new')
  if (news.length === 0) return 'No new security regressions'
  const counts = new Map<Severity, number>()
  for (const f of news) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1)
  // The severe ones are what a reader needs from a title; without any, the most severe there is.
  let shown = SEVERITIES.filter((s) => severityRank(s) >= severityRank('high') && counts.has(s))
  if (shown.length === 0) shown = SEVERITIES.filter((s) => counts.has(s)).slice(0, 1)
  const detail = shown.map((s) => `${counts.get(s)} ${s}`).join(', ')
  return `${news.length} new security ${news.length === 1 ? 'regression' : 'regressions'} (${detail})`
}

/**
 * The check run's summary, also written to the job summary: what changed in the Pod Security
 * level of each changed workload, the new findings (most severe first), the fixed ones, the
 * count of unchanged ones, and the input that could not be read. Always under GitHub's limit.
 */
export function checkSummary(report: Report, context: MarkdownContext): string {
  const summary = summarize(report)
  const lines: string[] = []
  const verdict = summary.failed ? '❌' : summary.new > 0 ? '⚠️' : '✅'
  lines.push(`## ${verdict} ${escapeText(checkTitle(report))}`, '')
  const revisions = revisionLine(report)
  const threshold =
    report.failOn === 'none' ? 'No severity fails the check.' : `New findings of severity **${report.failOn}** or above fail the check.`
  lines.push(`${countsLine(summary)}${revisions ? ` · ${revisions}` : ''}. ${threshold}`, '')

  const weakened = report.configChanges ?? []
  if (weakened.length > 0) {
    lines.push('### ⚠️ This change weakens the gate', '')
    for (const change of weakened) lines.push(`- ${escapeText(change)}`)
    lines.push('')
  }

  const postures = report.postures.filter((p) => p.base !== p.head)
  if (postures.length > 0) {
    lines.push('### Pod Security level', '', '| Workload | Kind | File |', '| --- | --- | --- |')
    for (const p of postures) {
      const change = `${p.base ?? 'absent'} → ${p.head ?? 'absent'}`
      lines.push(`| ${escapeText(displayName(p.resource))}: ${change} | ${escapeText(p.resource.kind)} | ${escapeText(p.file)} |`)
    }
    lines.push('')
  }

  const news = sorted(report.findings.filter((f) => f.status === 'new'))
  if (news.length > 0) {
    lines.push('### New findings', '', '| Severity | Rule | Finding | Object | Location |', '| --- | --- | --- | --- | --- |')
    for (const f of news) {
      const fix = f.fix ? (f.fix.safety === 'safe' ? ' Safe fix offered.' : ' Fix offered, to review.') : ''
      lines.push(
        `| ${SEVERITY_LABEL[f.severity]} | ${ruleLink(context, f.ruleId, { inTable: true })} | ${escapeText(f.message)}${fix} | ${objectText(f)} | ${locationText(context, f, report.head.sha)} |`,
      )
    }
    lines.push('')
  }

  const fixed = sorted(report.findings.filter((f) => f.status === 'fixed'))
  if (fixed.length > 0) {
    lines.push('### Fixed', '', '| Severity | Rule | Finding | Object | Was at |', '| --- | --- | --- | --- | --- |')
    for (const f of fixed) {
      lines.push(
        `| ${SEVERITY_LABEL[f.severity]} | ${ruleLink(context, f.ruleId, { inTable: true })} | ${escapeText(f.message)} | ${objectText(f)} | ${locationText(context, f, report.base.sha)} |`,
      )
    }
    lines.push('')
  }

  if (summary.unchanged > 0) {
    const n = summary.unchanged
    lines.push(
      `${n} ${n === 1 ? 'finding was' : 'findings were'} already there before this change (unchanged): existing debt, not counted against it.`,
      '',
    )
  }

  const suppressed = sorted(report.suppressed ?? [])
  if (suppressed.length > 0) {
    lines.push('### Suppressed', '', '| Status | Rule | Finding | Object | Location | Suppressed by |', '| --- | --- | --- | --- | --- | --- |')
    for (const f of suppressed) {
      const by = f.suppressedBy
      const why = by ? `${escapeText(by.source)} at ${escapeText(`${by.file}:${by.line}`)}: ${escapeText(by.reason)}` : ''
      const sha = f.status === 'fixed' ? report.base.sha : report.head.sha
      lines.push(
        `| ${f.status} | ${ruleLink(context, f.ruleId, { inTable: true })} | ${escapeText(f.message)} | ${objectText(f)} | ${locationText(context, f, sha)} | ${why} |`,
      )
    }
    lines.push('')
  }

  if (report.errors.length > 0) {
    lines.push('### Errors', '')
    for (const e of report.errors) {
      lines.push(`- ${code(e.line === null ? e.file : `${e.file}:${e.line}`)} (${e.revision}): ${escapeText(e.message)}`)
    }
    lines.push('')
  }
  const warnings = report.warnings ?? []
  if (warnings.length > 0) {
    lines.push('### Warnings', '')
    for (const w of warnings) lines.push(`- ${code(w.line === null ? w.file : `${w.file}:${w.line}`)}: ${escapeText(w.message)}`)
    lines.push('')
  }
  if (report.skipped.length > 0) {
    lines.push('### Skipped files', '')
    for (const s of report.skipped) lines.push(`- ${code(s.file)} (${s.revision}): ${escapeText(s.reason)}`)
    lines.push('')
  }
  return truncateMarkdown(lines.join('\n').trimEnd() + '\n', 'The annotations and the JSON report list every finding.', GITHUB_TEXT_LIMIT)
}

/** `abc1234 → def5678`, when the revisions are commits. */
function revisionLine(report: Report): string {
  const short = (sha: string | null): string | null => (sha ? code(sha.slice(0, 7)) : null)
  const base = short(report.base.sha)
  const head = short(report.head.sha)
  if (head && base) return `compared ${base} → ${head}`
  if (head) return `scanned ${head}`
  return ''
}

function sorted(findings: ReportedFinding[]): ReportedFinding[] {
  return [...findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line),
  )
}
