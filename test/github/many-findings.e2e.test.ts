/**
 * A pull request with hundreds of new findings: annotations go out 50 per request (the create,
 * then PATCHes), at most 30 inline comments (the most severe), the rest in the review body, and
 * every text under GitHub's 65,535-character limit with a truncation note. Nothing is dropped:
 * every finding is annotated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanupTemp, ensureActionBundle, PullRepo, type ActionRun } from './harness.js'
import { BASE_FILES, CHECK_CREATE, CHECK_UPDATE, expectClean, fingerprintIn, newFindings, PullRequestSetup, REVIEWS } from './scenario.js'

const DEPLOYMENTS = 21

function batchJobs(count: number): string {
  const docs: string[] = []
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: job-${i}
  namespace: batch
spec:
  selector:
    matchLabels:
      app: job-${i}
  template:
    metadata:
      labels:
        app: job-${i}
    spec:
      hostNetwork: true
      containers:
        - name: worker
          image: busybox:latest
          securityContext:
            privileged: true
`)
  }
  return docs.join('---\n')
}

let setup: PullRequestSetup
let run: ActionRun

beforeAll(async () => {
  await ensureActionBundle()
  setup = await new PullRequestSetup(new PullRepo({ base: BASE_FILES, head: { 'deploy/batch/jobs.yaml': batchJobs(DEPLOYMENTS) } })).start({ checkout: 'full' })
  run = await setup.run()
})

afterAll(async () => {
  await setup?.close()
  cleanupTemp()
})

describe('a pull request with hundreds of new findings', () => {
  it('keeps the hygiene: every request valid (≤ 50 annotations each, texts within limits)', () => {
    expectClean(setup, run)
    expect(newFindings(run).length).toBeGreaterThan(150)
    expect(run.code).toBe(1)
  })

  it('annotates every finding, 50 per request: one create, then PATCH batches', () => {
    const news = newFindings(run)
    const create = setup.fake.requestsFor(CHECK_CREATE)
    const updates = setup.fake.requestsFor(CHECK_UPDATE)
    expect(create).toHaveLength(1)
    const sizes = [...create, ...updates].map((r) => ((r.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length)
    expect(sizes[0]).toBe(50)
    expect(sizes.every((n) => n <= 50)).toBe(true)
    expect(updates.length).toBe(Math.ceil(news.length / 50) - 1)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(news.length)
    const check = setup.fake.checkRuns[0]
    expect(check?.annotations.map((a) => `${a.path}:${a.start_line} ${a.title ?? ''}`).sort()).toEqual(
      news.map((f) => `${f.file}:${f.line} ${f.severity}: ${f.title} (${f.ruleId})`).sort(),
    )
    expect(check?.conclusion).toBe('failure')
  })

  it('keeps the check summary under 65,535 characters, with a truncation note', () => {
    const summary = setup.fake.checkRuns[0]?.output.summary ?? ''
    expect(summary.length).toBeLessThanOrEqual(65_535)
    expect(summary).toMatch(/truncated/i)
    expect(run.summary.length).toBeGreaterThan(1000)
  })

  it('posts one review with at most 30 inline comments, the most severe ones', () => {
    expect(setup.fake.requestsFor(REVIEWS)).toHaveLength(1)
    expect(setup.fake.reviews).toHaveLength(1)
    const comments = setup.botComments()
    expect(comments.length).toBe(30)
    const critical = newFindings(run).filter((f) => f.severity === 'critical')
    const commented = new Set(comments.map((c) => fingerprintIn(c.body)))
    for (const f of critical) expect(commented.has(f.fingerprint), `${f.ruleId} ${f.file}:${f.line}`).toBe(true)
  })

  it('lists the rest in the review body, within the limit', () => {
    const body = setup.fake.reviews[0]?.body ?? ''
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toMatch(/30 are commented inline/)
    expect(body).toContain(`<!-- kube-ratchet:review head=${setup.repo.headSha} -->`)
  })
})
