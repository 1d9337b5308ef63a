import type { Report, ReportedFinding } from '../model.js'
import { VERSION } from '../version.js'
import { summarize } from './summary.js'

/** The `--format json` report: exactly report.schema.json, schemaVersion 1. */
export function toJsonReport(report: Report): object {
  return {
    schemaVersion: 1,
    tool: { name: 'kube-ratchet', version: VERSION },
    base: report.base,
    head: report.head,
    summary: summarize(report),
    findings: report.findings.map(toJsonFinding),
    postures: report.postures,
    errors: report.errors,
    skipped: report.skipped,
    suppressed: report.suppressed.map((f) => ({ ...toJsonFinding(f), suppressedBy: f.suppressedBy })),
    warnings: report.warnings,
    configChanges: report.configChanges,
  }
}

function toJsonFinding(finding: ReportedFinding): object {
  return {
    status: finding.status,
    ruleId: finding.ruleId,
    pssCheck: finding.pssCheck,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    resource: finding.resource,
    container: finding.container,
    file: finding.file,
    line: finding.line,
    endLine: finding.endLine,
    path: finding.path,
    fingerprint: finding.fingerprint,
    fix: finding.fix && {
      description: finding.fix.description,
      safety: finding.fix.safety,
      replacements: finding.fix.replacements,
      patch: finding.fix.patch,
    },
    ...(finding.fixNote ? { fixNote: finding.fixNote } : {}),
  }
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`
}
