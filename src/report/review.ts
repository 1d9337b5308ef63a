import type { ReportedFinding } from '../model.js'
import { CommentableDiff } from '../render/commentable.js'
import type { MarkdownContext } from '../render/markdown/context.js'
import { fingerprintOf, planReview, reviewBody, reviewMarker, type InlineComment, type ReviewPlan } from '../render/markdown/review.js'
import { token } from '../render/markdown/escape.js'
import { describeError, statusOf, type CreateReviewInput, type ExistingComment, type GitHubPort, type ReviewCommentInput, type RunnerPort } from './ports.js'

export interface ReviewRequest {
  pull: number
  headSha: string
  runToken: string
  findings: readonly ReportedFinding[]
  context: MarkdownContext
}

export interface ReviewOutcome {
  /** what happened to the review: posted, nothing to post, or why it could not be */
  status: 'posted' | 'nothing-new' | 'forbidden' | 'failed'
  /** inline comments posted (0 when GitHub refused them and the review was posted without) */
  inline: number
  /** findings listed in the review body */
  listed: number
  /** threads of fixed findings resolved */
  resolved: number
  plan: ReviewPlan | null
}

/**
 * One review per run, only when there is something new to say: comments on the lines the pull
 * request changed, each finding once across runs (the marker in our comments carries its
 * fingerprint), and the threads of findings that are gone resolved. Never throws: every
 * failure ends in an outcome the caller turns into annotations.
 */
export async function publishReview(github: GitHubPort, request: ReviewRequest, out: RunnerPort): Promise<ReviewOutcome> {
  const outcome: ReviewOutcome = { status: 'nothing-new', inline: 0, listed: 0, resolved: 0, plan: null }
  let diff: CommentableDiff
  let comments: ExistingComment[]
  try {
    ;[diff, comments] = await Promise.all([
      github.listPullFiles(request.pull).then((files) => CommentableDiff.fromPullFiles(files)),
      github.listReviewComments(request.pull),
    ])
  } catch (error) {
    // Without the earlier comments a review could repeat them: the check run carries the findings.
    out.warning(`Could not read the pull request's files and comments (${describeError(error)}): no review is posted.`)
    return { ...outcome, status: isForbidden(error) ? 'forbidden' : 'failed' }
  }

  const ours = comments.filter(isOurs)
  const current = new Set(request.findings.filter((f) => f.status === 'new').map((f) => f.fingerprint))
  outcome.resolved = await resolveStale(github, request.pull, ours.filter((c) => !current.has(fingerprintOf(c.body) ?? '')), out)

  const plan = planReview(request.findings, diff, request.context, { commented: new Set(ours.map((c) => fingerprintOf(c.body) ?? '')) })
  outcome.plan = plan
  if (plan.comments.length === 0) {
    out.info(
      plan.alreadyCommented.length > 0
        ? `No review: the ${plan.alreadyCommented.length} new findings on changed lines were commented on by an earlier run.`
        : 'No review: nothing new to comment on in the changed lines.',
    )
    return outcome
  }

  const review: CreateReviewInput = {
    commit_id: request.headSha,
    event: 'COMMENT',
    body: reviewBody(request.context, {
      headSha: request.headSha,
      runToken: request.runToken,
      listed: plan.overflow,
      inline: plan.comments.length,
      outside: plan.outside.length,
    }),
    comments: plan.comments.map(toReviewComment),
  }
  let result = await createOnce(github, request, review, out)
  if (result === 'rejected') {
    // GitHub refuses the whole review for one comment it will not place: post it again with
    // every finding in the body, so none is lost.
    out.warning('GitHub refused the inline comments (422): posting the review with the findings in its body.')
    const listed = [...plan.comments.map((c) => c.finding), ...plan.overflow]
    result = await createOnce(
      github,
      request,
      {
        ...review,
        comments: [],
        body: reviewBody(request.context, {
          headSha: request.headSha,
          runToken: request.runToken,
          listed,
          inline: 0,
          outside: plan.outside.length,
          refused: true,
        }),
      },
      out,
    )
    if (result === 'created') return { ...outcome, status: 'posted', inline: 0, listed: listed.length }
  } else if (result === 'created') {
    return { ...outcome, status: 'posted', inline: plan.comments.length, listed: plan.overflow.length }
  }
  return { ...outcome, status: result === 'forbidden' ? 'forbidden' : 'failed' }
}

/** A comment this bot wrote: by a bot account, carrying our fingerprint marker, not a reply. */
function isOurs(comment: ExistingComment): boolean {
  return comment.user?.type === 'Bot' && fingerprintOf(comment.body) !== null && comment.in_reply_to_id == null
}

function toReviewComment(comment: InlineComment): ReviewCommentInput {
  return {
    path: comment.path,
    body: comment.body,
    line: comment.line,
    side: 'RIGHT',
    ...(comment.startLine !== null && comment.startLine < comment.line ? { start_line: comment.startLine, start_side: 'RIGHT' as const } : {}),
  }
}

type CreateResult = 'created' | 'rejected' | 'forbidden' | 'failed'

/**
 * Creates the review. After a 5xx (or no answer at all) the review may exist anyway: the
 * reviews are listed and searched for this run's marker before it is posted once more.
 */
async function createOnce(github: GitHubPort, request: ReviewRequest, review: CreateReviewInput, out: RunnerPort): Promise<CreateResult> {
  try {
    await github.createReview(request.pull, review)
    return 'created'
  } catch (error) {
    const status = statusOf(error)
    if (status === 422) return 'rejected'
    if (isForbidden(error)) {
      out.warning(`The token may not review this pull request (${describeError(error)}).`)
      return 'forbidden'
    }
    if (status !== undefined && status < 500) {
      out.warning(`Could not post the review (${describeError(error)}).`)
      return 'failed'
    }
    out.warning(`Posting the review failed (${describeError(error)}): checking whether GitHub created it anyway.`)
  }
  try {
    const reviews = await github.listReviews(request.pull)
    const marker = reviewMarker(request.headSha)
    const runMarker = `<!-- kube-ratchet:run=${token(request.runToken)} -->`
    if (reviews.some((r) => r.body?.includes(marker) && r.body.includes(runMarker))) {
      out.info('The review was created despite the error.')
      return 'created'
    }
  } catch (error) {
    // Not knowing whether it exists, posting again could duplicate it.
    out.warning(`Could not list the reviews (${describeError(error)}): the review is not posted again.`)
    return 'failed'
  }
  try {
    await github.createReview(request.pull, review)
    return 'created'
  } catch (error) {
    out.warning(`Posting the review failed again (${describeError(error)}).`)
    if (statusOf(error) === 422) return 'rejected'
    return isForbidden(error) ? 'forbidden' : 'failed'
  }
}

/**
 * Resolves the review threads our comments opened for findings that are gone: one query maps
 * comments to threads, one mutation resolves the open ones. People's comments are never touched,
 * and nothing is deleted. Returns how many threads were resolved; failures are only logged.
 */
async function resolveStale(github: GitHubPort, pull: number, stale: readonly ExistingComment[], out: RunnerPort): Promise<number> {
  if (stale.length === 0) return 0
  try {
    const ids = new Set(stale.map((c) => c.id))
    const threads = await github.reviewThreads(pull)
    const open = threads.filter((t) => !t.isResolved && t.commentIds[0] !== undefined && ids.has(t.commentIds[0])).map((t) => t.id)
    if (open.length === 0) return 0
    await github.resolveThreads(open)
    out.info(`Resolved ${open.length} review ${open.length === 1 ? 'thread' : 'threads'} of findings this change no longer has.`)
    return open.length
  } catch (error) {
    out.warning(`Could not resolve the threads of fixed findings (${describeError(error)}).`)
    return 0
  }
}

/** 403 (read-only token, fork pull requests) or 404 (a token that cannot see the pull request). */
export function isForbidden(error: unknown): boolean {
  const status = statusOf(error)
  return status === 403 || status === 404 || status === 401
}
