/**
 * The action's inputs, set as a runner sets them (`INPUT_FAIL-ON`, `INPUT_CHECK-NAME`, …):
 * fail-on decides the check's conclusion and the exit code, check-name names the check run,
 * review: none posts no review, sarif writes a SARIF 2.1.0 file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanupTemp, ensureActionBundle, tempDir, type ActionRun } from './harness.js'
import { CHECK_CREATE, expectClean, newFindings, PullRequestSetup, REVIEWS, shopPullRequest } from './scenario.js'

const setups: PullRequestSetup[] = []

beforeAll(async () => {
  await ensureActionBundle()
})

afterAll(async () => {
  for (const s of setups) await s.close()
  cleanupTemp()
})

describe('fail-on: critical, a custom check name and a SARIF file', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  let sarif: string
  beforeAll(async () => {
    setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'full' })
    setups.push(setup)
    sarif = join(tempDir('sarif'), 'out', 'kube-ratchet.sarif')
    run = await setup.run({ inputs: { 'fail-on': 'critical', 'check-name': 'security / manifests', sarif } })
  })

  it('passes the check and the step: no new finding is critical', () => {
    expectClean(setup, run)
    expect(newFindings(run).some((f) => f.severity === 'critical')).toBe(false)
    expect(newFindings(run).some((f) => f.severity === 'high')).toBe(true)
    expect(run.code, setup.explain(run)).toBe(0)
    expect(run.outputs.failed).toBe('false')
    expect(setup.fake.checkRuns).toHaveLength(1)
    expect(setup.fake.checkRuns[0]).toMatchObject({ name: 'security / manifests', conclusion: 'success' })
    // No annotation is a failure when nothing fails the check.
    expect(setup.fake.checkRuns[0]?.annotations.some((a) => a.annotation_level === 'failure')).toBe(false)
  })

  it('still reviews the new findings', () => {
    expect(setup.fake.requestsFor(REVIEWS)).toHaveLength(1)
    expect(setup.botComments().length).toBeGreaterThan(0)
  })

  it('writes the SARIF file where asked and names it in the outputs', () => {
    expect(run.outputs.sarif).toBe(sarif)
    expect(existsSync(sarif)).toBe(true)
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: { results: unknown[] }[] }
    expect(log.version).toBe('2.1.0')
    expect(log.runs[0]?.results.length).toBeGreaterThanOrEqual(newFindings(run).length)
  })
})

describe('review: none and fail-on: none', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'full' })
    setups.push(setup)
    run = await setup.run({ inputs: { review: 'none', 'fail-on': 'none' } })
  })

  it('posts no review, creates a successful check, exits 0', () => {
    expectClean(setup, run)
    expect(setup.fake.requestsFor(REVIEWS)).toEqual([])
    expect(setup.fake.requests.filter((r) => r.path.includes('/pulls/'))).toEqual([])
    expect(setup.fake.requestsFor(CHECK_CREATE)).toHaveLength(1)
    expect(setup.fake.checkRuns[0]?.conclusion).toBe('success')
    expect(run.code).toBe(0)
    expect(run.outputs.new).toBe(String(newFindings(run).length))
    expect(setup.fake.checkRuns[0]?.annotations).toHaveLength(newFindings(run).length)
  })
})

describe('an invalid input', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'full' })
    setups.push(setup)
    run = await setup.run({ inputs: { 'fail-on': 'severe' } })
  })

  it('fails the step with a message naming the input, before calling GitHub', () => {
    expectClean(setup, run)
    expect(run.code).toBe(1)
    expect(run.commands.some((c) => c.command === 'error' && /fail-on/.test(c.message))).toBe(true)
    expect(setup.fake.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })
})
