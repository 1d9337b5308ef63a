import { type ComparedFinding, type Report, type ReportedFinding, severityRank } from '../model.js'

export interface ReportSummary {
  new: number
  fixed: number
  unchanged: number
  files: number
  resources: number
  errors: number
  skipped: number
  /** findings silenced by annotations or configuration */
  suppressed: number
  /** a new finding (or, in `all` mode, any finding) is at or above the fail-on severity */
  failed: boolean
}

export function summarize(report: Report): ReportSummary {
  const count = (status: ComparedFinding['status']): number => report.findings.filter((f) => f.status === status).length
  return {
    new: count('new'),
    fixed: count('fixed'),
    unchanged: count('unchanged'),
    files: report.files,
    resources: report.resources,
    errors: report.errors.length,
    skipped: report.skipped.length,
    suppressed: report.suppressed.length,
    failed: failingFindings(report).length > 0,
  }
}

/** Findings at or above the fail-on severity that turn the check red: new ones, or in `all` mode every one still there. */
export function failingFindings(report: Report): ReportedFinding[] {
  if (report.failOn === 'none') return []
  const threshold = severityRank(report.failOn)
  const counts = (f: ReportedFinding): boolean => f.status === 'new' || (report.mode === 'all' && f.status === 'unchanged')
  return report.findings.filter((f) => counts(f) && severityRank(f.severity) >= threshold)
}

/** `3 new · 1 fixed · 12 unchanged` */
export function countsLine(summary: ReportSummary): string {
  return `${summary.new} new · ${summary.fixed} fixed · ${summary.unchanged} unchanged`
}
