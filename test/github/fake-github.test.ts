/**
 * The fake GitHub itself, driven by Octokit: if it did not behave like GitHub where the action's
 * tests rely on it (validation, the diff rule for review comments, pagination, faults,
 * GraphQL), those tests would prove nothing.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Octokit } from '@octokit/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOT, FAULTS, FakeGitHub, REVIEWER } from './fake-github.js'
import { git } from './git.js'
import { cleanupTemp, fakeToken, parseCommands, parseOutputs, PullRepo, suggestionOf, tempDir } from './harness.js'

const token = fakeToken()
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
let repo: PullRepo
let fake: FakeGitHub
let octokit: Octokit

function lines(n: number, prefix: string): string {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join('\n') + '\n'
}

const many: Record<string, string> = {}
for (let i = 0; i < 35; i++) many[`deploy/many/file-${String(i).padStart(2, '0')}.yaml`] = `kind: ConfigMap\nmetadata:\n  name: c${i}\n`

beforeAll(async () => {
  const base = lines(40, 'line ')
  const head = base.replace('line 5\n', 'line 5 changed\n').replace('line 30\n', 'line 30 changed\n')
  repo = new PullRepo({
    base: { 'deploy/app.yaml': base, 'deploy/gone.yaml': 'kind: Namespace\n' },
    head: { 'deploy/app.yaml': head, 'deploy/gone.yaml': null, ...many },
    baseAfterBranch: { 'deploy/later.yaml': 'kind: Namespace\nmetadata:\n  name: later\n' },
  })
  fake = await new FakeGitHub({ repoDir: repo.dir, token, pull: repo.pullSpec() }).start()
  octokit = new Octokit({ auth: token, baseUrl: fake.apiUrl, request: { retries: 0 }, log: quiet })
})

afterAll(async () => {
  await fake?.close()
  cleanupTemp()
})

const owner = 'acme'
const name = 'shop'

describe('the fake GitHub', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('lists pull request files with pagination and patches equal to git diff hunks', async () => {
    const first = await octokit.rest.pulls.listFiles({ owner, repo: name, pull_number: 7 })
    expect(first.data).toHaveLength(30)
    expect(first.headers.link).toMatch(/rel="next"/)
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo: name, pull_number: 7, per_page: 10 })
    expect(files.map((f) => f.filename).sort()).toEqual(['deploy/app.yaml', 'deploy/gone.yaml', ...Object.keys(many)].sort())
    // The three-dot diff: main's later commit is not part of the pull request.
    expect(files.some((f) => f.filename === 'deploy/later.yaml')).toBe(false)
    const app = files.find((f) => f.filename === 'deploy/app.yaml')
    const diff = git(repo.dir, 'diff', '--no-color', '-U3', repo.realMergeBase, repo.headSha, '--', 'deploy/app.yaml')
    expect(app?.patch).toBe(diff.slice(diff.indexOf('@@')).replace(/\n$/, ''))
    expect(app?.patch?.match(/^@@/gm)).toHaveLength(2)
    expect(files.find((f) => f.filename === 'deploy/gone.yaml')?.status).toBe('removed')
    expect(fake.requests.filter((r) => r.path.endsWith('/files') && Number(r.query.page) > 1).length).toBeGreaterThan(0)
  })

  it('accepts a review whose comments sit on diff lines, single and multi-line', async () => {
    const review = await octokit.rest.pulls.createReview({
      owner,
      repo: name,
      pull_number: 7,
      commit_id: repo.headSha,
      event: 'COMMENT',
      body: 'review',
      comments: [
        { path: 'deploy/app.yaml', line: 5, side: 'RIGHT', body: 'one line' },
        { path: 'deploy/app.yaml', start_line: 3, line: 7, side: 'RIGHT', start_side: 'RIGHT', body: 'a range in one hunk' },
      ],
    })
    expect(review.data.state).toBe('COMMENTED')
    expect(review.data.user?.login).toBe(BOT.login)
    const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo: name, pull_number: 7 })
    expect(comments.map((c) => [c.line, c.start_line, c.user.type])).toEqual([
      [5, null, 'Bot'],
      [7, 3, 'Bot'],
    ])
  })

  it.each([
    ['a line outside the diff', { line: 20 }, 'Pull request review thread line must be part of the diff'],
    ['a range across two hunks', { start_line: 6, line: 29 }, 'must be part of the same hunk'],
    ['a start line outside the diff', { start_line: 15, line: 29 }, 'start line must be part of the diff'],
    ['a start line after the line', { start_line: 7, line: 5 }, 'must precede'],
  ])('refuses the whole review (422) for %s', async (_, anchor, message) => {
    const before = fake.reviews.length
    const error = await octokit.rest.pulls
      .createReview({
        owner,
        repo: name,
        pull_number: 7,
        event: 'COMMENT',
        body: 'x',
        comments: [
          { path: 'deploy/app.yaml', line: 5, body: 'fine' },
          { path: 'deploy/app.yaml', body: 'bad', ...anchor },
        ],
      })
      .catch((e: { status: number; response: { data: { errors: string[] } } }) => e)
    expect(error).toMatchObject({ status: 422 })
    expect(JSON.stringify((error as { response: { data: unknown } }).response.data)).toContain(message)
    expect(fake.reviews.length).toBe(before)
  })

  it('refuses comments on a deleted file or a file outside the pull request', async () => {
    for (const path of ['deploy/gone.yaml', 'deploy/later.yaml']) {
      await expect(octokit.rest.pulls.createReview({ owner, repo: name, pull_number: 7, event: 'COMMENT', body: 'x', comments: [{ path, line: 1, body: 'b' }] })).rejects.toMatchObject({ status: 422 })
    }
  })

  it('validates bodies against the OpenAPI description: unknown keys, types, enums', async () => {
    const start = fake.violations.length
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner, repo: name, pull_number: 7, event: 'COMMENT', body: 'x', bogus: 1 } as never),
    ).rejects.toMatchObject({ status: 422 })
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner, repo: name, name: 'x', head_sha: repo.headSha, conclusion: 'great' } as never),
    ).rejects.toMatchObject({ status: 422 })
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner, repo: name, name: 'x', head_sha: repo.headSha, output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 1, end_line: 1, annotation_level: 'failure', message: 'm', severity: 'x' }] } } as never),
    ).rejects.toMatchObject({ status: 422 })
    const annotations = Array.from({ length: 51 }, () => ({ path: 'a', start_line: 1, end_line: 1, annotation_level: 'failure' as const, message: 'm' }))
    await expect(
      octokit.rest.checks.create({ owner, repo: name, name: 'x', head_sha: repo.headSha, output: { title: 't', summary: 's', annotations } }),
    ).rejects.toMatchObject({ status: 422 })
    const v = fake.violations.slice(start)
    expect(v.join('\n')).toContain('"bogus" is not a permitted key')
    expect(v.join('\n')).toContain('is not one of')
    expect(v.join('\n')).toContain('"severity" is not a permitted key')
    expect(v.join('\n')).toContain('maxItems 50')
    fake.violations.splice(start)
  })

  it('answers 404 for paths and methods GitHub does not have, and records unknown query parameters', async () => {
    const start = fake.violations.length
    await expect(octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/threads', { owner, repo: name, pull_number: 7 })).rejects.toMatchObject({ status: 404 })
    await expect(octokit.request('DELETE /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo: name, pull_number: 7 })).rejects.toMatchObject({ status: 404 })
    await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo: name, pull_number: 7, colour: 'red' })
    const v = fake.violations.slice(start)
    expect(v).toHaveLength(3)
    expect(v[2]).toContain('query parameter "colour"')
    fake.violations.splice(start)
  })

  it('requires the token', async () => {
    const start = fake.violations.length
    const anonymous = new Octokit({ baseUrl: fake.apiUrl, request: { retries: 0 }, log: quiet })
    await expect(anonymous.rest.pulls.get({ owner, repo: name, pull_number: 7 })).rejects.toMatchObject({ status: 401 })
    const wrong = new Octokit({ auth: 'ghs_wrong', baseUrl: fake.apiUrl, log: quiet })
    await expect(wrong.rest.pulls.get({ owner, repo: name, pull_number: 7 })).rejects.toMatchObject({ status: 401 })
    expect(fake.requests.at(-1)?.headers.authorization).toBeUndefined()
    fake.violations.splice(start)
  })

  it('creates and updates check runs, appending annotations', async () => {
    const annotation = { path: 'deploy/app.yaml', start_line: 5, end_line: 5, annotation_level: 'failure' as const, message: 'm' }
    const created = await octokit.rest.checks.create({ owner, repo: name, name: 'kube-ratchet', head_sha: repo.headSha, status: 'completed', conclusion: 'failure', output: { title: 't', summary: 's', annotations: [annotation] } })
    await octokit.rest.checks.update({ owner, repo: name, check_run_id: created.data.id, output: { title: 't', summary: 's2', annotations: [annotation, annotation] } })
    const run = fake.checkRuns.find((c) => c.id === created.data.id)
    expect(run).toMatchObject({ conclusion: 'failure', status: 'completed', output: { summary: 's2' } })
    expect(run?.annotations).toHaveLength(3)
    const listed = await octokit.rest.checks.listForRef({ owner, repo: name, ref: repo.headSha, check_name: 'kube-ratchet' })
    expect(listed.data.check_runs.map((c) => c.id)).toEqual([created.data.id])
  })

  it('serves the merge base, trees and blobs from git', async () => {
    const compare = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo: name, basehead: `${repo.baseSha}...${repo.headSha}` })
    expect(compare.data.merge_base_commit.sha).toBe(repo.mergeBaseSha)
    const tree = await octokit.rest.git.getTree({ owner, repo: name, tree_sha: repo.headSha, recursive: 'true' })
    const entry = tree.data.tree.find((e) => e.path === 'deploy/app.yaml')
    expect(entry?.type).toBe('blob')
    const blob = await octokit.rest.git.getBlob({ owner, repo: name, file_sha: entry?.sha as string })
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(repo.show(repo.headSha, 'deploy/app.yaml'))
    const contents = await octokit.rest.repos.getContent({ owner, repo: name, path: 'deploy/app.yaml', ref: repo.headSha })
    expect(Buffer.from((contents.data as { content: string }).content, 'base64').toString('utf8')).toBe(repo.show(repo.headSha, 'deploy/app.yaml'))
  })

  it('answers GraphQL review threads and resolves one', async () => {
    const human = fake.addComment({ path: 'deploy/app.yaml', line: 6, body: 'why?', user: REVIEWER })
    const query = `query($owner: String!, $name: String!, $number: Int!, $after: String) {
      repository(owner: $owner, name: $name) { pullRequest(number: $number) {
        reviewThreads(first: 2, after: $after) { pageInfo { hasNextPage endCursor }
          nodes { id isResolved isOutdated path line comments(first: 10) { nodes { databaseId body author { __typename login } viewerDidAuthor } } } } } } }`
    type Page = { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number; author: { login: string } }[] } }[] } } } }
    const threads: Page['repository']['pullRequest']['reviewThreads']['nodes'] = []
    let after: string | null = null
    for (;;) {
      const page: Page = await octokit.graphql<Page>(query, { owner, name, number: 7, after })
      threads.push(...page.repository.pullRequest.reviewThreads.nodes)
      if (!page.repository.pullRequest.reviewThreads.pageInfo.hasNextPage) break
      after = page.repository.pullRequest.reviewThreads.pageInfo.endCursor
    }
    expect(threads).toHaveLength(3)
    // GraphQL names the app without "[bot]".
    expect(threads[0]?.comments.nodes[0]?.author.login).toBe('github-actions')
    expect(threads[2]?.comments.nodes[0]).toMatchObject({ databaseId: human.id, author: { login: REVIEWER.login } })
    const target = threads[0] as { id: string }
    await octokit.graphql('mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { thread { id isResolved } } }', { id: target.id })
    expect(fake.threads.find((t) => t.id === target.id)?.isResolved).toBe(true)
    expect(fake.mutations).toEqual([{ name: 'resolveReviewThread', input: { threadId: target.id } }])
  })

  it('records GraphQL queries that GitHub would refuse', async () => {
    const start = fake.violations.length
    await expect(octokit.graphql('query { repository(owner: "acme", name: "shop") { pullRequest(number: 7) { reviewThreads { nodes { id } } } } }')).rejects.toThrow(/first/)
    await expect(octokit.graphql('query { repository(owner: "acme", name: "shop") { pullRequest(number: 7) { noSuchField } } }')).rejects.toThrow(/noSuchField/)
    expect(fake.violations.slice(start)).toHaveLength(2)
    fake.violations.splice(start)
  })

  it('injects faults: a queue of failures, then success; "succeed, then 502"', async () => {
    fake.inject('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', FAULTS.serverError(500), FAULTS.secondaryRateLimit(1))
    await expect(octokit.rest.pulls.get({ owner, repo: name, pull_number: 7 })).rejects.toMatchObject({ status: 500 })
    const limited = await octokit.rest.pulls.get({ owner, repo: name, pull_number: 7 }).catch((e: { status: number; response: { headers: Record<string, string> } }) => e)
    expect(limited).toMatchObject({ status: 403, response: { headers: { 'retry-after': '1' } } })
    expect((await octokit.rest.pulls.get({ owner, repo: name, pull_number: 7 })).data.head.sha).toBe(repo.headSha)

    const before = fake.reviews.length
    fake.inject('POST', /\/reviews$/, FAULTS.createdThenBadGateway())
    await expect(octokit.rest.pulls.createReview({ owner, repo: name, pull_number: 7, event: 'COMMENT', body: 'hidden' })).rejects.toMatchObject({ status: 502 })
    expect(fake.reviews.length).toBe(before + 1)
    expect(fake.pendingFaults()).toEqual([])
  })

  it('injects a read-only 403 for one operation', async () => {
    fake.inject('POST', '/repos/{owner}/{repo}/check-runs', FAULTS.readOnly())
    await expect(octokit.rest.checks.create({ owner, repo: name, name: 'x', head_sha: repo.headSha })).rejects.toMatchObject({ status: 403, message: expect.stringContaining('Resource not accessible by integration') })
    expect(fake.pendingFaults()).toEqual([])
  })

  it('answers 403 for writes with a read-only token', async () => {
    fake.readOnly = true
    try {
      await expect(octokit.rest.checks.create({ owner, repo: name, name: 'x', head_sha: repo.headSha })).rejects.toMatchObject({ status: 403, message: expect.stringContaining('Resource not accessible by integration') })
      expect((await octokit.rest.pulls.get({ owner, repo: name, pull_number: 7 })).status).toBe(200)
    } finally {
      fake.readOnly = false
    }
  })

  it('re-anchors or outdates comments when the author pushes', async () => {
    const comment = fake.comments.find((c) => c.line === 5) as { id: number }
    repo.push({ 'deploy/app.yaml': repo.show(repo.headSha, 'deploy/app.yaml').replace('line 5 changed\n', 'line 5 fixed\n') })
    fake.updatePull({ headSha: repo.headSha })
    const moved = await octokit.rest.pulls.getReviewComment({ owner, repo: name, comment_id: comment.id })
    expect(moved.data.line).toBeNull()
    expect(fake.comments.find((c) => c.start_line === 3)?.line).toBe(7)
  })

  it('has no violations left from these tests', () => {
    expect(fake.violations).toEqual([])
  })
})

describe('the harness helpers', () => {
  it('parses GITHUB_OUTPUT and workflow commands as @actions/core writes them', () => {
    expect(parseOutputs('new<<ghadelimiter_1\n3\nghadelimiter_1\nreport<<ghadelimiter_2\n/tmp/r.json\nghadelimiter_2\n')).toEqual({ new: '3', report: '/tmp/r.json' })
    expect(parseCommands('::error file=a%2Cb.yaml,line=3,title=T%3A x::m%0Aline 2\nplain')).toEqual([
      { command: 'error', properties: { file: 'a,b.yaml', line: '3', title: 'T: x' }, message: 'm\nline 2' },
    ])
    expect(suggestionOf('x\n\n````suggestion\na ``` b\n````\n\n<!-- m -->')).toBe('a ``` b\n')
    expect(suggestionOf('```suggestion\n```')).toBe('')
  })

  it('refuses and logs connections to anywhere but the allowed address', async () => {
    const dir = tempDir('guard')
    const log = join(dir, 'net.log')
    const script = `try { await fetch('http://127.0.0.1:45678/x') } catch (e) { console.log('refused', e.cause?.code ?? e.code) }`
    const child = spawn(process.execPath, ['--import', new URL('./net-guard.mjs', import.meta.url).href, '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', KR_NET_ALLOW: '127.0.0.1:45679', KR_NET_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise((resolve) => child.once('close', resolve))
    expect(out).toContain('refused')
    expect(readFileSync(log, 'utf8')).toContain('"target":"127.0.0.1:45678"')
  })
})
