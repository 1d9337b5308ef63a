/**
 * A busy pull request: 130 changed files before the manifest that matters (its patch is on the
 * second page of `GET /pulls/{n}/files`), 105 review threads by people before the bot's (the
 * bot's comments on the second page, its threads on the second GraphQL page). The action must
 * read every page: to comment on the right file, to not repeat itself, to resolve its thread.
 * Pages beyond the first do not count against the call budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPaginationRequest, REVIEWER } from './fake-github.js'
import { cleanupTemp, ensureActionBundle, PullRepo, type ActionRun } from './harness.js'
import {
  API_DEPLOYMENT,
  BASE_FILES,
  expectClean,
  fingerprintIn,
  LIST_COMMENTS,
  LIST_FILES,
  MAIN_AFTER_BRANCH,
  newFindings,
  PR_CHANGES,
  PullRequestSetup,
  REVIEWS,
} from './scenario.js'

const CONFIG_MAPS = 130
const HUMAN_THREADS = 105

function configMaps(): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < CONFIG_MAPS; i++) {
    const n = String(i).padStart(3, '0')
    files[`deploy/aaa-config/cm-${n}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${n}\n  namespace: shop\ndata:\n  LOG_LEVEL: info\n`
  }
  return files
}

let setup: PullRequestSetup
let first: ActionRun
let second: ActionRun
let third: ActionRun
const marks: number[] = []

beforeAll(async () => {
  await ensureActionBundle()
  setup = await new PullRequestSetup(new PullRepo({ base: BASE_FILES, head: { ...configMaps(), ...PR_CHANGES }, baseAfterBranch: MAIN_AFTER_BRANCH })).start({ checkout: 'full' })
  for (let i = 0; i < HUMAN_THREADS; i++) {
    setup.fake.addComment({ path: `deploy/aaa-config/cm-${String(i).padStart(3, '0')}.yaml`, line: 7, body: `Is info the right level here? (${i})`, user: REVIEWER })
  }
  marks.push(setup.fake.requests.length)
  first = await setup.run()
  marks.push(setup.fake.requests.length)
  second = await setup.run()
  marks.push(setup.fake.requests.length)
  const head = setup.repo.show(setup.repo.headSha, API_DEPLOYMENT)
  setup.push({ [API_DEPLOYMENT]: head.replace('      hostPID: true\n', '') }, 'full')
  third = await setup.run()
})

afterAll(async () => {
  await setup?.close()
  cleanupTemp()
})

function between(from: number, to: number | undefined): typeof setup.fake.requests {
  return setup.fake.requests.filter((r) => r.seq > from && (to === undefined || r.seq <= to))
}

describe('a pull request with many files and many threads', () => {
  it('keeps the hygiene in every run', () => {
    expectClean(setup, first)
    expectClean(setup, second)
    expectClean(setup, third)
  })

  it('reads every page of files and comments, and comments on the file from page 2', () => {
    const requests = between(marks[0] as number, marks[1])
    expect(requests.filter((r) => r.operation === LIST_FILES).map((r) => Number(r.query.page ?? 1))).toEqual([1, 2])
    expect(requests.filter((r) => r.operation === LIST_COMMENTS).map((r) => Number(r.query.page ?? 1))).toEqual([1, 2])
    const comments = setup.botComments()
    expect(comments.length).toBeGreaterThan(0)
    expect(comments.every((c) => c.path === API_DEPLOYMENT)).toBe(true)
    const fingerprints = new Set(newFindings(first).map((f) => f.fingerprint))
    for (const c of comments) expect(fingerprints.has(fingerprintIn(c.body) ?? '')).toBe(true)
  })

  it('does not count pages beyond the first against the budget of 6 calls', () => {
    const requests = between(marks[0] as number, marks[1])
    expect(requests.filter((r) => Number(r.query.page ?? 1) > 1).length).toBeGreaterThanOrEqual(2)
    expect(requests.filter((r) => !isPaginationRequest(r)).length).toBeLessThanOrEqual(6)
  })

  it('finds its own comments on page 2 and posts nothing again', () => {
    expect(between(marks[1] as number, marks[2]).filter((r) => r.operation === REVIEWS)).toEqual([])
    expect(setup.fake.reviews.filter((r) => r.user.type === 'Bot')).toHaveLength(1)
  })

  it('finds its thread on the second GraphQL page and resolves it, and only it', () => {
    const graphql = between(marks[2] as number, undefined).filter((r) => r.operation === 'graphql query')
    expect(graphql.length, setup.explain(third)).toBeGreaterThanOrEqual(2)
    expect(setup.fake.mutations.map((m) => m.name)).toEqual(['resolveReviewThread'])
    const hostPid = newFindings(first).find((f) => f.ruleId === 'pss-host-namespaces')
    const thread = setup.fake.threadOf(setup.botComments().find((c) => fingerprintIn(c.body) === hostPid?.fingerprint)?.id ?? -1)
    expect(thread?.isResolved).toBe(true)
    expect(setup.fake.threads.filter((t) => t.isResolved)).toHaveLength(1)
  })
})
