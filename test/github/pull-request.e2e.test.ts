/**
 * The action on a pull request, end to end: `node dist/index.js` as a runner starts it, against
 * the fake GitHub. First run: one review with comments on the changed lines and suggestions equal
 * to the verified fixes, a failing check with every finding annotated, outputs and job summary.
 * Second run on the same head: nothing new is posted. After the author fixes a finding: its
 * thread is resolved, and the reviewer's comments are left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REVIEWER } from './fake-github.js'
import { sideHunks } from './git.js'
import { asSuggestion, cleanupTemp, ensureActionBundle, suggestionOf, type ActionRun } from './harness.js'
import {
  API_DEPLOYMENT,
  CHECK_CREATE,
  expectClean,
  fingerprintIn,
  lineOf,
  LIST_COMMENTS,
  LIST_FILES,
  NETWORK_POLICY,
  newFindings,
  PullRequestSetup,
  REVIEWS,
  shopPullRequest,
  WEB_DEPLOYMENT,
  type Finding,
} from './scenario.js'

let setup: PullRequestSetup
let first: ActionRun

beforeAll(async () => {
  await ensureActionBundle()
  setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'shallow' })
  first = await setup.run()
})

afterAll(async () => {
  await setup?.close()
  cleanupTemp()
})

/** Where a finding's comment must go, by the rules GitHub and the issue set (null: outside the diff). */
function expectedAnchor(finding: Finding): { line: number; startLine: number | null; suggestion: boolean } | null {
  const file = setup.fake.pullFiles().find((f) => f.filename === finding.file && f.status !== 'removed')
  const hunks = sideHunks(file?.patch, 'RIGHT')
  const inOneHunk = (start: number, end: number): boolean =>
    hunks.some((h) => Array.from({ length: end - start + 1 }, (_, i) => start + i).every((l) => h.includes(l)))
  const only = finding.fix?.replacements.length === 1 ? finding.fix.replacements[0] : undefined
  if (only && inOneHunk(only.startLine, only.endLine)) {
    return { line: only.endLine, startLine: only.startLine < only.endLine ? only.startLine : null, suggestion: true }
  }
  if (inOneHunk(finding.line, finding.endLine)) return { line: finding.endLine, startLine: finding.line < finding.endLine ? finding.line : null, suggestion: false }
  if (hunks.some((h) => h.includes(finding.line))) return { line: finding.line, startLine: null, suggestion: false }
  return null
}

describe('the first run on a pull request', () => {
  it('keeps the hygiene: valid requests only, no other host, no token in any output, no crash', () => {
    expectClean(setup, first)
  })

  it('fails the step (exit code 1) because a new finding is at or above fail-on: high', () => {
    expect(first.code, setup.explain(first)).toBe(1)
    expect(first.commands.some((c) => c.command === 'error' && c.message.includes('fail-on'))).toBe(true)
  })

  it('compares the merge base with the head: changes that landed on main meanwhile are not reported', () => {
    expect(first.report).not.toBeNull()
    const files = new Set(first.report?.findings.map((f) => f.file))
    expect(files.has(WEB_DEPLOYMENT)).toBe(false)
    expect(files.has(API_DEPLOYMENT)).toBe(true)
  })

  it('posts exactly one review, event COMMENT, on the head commit, marked with the head sha', () => {
    const posts = setup.fake.requestsFor(REVIEWS)
    expect(posts, setup.explain(first)).toHaveLength(1)
    expect(setup.fake.reviews).toHaveLength(1)
    const body = posts[0]?.body as { commit_id: string; event: string; body: string }
    expect(body.event).toBe('COMMENT')
    expect(body.commit_id).toBe(setup.repo.headSha)
    expect(body.body).toContain(`<!-- kube-ratchet:review head=${setup.repo.headSha} -->`)
  })

  it('puts each commentable new finding on its lines, the rest outside the review', () => {
    const news = newFindings(first)
    expect(news.length).toBeGreaterThanOrEqual(4)
    const comments = setup.botComments()
    for (const finding of news) {
      const anchor = expectedAnchor(finding)
      const mine = comments.filter((c) => fingerprintIn(c.body) === finding.fingerprint)
      if (anchor === null) {
        expect(mine, `${finding.ruleId} at ${finding.file}:${finding.line} is outside the diff`).toEqual([])
        continue
      }
      expect(mine, `${finding.ruleId} at ${finding.file}:${finding.line}`).toHaveLength(1)
      expect(mine[0]).toMatchObject({ path: finding.file, line: anchor.line, start_line: anchor.startLine, side: 'RIGHT' })
    }
    // Hand-checked anchors: the line the author added, and a finding in a deleted file.
    const head = setup.repo.show(setup.repo.headSha, API_DEPLOYMENT)
    const hostPid = news.find((f) => f.ruleId === 'pss-host-namespaces')
    expect(hostPid?.line).toBe(lineOf(head, 'hostPID: true'))
    expect(comments.find((c) => fingerprintIn(c.body) === hostPid?.fingerprint)?.line).toBe(lineOf(head, 'hostPID: true'))
    const capability = news.find((f) => f.ruleId === 'pss-capabilities-baseline')
    expect(comments.find((c) => fingerprintIn(c.body) === capability?.fingerprint)?.line).toBe(lineOf(head, 'NET_ADMIN'))
    const removed = news.find((f) => f.file === NETWORK_POLICY)
    expect(removed).toBeDefined()
    expect(comments.some((c) => c.path === NETWORK_POLICY)).toBe(false)
  })

  it('offers each verified fix as a suggestion block equal to its replacement text', () => {
    let suggestions = 0
    for (const finding of newFindings(first)) {
      const anchor = expectedAnchor(finding)
      const comment = setup.botComments().find((c) => fingerprintIn(c.body) === finding.fingerprint)
      if (!comment) continue
      const suggestion = suggestionOf(comment.body)
      if (anchor?.suggestion) {
        const replacement = finding.fix?.replacements[0]
        expect(suggestion, comment.body).toBe(asSuggestion(replacement?.text ?? '<none>'))
        suggestions++
      } else {
        expect(suggestion, comment.body).toBeNull()
        if (finding.fix) expect(comment.body).toMatch(/^`{3,}diff$/m)
      }
    }
    expect(suggestions).toBeGreaterThanOrEqual(3)
    // The hostPID fix deletes the line: an empty suggestion.
    const hostPid = newFindings(first).find((f) => f.ruleId === 'pss-host-namespaces')
    expect(suggestionOf(setup.botComments().find((c) => fingerprintIn(c.body) === hostPid?.fingerprint)?.body ?? '')).toBe('')
  })

  it('writes each comment as severity, title, what and why, a rule link and the hidden marker', () => {
    for (const comment of setup.botComments()) {
      const finding = newFindings(first).find((f) => f.fingerprint === fingerprintIn(comment.body))
      expect(finding, comment.body).toBeDefined()
      expect(comment.body).toContain(finding?.title)
      expect(comment.body).toMatch(new RegExp(`docs/rules/${finding?.ruleId}\\.md`))
      expect(comment.body).toMatch(/(Critical|High|Medium|Low|Info)/)
      expect(comment.body.trimEnd().endsWith(`<!-- kube-ratchet:fp=${finding?.fingerprint} -->`)).toBe(true)
    }
  })

  it('creates a failing check run on the head commit, with every new finding annotated', () => {
    const runs = setup.fake.checkRuns
    expect(runs, setup.explain(first)).toHaveLength(1)
    const run = runs[0]
    const news = newFindings(first)
    expect(run).toMatchObject({ name: 'kube-ratchet', head_sha: setup.repo.headSha, status: 'completed', conclusion: 'failure' })
    expect(run?.output.title).toMatch(/^\d+ new security regressions? \(.*\d+ high.*\)$/)
    expect(run?.output.title).toContain(`${news.length} new`)
    expect(run?.annotations.map((a) => `${a.path}:${a.start_line}`).sort()).toEqual(news.map((f) => `${f.file}:${f.line}`).sort())
    for (const a of run?.annotations ?? []) expect(['failure', 'warning', 'notice']).toContain(a.annotation_level)
    const high = news.filter((f) => f.severity === 'high' || f.severity === 'critical')
    expect(run?.annotations.filter((a) => a.annotation_level === 'failure')).toHaveLength(high.length)
    // The finding in the deleted file is in the check run's summary.
    expect(run?.output.summary).toContain(NETWORK_POLICY)
  })

  it('sets the outputs and writes the JSON report', () => {
    const news = newFindings(first)
    expect(first.outputs).toMatchObject({ new: String(news.length), fixed: '0', failed: 'true' })
    expect(Number(first.outputs.unchanged)).toBe(first.report?.summary.unchanged)
    expect(first.outputs.report).toBeTruthy()
    expect(first.report?.summary.new).toBe(news.length)
  })

  it('writes the check run summary to the job summary', () => {
    const check = setup.fake.checkRuns[0]
    expect(first.summary.length).toBeGreaterThan(100)
    expect(first.summary).toContain(check?.output.summary?.trim().split('\n')[0])
    for (const f of newFindings(first)) expect(first.summary).toContain(`${f.file}:${f.line}`)
  })

  it('stays within 6 API calls (besides pagination) for a pull request with at most 50 findings', () => {
    expect(newFindings(first).length).toBeLessThanOrEqual(50)
    const calls = setup.fake.calls()
    expect(calls.length, calls.map((c) => `${c.method} ${c.path}`).join('\n')).toBeLessThanOrEqual(6)
    expect(setup.fake.requestsFor(LIST_FILES).length).toBeGreaterThanOrEqual(1)
    expect(setup.fake.requestsFor(CHECK_CREATE)).toHaveLength(1)
  })

  it('lists the files and comments with per_page=100 (few pages)', () => {
    for (const op of [LIST_FILES, LIST_COMMENTS]) {
      for (const r of setup.fake.requestsFor(op)) expect(Number(r.query.per_page ?? 30)).toBe(100)
    }
  })
})

describe('a second run on the same head', () => {
  let second: ActionRun
  let from: number
  beforeAll(async () => {
    from = setup.fake.requests.length
    second = await setup.run()
  })

  it('keeps the hygiene', () => {
    expectClean(setup, second)
  })

  it('posts no review and no comment: everything was said', () => {
    const writes = setup.requestsSince(from).filter((r) => r.method !== 'GET' && r.operation !== 'graphql query')
    expect(writes.map((r) => r.operation), setup.explain(second)).toEqual([CHECK_CREATE])
    expect(setup.fake.reviews).toHaveLength(1)
    expect(setup.botComments()).toHaveLength(setup.fake.reviews[0]?.commentIds.length ?? -1)
    expect(setup.fake.mutations).toEqual([])
  })

  it('still reports every finding in the check run and keeps the exit code', () => {
    expect(second.code).toBe(1)
    const latest = setup.fake.checkRuns.at(-1)
    expect(latest?.conclusion).toBe('failure')
    expect(latest?.annotations).toHaveLength(newFindings(second).length)
    expect(second.outputs.new).toBe(first.outputs.new)
  })
})

describe('a run after the author fixed a finding', () => {
  let third: ActionRun
  let from: number
  let hostPidThread: string
  let humanComment: number
  let humanReply: number
  let quoting: number

  beforeAll(async () => {
    const hostPid = newFindings(first).find((f) => f.ruleId === 'pss-host-namespaces')
    const botComment = setup.botComments().find((c) => fingerprintIn(c.body) === hostPid?.fingerprint)
    if (!botComment) throw new Error('no hostPID comment from the first run')
    hostPidThread = botComment.threadId
    // A reviewer comments on a line of their own, replies in another bot thread, and quotes a marker.
    const head = setup.repo.show(setup.repo.headSha, API_DEPLOYMENT)
    humanComment = setup.fake.addComment({ path: API_DEPLOYMENT, line: lineOf(head, 'automountServiceAccountToken'), body: 'Do we need this?', user: REVIEWER }).id
    const capability = setup.botComments().find((c) => c.body.includes('pss-capabilities-baseline'))
    humanReply = setup.fake.addComment({ path: API_DEPLOYMENT, line: capability?.line ?? 1, body: 'NET_ADMIN is needed for the VPN sidecar.', inReplyTo: capability?.id as number, user: REVIEWER }).id
    quoting = setup.fake.addComment({
      path: API_DEPLOYMENT,
      line: lineOf(head, 'hostPID: true'),
      body: `> The pod sets hostPID: true.\n\nAgreed, removing it. <!-- kube-ratchet:fp=${hostPid?.fingerprint} -->`,
      user: REVIEWER,
    }).id
    // The author removes hostPID.
    setup.push({ [API_DEPLOYMENT]: head.replace('      hostPID: true\n', '') })
    from = setup.fake.requests.length
    third = await setup.run()
  })

  it('keeps the hygiene', () => {
    expectClean(setup, third)
  })

  it('no longer reports the fixed finding', () => {
    expect(newFindings(third).some((f) => f.ruleId === 'pss-host-namespaces')).toBe(false)
    expect(newFindings(third).length).toBe(newFindings(first).length - 1)
  })

  it('resolves the thread of the fixed finding with the GraphQL mutation', () => {
    const mutations = setup.requestsSince(from).filter((r) => r.operation === 'graphql mutation')
    expect(mutations.length, setup.explain(third)).toBeGreaterThanOrEqual(1)
    expect(setup.fake.mutations.map((m) => m.name)).toEqual(['resolveReviewThread'])
    expect(setup.fake.mutations[0]?.input.threadId).toBe(hostPidThread)
    expect(setup.fake.threads.find((t) => t.id === hostPidThread)?.isResolved).toBe(true)
  })

  it("never touches people's comments or threads, and deletes nothing", () => {
    for (const id of [humanComment, humanReply, quoting]) {
      const comment = setup.fake.comments.find((c) => c.id === id)
      expect(comment?.deleted).toBeUndefined()
      expect(comment?.updated_at).toBe(comment?.created_at)
    }
    expect(setup.fake.threadOf(humanComment)?.isResolved).toBe(false)
    expect(setup.fake.threadOf(quoting)?.isResolved).toBe(false)
    // The thread a reviewer replied in stays open: its finding is still there.
    expect(setup.fake.threadOf(humanReply)?.isResolved).toBe(false)
    const writes = setup.requestsSince(from).filter((r) => ['PATCH', 'DELETE', 'PUT'].includes(r.method) && r.path.includes('/pulls/'))
    expect(writes).toEqual([])
    expect(setup.fake.comments.filter((c) => c.user.type === 'User').every((c) => !c.deleted)).toBe(true)
  })

  it('posts no new review when nothing new appeared', () => {
    expect(setup.fake.reviews.filter((r) => r.user.type === 'Bot')).toHaveLength(1)
    expect(setup.requestsSince(from).filter((r) => r.operation === REVIEWS)).toEqual([])
  })

  it('reports the check on the new head', () => {
    const latest = setup.fake.checkRuns.at(-1)
    expect(latest?.head_sha).toBe(setup.repo.headSha)
    expect(latest?.annotations).toHaveLength(newFindings(third).length)
  })
})

describe('a push that brings a new finding', () => {
  let fourth: ActionRun
  let from: number
  let before: Set<string | null>
  beforeAll(async () => {
    before = new Set(setup.botComments().map((c) => fingerprintIn(c.body)))
    const head = setup.repo.show(setup.repo.headSha, API_DEPLOYMENT)
    setup.push({
      [API_DEPLOYMENT]: `${head}        - name: debug\n          image: ghcr.io/acme/toolbox@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0\n          securityContext:\n            privileged: true\n`,
    })
    from = setup.fake.requests.length
    fourth = await setup.run()
  })

  it('keeps the hygiene', () => {
    expectClean(setup, fourth)
  })

  it('posts one more review with comments for the new findings only', () => {
    expect(setup.requestsSince(from).filter((r) => r.operation === REVIEWS)).toHaveLength(1)
    const review = setup.fake.reviews.at(-1)
    expect(review?.commit_id).toBe(setup.repo.headSha)
    expect(review?.body).toContain(`<!-- kube-ratchet:review head=${setup.repo.headSha} -->`)
    const added = setup.botComments().filter((c) => c.pull_request_review_id === review?.id)
    expect(added.length).toBeGreaterThan(0)
    for (const c of added) {
      expect(before.has(fingerprintIn(c.body)), c.body).toBe(false)
      expect(c.body).toMatch(/debug/)
    }
    const privileged = newFindings(fourth).find((f) => f.ruleId === 'pss-privileged')
    expect(privileged?.severity).toBe('critical')
    expect(added.some((c) => fingerprintIn(c.body) === privileged?.fingerprint)).toBe(true)
    // One comment per finding across all runs.
    const all = setup.botComments().map((c) => fingerprintIn(c.body))
    expect(new Set(all).size).toBe(all.length)
  })

  it('fails the check with a critical in its title', () => {
    expect(setup.fake.checkRuns.at(-1)?.output.title).toMatch(/1 critical/)
    expect(fourth.code).toBe(1)
  })
})
