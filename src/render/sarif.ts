import { displayName } from '../extract/identity.js'
import type { Report, ReportedFinding, Severity } from '../model.js'
import { RULES } from '../rules/index.js'
import { VERSION } from '../version.js'
import { ruleDocsUrl, type MarkdownContext } from './markdown/context.js'

/** SARIF levels for our severities: GitHub code scanning shows `error` as the most pressing. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
}

/** GitHub code scanning's own severity scale, read from `security-severity` (0.0-10.0). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
}

/**
 * A SARIF 2.1.0 log of the new findings (what this change introduces), for GitHub code scanning
 * or any SARIF viewer. Rules are listed once each, results refer to them by id and index, and
 * each result carries the finding's fingerprint so code scanning tracks it across commits.
 */
export function toSarif(report: Report, context: Pick<MarkdownContext, 'actionRepository'>): object {
  const findings = report.findings.filter((f) => f.status === 'new')
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort()
  const index = new Map(ruleIds.map((id, i) => [id, i]))
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-ratchet',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: `https://github.com/${context.actionRepository}`,
            rules: ruleIds.map((id) => sarifRule(id, context)),
          },
        },
        automationDetails: { id: 'kube-ratchet/' },
        results: findings.map((f) => sarifResult(f, index.get(f.ruleId) ?? 0)),
      },
    ],
  }
}

function sarifRule(id: string, context: Pick<MarkdownContext, 'actionRepository'>): object {
  const meta = RULES.find((r) => r.meta.id === id)?.meta
  const severity = meta?.severity ?? 'medium'
  return {
    id,
    name: id,
    shortDescription: { text: meta?.title ?? id },
    ...(meta ? { fullDescription: { text: meta.description } } : {}),
    ...(meta ? { help: { text: meta.remediation, markdown: meta.remediation } } : {}),
    helpUri: ruleDocsUrl({ actionRepository: context.actionRepository, repositoryUrl: null, checkName: '' }, id),
    defaultConfiguration: { level: LEVEL[severity] },
    properties: {
      tags: ['security', 'kubernetes', ...(meta?.pss ? [`pss-${meta.pss.level}`] : [])],
      'security-severity': SECURITY_SEVERITY[severity],
    },
  }
}

function sarifResult(f: ReportedFinding, ruleIndex: number): object {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${f.message} (${f.resource.kind} ${displayName(f.resource)})` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, endLine: Math.max(f.line, f.endLine) },
        },
        logicalLocations: [{ name: displayName(f.resource), kind: 'resource', fullyQualifiedName: `${f.resource.kind}/${displayName(f.resource)}` }],
      },
    ],
    partialFingerprints: { 'kubeRatchet/v1': f.fingerprint },
    properties: { severity: f.severity, path: f.path, ...(f.container === null ? {} : { container: f.container }) },
    ...(f.fix
      ? {
          fixes: [
            {
              description: { text: f.fix.description },
              artifactChanges: [
                {
                  artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                  // whole lines, line breaks included: from the start of startLine to the start of the next line
                  replacements: f.fix.replacements.map((r) => ({
                    deletedRegion: { startLine: r.startLine, startColumn: 1, endLine: r.endLine + 1, endColumn: 1 },
                    insertedContent: { text: r.text === '' ? '' : `${r.text}\n` },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
  }
}

export function renderSarif(report: Report, context: Pick<MarkdownContext, 'actionRepository'>): string {
  return `${JSON.stringify(toSarif(report, context), null, 2)}\n`
}
