import type { Report, ReportedFinding, ResourceRef } from '../model.js'
import { CREDENTIAL_PATTERNS, mayHoldCredential } from '../rules/secrets/credential-patterns.js'

/**
 * Rules whose findings sit on a value that is, or may be, a credential. No rule of these proposes
 * a fix, and no fix of another rule may quote their lines (see `withoutLeakingFixes`).
 */
export const SECRET_RULES: ReadonlySet<string> = new Set(['secret-pattern', 'secret-in-manifest', 'secret-env-literal'])

/** Replaces every string in a known credential format (the secret-pattern table) with a marker naming the format. */
export function redactCredentials(text: string): string {
  if (!mayHoldCredential(text)) return text
  const spans: { start: number; end: number; name: string }[] = []
  for (const { name, pattern, reject } of CREDENTIAL_PATTERNS) {
    for (const match of text.matchAll(new RegExp(pattern.source, 'g'))) {
      const end = match.index + match[0].length
      if (reject?.(match[0], text, end)) continue
      spans.push({ start: match.index, end, name })
    }
  }
  if (spans.length === 0) return text
  spans.sort((a, b) => a.start - b.start || b.end - a.end)
  let out = ''
  let at = 0
  for (const span of spans) {
    if (span.start < at) continue // inside a span already replaced
    out += `${text.slice(at, span.start)}[redacted ${span.name}]`
    at = span.end
  }
  return out + text.slice(at)
}

/** Whether a text holds a string in a known credential format. */
export function holdsCredential(text: string): boolean {
  return redactCredentials(text) !== text
}

/**
 * The report as it may be shown anywhere: a log, a pull request comment, a check run, a SARIF
 * upload. Text that comes from the manifests and is shown as prose (messages, field paths, error
 * messages, skip reasons, warnings) has any credential-shaped string replaced; a fix whose patch
 * would quote a credential is withheld (see `withoutLeakingFixes`). Object and container names
 * are redacted the same way; file paths are shown as written (they are needed to find the place).
 */
export function redactReport(report: Report): Report {
  const secretLines = secretLinesByFile([...report.findings, ...report.suppressed])
  const finding = (f: ReportedFinding): ReportedFinding => withoutLeakingFixes(redactFinding(f), secretLines)
  return {
    ...report,
    findings: report.findings.map(finding),
    suppressed: report.suppressed.map(finding),
    postures: report.postures.map((p) => ({ ...p, resource: redactResource(p.resource) })),
    errors: report.errors.map((e) => ({ ...e, message: redactCredentials(e.message) })),
    skipped: report.skipped.map((s) => ({ ...s, reason: redactCredentials(s.reason) })),
    warnings: report.warnings.map((w) => ({ ...w, message: redactCredentials(w.message) })),
    configChanges: report.configChanges.map(redactCredentials),
  }
}

/** The finding with its prose redacted; the same object when nothing in it holds a credential (almost always). */
function redactFinding(f: ReportedFinding): ReportedFinding {
  const resource = redactResource(f.resource)
  const container = f.container === null ? null : redactCredentials(f.container)
  const message = redactCredentials(f.message)
  const path = redactCredentials(f.path)
  const fixNote = f.fixNote === null ? null : redactCredentials(f.fixNote)
  const description = f.fix && redactCredentials(f.fix.description)
  const unchanged =
    resource === f.resource &&
    container === f.container &&
    message === f.message &&
    path === f.path &&
    fixNote === f.fixNote &&
    description === (f.fix && f.fix.description)
  if (unchanged) return f
  return { ...f, resource, container, message, path, fixNote, fix: f.fix && { ...f.fix, description: description as string } }
}

/** Object names are the user's, but a name in a credential format is a credential all the same. */
function redactResource(resource: ResourceRef): ResourceRef {
  const apiVersion = redactCredentials(resource.apiVersion)
  const kind = redactCredentials(resource.kind)
  const namespace = resource.namespace === null ? null : redactCredentials(resource.namespace)
  const name = redactCredentials(resource.name)
  const unchanged =
    apiVersion === resource.apiVersion && kind === resource.kind && namespace === resource.namespace && name === resource.name
  return unchanged ? resource : { apiVersion, kind, namespace, name }
}

/** The head-file lines that secret rules found a credential on, by file. */
function secretLinesByFile(findings: readonly ReportedFinding[]): Map<string, { line: number; endLine: number }[]> {
  const lines = new Map<string, { line: number; endLine: number }[]>()
  for (const f of findings) {
    // fixed findings are placed in the base file; patches are made to the head's
    if (!SECRET_RULES.has(f.ruleId) || f.status === 'fixed') continue
    const list = lines.get(f.file) ?? []
    list.push({ line: f.line, endLine: f.endLine })
    lines.set(f.file, list)
  }
  return lines
}

export const LEAKING_FIX_NOTE = 'no patch offered: it would quote a line that holds a credential'

/**
 * A patch shows lines of the file around its change, and a review suggestion replaces some: where
 * one of those lines holds a credential (a secret rule found one there, or a string has a known
 * credential format), the fix is not offered. kube-ratchet never puts a credential into a comment
 * that the change did not show, and a patch's context can reach lines the change did not touch.
 */
export function withoutLeakingFixes(f: ReportedFinding, secretLines: ReadonlyMap<string, readonly { line: number; endLine: number }[]>): ReportedFinding {
  if (!f.fix) return f
  if (SECRET_RULES.has(f.ruleId)) return { ...f, fix: null, fixNote: LEAKING_FIX_NOTE }
  const spans = secretLines.get(f.file) ?? []
  const shown =
    spans.length === 0 ? [] : [...patchSpans(f.fix.patch), ...f.fix.replacements.map((r) => ({ line: r.startLine, endLine: r.endLine }))]
  const overlaps = shown.some((s) => spans.some((t) => s.line <= t.endLine && t.line <= s.endLine))
  const quotes = holdsCredential(f.fix.patch) || f.fix.replacements.some((r) => holdsCredential(r.text))
  return overlaps || quotes ? { ...f, fix: null, fixNote: LEAKING_FIX_NOTE } : f
}

/** The lines of the original file each hunk of a unified diff shows (`@@ -start,count …`). */
function patchSpans(patch: string): { line: number; endLine: number }[] {
  const spans: { line: number; endLine: number }[] = []
  for (const match of patch.matchAll(/^@@ -(\d+)(?:,(\d+))? /gm)) {
    const start = Number(match[1])
    const count = match[2] === undefined ? 1 : Number(match[2])
    // a hunk of no original line (`-4,0`) is an insertion after line 4: it shows nothing of the file
    if (count > 0) spans.push({ line: start, endLine: start + count - 1 })
  }
  return spans
}
