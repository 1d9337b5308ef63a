/**
 * The action when GitHub misbehaves: 5xx answers (retried), secondary rate limits with
 * retry-after (waited for, then retried), a 422 for the review (posted again without inline
 * comments, nothing lost), a 502 that hides a created review or check run (no duplicate), and a
 * read-only token (workflow-command annotations and the job summary instead; the exit code kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAULTS } from './fake-github.js'
import { cleanupTemp, ensureActionBundle, type ActionRun } from './harness.js'
import {
  CHECK_CREATE,
  expectClean,
  fingerprintIn,
  LIST_COMMENTS,
  LIST_FILES,
  LIST_REVIEWS,
  newFindings,
  PullRequestSetup,
  REVIEWS,
  shopPullRequest,
} from './scenario.js'

const setups: PullRequestSetup[] = []

async function started(options: { readOnly?: boolean } = {}): Promise<PullRequestSetup> {
  const setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'full', ...options })
  setups.push(setup)
  return setup
}

beforeAll(async () => {
  await ensureActionBundle()
})

afterAll(async () => {
  for (const s of setups) await s.close()
  cleanupTemp()
})

/** Every new finding is somewhere a person sees it: an inline comment, the review body, or the check run. */
function expectNothingLost(setup: PullRequestSetup, run: ActionRun): void {
  const check = setup.fake.checkRuns.at(-1)
  for (const f of newFindings(run)) {
    const annotated = check?.annotations.some((a) => a.path === f.file && a.start_line === f.line)
    expect(annotated, `${f.ruleId} at ${f.file}:${f.line} annotated`).toBe(true)
    expect(check?.output.summary).toContain(`${f.file}:${f.line}`)
  }
}

describe('5xx answers to reads', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await started()
    setup.fake.inject('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', FAULTS.serverError(500))
    setup.fake.inject('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/comments', FAULTS.badGateway())
    run = await setup.run()
  })

  it('are retried, and the run goes on as usual', () => {
    expectClean(setup, run)
    expect(setup.fake.pendingFaults()).toEqual([])
    for (const op of [LIST_FILES, LIST_COMMENTS]) {
      expect(setup.fake.requestsFor(op).map((r) => r.status), setup.explain(run)).toEqual([expect.any(Number), 200])
      expect(setup.fake.requestsFor(op)[0]?.status).toBeGreaterThanOrEqual(500)
    }
    expect(setup.fake.reviews).toHaveLength(1)
    expect(setup.botComments().length).toBeGreaterThan(0)
    expect(setup.fake.checkRuns).toHaveLength(1)
    expect(run.code).toBe(1)
    expectNothingLost(setup, run)
  })
})

describe('a secondary rate limit with retry-after', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await started()
    setup.fake.inject('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/comments', FAULTS.secondaryRateLimit(1))
    setup.fake.inject('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', FAULTS.secondaryRateLimit(1))
    run = await setup.run()
  })

  it('is waited for, then the request is sent again: one review, nothing lost', () => {
    expectClean(setup, run)
    expect(setup.fake.pendingFaults()).toEqual([])
    for (const op of [LIST_COMMENTS, REVIEWS]) {
      const attempts = setup.fake.requestsFor(op)
      expect(attempts.map((r) => r.status), `${op}\n${setup.explain(run)}`).toEqual([403, op === REVIEWS ? 200 : 200])
      // retry-after: 1 means at least a second between the refusal and the new attempt.
      expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950)
    }
    expect(setup.fake.reviews).toHaveLength(1)
    expect(setup.botComments().length).toBeGreaterThan(0)
    expectNothingLost(setup, run)
  })
})

describe('a 422 for the review', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await started()
    setup.fake.inject('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', FAULTS.unprocessable())
    run = await setup.run()
  })

  it('keeps the hygiene', () => {
    expectClean(setup, run)
  })

  it('posts the review again without inline comments, every finding in its body', () => {
    const posts = setup.fake.requestsFor(REVIEWS)
    expect(posts.map((r) => r.status), setup.explain(run)).toEqual([422, 200])
    const refused = posts[0]?.body as { comments: { body: string }[] }
    const fallback = posts[1]?.body as { body: string; comments?: unknown[]; event: string; commit_id: string }
    expect(fallback.comments ?? []).toEqual([])
    expect(fallback.event).toBe('COMMENT')
    expect(fallback.commit_id).toBe(setup.repo.headSha)
    expect(setup.fake.reviews).toHaveLength(1)
    expect(setup.botComments()).toEqual([])
    // Each finding the first attempt commented on is listed in the body.
    const byFingerprint = new Map(newFindings(run).map((f) => [f.fingerprint, f]))
    expect(refused.comments.length).toBeGreaterThan(0)
    for (const c of refused.comments) {
      const f = byFingerprint.get(fingerprintIn(c.body) ?? '')
      expect(f).toBeDefined()
      expect(fallback.body).toContain(`${f?.file}:${f?.line}`)
    }
  })

  it('still annotates every finding in the check run and fails the step', () => {
    expectNothingLost(setup, run)
    expect(setup.fake.checkRuns[0]?.conclusion).toBe('failure')
    expect(run.code).toBe(1)
  })
})

describe('a 502 after the review was created', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await started()
    setup.fake.inject('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', FAULTS.createdThenBadGateway())
    setup.fake.inject('POST', '/repos/{owner}/{repo}/check-runs', FAULTS.createdThenBadGateway())
    run = await setup.run()
  })

  it('keeps the hygiene', () => {
    expectClean(setup, run)
    expect(setup.fake.pendingFaults()).toEqual([])
  })

  it('lists the reviews before anything is posted again: no duplicate review', () => {
    const posts = setup.fake.requestsFor(REVIEWS)
    expect(posts.map((r) => r.status), setup.explain(run)).toEqual([502])
    const list = setup.fake.requestsFor(LIST_REVIEWS)
    expect(list.length).toBeGreaterThanOrEqual(1)
    expect(list[0]?.seq).toBeGreaterThan(posts[0]?.seq ?? Infinity)
    expect(setup.fake.reviews).toHaveLength(1)
  })

  it('finds the check run it created instead of creating a second one', () => {
    expect(setup.fake.requestsFor(CHECK_CREATE)).toHaveLength(1)
    expect(setup.fake.checkRuns).toHaveLength(1)
    expect(setup.fake.checkRuns[0]?.conclusion).toBe('failure')
    expectNothingLost(setup, run)
    expect(run.code).toBe(1)
  })
})

describe('a read-only token (a pull request from a fork)', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await started({ readOnly: true })
    run = await setup.run()
  })

  it('keeps the hygiene: no crash, the token nowhere', () => {
    expectClean(setup, run)
    expect(run.signal).toBeNull()
  })

  it('keeps the exit code: the step fails on the new high findings', () => {
    expect(run.code).toBe(1)
    expect(run.outputs.failed).toBe('true')
  })

  it('shows every new finding as a workflow-command annotation on its file and line', () => {
    const news = newFindings(run)
    expect(news.length).toBeGreaterThan(0)
    for (const f of news) {
      const command = run.commands.find((c) => ['error', 'warning', 'notice'].includes(c.command) && c.properties.file === f.file && c.properties.line === String(f.line))
      expect(command, `${f.ruleId} at ${f.file}:${f.line}\n${setup.explain(run)}`).toBeDefined()
      if (f.severity === 'high' || f.severity === 'critical') expect(command?.command).toBe('error')
    }
  })

  it('writes the job summary and the outputs', () => {
    for (const f of newFindings(run)) expect(run.summary).toContain(`${f.file}:${f.line}`)
    expect(run.outputs.new).toBe(String(newFindings(run).length))
    expect(run.report).not.toBeNull()
  })

  it('tries each write once, and leaves nothing behind', () => {
    expect(setup.fake.requestsFor(REVIEWS).length).toBeLessThanOrEqual(1)
    expect(setup.fake.requestsFor(CHECK_CREATE).length).toBeLessThanOrEqual(1)
    expect(setup.fake.reviews).toEqual([])
    expect(setup.fake.checkRuns).toEqual([])
    for (const r of setup.fake.requests.filter((x) => x.method !== 'GET' && x.operation !== 'graphql query')) expect(r.status).toBe(403)
  })
})

describe('a token that turns read-only when a fixed finding should be resolved', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await started()
    await setup.run()
    const head = setup.repo.show(setup.repo.headSha, 'deploy/shop/api/deployment.yaml')
    setup.push({ 'deploy/shop/api/deployment.yaml': head.replace('      hostPID: true\n', '') }, 'full')
    setup.fake.readOnly = true
    run = await setup.run()
  })

  it('meets GraphQL FORBIDDEN errors without crashing, and keeps the exit code', () => {
    expectClean(setup, run)
    expect(run.code).toBe(1)
    expect(setup.fake.threads.every((t) => !t.isResolved)).toBe(true)
    expect(run.commands.some((c) => c.command === 'warning')).toBe(true)
  })

  it('still shows every new finding as a workflow-command annotation', () => {
    for (const f of newFindings(run)) {
      expect(run.commands.some((c) => c.properties.file === f.file && c.properties.line === String(f.line)), `${f.ruleId} ${f.file}:${f.line}`).toBe(true)
    }
  })
})
