/**
 * A fake GitHub API for end-to-end tests of the action: an HTTP server on 127.0.0.1 (port 0,
 * never another address) with in-memory state for one repository and one pull request.
 *
 * - Every REST request is checked against GitHub's official OpenAPI description
 *   (@octokit/openapi): the path template and method must exist, query parameters must be known,
 *   JSON bodies must fit the requestBody schema, unknown keys rejected. Invalid requests get the
 *   answer GitHub gives (404 or 422) and are recorded in `violations`.
 * - GraphQL requests are validated against GitHub's published schema (@octokit/graphql-schema).
 * - Like GitHub, a review is refused whole (422) when one of its comments is not on a line of the
 *   diff (RIGHT or LEFT side as asked) or its start_line..line spans two hunks.
 * - Every request is recorded (method, path, query, body, headers without authorization).
 * - Faults can be injected per method and path: 5xx, secondary rate limits with retry-after, 422,
 *   read-only tokens, and "do it, then answer 502".
 * - Files, patches, trees, blobs and merge bases come from a real local git repository.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  diffFiles,
  diffHunkFor,
  git,
  gitBuffer,
  mergeBase,
  objectType,
  positionOf,
  resolveCommit,
  resolveTree,
  sideHunks,
  treeEntries,
  tryGit,
  type DiffFile,
} from './git.js'
import { connection, githubError, runGraphql, type ConnectionArgs } from './graphql.js'
import { openApi, type RouteMatch } from './openapi.js'

// ---------------------------------------------------------------------------------------------
// Public types

export interface Account {
  login: string
  id: number
  type: 'User' | 'Bot' | 'Organization'
}

/** The identity of the workflow's GITHUB_TOKEN: REST spells it `github-actions[bot]`, GraphQL `github-actions`. */
export const BOT: Account = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
export const AUTHOR: Account = { login: 'pr-author', id: 5001, type: 'User' }
export const REVIEWER: Account = { login: 'security-lead', id: 5002, type: 'User' }

export interface PullSpec {
  number: number
  /** base branch name and its tip at the time of the event */
  baseRef: string
  baseSha: string
  headRef: string
  headSha: string
  title?: string
  user?: Account
}

export interface FakeGitHubOptions {
  /** the repository whose commits the fake serves (patches, trees, blobs) */
  repoDir: string
  token: string
  owner?: string
  repo?: string
  pull?: PullSpec | null
  /** '' for github.com (the default), '/api/v3' for GitHub Enterprise Server */
  basePath?: '' | '/api/v3'
  /** writes answer 403 "Resource not accessible by integration" (a fork's read-only token) */
  readOnly?: boolean
}

export interface RecordedRequest {
  seq: number
  /** milliseconds since the server started */
  at: number
  method: string
  /** the path without the API prefix and without the query */
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  /** parsed JSON, or the raw text when it is not JSON, or undefined without a body */
  body: unknown
  /** `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`, `graphql query`, `graphql mutation`, or null when unknown */
  operation: string | null
  /** graphql: the root fields (`repository`, `resolveReviewThread`, …) */
  graphqlFields?: string[]
  status: number
  /** a fault answered this request */
  fault?: string
}

export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown; after?: false }
  /** perform the request, then answer `status` (the client sees a failure that in fact succeeded) */
  | { status: number; headers?: Record<string, string>; body?: unknown; after: true }

export const FAULTS = {
  serverError: (status = 500): Fault => ({ status, body: { message: 'Server Error' } }),
  badGateway: (): Fault => ({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }),
  secondaryRateLimit: (retryAfterSeconds = 1): Fault => ({
    status: 403,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4990' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
      documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '403',
    },
  }),
  unprocessable: (errors: unknown[] = ['Pull request review thread line must be part of the diff']): Fault => ({
    status: 422,
    body: { message: 'Unprocessable Entity', errors, documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request', status: '422' },
  }),
  readOnly: (): Fault => ({ status: 403, body: READ_ONLY_BODY }),
  createdThenBadGateway: (): Fault => ({ status: 502, after: true, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }),
}

const READ_ONLY_BODY = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest',
  status: '403',
}

export interface ReviewComment {
  id: number
  node_id: string
  pull_request_review_id: number | null
  user: Account
  body: string
  path: string
  commit_id: string
  original_commit_id: string
  line: number | null
  original_line: number
  start_line: number | null
  original_start_line: number | null
  side: 'LEFT' | 'RIGHT'
  start_side: 'LEFT' | 'RIGHT' | null
  position: number | null
  original_position: number
  diff_hunk: string
  in_reply_to_id?: number
  created_at: string
  updated_at: string
  threadId: string
  deleted?: boolean
  minimized?: string
}

export interface ReviewThread {
  id: string
  commentIds: number[]
  isResolved: boolean
  resolvedBy: Account | null
}

export interface Review {
  id: number
  node_id: string
  user: Account
  body: string
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'PENDING' | 'DISMISSED'
  commit_id: string
  submitted_at: string | null
  commentIds: number[]
}

export interface Annotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title?: string
  raw_details?: string
}

export interface CheckRun {
  id: number
  node_id: string
  name: string
  head_sha: string
  status: string
  conclusion: string | null
  started_at: string | null
  completed_at: string | null
  external_id: string | null
  details_url: string | null
  output: { title: string | null; summary: string | null; text: string | null }
  annotations: Annotation[]
  /** every create/update body, in order */
  updates: unknown[]
}

// ---------------------------------------------------------------------------------------------
// The server

interface Handled {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** raw bytes or text instead of JSON */
  raw?: Buffer | string
  contentType?: string
}

interface Route {
  req: IncomingMessage
  url: URL
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  accept: string
}

type Handler = (route: Route) => Handled | Promise<Handled>

export class FakeGitHub {
  readonly owner: string
  readonly repo: string
  readonly token: string
  readonly repoDir: string
  readonly basePath: string
  readOnly: boolean

  pull: PullSpec | null
  readonly requests: RecordedRequest[] = []
  /** requests that GitHub would refuse, or that the fake does not know: must stay empty */
  readonly violations: string[] = []
  readonly reviews: Review[] = []
  readonly comments: ReviewComment[] = []
  readonly threads: ReviewThread[] = []
  readonly checkRuns: CheckRun[] = []
  /** GraphQL mutations applied, in order */
  readonly mutations: { name: string; input: Record<string, unknown> }[] = []

  private server: Server | null = null
  private port = 0
  private started = 0
  private seq = 0
  private nextId = 1000
  private readonly faults: { method: string; pattern: string | RegExp; queue: Fault[] }[] = []
  private readonly handlers = new Map<string, Handler>()
  private filesCache: { key: string; files: DiffFile[] } | null = null
  /** commits GitHub knows as part of the pull request over time (old heads keep comments valid) */
  private readonly pullCommits = new Set<string>()

  constructor(options: FakeGitHubOptions) {
    this.repoDir = options.repoDir
    this.token = options.token
    this.owner = options.owner ?? 'acme'
    this.repo = options.repo ?? 'shop'
    this.pull = options.pull ?? null
    this.basePath = options.basePath ?? ''
    this.readOnly = options.readOnly ?? false
    if (this.pull) this.pullCommits.add(this.pull.headSha)
    this.registerHandlers()
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.violations.push(`fake server crashed on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ message: 'fake server error' }))
      })
    })
    server.keepAliveTimeout = 1000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: '127.0.0.1', port: 0 }, () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
    this.started = Date.now()
    return this
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = null
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** The origin, http://127.0.0.1:PORT */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get listenPort(): number {
    return this.port
  }

  /** GITHUB_API_URL */
  get apiUrl(): string {
    return `${this.origin}${this.basePath}`
  }

  /** GITHUB_GRAPHQL_URL */
  get graphqlUrl(): string {
    return this.basePath === '/api/v3' ? `${this.origin}/api/graphql` : `${this.origin}/graphql`
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`
  }

  // -------------------------------------------------------------------------------------------
  // Test hooks

  /**
   * Queues faults for requests whose method matches and whose operation template
   * (`/repos/{owner}/{repo}/pulls/{pull_number}/reviews`), path or `graphql` matches `pattern`
   * (a string is compared for equality with the template or the path; a RegExp is tested on both).
   */
  inject(method: string, pattern: string | RegExp, ...faults: Fault[]): void {
    this.faults.push({ method: method.toUpperCase(), pattern, queue: [...faults] })
  }

  /** Faults still queued (a test can assert they were all consumed). */
  pendingFaults(): { method: string; pattern: string; left: number }[] {
    return this.faults.filter((f) => f.queue.length > 0).map((f) => ({ method: f.method, pattern: String(f.pattern), left: f.queue.length }))
  }

  /** Moves the pull request to a new head (the author pushed): comments are re-anchored or outdated. */
  updatePull(changes: Partial<PullSpec>): void {
    if (!this.pull) throw new Error('no pull request')
    this.pull = { ...this.pull, ...changes }
    this.pullCommits.add(this.pull.headSha)
    this.filesCache = null
    const files = this.pullFiles()
    for (const comment of this.comments) {
      if (comment.commit_id === this.pull.headSha) continue
      const file = files.find((f) => f.filename === comment.path)
      const oldText = comment.line === null ? null : lineAt(this.repoDir, comment.commit_id, comment.path, comment.line)
      const newText = comment.line === null ? null : lineAt(this.repoDir, this.pull.headSha, comment.path, comment.line)
      const inDiff = comment.line !== null && sideHunks(file?.patch, comment.side).some((h) => h.includes(comment.line as number))
      if (oldText !== null && oldText === newText && inDiff) {
        comment.commit_id = this.pull.headSha
        comment.position = positionOf(file?.patch, comment.line as number, comment.side)
      } else {
        comment.line = null
        comment.start_line = null
        comment.position = null
      }
    }
  }

  /** Adds a comment by someone (a person by default) directly, as the web UI would. */
  addComment(options: { path: string; line: number; body: string; user?: Account; side?: 'LEFT' | 'RIGHT'; inReplyTo?: number }): ReviewComment {
    const pull = this.requirePull()
    const review = this.addReview({ user: options.user ?? REVIEWER, body: '', state: 'COMMENTED', commitId: pull.headSha })
    const parent = options.inReplyTo === undefined ? undefined : this.comments.find((c) => c.id === options.inReplyTo)
    const comment = this.createComment({
      reviewId: review.id,
      user: options.user ?? REVIEWER,
      body: options.body,
      path: parent?.path ?? options.path,
      line: parent?.line ?? options.line,
      startLine: null,
      side: parent?.side ?? options.side ?? 'RIGHT',
      startSide: null,
      commitId: pull.headSha,
      ...(parent ? { inReplyTo: parent.id } : {}),
    })
    review.commentIds.push(comment.id)
    return comment
  }

  /** Requests that are not pagination (page ≥ 2, or a GraphQL `after` cursor). */
  calls(): RecordedRequest[] {
    return this.requests.filter((r) => !isPaginationRequest(r))
  }

  /** Requests for one operation (`POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`), or by a predicate. */
  requestsFor(operation: string | ((r: RecordedRequest) => boolean)): RecordedRequest[] {
    return this.requests.filter(typeof operation === 'string' ? (r) => r.operation === operation : operation)
  }

  threadOf(commentId: number): ReviewThread | undefined {
    const comment = this.comments.find((c) => c.id === commentId)
    return comment && this.threads.find((t) => t.id === comment.threadId)
  }

  /** The pull request's files as GitHub lists them (merge base of base and head .. head). */
  pullFiles(): DiffFile[] {
    const pull = this.requirePull()
    const key = `${pull.baseSha}..${pull.headSha}`
    if (this.filesCache?.key !== key) {
      this.filesCache = { key, files: diffFiles(this.repoDir, mergeBase(this.repoDir, pull.baseSha, pull.headSha), pull.headSha) }
    }
    return this.filesCache.files
  }

  // -------------------------------------------------------------------------------------------
  // Request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin)
    const raw = await readBody(req)
    const method = (req.method ?? 'GET').toUpperCase()
    let body: unknown
    let bodyPresent = raw.length > 0
    let bodyIsJson = true
    if (bodyPresent) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        body = raw.toString('utf8')
        bodyIsJson = false
      }
    }
    const record: RecordedRequest = {
      seq: ++this.seq,
      at: Date.now() - this.started,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: recordedHeaders(req.headers),
      body,
      operation: null,
      status: 0,
    }
    this.requests.push(record)
    const send = (handled: Handled): void => {
      record.status = handled.status
      writeResponse(res, handled)
    }

    // Authentication, as GitHub: a token in `authorization: token …` or `Bearer …`.
    const auth = req.headers.authorization ?? ''
    const m = /^(token|bearer)\s+(.+)$/i.exec(auth)
    if (!m || m[2] !== this.token) {
      this.violations.push(`${method} ${url.pathname}: ${auth ? 'wrong token' : 'no authorization header'}`)
      send({ status: 401, body: { message: auth ? 'Bad credentials' : 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' } })
      return
    }

    // GraphQL
    const graphqlPath = this.basePath === '/api/v3' ? '/api/graphql' : '/graphql'
    if (url.pathname === graphqlPath) {
      record.operation = 'graphql'
      if (method !== 'POST') {
        this.violations.push(`${method} ${url.pathname}: GraphQL takes POST`)
        send({ status: 404, body: { message: 'Not Found' } })
        return
      }
      await this.handleGraphql(record, body, bodyIsJson, send)
      return
    }

    if (this.basePath && !url.pathname.startsWith(`${this.basePath}/`)) {
      this.violations.push(`${method} ${url.pathname}: outside the API prefix ${this.basePath}`)
      send({ status: 404, body: { message: 'Not Found' } })
      return
    }
    const path = url.pathname.slice(this.basePath.length)
    record.path = path
    const api = openApi()
    const found = api.lookup(method, path)
    if (found.kind !== 'ok') {
      this.violations.push(
        found.kind === 'no-path' ? `${method} ${path}: no such path in GitHub's REST API` : `${method} ${path}: the path takes ${found.methods.join(', ')}, not ${method}`,
      )
      send({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } })
      return
    }
    const match: RouteMatch = found.match
    const operation = `${match.operation.method} ${match.operation.template}`
    record.operation = operation
    for (const problem of api.checkParameters(match, url.searchParams)) this.violations.push(`${operation}: ${problem}`)
    if (bodyPresent && !bodyIsJson) {
      this.violations.push(`${operation}: the body is not JSON`)
      send({ status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' } })
      return
    }
    if (method === 'GET' && bodyPresent) bodyPresent = false
    const bodyProblems = api.checkBody(match, body, bodyPresent)
    if (bodyProblems.length > 0) {
      for (const problem of bodyProblems) this.violations.push(`${operation}: ${problem}`)
      send({
        status: 422,
        body: { message: `Invalid request.\n\n${bodyProblems.join('\n')}`, documentation_url: 'https://docs.github.com/rest', status: '422' },
      })
      return
    }
    if (match.params.owner !== undefined && (match.params.owner !== this.owner || match.params.repo !== this.repo)) {
      this.violations.push(`${operation}: repository ${match.params.owner}/${match.params.repo} is not ${this.fullName}`)
      send({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } })
      return
    }

    const fault = this.takeFault(method, match.operation.template, path)
    if (fault && !fault.after) {
      record.fault = `${fault.status}`
      send({ status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) })
      return
    }
    if (this.readOnly && method !== 'GET' && method !== 'HEAD') {
      record.fault = 'read-only'
      send({ status: 403, body: READ_ONLY_BODY })
      return
    }
    const handler = this.handlers.get(operation)
    if (!handler) {
      this.violations.push(`${operation}: not emulated by the fake GitHub (add a handler if the action really needs it)`)
      send({ status: 501, body: { message: `fake GitHub does not emulate ${operation}` } })
      return
    }
    const handled = await handler({ req, url, params: match.params, query: url.searchParams, body, accept: String(req.headers.accept ?? '') })
    if (fault?.after) {
      record.fault = `${fault.status} after success (${handled.status})`
      send({ status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) })
      return
    }
    send(handled)
  }

  private takeFault(method: string, template: string, path: string): Fault | undefined {
    for (const entry of this.faults) {
      if (entry.queue.length === 0 || entry.method !== method) continue
      const hit = typeof entry.pattern === 'string' ? entry.pattern === template || entry.pattern === path : entry.pattern.test(template) || entry.pattern.test(path)
      if (hit) return entry.queue.shift()
    }
    return undefined
  }

  private async handleGraphql(record: RecordedRequest, body: unknown, isJson: boolean, send: (h: Handled) => void): Promise<void> {
    if (!isJson || typeof body !== 'object' || body === null) {
      this.violations.push('graphql: the body is not a JSON object')
      send({ status: 400, body: { message: 'Problems parsing JSON' } })
      return
    }
    for (const key of Object.keys(body)) {
      if (!['query', 'variables', 'operationName'].includes(key)) this.violations.push(`graphql: unknown key "${key}" in the request body`)
    }
    const request = body as { query?: unknown; variables?: unknown; operationName?: unknown }
    const isMutation = typeof request.query === 'string' && /^\s*mutation\b/.test(request.query.replace(/^\s*#.*$/gm, ''))
    const fault = this.takeFault('POST', isMutation ? 'graphql mutation' : 'graphql query', 'graphql') ?? this.takeFault('POST', 'graphql', 'graphql')
    if (fault && !fault.after) {
      record.fault = `${fault.status}`
      record.operation = isMutation ? 'graphql mutation' : 'graphql query'
      send({ status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) })
      return
    }
    const outcome = await runGraphql(request, this.graphqlRoot())
    if (outcome.operation) {
      record.operation = `graphql ${outcome.operation.type}`
      record.graphqlFields = outcome.operation.fields
    }
    for (const problem of outcome.invalid) this.violations.push(`graphql: ${problem}`)
    if (fault?.after) {
      record.fault = `${fault.status} after success`
      send({ status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) })
      return
    }
    send({ status: outcome.status, body: outcome.body })
  }

  // -------------------------------------------------------------------------------------------
  // REST handlers

  private registerHandlers(): void {
    const on = (operation: string, handler: Handler): void => {
      this.handlers.set(operation, handler)
    }
    const R = '/repos/{owner}/{repo}'

    on(`GET ${R}`, () => ({ status: 200, body: this.repositoryJson() }))

    on(`GET ${R}/pulls/{pull_number}`, (r) => {
      const pull = this.findPull(r.params.pull_number)
      if (!pull) return notFound()
      if (/application\/vnd\.github(\.v3)?\.diff/.test(r.accept)) {
        return { status: 200, raw: git(this.repoDir, 'diff', '--no-color', mergeBase(this.repoDir, pull.baseSha, pull.headSha), pull.headSha), contentType: 'text/plain; charset=utf-8' }
      }
      return { status: 200, body: this.pullJson() }
    })

    on(`GET ${R}/pulls/{pull_number}/files`, (r) => {
      if (!this.findPull(r.params.pull_number)) return notFound()
      return this.paginate(r, this.pullFiles().slice(0, 3000).map((f) => this.fileJson(f)))
    })

    on(`GET ${R}/pulls/{pull_number}/comments`, (r) => {
      if (!this.findPull(r.params.pull_number)) return notFound()
      const list = this.visibleComments()
      if (r.query.get('direction') === 'desc') list.reverse()
      return this.paginate(r, list.map((c) => this.commentJson(c)))
    })

    on(`GET ${R}/pulls/comments/{comment_id}`, (r) => {
      const comment = this.findComment(r.params.comment_id)
      return comment ? { status: 200, body: this.commentJson(comment) } : notFound()
    })

    on(`PATCH ${R}/pulls/comments/{comment_id}`, (r) => {
      const comment = this.findComment(r.params.comment_id)
      if (!comment) return notFound()
      comment.body = (r.body as { body: string }).body
      comment.updated_at = now()
      return { status: 200, body: this.commentJson(comment) }
    })

    on(`DELETE ${R}/pulls/comments/{comment_id}`, (r) => {
      const comment = this.findComment(r.params.comment_id)
      if (!comment) return notFound()
      comment.deleted = true
      return { status: 204 }
    })

    on(`POST ${R}/pulls/{pull_number}/comments/{comment_id}/replies`, (r) => {
      const pull = this.findPull(r.params.pull_number)
      const parent = this.findComment(r.params.comment_id)
      if (!pull || !parent) return notFound()
      const reply = this.createComment({
        reviewId: null,
        user: BOT,
        body: (r.body as { body: string }).body,
        path: parent.path,
        line: parent.line ?? parent.original_line,
        startLine: null,
        side: parent.side,
        startSide: null,
        commitId: pull.headSha,
        inReplyTo: parent.id,
      })
      return { status: 201, body: this.commentJson(reply) }
    })

    on(`GET ${R}/pulls/{pull_number}/reviews`, (r) => {
      if (!this.findPull(r.params.pull_number)) return notFound()
      return this.paginate(r, this.reviews.filter((x) => x.state !== 'PENDING' || x.user.login === BOT.login).map((x) => this.reviewJson(x)))
    })

    on(`GET ${R}/pulls/{pull_number}/reviews/{review_id}`, (r) => {
      const review = this.reviews.find((x) => String(x.id) === r.params.review_id)
      return review ? { status: 200, body: this.reviewJson(review) } : notFound()
    })

    on(`GET ${R}/pulls/{pull_number}/reviews/{review_id}/comments`, (r) => {
      const review = this.reviews.find((x) => String(x.id) === r.params.review_id)
      if (!review) return notFound()
      return this.paginate(r, this.visibleComments().filter((c) => c.pull_request_review_id === review.id).map((c) => this.commentJson(c)))
    })

    on(`POST ${R}/pulls/{pull_number}/reviews`, (r) => this.createReview(r))

    on(`POST ${R}/check-runs`, (r) => this.createCheckRun(r.body as CheckRunBody))
    on(`PATCH ${R}/check-runs/{check_run_id}`, (r) => this.updateCheckRun(r.params.check_run_id as string, r.body as CheckRunBody))
    on(`GET ${R}/check-runs/{check_run_id}`, (r) => {
      const run = this.checkRuns.find((c) => String(c.id) === r.params.check_run_id)
      return run ? { status: 200, body: this.checkRunJson(run) } : notFound()
    })
    on(`GET ${R}/check-runs/{check_run_id}/annotations`, (r) => {
      const run = this.checkRuns.find((c) => String(c.id) === r.params.check_run_id)
      return run ? this.paginate(r, run.annotations.map((a) => ({ ...a, blob_href: '', start_column: a.start_column ?? null, end_column: a.end_column ?? null, title: a.title ?? null, raw_details: a.raw_details ?? null }))) : notFound()
    })
    on(`GET ${R}/commits/{ref}/check-runs`, (r) => {
      const sha = resolveCommit(this.repoDir, r.params.ref as string)
      if (!sha) return unprocessable([`No commit found for SHA: ${r.params.ref}`])
      let runs = this.checkRuns.filter((c) => c.head_sha === sha)
      const name = r.query.get('check_name')
      if (name) runs = runs.filter((c) => c.name === name)
      const status = r.query.get('status')
      if (status) runs = runs.filter((c) => c.status === status)
      if (r.query.get('filter') !== 'all') {
        const latest = new Map<string, CheckRun>()
        for (const run of runs) latest.set(run.name, run)
        runs = [...latest.values()]
      }
      const page = this.paginate(r, runs.map((c) => this.checkRunJson(c)))
      return { ...page, body: { total_count: runs.length, check_runs: page.body } }
    })

    const compare = (r: Route): Handled => {
      const spec = r.params.basehead ?? `${r.params.base}...${r.params.head}`
      const m = /^(.+?)(\.\.\.?)(.+)$/.exec(spec)
      if (!m) return notFound()
      const base = resolveCommit(this.repoDir, m[1] as string)
      const head = resolveCommit(this.repoDir, m[3] as string)
      if (!base || !head) return notFound()
      const mb = tryGit(this.repoDir, 'merge-base', base, head)?.trim() ?? null
      const from = m[2] === '...' ? mb : base
      if (!from) return notFound()
      const commits = git(this.repoDir, 'rev-list', '--reverse', `${from}..${head}`).split('\n').filter(Boolean)
      const behind = mb ? git(this.repoDir, 'rev-list', '--count', `${mb}..${base}`).trim() : '0'
      const page = this.paginate(r, commits.map((sha) => this.commitJson(sha)))
      const first = Number(r.query.get('page') ?? '1') <= 1
      return {
        ...page,
        body: {
          url: `${this.apiUrl}/repos/${this.fullName}/compare/${spec}`,
          html_url: `https://github.com/${this.fullName}/compare/${spec}`,
          permalink_url: `https://github.com/${this.fullName}/compare/${this.owner}:${base}...${this.owner}:${head}`,
          diff_url: `https://github.com/${this.fullName}/compare/${spec}.diff`,
          patch_url: `https://github.com/${this.fullName}/compare/${spec}.patch`,
          base_commit: this.commitJson(base),
          merge_base_commit: mb ? this.commitJson(mb) : null,
          status: Number(behind) === 0 ? (commits.length === 0 ? 'identical' : 'ahead') : commits.length === 0 ? 'behind' : 'diverged',
          ahead_by: commits.length,
          behind_by: Number(behind),
          total_commits: commits.length,
          commits: page.body,
          ...(first ? { files: diffFiles(this.repoDir, from, head).slice(0, 300).map((f) => this.fileJson(f)) } : {}),
        },
      }
    }
    on(`GET ${R}/compare/{basehead}`, compare)
    on(`GET ${R}/compare/{base}...{head}`, compare)

    on(`GET ${R}/commits/{ref}`, (r) => {
      const sha = resolveCommit(this.repoDir, r.params.ref as string)
      if (!sha) return unprocessable([`No commit found for SHA: ${r.params.ref}`])
      const parent = tryGit(this.repoDir, 'rev-parse', '--verify', '--quiet', `${sha}^`)?.trim()
      const files = parent ? diffFiles(this.repoDir, parent, sha) : []
      return { status: 200, body: { ...this.commitJson(sha), files: files.map((f) => this.fileJson(f)) } }
    })

    on(`GET ${R}/git/commits/{commit_sha}`, (r) => {
      const sha = resolveCommit(this.repoDir, r.params.commit_sha as string)
      if (!sha || objectType(this.repoDir, r.params.commit_sha as string) !== 'commit') return notFound()
      const c = this.commitJson(sha)
      return { status: 200, body: { sha, node_id: `C_${sha}`, url: c.url, html_url: c.html_url, ...c.commit, parents: c.parents, verification: c.commit.verification } }
    })

    on(`GET ${R}/git/trees/{tree_sha}`, (r) => {
      const tree = resolveTree(this.repoDir, r.params.tree_sha as string)
      if (!tree) return notFound()
      const entries = treeEntries(this.repoDir, tree, r.query.has('recursive'))
      if (!entries) return notFound()
      return {
        status: 200,
        body: {
          sha: tree,
          url: `${this.apiUrl}/repos/${this.fullName}/git/trees/${tree}`,
          tree: entries.map((e) => ({ ...e, url: `${this.apiUrl}/repos/${this.fullName}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}` })),
          truncated: false,
        },
      }
    })

    on(`GET ${R}/git/blobs/{file_sha}`, (r) => {
      const sha = r.params.file_sha as string
      if (!/^[0-9a-f]{40}$/.test(sha) || objectType(this.repoDir, sha) !== 'blob') return notFound()
      const content = gitBuffer(this.repoDir, 'cat-file', 'blob', sha)
      if (/application\/vnd\.github(\.v3)?\.raw/.test(r.accept)) return { status: 200, raw: content, contentType: 'application/vnd.github.raw; charset=utf-8' }
      return {
        status: 200,
        body: { sha, node_id: `B_${sha}`, size: content.length, url: `${this.apiUrl}/repos/${this.fullName}/git/blobs/${sha}`, content: base64Lines(content), encoding: 'base64' },
      }
    })

    on(`GET ${R}/contents/{path}`, (r) => {
      const ref = r.query.get('ref') ?? this.defaultBranchSha()
      const commit = resolveCommit(this.repoDir, ref)
      if (!commit) return notFound(`No commit found for the ref ${ref}`)
      const path = (r.params.path as string).replace(/^\/+|\/+$/g, '')
      const type = tryGit(this.repoDir, 'cat-file', '-t', `${commit}:${path}`)?.trim()
      if (type === 'blob') {
        const sha = git(this.repoDir, 'rev-parse', `${commit}:${path}`).trim()
        const content = gitBuffer(this.repoDir, 'cat-file', 'blob', sha)
        if (/application\/vnd\.github(\.v3)?\.raw/.test(r.accept)) return { status: 200, raw: content, contentType: 'application/vnd.github.raw; charset=utf-8' }
        return { status: 200, body: { ...this.contentEntry(path, 'file', sha, content.length, ref), content: base64Lines(content), encoding: 'base64' } }
      }
      if (type === 'tree') {
        const entries = treeEntries(this.repoDir, `${commit}:${path}`, false) ?? []
        return { status: 200, body: entries.map((e) => this.contentEntry(path ? `${path}/${e.path}` : e.path, e.type === 'tree' ? 'dir' : 'file', e.sha, e.size ?? 0, ref)) }
      }
      return notFound()
    })
  }

  private paginate(r: Route, items: unknown[]): Handled & { body: unknown[] } {
    const perPage = Math.min(Math.max(Number(r.query.get('per_page') ?? '30') || 30, 1), 100)
    const page = Math.max(Number(r.query.get('page') ?? '1') || 1, 1)
    const last = Math.max(Math.ceil(items.length / perPage), 1)
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const link = (p: number): string => {
      const u = new URL(r.url.toString())
      u.searchParams.set('per_page', String(perPage))
      u.searchParams.set('page', String(p))
      return `<${this.origin}${u.pathname}${u.search}>`
    }
    const links: string[] = []
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`)
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`)
    if (page > 1) links.push(`${link(1)}; rel="first"`)
    return { status: 200, body: slice, ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}) }
  }

  // -------------------------------------------------------------------------------------------
  // Reviews, as GitHub checks them

  private createReview(r: Route): Handled {
    const pull = this.findPull(r.params.pull_number)
    if (!pull) return notFound()
    const body = (r.body ?? {}) as {
      commit_id?: string
      body?: string
      event?: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT'
      comments?: { path: string; position?: number; body: string; line?: number; side?: string; start_line?: number; start_side?: string }[]
    }
    const commitId = body.commit_id ?? pull.headSha
    if (!this.pullCommits.has(commitId) && !isAncestor(this.repoDir, commitId, pull.headSha)) {
      return unprocessable(['Commit ID is not part of the pull request'], 'create-a-review-for-a-pull-request')
    }
    if ((body.body?.length ?? 0) > 65536) return unprocessable(['Body is too long (maximum is 65536 characters)'])
    if ((body.event === 'REQUEST_CHANGES' || body.event === 'COMMENT') && !body.body && (body.comments ?? []).length === 0) {
      return unprocessable(['Body is required when using REQUEST_CHANGES or COMMENT'])
    }
    const files = this.filesAt(pull, commitId)
    const planned: Parameters<FakeGitHub['createComment']>[0][] = []
    for (const c of body.comments ?? []) {
      const file = files.find((f) => f.filename === c.path)
      if (!file) return unprocessable(['Path could not be resolved'])
      if (c.body.length > 65536) return unprocessable(['Body is too long (maximum is 65536 characters)'])
      if (c.side !== undefined && c.side !== 'LEFT' && c.side !== 'RIGHT') return unprocessable([`Side is not included in the list`])
      if (c.start_side !== undefined && c.start_side !== 'LEFT' && c.start_side !== 'RIGHT') return unprocessable([`Start side is not included in the list`])
      let line: number
      let side: 'LEFT' | 'RIGHT' = (c.side as 'LEFT' | 'RIGHT' | undefined) ?? 'RIGHT'
      if (c.line !== undefined) {
        line = c.line
      } else if (c.position !== undefined) {
        const at = lineAtPosition(file.patch, c.position)
        if (!at) return unprocessable(['Pull request review thread position is invalid'])
        line = at.line
        side = at.side
      } else {
        return unprocessable(['Pull request review thread line must be part of the diff'])
      }
      if (c.start_line !== undefined && c.line === undefined) return unprocessable(['Pull request review thread start line needs a line'])
      const hunks = sideHunks(file.patch, side)
      const hunk = hunks.findIndex((h) => h.includes(line))
      if (hunk < 0) return unprocessable(['Pull request review thread line must be part of the diff'])
      let startSide: 'LEFT' | 'RIGHT' | null = null
      if (c.start_line !== undefined) {
        startSide = (c.start_side as 'LEFT' | 'RIGHT' | undefined) ?? side
        if (c.start_line >= line && startSide === side) return unprocessable(['Pull request review thread start line must precede the end line'])
        const startHunks = sideHunks(file.patch, startSide)
        const startHunk = startHunks.findIndex((h) => h.includes(c.start_line as number))
        if (startHunk < 0) return unprocessable(['Pull request review thread start line must be part of the diff'])
        if (startSide === side && startHunk !== hunk) return unprocessable(['Pull request review thread start line must be part of the same hunk as the line'])
      } else if (c.start_side !== undefined) {
        return unprocessable(['Pull request review thread start side needs a start line'])
      }
      planned.push({ reviewId: 0, user: BOT, body: c.body, path: c.path, line, startLine: c.start_line ?? null, side, startSide, commitId })
    }
    const review = this.addReview({
      user: BOT,
      body: body.body ?? '',
      state: body.event === undefined ? 'PENDING' : body.event === 'APPROVE' ? 'APPROVED' : body.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED',
      commitId,
    })
    for (const p of planned) review.commentIds.push(this.createComment({ ...p, reviewId: review.id }).id)
    return { status: 200, body: this.reviewJson(review) }
  }

  private filesAt(pull: PullSpec, commitId: string): DiffFile[] {
    if (commitId === pull.headSha) return this.pullFiles()
    return diffFiles(this.repoDir, mergeBase(this.repoDir, pull.baseSha, commitId), commitId)
  }

  private addReview(options: { user: Account; body: string; state: Review['state']; commitId: string }): Review {
    const id = this.id()
    const review: Review = {
      id,
      node_id: `PRR_kwDOFake${id}`,
      user: options.user,
      body: options.body,
      state: options.state,
      commit_id: options.commitId,
      submitted_at: options.state === 'PENDING' ? null : now(),
      commentIds: [],
    }
    this.reviews.push(review)
    return review
  }

  private createComment(options: {
    reviewId: number | null
    user: Account
    body: string
    path: string
    line: number
    startLine: number | null
    side: 'LEFT' | 'RIGHT'
    startSide: 'LEFT' | 'RIGHT' | null
    commitId: string
    inReplyTo?: number
  }): ReviewComment {
    const pull = this.requirePull()
    const file = this.filesAt(pull, options.commitId).find((f) => f.filename === options.path)
    const id = this.id()
    const position = positionOf(file?.patch, options.line, options.side) ?? 1
    const parent = options.inReplyTo === undefined ? undefined : this.comments.find((c) => c.id === options.inReplyTo)
    let threadId: string
    if (parent) {
      threadId = parent.threadId
      this.threads.find((t) => t.id === threadId)?.commentIds.push(id)
    } else {
      threadId = `PRRT_kwDOFake${id}`
      this.threads.push({ id: threadId, commentIds: [id], isResolved: false, resolvedBy: null })
    }
    const comment: ReviewComment = {
      id,
      node_id: `PRRC_kwDOFake${id}`,
      pull_request_review_id: options.reviewId,
      user: options.user,
      body: options.body,
      path: options.path,
      commit_id: options.commitId,
      original_commit_id: options.commitId,
      line: options.line,
      original_line: options.line,
      start_line: options.startLine,
      original_start_line: options.startLine,
      side: options.side,
      start_side: options.startSide,
      position,
      original_position: position,
      diff_hunk: diffHunkFor(file?.patch, options.line, options.side),
      ...(options.inReplyTo !== undefined ? { in_reply_to_id: options.inReplyTo } : {}),
      created_at: now(),
      updated_at: now(),
      threadId,
    }
    this.comments.push(comment)
    return comment
  }

  // -------------------------------------------------------------------------------------------
  // Check runs

  private createCheckRun(body: CheckRunBody): Handled {
    if (!resolveCommit(this.repoDir, body.head_sha ?? '') || !/^[0-9a-f]{40}$/.test(body.head_sha ?? '')) {
      return unprocessable([`No commit found for SHA: ${body.head_sha}`], 'create-a-check-run')
    }
    const problem = checkRunProblem(body)
    if (problem) return unprocessable([problem], 'create-a-check-run')
    const id = this.id()
    const run: CheckRun = {
      id,
      node_id: `CR_kwDOFake${id}`,
      name: body.name as string,
      head_sha: body.head_sha as string,
      status: body.conclusion ? 'completed' : (body.status ?? 'queued'),
      conclusion: body.conclusion ?? null,
      started_at: body.started_at ?? now(),
      completed_at: body.conclusion ? (body.completed_at ?? now()) : null,
      external_id: body.external_id ?? null,
      details_url: body.details_url ?? null,
      output: { title: body.output?.title ?? null, summary: body.output?.summary ?? null, text: body.output?.text ?? null },
      annotations: [...(body.output?.annotations ?? [])],
      updates: [body],
    }
    this.checkRuns.push(run)
    return { status: 201, body: this.checkRunJson(run) }
  }

  private updateCheckRun(id: string, body: CheckRunBody): Handled {
    const run = this.checkRuns.find((c) => String(c.id) === id)
    if (!run) return notFound()
    const problem = checkRunProblem(body)
    if (problem) return unprocessable([problem], 'update-a-check-run')
    if (body.name !== undefined) run.name = body.name
    if (body.details_url !== undefined) run.details_url = body.details_url
    if (body.external_id !== undefined) run.external_id = body.external_id
    if (body.started_at !== undefined) run.started_at = body.started_at
    if (body.status !== undefined) run.status = body.status
    if (body.conclusion !== undefined) {
      run.conclusion = body.conclusion
      run.status = 'completed'
      run.completed_at = body.completed_at ?? now()
    }
    if (body.output) {
      if (body.output.title !== undefined) run.output.title = body.output.title
      if (body.output.summary !== undefined) run.output.summary = body.output.summary
      if (body.output.text !== undefined) run.output.text = body.output.text
      run.annotations.push(...(body.output.annotations ?? []))
    }
    run.updates.push(body)
    return { status: 200, body: this.checkRunJson(run) }
  }

  // -------------------------------------------------------------------------------------------
  // GraphQL

  private graphqlRoot(): Record<string, unknown> {
    const self = this
    const requireWrite = (): void => {
      if (self.readOnly) throw githubError('FORBIDDEN', 'Resource not accessible by integration')
    }
    const threadNode = (thread: ReviewThread): Record<string, unknown> => self.threadGraph(thread)
    const findNode = (id: string): unknown => {
      const thread = self.threads.find((t) => t.id === id)
      if (thread) return threadNode(thread)
      const comment = self.comments.find((c) => c.node_id === id && !c.deleted)
      if (comment) return self.commentGraph(comment)
      return null
    }
    return {
      repository: (args: { owner: string; name: string }) => {
        if (args.owner.toLowerCase() !== self.owner.toLowerCase() || args.name.toLowerCase() !== self.repo.toLowerCase()) {
          throw githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`)
        }
        return self.repositoryGraph()
      },
      node: (args: { id: string }) => {
        const node = findNode(args.id)
        if (!node) throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${args.id}'`)
        return node
      },
      nodes: (args: { ids: string[] }) => args.ids.map((id) => findNode(id)),
      viewer: () => ({ __typename: 'Bot', login: 'github-actions', id: 'BOT_kgDOAn9RKg', databaseId: BOT.id, url: 'https://github.com/apps/github-actions', resourcePath: '/apps/github-actions' }),
      rateLimit: () => ({ cost: 1, limit: 5000, nodeCount: 0, remaining: 4999, resetAt: new Date(Date.now() + 3600_000).toISOString(), used: 1 }),
      resolveReviewThread: (args: { input: { threadId: string; clientMutationId?: string } }) => {
        requireWrite()
        const thread = self.threads.find((t) => t.id === args.input.threadId)
        if (!thread) throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${args.input.threadId}'`)
        self.mutations.push({ name: 'resolveReviewThread', input: args.input })
        thread.isResolved = true
        thread.resolvedBy = BOT
        return { clientMutationId: args.input.clientMutationId ?? null, thread: threadNode(thread) }
      },
      unresolveReviewThread: (args: { input: { threadId: string; clientMutationId?: string } }) => {
        requireWrite()
        const thread = self.threads.find((t) => t.id === args.input.threadId)
        if (!thread) throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${args.input.threadId}'`)
        self.mutations.push({ name: 'unresolveReviewThread', input: args.input })
        thread.isResolved = false
        thread.resolvedBy = null
        return { clientMutationId: args.input.clientMutationId ?? null, thread: threadNode(thread) }
      },
      minimizeComment: (args: { input: { subjectId: string; classifier: string; clientMutationId?: string } }) => {
        requireWrite()
        const comment = self.comments.find((c) => c.node_id === args.input.subjectId && !c.deleted)
        if (!comment) throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${args.input.subjectId}'`)
        self.mutations.push({ name: 'minimizeComment', input: args.input })
        comment.minimized = args.input.classifier
        return { clientMutationId: args.input.clientMutationId ?? null, minimizedComment: self.commentGraph(comment) }
      },
      updatePullRequestReviewComment: (args: { input: { pullRequestReviewCommentId: string; body: string; clientMutationId?: string } }) => {
        requireWrite()
        const comment = self.comments.find((c) => c.node_id === args.input.pullRequestReviewCommentId && !c.deleted)
        if (!comment) throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${args.input.pullRequestReviewCommentId}'`)
        self.mutations.push({ name: 'updatePullRequestReviewComment', input: args.input })
        comment.body = args.input.body
        comment.updated_at = now()
        return { clientMutationId: args.input.clientMutationId ?? null, pullRequestReviewComment: self.commentGraph(comment) }
      },
    }
  }

  private repositoryGraph(): Record<string, unknown> {
    return {
      __typename: 'Repository',
      id: 'R_kgDOFakeRepo',
      databaseId: 123456,
      name: this.repo,
      nameWithOwner: this.fullName,
      owner: { __typename: 'Organization', login: this.owner },
      url: `https://github.com/${this.fullName}`,
      pullRequest: (args: { number: number }) => {
        const pull = this.pull
        if (!pull || pull.number !== args.number) throw githubError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${args.number}.`)
        return this.pullGraph()
      },
    }
  }

  private pullGraph(): Record<string, unknown> {
    const pull = this.requirePull()
    return {
      __typename: 'PullRequest',
      id: `PR_kwDOFake${pull.number}`,
      databaseId: 900000 + pull.number,
      number: pull.number,
      title: pull.title ?? 'Change manifests',
      headRefOid: pull.headSha,
      baseRefOid: pull.baseSha,
      headRefName: pull.headRef,
      baseRefName: pull.baseRef,
      state: 'OPEN',
      url: `https://github.com/${this.fullName}/pull/${pull.number}`,
      reviewThreads: (args: ConnectionArgs) =>
        connection(
          this.threads.filter((t) => this.threadComments(t).length > 0).map((t) => this.threadGraph(t)),
          args,
          'reviewThreads',
        ),
    }
  }

  private threadComments(thread: ReviewThread): ReviewComment[] {
    return thread.commentIds.map((id) => this.comments.find((c) => c.id === id)).filter((c): c is ReviewComment => !!c && !c.deleted)
  }

  private threadGraph(thread: ReviewThread): Record<string, unknown> {
    const comments = this.threadComments(thread)
    const first = comments[0]
    return {
      __typename: 'PullRequestReviewThread',
      id: thread.id,
      isResolved: thread.isResolved,
      isOutdated: first ? first.line === null : false,
      isCollapsed: thread.isResolved,
      path: first?.path ?? '',
      line: first?.line ?? null,
      originalLine: first?.original_line ?? null,
      startLine: first?.start_line ?? null,
      originalStartLine: first?.original_start_line ?? null,
      diffSide: first?.side ?? 'RIGHT',
      startDiffSide: first?.start_side ?? null,
      subjectType: 'LINE',
      resolvedBy: thread.resolvedBy ? actorGraph(thread.resolvedBy) : null,
      viewerCanResolve: !thread.isResolved && !this.readOnly,
      viewerCanUnresolve: thread.isResolved && !this.readOnly,
      viewerCanReply: !this.readOnly,
      pullRequest: () => this.pullGraph(),
      repository: () => this.repositoryGraph(),
      comments: (args: ConnectionArgs) => connection(comments.map((c) => this.commentGraph(c)), args, 'comments'),
    }
  }

  private commentGraph(c: ReviewComment): Record<string, unknown> {
    return {
      __typename: 'PullRequestReviewComment',
      id: c.node_id,
      databaseId: c.id,
      fullDatabaseId: String(c.id),
      body: c.body,
      bodyText: c.body,
      author: actorGraph(c.user),
      authorAssociation: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      path: c.path,
      line: c.line,
      originalLine: c.original_line,
      startLine: c.start_line,
      originalStartLine: c.original_start_line,
      position: c.position,
      originalPosition: c.original_position,
      diffHunk: c.diff_hunk,
      outdated: c.line === null,
      isMinimized: c.minimized !== undefined,
      minimizedReason: c.minimized ?? null,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      publishedAt: c.created_at,
      lastEditedAt: c.updated_at === c.created_at ? null : c.updated_at,
      url: `https://github.com/${this.fullName}/pull/${this.pull?.number}#discussion_r${c.id}`,
      resourcePath: `/${this.fullName}/pull/${this.pull?.number}#discussion_r${c.id}`,
      state: 'SUBMITTED',
      subjectType: 'LINE',
      viewerDidAuthor: c.user.login === BOT.login,
      viewerCanUpdate: c.user.login === BOT.login && !this.readOnly,
      viewerCanDelete: c.user.login === BOT.login && !this.readOnly,
      viewerCanMinimize: !this.readOnly,
      replyTo: c.in_reply_to_id === undefined ? null : () => {
        const parent = this.comments.find((p) => p.id === c.in_reply_to_id)
        return parent ? this.commentGraph(parent) : null
      },
      pullRequestReview: () => {
        const review = this.reviews.find((r) => r.id === c.pull_request_review_id)
        return review ? { __typename: 'PullRequestReview', id: review.node_id, databaseId: review.id, body: review.body, author: actorGraph(review.user), state: review.state } : null
      },
      commit: { __typename: 'Commit', oid: c.commit_id },
      originalCommit: { __typename: 'Commit', oid: c.original_commit_id },
    }
  }

  // -------------------------------------------------------------------------------------------
  // JSON shapes (as GitHub returns them)

  private userJson(a: Account): Record<string, unknown> {
    const login = a.login
    return {
      login,
      id: a.id,
      node_id: a.type === 'Bot' ? 'MDM6Qm90NDE4OTgyODI=' : `U_kgDOFake${a.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${a.id}?v=4`,
      gravatar_id: '',
      url: `${this.apiUrl}/users/${encodeURIComponent(login)}`,
      html_url: a.type === 'Bot' ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}` : `https://github.com/${login}`,
      type: a.type,
      user_view_type: 'public',
      site_admin: false,
    }
  }

  private repositoryJson(): Record<string, unknown> {
    return {
      id: 123456,
      node_id: 'R_kgDOFakeRepo',
      name: this.repo,
      full_name: this.fullName,
      private: false,
      owner: this.userJson({ login: this.owner, id: 4242, type: 'Organization' }),
      html_url: `https://github.com/${this.fullName}`,
      url: `${this.apiUrl}/repos/${this.fullName}`,
      default_branch: 'main',
      fork: false,
      permissions: { admin: false, maintain: false, push: !this.readOnly, triage: false, pull: true },
    }
  }

  private pullJson(): Record<string, unknown> {
    const pull = this.requirePull()
    const repo = this.repositoryJson()
    const files = this.pullFiles()
    return {
      url: `${this.apiUrl}/repos/${this.fullName}/pulls/${pull.number}`,
      id: 900000 + pull.number,
      node_id: `PR_kwDOFake${pull.number}`,
      html_url: `https://github.com/${this.fullName}/pull/${pull.number}`,
      number: pull.number,
      state: 'open',
      locked: false,
      title: pull.title ?? 'Change manifests',
      user: this.userJson(pull.user ?? AUTHOR),
      body: null,
      draft: false,
      merged: false,
      mergeable: true,
      merge_commit_sha: null,
      head: { label: `${this.owner}:${pull.headRef}`, ref: pull.headRef, sha: pull.headSha, user: this.userJson(pull.user ?? AUTHOR), repo },
      base: { label: `${this.owner}:${pull.baseRef}`, ref: pull.baseRef, sha: pull.baseSha, user: repo.owner, repo },
      commits: Number(git(this.repoDir, 'rev-list', '--count', `${mergeBase(this.repoDir, pull.baseSha, pull.headSha)}..${pull.headSha}`).trim()),
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changed_files: files.length,
    }
  }

  private fileJson(f: DiffFile): Record<string, unknown> {
    const sha = f.sha ?? '0000000000000000000000000000000000000000'
    return {
      sha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.changes,
      blob_url: `https://github.com/${this.fullName}/blob/${sha}/${f.filename}`,
      raw_url: `https://github.com/${this.fullName}/raw/${sha}/${f.filename}`,
      contents_url: `${this.apiUrl}/repos/${this.fullName}/contents/${f.filename}?ref=${sha}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
      ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
    }
  }

  private commentJson(c: ReviewComment): Record<string, unknown> {
    const pull = this.requirePull()
    return {
      url: `${this.apiUrl}/repos/${this.fullName}/pulls/comments/${c.id}`,
      pull_request_review_id: c.pull_request_review_id,
      id: c.id,
      node_id: c.node_id,
      diff_hunk: c.diff_hunk,
      path: c.path,
      position: c.position,
      original_position: c.original_position,
      commit_id: c.commit_id,
      original_commit_id: c.original_commit_id,
      ...(c.in_reply_to_id !== undefined ? { in_reply_to_id: c.in_reply_to_id } : {}),
      user: this.userJson(c.user),
      body: c.body,
      created_at: c.created_at,
      updated_at: c.updated_at,
      html_url: `https://github.com/${this.fullName}/pull/${pull.number}#discussion_r${c.id}`,
      pull_request_url: `${this.apiUrl}/repos/${this.fullName}/pulls/${pull.number}`,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      _links: {
        self: { href: `${this.apiUrl}/repos/${this.fullName}/pulls/comments/${c.id}` },
        html: { href: `https://github.com/${this.fullName}/pull/${pull.number}#discussion_r${c.id}` },
        pull_request: { href: `${this.apiUrl}/repos/${this.fullName}/pulls/${pull.number}` },
      },
      start_line: c.start_line,
      original_start_line: c.original_start_line,
      start_side: c.start_side,
      line: c.line,
      original_line: c.original_line,
      side: c.side,
      subject_type: 'line',
    }
  }

  private reviewJson(r: Review): Record<string, unknown> {
    const pull = this.requirePull()
    return {
      id: r.id,
      node_id: r.node_id,
      user: this.userJson(r.user),
      body: r.body,
      state: r.state,
      html_url: `https://github.com/${this.fullName}/pull/${pull.number}#pullrequestreview-${r.id}`,
      pull_request_url: `${this.apiUrl}/repos/${this.fullName}/pulls/${pull.number}`,
      author_association: r.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      _links: {
        html: { href: `https://github.com/${this.fullName}/pull/${pull.number}#pullrequestreview-${r.id}` },
        pull_request: { href: `${this.apiUrl}/repos/${this.fullName}/pulls/${pull.number}` },
      },
      ...(r.submitted_at ? { submitted_at: r.submitted_at } : {}),
      commit_id: r.commit_id,
    }
  }

  private checkRunJson(c: CheckRun): Record<string, unknown> {
    return {
      id: c.id,
      head_sha: c.head_sha,
      node_id: c.node_id,
      external_id: c.external_id,
      url: `${this.apiUrl}/repos/${this.fullName}/check-runs/${c.id}`,
      html_url: `https://github.com/${this.fullName}/runs/${c.id}`,
      details_url: c.details_url,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.started_at,
      completed_at: c.completed_at,
      output: {
        title: c.output.title,
        summary: c.output.summary,
        text: c.output.text,
        annotations_count: c.annotations.length,
        annotations_url: `${this.apiUrl}/repos/${this.fullName}/check-runs/${c.id}/annotations`,
      },
      name: c.name,
      check_suite: { id: 77 },
      app: { id: 15368, slug: 'github-actions', node_id: 'MDM6QXBwMTUzNjg=', name: 'GitHub Actions', owner: this.userJson({ login: 'github', id: 9919, type: 'Organization' }) },
      pull_requests: [],
    }
  }

  private commitJson(sha: string): { sha: string; url: string; html_url: string; commit: Record<string, unknown> & { verification: unknown }; parents: { sha: string; url: string }[] } {
    const [tree = '', parents = '', author = '', email = '', date = '', ...message] = git(this.repoDir, 'show', '-s', '--format=%T%n%P%n%an%n%ae%n%aI%n%B', sha).split('\n')
    const person = { name: author, email, date }
    return {
      sha,
      url: `${this.apiUrl}/repos/${this.fullName}/commits/${sha}`,
      html_url: `https://github.com/${this.fullName}/commit/${sha}`,
      commit: {
        author: person,
        committer: person,
        message: message.join('\n').trim(),
        tree: { sha: tree, url: `${this.apiUrl}/repos/${this.fullName}/git/trees/${tree}` },
        url: `${this.apiUrl}/repos/${this.fullName}/git/commits/${sha}`,
        comment_count: 0,
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
      parents: parents
        .split(' ')
        .filter(Boolean)
        .map((p) => ({ sha: p, url: `${this.apiUrl}/repos/${this.fullName}/commits/${p}` })),
    }
  }

  private contentEntry(path: string, type: 'file' | 'dir', sha: string, size: number, ref: string): Record<string, unknown> {
    const name = path.split('/').pop() ?? path
    const url = `${this.apiUrl}/repos/${this.fullName}/contents/${path}?ref=${ref}`
    return {
      type,
      size,
      name,
      path,
      sha,
      url,
      git_url: `${this.apiUrl}/repos/${this.fullName}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
      html_url: `https://github.com/${this.fullName}/blob/${ref}/${path}`,
      download_url: type === 'file' ? `https://raw.githubusercontent.com/${this.fullName}/${ref}/${path}` : null,
      _links: { self: url, git: `${this.apiUrl}/repos/${this.fullName}/git/blobs/${sha}`, html: `https://github.com/${this.fullName}/blob/${ref}/${path}` },
    }
  }

  // -------------------------------------------------------------------------------------------
  // Small helpers

  private id(): number {
    return this.nextId++
  }

  private requirePull(): PullSpec {
    if (!this.pull) throw new Error('the fake has no pull request')
    return this.pull
  }

  private findPull(number: string | undefined): PullSpec | null {
    return this.pull && String(this.pull.number) === number ? this.pull : null
  }

  private findComment(id: string | undefined): ReviewComment | undefined {
    return this.comments.find((c) => String(c.id) === id && !c.deleted)
  }

  private visibleComments(): ReviewComment[] {
    const pending = new Set(this.reviews.filter((r) => r.state === 'PENDING').map((r) => r.id))
    return this.comments.filter((c) => !c.deleted && (c.pull_request_review_id === null || !pending.has(c.pull_request_review_id)))
  }

  private defaultBranchSha(): string {
    return resolveCommit(this.repoDir, 'main') ?? 'HEAD'
  }
}

interface CheckRunBody {
  name?: string
  head_sha?: string
  details_url?: string
  external_id?: string
  status?: string
  started_at?: string
  conclusion?: string
  completed_at?: string
  output?: { title?: string; summary?: string; text?: string; annotations?: Annotation[] }
}

function checkRunProblem(body: CheckRunBody): string | null {
  if (body.status === 'completed' && !body.conclusion) return 'Conclusion is required when status is completed'
  for (const a of body.output?.annotations ?? []) {
    if (a.end_line < a.start_line) return 'Annotation end_line must not precede start_line'
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      return 'start_column and end_column may only be used when start_line equals end_line'
    }
    if (a.message.length > 64 * 1024) return 'Annotation message is too long (maximum is 64 KB)'
  }
  return null
}

/** A request that only follows pagination: REST page ≥ 2, or GraphQL with a cursor variable set. */
export function isPaginationRequest(r: RecordedRequest): boolean {
  if (Number(r.query.page ?? '1') > 1) return true
  if (r.operation?.startsWith('graphql') && typeof r.body === 'object' && r.body !== null) {
    const variables = (r.body as { variables?: Record<string, unknown> }).variables ?? {}
    return Object.entries(variables).some(([k, v]) => /cursor|after/i.test(k) && v !== null && v !== undefined && v !== '')
  }
  return false
}

function actorGraph(a: Account): Record<string, unknown> {
  // GraphQL names apps without the "[bot]" REST adds.
  return a.type === 'Bot'
    ? { __typename: 'Bot', login: a.login.replace(/\[bot\]$/, ''), id: 'BOT_kgDOAn9RKg', databaseId: a.id, url: `https://github.com/apps/${a.login.replace(/\[bot\]$/, '')}`, resourcePath: `/apps/${a.login.replace(/\[bot\]$/, '')}`, avatarUrl: '' }
    : { __typename: 'User', login: a.login, id: `U_kgDOFake${a.id}`, databaseId: a.id, url: `https://github.com/${a.login}`, resourcePath: `/${a.login}`, avatarUrl: '' }
}

function lineAt(repoDir: string, commit: string, path: string, line: number): string | null {
  const text = tryGit(repoDir, 'show', `${commit}:${path}`)
  if (text === null) return null
  return text.split('\n')[line - 1] ?? null
}

function lineAtPosition(patch: string | undefined, position: number): { line: number; side: 'LEFT' | 'RIGHT' } | null {
  if (!patch) return null
  let pos = 0
  let left = 0
  let right = 0
  let first = true
  for (const text of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
    if (header) {
      if (!first) pos++
      first = false
      left = Number(header[1])
      right = Number(header[2])
      if (pos === position) return null
      continue
    }
    pos++
    const mark = text[0]
    if (pos === position) return mark === '-' ? { line: left, side: 'LEFT' } : { line: right, side: 'RIGHT' }
    if (mark === '+') right++
    else if (mark === '-') left++
    else {
      left++
      right++
    }
  }
  return null
}

function isAncestor(repoDir: string, commit: string, of: string): boolean {
  return /^[0-9a-f]{40}$/.test(commit) && tryGit(repoDir, 'merge-base', '--is-ancestor', commit, of) !== null
}

function notFound(message = 'Not Found'): Handled {
  return { status: 404, body: { message, documentation_url: 'https://docs.github.com/rest', status: '404' } }
}

function unprocessable(errors: unknown[], doc = ''): Handled {
  return {
    status: 422,
    body: { message: 'Unprocessable Entity', errors, documentation_url: `https://docs.github.com/rest${doc ? `#${doc}` : ''}`, status: '422' },
  }
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function base64Lines(content: Buffer): string {
  const b64 = content.toString('base64')
  return `${b64.replace(/.{1,60}/g, '$&\n')}`
}

function recordedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) {
    if (key === 'authorization' || key === 'proxy-authorization' || key === 'cookie') continue
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

let requestCounter = 0

function writeResponse(res: ServerResponse, handled: Handled): void {
  const headers: Record<string, string> = {
    'x-github-request-id': `FAKE:${(++requestCounter).toString(16).toUpperCase()}:${randomUUID().slice(0, 8).toUpperCase()}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    ...(handled.headers ?? {}),
  }
  if (handled.status === 204 || (handled.body === undefined && handled.raw === undefined)) {
    res.writeHead(handled.status, headers)
    res.end()
    return
  }
  if (handled.raw !== undefined) {
    res.writeHead(handled.status, { ...headers, 'content-type': handled.contentType ?? 'text/plain; charset=utf-8' })
    res.end(handled.raw)
    return
  }
  if (typeof handled.body === 'string') {
    res.writeHead(handled.status, { ...headers, 'content-type': 'text/html; charset=utf-8' })
    res.end(handled.body)
    return
  }
  res.writeHead(handled.status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(handled.body))
}
