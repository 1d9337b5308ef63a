import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import type { PullFile } from '../render/commentable.js'
import { VERSION } from '../version.js'
import type { ExistingComment, ExistingReview, GitHubPort, ReviewThread } from './ports.js'

const BotOctokit = Octokit.plugin(retry, throttling)

/** Rate-limit retries: GitHub's `retry-after` is honoured, twice at most. */
const RATE_LIMIT_RETRIES = 2
/** A longer wait (a primary limit resetting in an hour) is not worth a CI job's time: the fallbacks take over. */
const RATE_LIMIT_MAX_WAIT_SECONDS = 600
/** Retries of a request answered with a 5xx (not for the creating POSTs, which must not repeat blindly). */
const SERVER_ERROR_RETRIES = 3

export interface OctokitOptions {
  token: string
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server */
  baseUrl: string
  /** `owner/repo` */
  repository: string
  log: { warning(message: string): void; debug(message: string): void }
}

export interface CountingGitHub extends GitHubPort {
  /** HTTP requests sent so far, retries and pages included */
  requests(): number
}

/**
 * GitHub over REST and GraphQL with Octokit: throttled, retried on 5xx and rate limits, for one
 * repository. The token goes into the Authorization header only; nothing here logs it.
 */
export function octokitGitHub(options: OctokitOptions): CountingGitHub {
  const [owner = '', repo = ''] = options.repository.split('/')
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retry = retryCount < RATE_LIMIT_RETRIES && retryAfter <= RATE_LIMIT_MAX_WAIT_SECONDS
    options.log.warning(`GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retry ? `retrying after ${retryAfter} s` : 'giving up'}.`)
    return retry
  }
  const octokit = new BotOctokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: `kube-ratchet/${VERSION}`,
    retry: { retries: SERVER_ERROR_RETRIES },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    log: {
      debug: (message: string) => options.log.debug(message),
      info: (message: string) => options.log.debug(message),
      warn: (message: string) => options.log.debug(message),
      error: (message: string) => options.log.debug(message),
    },
  })
  let requests = 0
  octokit.hook.before('request', () => {
    requests++
  })
  const noRetry = { retries: 0 }

  return {
    requests: () => requests,

    async listPullFiles(pull) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull, per_page: 100 })
      return files.map((f): PullFile => ({ filename: f.filename, status: f.status, patch: f.patch ?? null, ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}) }))
    },

    async listReviewComments(pull) {
      const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pull, per_page: 100 })
      return comments.map(
        (c): ExistingComment => ({
          id: c.id,
          body: c.body,
          user: c.user ? { login: c.user.login, type: c.user.type } : null,
          path: c.path,
          line: c.line ?? null,
          ...(c.in_reply_to_id === undefined ? {} : { in_reply_to_id: c.in_reply_to_id }),
        }),
      )
    },

    async listReviews(pull) {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pull, per_page: 100 })
      return reviews.map(
        (r): ExistingReview => ({ id: r.id, body: r.body, user: r.user ? { login: r.user.login, type: r.user.type } : null, commit_id: r.commit_id }),
      )
    },

    async createReview(pull, review) {
      const { data } = await octokit.rest.pulls.createReview({ owner, repo, pull_number: pull, ...review, request: noRetry })
      return { id: data.id }
    },

    async reviewThreads(pull) {
      const threads: ReviewThread[] = []
      let cursor: string | null = null
      for (let page = 0; page < 100; page++) {
        const data: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, { owner, repo, number: pull, cursor })
        const connection = data.repository?.pullRequest?.reviewThreads
        if (!connection) break
        for (const node of connection.nodes ?? []) {
          if (!node) continue
          const ids = (node.comments.nodes ?? []).flatMap((c) => (c?.databaseId == null ? [] : [c.databaseId]))
          threads.push({ id: node.id, isResolved: node.isResolved, commentIds: ids })
        }
        if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break
        cursor = connection.pageInfo.endCursor
      }
      return threads
    },

    async resolveThreads(threadIds) {
      if (threadIds.length === 0) return
      // One mutation, one aliased field per thread; the ids travel as variables, never in the query text.
      const variables: Record<string, string> = {}
      const declarations: string[] = []
      const fields: string[] = []
      threadIds.forEach((id, i) => {
        variables[`t${i}`] = id
        declarations.push(`$t${i}: ID!`)
        fields.push(`t${i}: resolveReviewThread(input: { threadId: $t${i} }) { thread { id isResolved } }`)
      })
      await octokit.graphql(`mutation ResolveFixedFindings(${declarations.join(', ')}) {\n  ${fields.join('\n  ')}\n}`, variables)
    },

    async createCheckRun(check) {
      const { data } = await octokit.rest.checks.create({ owner, repo, ...check, request: noRetry })
      return { id: data.id }
    },

    async updateCheckRun(id, output) {
      await octokit.rest.checks.update({ owner, repo, check_run_id: id, output })
    },

    async listCheckRuns(headSha, name) {
      const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: headSha, check_name: name, filter: 'all', per_page: 100 })
      return data.check_runs.map((r) => ({ id: r.id, external_id: r.external_id ?? null }))
    },

    async mergeBase(base, head) {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 1 })
      return data.merge_base_commit.sha
    },

    async getTree(sha) {
      const { data } = await octokit.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: '1' })
      return { tree: data.tree, truncated: data.truncated }
    },

    async getBlob(sha) {
      const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha })
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
    },
  }
}

const THREADS_QUERY = `query ReviewThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        nodes {
          id
          isResolved
          comments(first: 1) {
            nodes {
              databaseId
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
}`

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        nodes: ({ id: string; isResolved: boolean; comments: { nodes: ({ databaseId: number | null } | null)[] | null } } | null)[] | null
        pageInfo: { hasNextPage: boolean; endCursor: string | null }
      }
    } | null
  } | null
}
