import { type ComparedFinding, type Report, severityRank } from '../model.js'

export interface ReportSummary {
  new: number
  fixed: number
  unchanged: number
  files: number
  resources: number
  errors: number
  skipped: number
  /** a new finding is at or above the fail-on severity */
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
    failed: failingFindings(report).length > 0,
  }
}

/** New findings at or above the fail-on severity: the ones that turn the check red. */
export function failingFindings(report: Report): ComparedFinding[] {
  if (report.failOn === 'none') return []
  const threshold = severityRank(report.failOn)
  return report.findings.filter((f) => f.status === 'new' && severityRank(f.severity) >= threshold)
}

/** `3 new · 1 fixed · 12 unchanged` */
export function countsLine(summary: ReportSummary): string {
  return `${summary.new} new · ${summary.fixed} fixed · ${summary.unchanged} unchanged`
}
