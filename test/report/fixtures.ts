/** Literal findings and reports for the bot and Markdown tests. Not a test file itself. */
import type { Report, ReportedFinding, RenderedFix } from '../../src/model.js'

export const HEAD_SHA = 'a'.repeat(40)
export const BASE_SHA = 'b'.repeat(40)

let counter = 0

/** A new finding on `payments/api.yaml`; override anything. */
export function finding(overrides: Partial<ReportedFinding> = {}): ReportedFinding {
  counter++
  return {
    ruleId: 'pss-privileged',
    pssCheck: 'privileged',
    severity: 'critical',
    title: 'Privileged container',
    message: 'Container "app" runs privileged.',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' },
    identity: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'api' },
    container: 'app',
    file: 'payments/api.yaml',
    line: 10,
    endLine: 10,
    path: 'spec.template.spec.containers[name=app].securityContext.privileged',
    fingerprint: `fp${String(counter).padStart(6, '0')}`,
    documentIndex: 0,
    documentPath: [],
    proposedFix: null,
    status: 'new',
    fix: null,
    fixNote: null,
    ...overrides,
  }
}

/** A fix replacing one line with `text`. */
export function fix(line: number, text: string, overrides: Partial<RenderedFix> = {}): RenderedFix {
  return {
    description: 'Remove privileged: true.',
    safety: 'safe',
    replacements: [{ startLine: line, endLine: line, text }],
    patch: `--- a/payments/api.yaml\n+++ b/payments/api.yaml\n@@ -${line},1 +${line},1 @@\n-            privileged: true\n+${text}\n`,
    ...overrides,
  }
}

export function report(findings: ReportedFinding[], overrides: Partial<Report> = {}): Report {
  return {
    base: { ref: 'main', sha: BASE_SHA },
    head: { ref: 'feature', sha: HEAD_SHA },
    findings,
    suppressed: [],
    postures: [],
    warnings: [],
    configChanges: [],
    errors: [],
    skipped: [],
    files: 2,
    resources: 1,
    failOn: 'high',
    mode: 'regressions',
    ...overrides,
  } as Report
}

/** A patch whose single hunk shows lines `from`..`to` of a file, every one added. */
export function addedLines(from: number, to: number): string {
  const lines = Array.from({ length: to - from + 1 }, (_, i) => `+line ${from + i}`)
  return [`@@ -${from},0 +${from},${to - from + 1} @@`, ...lines].join('\n')
}
