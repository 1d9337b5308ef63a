import { describe, expect, it } from 'vitest'
import type { Report, ReportedFinding } from '../../src/model.js'
import { fingerprintMarker, reviewMarker } from '../../src/render/markdown/review.js'
import { publish, runBot, type BotDeps, type BotInputs } from '../../src/report/bot.js'
import type { BotEvent } from '../../src/report/event.js'
import type { GitPort } from '../../src/report/ports.js'
import { FakeGitHub, FakeRunner, httpError } from './fake-port.js'
import { addedLines, finding, fix, HEAD_SHA, BASE_SHA, report } from './fixtures.js'

const PR: BotEvent = { kind: 'pull_request', target: false, number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA, baseRef: 'main' }
const INPUTS: BotInputs = { failOn: 'high', configPath: '.github/kube-ratchet.yml', renderUntrusted: false, review: 'comment', checkName: 'kube-ratchet', sarif: null }
const noGit: GitPort = {
  available: async () => false,
  hasCommit: async () => false,
  fetchCommit: async () => false,
  mergeBase: async () => null,
  branchPoint: async () => null,
  source: () => {
    throw new Error('no git')
  },
}

function setup(files = { 'payments/api.yaml': addedLines(1, 200) }) {
  const github = new FakeGitHub()
  github.files = Object.entries(files).map(([filename, patch]) => ({ filename, status: 'modified', patch }))
  const out = new FakeRunner()
  const deps: Omit<BotDeps, 'pipeline'> = {
    inputs: INPUTS,
    env: {
      eventName: 'pull_request',
      payload: {},
      sha: undefined,
      repository: 'acme/shop',
      serverUrl: 'https://github.com',
      actionRepository: null,
      tempDir: '/tmp/runner',
      runToken: '4242.1.cafe',
    },
    git: noGit,
    github,
    out,
  }
  return { github, out, deps }
}

/** `n` new findings on lines 1..n, every fingerprint distinct. */
function findings(n: number, overrides: Partial<ReportedFinding> = {}): ReportedFinding[] {
  return Array.from({ length: n }, (_, i) => finding({ line: i + 1, endLine: i + 1, ...overrides }))
}

describe('a pull request with new findings', () => {
  it('posts one review on the right lines and one failing check, in four calls', async () => {
    const { github, out, deps } = setup()
    const withFix = finding({ line: 12, endLine: 12, fix: fix(12, '            privileged: false') })
    const range = finding({ line: 20, endLine: 22, severity: 'medium', ruleId: 'pss-run-as-non-root' })
    const r = report([withFix, range, finding({ status: 'fixed', line: 3 }), finding({ status: 'unchanged' })])
    const result = await publish(r, PR, deps)

    expect(github.calls.map((c) => c.method)).toEqual(['listPullFiles', 'listReviewComments', 'createReview', 'createCheckRun'])
    const review = github.reviews[0]?.input
    expect(review).toMatchObject({ commit_id: HEAD_SHA, event: 'COMMENT' })
    expect(review?.comments).toEqual([
      { path: 'payments/api.yaml', line: 12, side: 'RIGHT', body: expect.stringContaining('```suggestion\n            privileged: false\n```') },
      { path: 'payments/api.yaml', line: 22, start_line: 20, side: 'RIGHT', start_side: 'RIGHT', body: expect.stringContaining(fingerprintMarker(range.fingerprint)) },
    ])
    expect(review?.body).toContain(reviewMarker(HEAD_SHA))
    expect(review?.body).toContain('<!-- kube-ratchet:run=4242.1.cafe -->')

    const check = github.checkRuns[0]?.input
    expect(check).toMatchObject({
      name: 'kube-ratchet',
      head_sha: HEAD_SHA,
      status: 'completed',
      conclusion: 'failure',
      external_id: '4242.1.cafe',
      output: { title: '2 new security regressions (1 critical)' },
    })
    expect(check?.output.annotations?.map((a) => [a.start_line, a.end_line, a.annotation_level])).toEqual([
      [12, 12, 'failure'],
      [20, 22, 'warning'],
    ])
    expect(check?.output.summary).toContain('### New findings')

    expect(result.failed).toBe(true)
    expect(out.annotations).toEqual([])
    expect(out.summary).toBe(check?.output.summary)
    expect(out.outputs).toEqual({ new: '2', fixed: '1', unchanged: '1', failed: 'true', report: '/tmp/runner/kube-ratchet-report.json', sarif: '' })
    expect(JSON.parse(out.files.get('/tmp/runner/kube-ratchet-report.json') ?? '{}')).toMatchObject({ summary: { new: 2, fixed: 1 } })
  })

  it('passes the check when nothing new reaches fail-on, and posts no review when nothing is new', async () => {
    const { github, deps } = setup()
    const result = await publish(report([finding({ status: 'unchanged' })]), PR, deps)
    expect(github.calls.map((c) => c.method)).toEqual(['listPullFiles', 'listReviewComments', 'createCheckRun'])
    expect(github.checkRuns[0]?.input).toMatchObject({ conclusion: 'success', output: { title: 'No new security regressions' } })
    expect(github.checkRuns[0]?.input.output.annotations).toBeUndefined()
    expect(result.failed).toBe(false)
  })

  it('caps the review at 30 inline comments, lists the rest in its body, and keeps to 4 calls for 50 findings', async () => {
    const { github, deps } = setup()
    const many = findings(50)
    await publish(report(many), PR, deps)
    expect(github.count()).toBe(4)
    const review = github.reviews[0]?.input
    expect(review?.comments).toHaveLength(30)
    for (const f of many.slice(30)) expect(review?.body).toContain(`payments/api.yaml:${f.line}`)
    expect(github.checkRuns[0]?.input.output.annotations).toHaveLength(50)
    expect(github.count('updateCheckRun')).toBe(0)
  })

  it('sends annotations beyond 50 in updates of 50', async () => {
    const { github, deps } = setup()
    await publish(report(findings(120)), PR, deps)
    const run = github.checkRuns[0]
    expect(run?.input.output.annotations).toHaveLength(50)
    expect(run?.updates.map((u) => u.annotations?.length)).toEqual([50, 20])
    expect(run?.updates.every((u) => u.title === run.input.output.title && u.summary === run.input.output.summary)).toBe(true)
    const lines = [run?.input.output.annotations ?? [], ...(run?.updates.map((u) => u.annotations ?? []) ?? [])].flat().map((a) => a.start_line)
    expect(new Set(lines).size).toBe(120)
  })

  it('sends findings outside the diff to the check only, and posts no review when none is inside', async () => {
    const { github, deps } = setup({ 'payments/api.yaml': addedLines(1, 5) })
    const inside = finding({ line: 2, endLine: 2 })
    const outside = finding({ line: 50, endLine: 50 })
    const otherFile = finding({ file: 'untouched.yaml' })
    await publish(report([inside, outside, otherFile]), PR, deps)
    expect(github.reviews[0]?.input.comments.map((c) => c.line)).toEqual([2])
    expect(github.reviews[0]?.input.body).toContain('2 more new findings sit outside the diff: see the kube-ratchet check.')
    expect(github.checkRuns[0]?.input.output.annotations?.map((a) => `${a.path}:${a.start_line}`)).toEqual([
      'payments/api.yaml:2',
      'payments/api.yaml:50',
      'untouched.yaml:10',
    ])

    const second = setup({ 'payments/api.yaml': addedLines(1, 5) })
    await publish(report([outside, otherFile]), PR, second.deps)
    expect(second.github.count('createReview')).toBe(0)
    expect(second.github.checkRuns[0]?.input.output.annotations).toHaveLength(2)
  })

  it('posts no review with review: none, and none for a push', async () => {
    const none = setup()
    await publish(report(findings(3)), PR, { ...none.deps, inputs: { ...INPUTS, review: 'none' } })
    expect(none.github.calls.map((c) => c.method)).toEqual(['createCheckRun'])

    const push = setup()
    await publish(report(findings(3)), { kind: 'compare', eventName: 'push', baseSha: BASE_SHA, headSha: HEAD_SHA }, push.deps)
    expect(push.github.calls.map((c) => c.method)).toEqual(['createCheckRun'])
    expect(push.github.checkRuns[0]?.input.head_sha).toBe(HEAD_SHA)
  })

  it('writes SARIF when asked', async () => {
    const { out, deps } = setup()
    await publish(report(findings(2)), PR, { ...deps, inputs: { ...INPUTS, sarif: '/ws/results.sarif' } })
    expect(out.outputs.sarif).toBe('/ws/results.sarif')
    expect(JSON.parse(out.files.get('/ws/results.sarif') ?? '{}')).toMatchObject({ version: '2.1.0', runs: [{ results: [{}, {}] }] })
  })
})

describe('re-runs', () => {
  it('posts nothing already commented by the bot', async () => {
    const { github, deps } = setup()
    const [a, b] = findings(2)
    if (!a || !b) throw new Error('fixture')
    github.addComment(`old\n\n${fingerprintMarker(a.fingerprint)}`)
    await publish(report([a, b]), PR, deps)
    expect(github.reviews[0]?.input.comments.map((c) => c.body)).toEqual([expect.stringContaining(fingerprintMarker(b.fingerprint))])

    const again = setup()
    again.github.addComment(fingerprintMarker(a.fingerprint))
    again.github.addComment(fingerprintMarker(b.fingerprint))
    await publish(report([a, b]), PR, again.deps)
    expect(again.github.count('createReview')).toBe(0)
    expect(again.github.count('reviewThreads')).toBe(0)
  })

  it('does not count comments by people or replies as ours', async () => {
    const { github, deps } = setup()
    const [a] = findings(1)
    if (!a) throw new Error('fixture')
    github.addComment(`quoting the bot: ${fingerprintMarker(a.fingerprint)}`, { login: 'alice', type: 'User' })
    await publish(report([a]), PR, deps)
    expect(github.reviews[0]?.input.comments).toHaveLength(1)
  })

  it('resolves the open threads of findings that are gone, in one query and one mutation, and touches nothing else', async () => {
    const { github, deps } = setup()
    const [kept] = findings(1)
    if (!kept) throw new Error('fixture')
    const keptComment = github.addComment(fingerprintMarker(kept.fingerprint))
    const gone = github.addComment(fingerprintMarker('gone1'))
    const gone2 = github.addComment(fingerprintMarker('gone2'))
    github.addComment(fingerprintMarker('gone3'), undefined, true) // already resolved
    const human = github.addComment(`I disagree ${fingerprintMarker('gone4')}`, { login: 'alice', type: 'User' })
    const result = await publish(report([kept]), PR, deps)
    expect(github.calls.map((c) => c.method)).toEqual(['listPullFiles', 'listReviewComments', 'reviewThreads', 'resolveThreads', 'createCheckRun'])
    expect(github.calls.find((c) => c.method === 'resolveThreads')?.args[0]).toEqual([`PRRT_${gone.id}`, `PRRT_${gone2.id}`])
    expect(github.threads.find((t) => t.commentIds[0] === keptComment.id)?.isResolved).toBe(false)
    expect(github.threads.find((t) => t.commentIds[0] === human.id)?.isResolved).toBe(false)
    expect(result.review?.resolved).toBe(2)
  })

  it('stays within six calls for 50 findings with stale comments to resolve', async () => {
    const { github, deps } = setup()
    github.addComment(fingerprintMarker('stale'))
    await publish(report(findings(50)), PR, deps)
    expect(github.calls.map((c) => c.method)).toEqual([
      'listPullFiles',
      'listReviewComments',
      'reviewThreads',
      'resolveThreads',
      'createReview',
      'createCheckRun',
    ])
  })

  it('posts no review when the earlier comments cannot be listed (no duplicates), and still checks', async () => {
    const { github, deps } = setup()
    github.fail('listReviewComments', httpError(500))
    const result = await publish(report(findings(2)), PR, deps)
    expect(github.count('createReview')).toBe(0)
    expect(github.checkRuns[0]?.input.output.annotations).toHaveLength(2)
    expect(result.review?.status).toBe('failed')
  })

  it('does not fail the run when resolving fails', async () => {
    const { github, out, deps } = setup()
    github.addComment(fingerprintMarker('stale'))
    github.fail('resolveThreads', httpError(502))
    await publish(report(findings(1)), PR, deps)
    expect(github.count('createReview')).toBe(1)
    expect(out.logs.some((l) => l.level === 'warning' && l.message.includes('Could not resolve'))).toBe(true)
  })
})

describe('when GitHub refuses or fails', () => {
  it('422: posts the review again without inline comments, every finding in its body', async () => {
    const { github, deps } = setup()
    github.fail('createReview', httpError(422, 'Pull request review thread line must be part of the diff'))
    const many = findings(35)
    const result = await publish(report(many), PR, deps)
    expect(github.count('createReview')).toBe(2)
    expect(github.reviews).toHaveLength(1)
    const review = github.reviews[0]?.input
    expect(review?.comments).toEqual([])
    for (const f of many) expect(review?.body).toContain(`payments/api.yaml:${f.line}](`)
    expect(review?.body).toContain('GitHub did not accept inline comments')
    expect(result.review).toMatchObject({ status: 'posted', inline: 0, listed: 35 })
  })

  it('5xx after the review was created: finds it by its marker and does not post again', async () => {
    const { github, deps } = setup()
    github.fail('createReview', 'created-then-500')
    const result = await publish(report(findings(2)), PR, deps)
    expect(github.calls.map((c) => c.method)).toEqual(['listPullFiles', 'listReviewComments', 'createReview', 'listReviews', 'createCheckRun'])
    expect(github.reviews).toHaveLength(1)
    expect(result.review?.status).toBe('posted')
  })

  it('5xx without a review: lists, then posts once more', async () => {
    const { github, deps } = setup()
    github.fail('createReview', httpError(503))
    github.reviews.push({ id: 1, body: `${reviewMarker(HEAD_SHA)}\n<!-- kube-ratchet:run=an-earlier-run -->`, user: null, input: { commit_id: HEAD_SHA, event: 'COMMENT', body: '', comments: [] } })
    await publish(report(findings(2)), PR, deps)
    expect(github.calls.map((c) => c.method)).toEqual(['listPullFiles', 'listReviewComments', 'createReview', 'listReviews', 'createReview', 'createCheckRun'])
    expect(github.reviews).toHaveLength(2) // the earlier run's and this one
  })

  it('5xx twice: gives up on the review without crashing; the check carries the findings', async () => {
    const { github, out, deps } = setup()
    github.fail('createReview', httpError(500), httpError(502))
    const result = await publish(report(findings(2)), PR, deps)
    expect(github.count('createReview')).toBe(2)
    expect(result.review?.status).toBe('failed')
    expect(github.checkRuns[0]?.input.output.annotations).toHaveLength(2)
    expect(out.annotations).toEqual([])
  })

  it('a network error (no status) is treated like a 5xx', async () => {
    const { github, deps } = setup()
    github.fail('createReview', new Error('socket hang up'))
    await publish(report(findings(1)), PR, deps)
    expect(github.calls.map((c) => c.method)).toContain('listReviews')
    expect(github.reviews).toHaveLength(1)
  })

  it('does not post again when the reviews cannot be listed', async () => {
    const { github, deps } = setup()
    github.fail('createReview', httpError(500))
    github.fail('listReviews', httpError(500))
    await publish(report(findings(1)), PR, deps)
    expect(github.count('createReview')).toBe(1)
  })

  it('403 (read-only token): workflow-command annotations and the job summary, the exit status kept', async () => {
    const { github, out, deps } = setup()
    github.fail('createReview', httpError(403, 'Resource not accessible by integration'))
    github.fail('createCheckRun', httpError(403, 'Resource not accessible by integration'))
    const r = report([finding({ line: 4, endLine: 6 }), finding({ severity: 'medium', line: 8, endLine: 8 }), finding({ severity: 'info', line: 9, endLine: 9 })])
    const result = await publish(r, PR, deps)
    expect(result.failed).toBe(true)
    expect(result.review?.status).toBe('forbidden')
    expect(result.check?.status).toBe('forbidden')
    expect(out.annotations.map((a) => [a.level, a.properties])).toEqual([
      ['error', { title: 'critical: Privileged container (pss-privileged)', file: 'payments/api.yaml', startLine: 4, endLine: 6 }],
      ['warning', { title: 'medium: Privileged container (pss-privileged)', file: 'payments/api.yaml', startLine: 8, endLine: 8 }],
      ['notice', { title: 'info: Privileged container (pss-privileged)', file: 'payments/api.yaml', startLine: 9, endLine: 9 }],
    ])
    expect(out.summary).toContain('### New findings')
    expect(out.summary).toContain('read-only token')
    expect(out.outputs.failed).toBe('true')
  })

  it('without a token: annotations and the summary, no API call', async () => {
    const { out, deps } = setup()
    const result = await publish(report(findings(2)), PR, { ...deps, github: null })
    expect(result.review).toBeNull()
    expect(out.annotations).toHaveLength(2)
    expect(out.summary).toContain('No GitHub token')
  })

  it('check run 5xx after creating it: finds it by external id, no second check run', async () => {
    const { github, deps } = setup()
    github.fail('createCheckRun', 'created-then-500')
    await publish(report(findings(60)), PR, deps)
    expect(github.checkRuns).toHaveLength(1)
    expect(github.count('listCheckRuns')).toBe(1)
    expect(github.checkRuns[0]?.updates.map((u) => u.annotations?.length)).toEqual([10])
  })

  it('check run 5xx without one: creates it once more', async () => {
    const { github, deps } = setup()
    github.fail('createCheckRun', httpError(502))
    await publish(report(findings(1)), PR, deps)
    expect(github.count('createCheckRun')).toBe(2)
    expect(github.checkRuns).toHaveLength(1)
  })

  it('a failed annotation batch goes out as workflow commands', async () => {
    const { github, out, deps } = setup()
    github.fail('updateCheckRun', httpError(500))
    await publish(report(findings(70)), PR, deps)
    expect(out.annotations).toHaveLength(20)
    expect(out.annotations[0]?.properties.startLine).toBe(51)
  })
})

describe('runBot', () => {
  it('reads the event, runs the pipeline on the resolved revisions and publishes', async () => {
    const { github, deps } = setup()
    let input: unknown
    const result = await runBot({
      ...deps,
      env: {
        ...deps.env,
        eventName: 'push',
        payload: { before: BASE_SHA, after: HEAD_SHA },
      },
      git: { ...noGit, available: async () => true, hasCommit: async () => true, source: (sha, ref) => ({ info: { sha, ref }, list: async () => [], read: async () => [] }) },
      pipeline: async (i) => {
        input = i
        return report(findings(1)) as Report
      },
    })
    expect(input).toMatchObject({ scope: 'changed', failOn: 'high', base: { info: { sha: BASE_SHA } }, head: { info: { sha: HEAD_SHA } } })
    expect(result.failed).toBe(true)
    expect(github.calls.map((c) => c.method)).toEqual(['createCheckRun'])
  })
})
