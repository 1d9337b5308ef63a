import { displayName } from '../extract/identity.js'
import type { Report, ReportedFinding, Severity } from '../model.js'
import { countsLine, summarize } from './summary.js'

export interface TextOptions {
  /** ANSI colours, for a terminal only */
  color: boolean
}

const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
}
const RESET = '\x1b[0m'

/**
 * The terminal report: new and fixed findings grouped by file as `file:line`, posture changes,
 * problems with the input, and a closing counts line. Unchanged findings are only counted: old
 * debt is not news.
 */
export function renderText(report: Report, options: TextOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text)
  const lines: string[] = []
  const shown = report.findings.filter((f) => f.status !== 'unchanged')
  for (const [file, findings] of groupByFile(shown)) {
    lines.push(paint('\x1b[1m', sanitize(file)))
    for (const f of findings) {
      const status = f.status === 'new' ? paint('\x1b[1m', 'new  ') : paint('\x1b[32m', 'fixed')
      const severity = paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(8))
      lines.push(`  ${sanitize(file)}:${f.line}  ${status}  ${severity}  ${f.ruleId}  ${sanitize(f.message)}  (${sanitize(f.resource.kind)} ${sanitize(displayName(f.resource))})`)
      if (f.fix) {
        lines.push(`    ${f.fix.safety === 'safe' ? 'Safe fix' : 'Fix to review'}: ${sanitize(f.fix.description)}`)
        for (const patchLine of f.fix.patch.split('\n').slice(2)) {
          if (patchLine !== '') lines.push(`      ${paintPatch(patchLine, paint)}`)
        }
      } else if (f.fixNote) lines.push(`    ${sanitize(f.fixNote)}`)
    }
    lines.push('')
  }
  const changed = report.postures.filter((p) => p.base !== p.head)
  if (changed.length > 0) {
    lines.push(paint('\x1b[1m', 'Pod Security level'))
    for (const p of changed) {
      lines.push(`  ${sanitize(p.resource.kind)} ${sanitize(displayName(p.resource))}: ${p.base ?? 'absent'} → ${p.head ?? 'absent'}  (${sanitize(p.file)})`)
    }
    lines.push('')
  }
  for (const e of report.errors) {
    lines.push(`${paint('\x1b[31m', 'error')} ${sanitize(e.file)}${e.line === null ? '' : `:${e.line}`} (${e.revision}): ${sanitize(e.message)}`)
  }
  for (const s of report.skipped) lines.push(`skipped ${sanitize(s.file)} (${s.revision}): ${sanitize(s.reason)}`)
  for (const w of report.warnings) {
    lines.push(`${paint('\x1b[33m', 'warning')} ${sanitize(w.file)}${w.line === null ? '' : `:${w.line}`}: ${sanitize(w.message)}`)
  }
  for (const change of report.configChanges) lines.push(`${paint('\x1b[33m', 'config')} this change weakens the gate: ${sanitize(change)}`)
  if (report.errors.length + report.skipped.length + report.warnings.length + report.configChanges.length > 0) lines.push('')
  if (report.suppressed.length > 0) {
    lines.push(`${report.suppressed.length} suppressed:`)
    for (const f of report.suppressed) {
      const by = f.suppressedBy
      lines.push(`  ${sanitize(f.file)}:${f.line}  ${f.ruleId}  (${sanitize(f.resource.kind)} ${sanitize(displayName(f.resource))})  ${by ? `${by.source} at ${sanitize(by.file)}:${by.line}: ${sanitize(by.reason)}` : ''}`)
    }
    lines.push('')
  }
  lines.push(countsLine(summarize(report)))
  return `${lines.map(inert).join('\n')}\n`
}

/**
 * A line that starts with `::` (after blanks and colours) is a workflow command to a GitHub
 * Actions runner reading the output of a step: a file named `::error file=x::…`, or a manifest
 * line quoted in a patch, must not forge one. A zero-width space after the first colon keeps the
 * line as it reads and makes it no command.
 */
function inert(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/^((?:\s|\x1b\[[0-9;]*m)*):(?=:)/, '$1:\u200b')
}

function paintPatch(line: string, paint: (code: string, text: string) => string): string {
  const text = sanitize(line)
  if (line.startsWith('+')) return paint('\x1b[32m', text)
  if (line.startsWith('-')) return paint('\x1b[31m', text)
  if (line.startsWith('@@')) return paint('\x1b[36m', text)
  return text
}

function groupByFile(findings: readonly ReportedFinding[]): Map<string, ReportedFinding[]> {
  const groups = new Map<string, ReportedFinding[]>()
  for (const f of findings) {
    const list = groups.get(f.file)
    if (list) list.push(f)
    else groups.set(f.file, [f])
  }
  return groups
}

/** Untrusted text (file and object names, messages) must not carry terminal control sequences or break lines. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => (c === '\n' ? '\\n' : '?'))
}
