import type { Report } from '../model.js'
import type { CommentableDiff } from './commentable.js'
import { checkSummary } from './markdown/check.js'
import type { MarkdownContext } from './markdown/context.js'
import { escapeText } from './markdown/escape.js'
import { planReview, reviewBody } from './markdown/review.js'

export { checkSummary, checkTitle } from './markdown/check.js'
export { markdownContext, type MarkdownContext } from './markdown/context.js'
export { commentBody, planReview, reviewBody, type InlineComment, type ReviewPlan } from './markdown/review.js'

/**
 * What the action would post, as one Markdown document (`kube-ratchet diff --format markdown`):
 * the check run's title and summary, then the review: its body and each inline comment with the
 * lines it would sit on. Rendered by the same functions the action uses.
 */
export function renderMarkdown(report: Report, diff: CommentableDiff, context: MarkdownContext): string {
  const parts = [`# Check run: ${escapeText(context.checkName)}`, checkSummary(report, context).trimEnd()]
  const plan = planReview(report.findings, diff, context)
  if (plan.comments.length > 0) {
    parts.push('---', '# Review')
    const headSha = report.head.sha ?? 'HEAD'
    parts.push(
      reviewBody(context, {
        headSha,
        runToken: 'local',
        listed: plan.overflow,
        inline: plan.comments.length,
        outside: plan.outside.length,
      }),
    )
    for (const comment of plan.comments) {
      const lines = comment.startLine === null ? `line ${comment.line}` : `lines ${comment.startLine}–${comment.line}`
      parts.push('---', `## Comment on ${escapeText(comment.path)}, ${lines}`, comment.body)
    }
  } else {
    parts.push('---', '_No review: nothing new to comment on in the changed lines._')
  }
  return `${parts.join('\n\n')}\n`
}
