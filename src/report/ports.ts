/**
 * The outside world of the pull-request bot, as narrow interfaces: GitHub's API, the local git
 * repository, and the runner (logs, annotations, outputs, files). main.ts builds the real ones;
 * tests inject fakes.
 */
import type { GitDataApi } from '../load/api-source.js'
import type { RevisionSource } from '../load/source.js'
import type { PullFile } from '../render/commentable.js'

export interface ReviewCommentInput {
  path: string
  body: string
  line: number
  side: 'RIGHT'
  start_line?: number
  start_side?: 'RIGHT'
}

export interface CreateReviewInput {
  commit_id: string
  event: 'COMMENT'
  body: string
  comments: ReviewCommentInput[]
}

/** A review comment as `GET /pulls/{n}/comments` lists it (the fields the bot reads). */
export interface ExistingComment {
  id: number
  body: string
  user: { login: string; type: string } | null
  path: string
  line?: number | null
  in_reply_to_id?: number
}

export interface ExistingReview {
  id: number
  body: string | null
  user: { login: string; type: string } | null
  commit_id?: string | null
}

/** A review thread as GraphQL describes it: its node id, state, and its first comment's REST id. */
export interface ReviewThread {
  id: string
  isResolved: boolean
  /** REST ids (databaseId) of the thread's comments, the first being the one that opened it */
  commentIds: number[]
}

export type AnnotationLevel = 'notice' | 'warning' | 'failure'

export interface CheckAnnotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: AnnotationLevel
  message: string
  title?: string
  raw_details?: string
}

export interface CheckOutput {
  title: string
  summary: string
  text?: string
  annotations?: CheckAnnotation[]
}

export interface CreateCheckInput {
  name: string
  head_sha: string
  status: 'completed'
  conclusion: 'success' | 'failure'
  /** identifies this run's check, so a create answered by a 5xx can be found instead of repeated */
  external_id: string
  output: CheckOutput
}

/**
 * GitHub, for one repository. Methods throw the API's errors; an error's `status` (as Octokit's
 * RequestError carries it) tells the bot what happened.
 */
export interface GitHubPort extends GitDataApi {
  listPullFiles(pull: number): Promise<PullFile[]>
  listReviewComments(pull: number): Promise<ExistingComment[]>
  listReviews(pull: number): Promise<ExistingReview[]>
  /** never retried by the client: a 5xx may hide a review that was created */
  createReview(pull: number, review: CreateReviewInput): Promise<{ id: number }>
  /** every review thread of the pull request (GraphQL, paginated) */
  reviewThreads(pull: number): Promise<ReviewThread[]>
  /** resolves threads in one GraphQL mutation */
  resolveThreads(threadIds: readonly string[]): Promise<void>
  /** never retried by the client, for the same reason as createReview */
  createCheckRun(check: CreateCheckInput): Promise<{ id: number }>
  updateCheckRun(id: number, output: CheckOutput): Promise<void>
  /** the check runs of a commit with this name, to find one created by a request answered with a 5xx */
  listCheckRuns(headSha: string, name: string): Promise<{ id: number; external_id: string | null }[]>
  /** the merge base of a three-dot comparison, from the compare API */
  mergeBase(base: string, head: string): Promise<string>
}

/** The repository in the workspace, read-only except for fetching missing commits. */
export interface GitPort {
  /** whether the workspace is a git repository at all */
  available(): Promise<boolean>
  hasCommit(sha: string): Promise<boolean>
  /** `git fetch --depth=1 origin <sha>`; false when git cannot */
  fetchCommit(sha: string): Promise<boolean>
  mergeBase(a: string, b: string): Promise<string | null>
  /**
   * In a shallow clone: fetches the head's history down to where it leaves `baseBranch` on
   * origin (`--shallow-exclude`), and returns the one commit it left from; null when that is
   * not one commit (the branch merged the base branch, or git cannot).
   */
  branchPoint(head: string, baseBranch: string): Promise<string | null>
  /** the commit read as blobs (nothing checked out) */
  source(sha: string, ref: string): RevisionSource
}

export interface AnnotationProperties {
  title: string
  file: string
  startLine: number
  endLine: number
}

/** The runner: logs, workflow-command annotations, step outputs, the job summary, files. */
export interface RunnerPort {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** a workflow-command annotation; the runner's own escaping keeps untrusted text inert */
  annotate(level: 'error' | 'warning' | 'notice', message: string, properties: AnnotationProperties): void
  setOutput(name: string, value: string): void
  /** appends Markdown to the job summary */
  writeSummary(markdown: string): Promise<void>
  writeFile(path: string, content: string): Promise<void>
}

/** The HTTP status of an API error, or undefined for anything else (a network failure). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status
    if (typeof status === 'number') return status
  }
  return undefined
}

/** A short description of an error, safe to log: never a request's headers. */
export function describeError(error: unknown): string {
  const status = statusOf(error)
  const message = error instanceof Error ? error.message : String(error)
  return status === undefined ? message : `HTTP ${status}: ${message}`
}
