/** An in-memory GitHubPort and RunnerPort for the bot's logic tests. Not a test file itself. */
import type { PullFile } from '../../src/render/commentable.js'
import type {
  AnnotationProperties,
  CheckOutput,
  CreateCheckInput,
  CreateReviewInput,
  ExistingComment,
  ExistingReview,
  GitHubPort,
  ReviewThread,
  RunnerPort,
} from '../../src/report/ports.js'

/** An error as Octokit throws it: a message and an HTTP status. */
export function httpError(status: number, message = `HTTP ${status}`): Error & { status: number } {
  return Object.assign(new Error(message), { status })
}

export interface Call {
  method: keyof GitHubPort
  args: unknown[]
}

type Behaviour = 'ok' | Error | 'created-then-500'

/**
 * GitHub in memory: one pull request's files, its review comments and threads, reviews and check
 * runs. Faults are queued per method: each call takes the next one ('ok' when none is left).
 */
export class FakeGitHub implements GitHubPort {
  calls: Call[] = []
  files: PullFile[] = []
  comments: ExistingComment[] = []
  threads: ReviewThread[] = []
  reviews: (ExistingReview & { input: CreateReviewInput })[] = []
  checkRuns: { id: number; input: CreateCheckInput; updates: CheckOutput[] }[] = []
  private readonly faults = new Map<keyof GitHubPort, Behaviour[]>()
  private nextId = 1000

  fail(method: keyof GitHubPort, ...behaviours: Behaviour[]): this {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...behaviours])
    return this
  }

  private async step(method: keyof GitHubPort, args: unknown[]): Promise<Behaviour> {
    this.calls.push({ method, args })
    const behaviour = this.faults.get(method)?.shift() ?? 'ok'
    if (behaviour instanceof Error) throw behaviour
    return behaviour
  }

  /** calls per method, in order */
  count(method?: keyof GitHubPort): number {
    return method ? this.calls.filter((c) => c.method === method).length : this.calls.length
  }

  /** A comment by us (or someone else), in a thread of its own. */
  addComment(body: string, user: { login: string; type: string } = { login: 'github-actions[bot]', type: 'Bot' }, resolved = false): ExistingComment {
    const comment: ExistingComment = { id: this.nextId++, body, user, path: 'payments/api.yaml', line: 1 }
    this.comments.push(comment)
    this.threads.push({ id: `PRRT_${comment.id}`, isResolved: resolved, commentIds: [comment.id] })
    return comment
  }

  async listPullFiles(pull: number): Promise<PullFile[]> {
    await this.step('listPullFiles', [pull])
    return this.files
  }

  async listReviewComments(pull: number): Promise<ExistingComment[]> {
    await this.step('listReviewComments', [pull])
    return this.comments
  }

  async listReviews(pull: number): Promise<ExistingReview[]> {
    await this.step('listReviews', [pull])
    return this.reviews
  }

  async createReview(pull: number, review: CreateReviewInput): Promise<{ id: number }> {
    const behaviour = await this.step('createReview', [pull, review])
    const id = this.nextId++
    this.reviews.push({ id, body: review.body, user: { login: 'github-actions[bot]', type: 'Bot' }, commit_id: review.commit_id, input: review })
    for (const c of review.comments) this.addComment(c.body)
    if (behaviour === 'created-then-500') throw httpError(502, 'Bad Gateway')
    return { id }
  }

  async reviewThreads(pull: number): Promise<ReviewThread[]> {
    await this.step('reviewThreads', [pull])
    return this.threads
  }

  async resolveThreads(ids: readonly string[]): Promise<void> {
    await this.step('resolveThreads', [ids])
    for (const t of this.threads) if (ids.includes(t.id)) t.isResolved = true
  }

  async createCheckRun(check: CreateCheckInput): Promise<{ id: number }> {
    const behaviour = await this.step('createCheckRun', [check])
    const id = this.nextId++
    this.checkRuns.push({ id, input: check, updates: [] })
    if (behaviour === 'created-then-500') throw httpError(500)
    return { id }
  }

  async updateCheckRun(id: number, output: CheckOutput): Promise<void> {
    await this.step('updateCheckRun', [id, output])
    this.checkRuns.find((r) => r.id === id)?.updates.push(output)
  }

  async listCheckRuns(headSha: string, name: string): Promise<{ id: number; external_id: string | null }[]> {
    await this.step('listCheckRuns', [headSha, name])
    return this.checkRuns.filter((r) => r.input.head_sha === headSha && r.input.name === name).map((r) => ({ id: r.id, external_id: r.input.external_id }))
  }

  mergeBaseAnswer = 'c'.repeat(40)
  async mergeBase(base: string, head: string): Promise<string> {
    await this.step('mergeBase', [base, head])
    return this.mergeBaseAnswer
  }

  trees = new Map<string, { path: string; mode: string; type: string; sha: string }[]>()
  blobs = new Map<string, string>()
  async getTree(sha: string) {
    await this.step('getTree', [sha])
    const tree = this.trees.get(sha)
    if (!tree) throw httpError(404, 'Not Found')
    return { tree, truncated: false }
  }

  async getBlob(sha: string): Promise<Buffer> {
    await this.step('getBlob', [sha])
    const text = this.blobs.get(sha)
    if (text === undefined) throw httpError(404, 'Not Found')
    return Buffer.from(text)
  }
}

/** The runner in memory. */
export class FakeRunner implements RunnerPort {
  logs: { level: string; message: string }[] = []
  annotations: { level: string; message: string; properties: AnnotationProperties }[] = []
  outputs: Record<string, string> = {}
  summary = ''
  files = new Map<string, string>()

  info(message: string): void {
    this.logs.push({ level: 'info', message })
  }
  warning(message: string): void {
    this.logs.push({ level: 'warning', message })
  }
  debug(message: string): void {
    this.logs.push({ level: 'debug', message })
  }
  annotate(level: 'error' | 'warning' | 'notice', message: string, properties: AnnotationProperties): void {
    this.annotations.push({ level, message, properties })
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value
  }
  async writeSummary(markdown: string): Promise<void> {
    this.summary += markdown
  }
  async writeFile(path: string, content: string): Promise<void> {
    this.files.set(path, content)
  }
}
