import type { Severity } from '../../model.js'
import { urlPath } from './escape.js'

/** Where rule documentation lives when the action's own repository is not known. */
export const DEFAULT_ACTION_REPOSITORY = 'kube-ratchet/kube-ratchet'
/** Rule pages are read on github.com, whichever server runs the workflow. */
export const DOCS_SERVER_URL = 'https://github.com'

/** GitHub's limit on a check run's summary and text, a review body and a comment body. */
export const GITHUB_TEXT_LIMIT = 65_535

/** What the Markdown needs to know beyond the report: where links point. */
export interface MarkdownContext {
  /** `https://github.com/owner/repo`, or null outside GitHub (the CLI): file locations are not links */
  repositoryUrl: string | null
  /** the repository holding docs/rules/, `owner/name` */
  actionRepository: string
  /** the check run's name, as the review body refers to it */
  checkName: string
}

export function markdownContext(options: Partial<MarkdownContext> = {}): MarkdownContext {
  return {
    repositoryUrl: options.repositoryUrl ?? null,
    actionRepository: options.actionRepository || DEFAULT_ACTION_REPOSITORY,
    checkName: options.checkName ?? 'kube-ratchet',
  }
}

/** The rule's page: docs/rules/<id>.md on the action repository's main branch. */
export function ruleDocsUrl(context: MarkdownContext, ruleId: string): string {
  return `${DOCS_SERVER_URL}/${urlPath(context.actionRepository)}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`
}

/** A link to a line of a file at a commit, or null when there is no repository or commit to link to. */
export function blobUrl(context: MarkdownContext, sha: string | null, file: string, line: number, endLine = line): string | null {
  if (!context.repositoryUrl || !sha) return null
  const anchor = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`
  return `${context.repositoryUrl}/blob/${encodeURIComponent(sha)}/${urlPath(file)}${anchor}`
}

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: '🔴 Critical',
  high: '🟠 High',
  medium: '🟡 Medium',
  low: '🔵 Low',
  info: '⚪ Info',
}
