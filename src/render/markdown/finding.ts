import { displayName } from '../../extract/identity.js'
import type { ReportedFinding } from '../../model.js'
import { RULES } from '../../rules/index.js'
import { code, escapeText, link } from './escape.js'
import { blobUrl, ruleDocsUrl, SEVERITY_LABEL, type MarkdownContext } from './context.js'

const DESCRIPTIONS = new Map(RULES.map((r) => [r.meta.id, r.meta.description]))

/** Why the rule matters, in one sentence of our own (trusted) Markdown, or '' for an unknown rule. */
export function ruleWhy(ruleId: string): string {
  return DESCRIPTIONS.get(ruleId) ?? ''
}

/** `` [`pss-privileged`](…/docs/rules/pss-privileged.md) `` */
export function ruleLink(context: MarkdownContext, ruleId: string, options: { inTable?: boolean } = {}): string {
  return link(code(ruleId, options), ruleDocsUrl(context, ruleId))
}

/** `Deployment payments/api, container tcpdump`, escaped. */
export function objectText(finding: Pick<ReportedFinding, 'resource' | 'container'>): string {
  const object = `${escapeText(finding.resource.kind)} ${escapeText(displayName(finding.resource))}`
  return finding.container === null ? object : `${object}, container ${escapeText(finding.container)}`
}

/** `payments/api.yaml:57` as a link to the line at the revision the finding was seen in. */
export function locationText(context: MarkdownContext, finding: ReportedFinding, sha: string | null): string {
  const text = escapeText(`${finding.file}:${finding.line}`)
  const url = blobUrl(context, sha, finding.file, finding.line, finding.endLine)
  return url ? link(text, url) : text
}

export function severityText(finding: Pick<ReportedFinding, 'severity'>): string {
  return SEVERITY_LABEL[finding.severity]
}
