/**
 * The action on every kind of workspace a runner may leave it: a full clone, the shallow merge
 * commit of actions/checkout (the commits are fetched), a shallow clone whose origin is gone and
 * no checkout at all (both read through the API), `pull_request_target` (the base is checked out,
 * the head only read), a push, and GitHub Enterprise Server's /api/v3. Every variant posts the
 * same review as the reference run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeGitHub } from './fake-github.js'
import { checkout, cleanupTemp, describeRun, ensureActionBundle, fakeToken, hasCommit, hygieneProblems, pushEvent, runAction, type ActionRun, type CheckoutKind } from './harness.js'
import { git } from './git.js'
import {
  CHECK_CREATE,
  expectClean,
  fingerprintIn,
  newFindings,
  PullRequestSetup,
  REVIEWS,
  shopPullRequest,
  WEB_DEPLOYMENT,
} from './scenario.js'

const setups: PullRequestSetup[] = []

beforeAll(async () => {
  await ensureActionBundle()
})

afterAll(async () => {
  for (const s of setups) await s.close()
  cleanupTemp()
})

/** What a run posted, independent of ids: comment places with their fingerprints and bodies, the check. */
function posted(setup: PullRequestSetup): { comments: string[]; conclusion: string | null | undefined; annotations: string[] } {
  return {
    comments: setup
      .botComments()
      .map((c) => `${c.path}:${c.start_line ?? ''}-${c.line} ${fingerprintIn(c.body)} ${c.body.length}`)
      .sort(),
    conclusion: setup.fake.checkRuns.at(-1)?.conclusion,
    annotations: (setup.fake.checkRuns.at(-1)?.annotations ?? []).map((a) => `${a.path}:${a.start_line}-${a.end_line} ${a.annotation_level}`).sort(),
  }
}

let reference: ReturnType<typeof posted>
let referenceFindings: string[]

async function runOn(kind: CheckoutKind, options: { eventName?: 'pull_request' | 'pull_request_target'; basePath?: '/api/v3' } = {}): Promise<{ setup: PullRequestSetup; run: ActionRun }> {
  const setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: kind, ...(options.basePath ? { basePath: options.basePath } : {}) })
  setups.push(setup)
  if (options.eventName === 'pull_request_target') setup.workspace = checkout(setup.repo, kind, setup.repo.baseSha)
  const run = await setup.run(options.eventName ? { eventName: options.eventName } : {})
  return { setup, run }
}

function findingsOf(run: ActionRun): string[] {
  return (run.report?.findings ?? []).map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line} ${f.fingerprint}`).sort()
}

describe('a full clone (fetch-depth: 0)', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    ;({ setup, run } = await runOn('full'))
    reference = posted(setup)
    referenceFindings = findingsOf(run)
  })

  it('reviews from the local history: no fetch, no API read of commits', () => {
    expectClean(setup, run)
    expect(run.code).toBe(1)
    expect(reference.comments.length).toBeGreaterThan(0)
    expect(run.gitCommands.filter((a) => a.includes('fetch'))).toEqual([])
    expect(setup.fake.requests.filter((r) => /\/(git\/(trees|blobs)|compare|contents)\//.test(r.path))).toEqual([])
    expect(setup.fake.calls().length).toBeLessThanOrEqual(6)
  })
})

describe('the shallow merge commit of actions/checkout (fetch-depth: 1)', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  let hadHead: boolean
  beforeAll(async () => {
    setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'shallow' })
    setups.push(setup)
    hadHead = hasCommit(setup.workspace, setup.repo.headSha)
    run = await setup.run()
  })

  it('fetches the commits it lacks (git fetch --depth=1) and posts the same review as from a full clone', () => {
    expect(hadHead).toBe(false)
    expectClean(setup, run)
    expect(run.code).toBe(1)
    expect(run.gitCommands.some((a) => a.includes('fetch') && a.includes('--depth=1') && a.includes(setup.repo.headSha))).toBe(true)
    expect(hasCommit(setup.workspace, setup.repo.headSha)).toBe(true)
    expect(findingsOf(run)).toEqual(referenceFindings)
    expect(posted(setup)).toEqual(reference)
    expect(setup.fake.calls().length).toBeLessThanOrEqual(6)
  })

  it('does not report what the merge commit brought from main', () => {
    expect(run.report?.findings.some((f) => f.file === WEB_DEPLOYMENT)).toBe(false)
  })
})

describe('a shallow clone that cannot fetch', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    ;({ setup, run } = await runOn('shallow-offline'))
  })

  it('reads the revisions through the API (merge base, trees, blobs) and posts the same review', () => {
    expectClean(setup, run)
    expect(run.code, setup.explain(run)).toBe(1)
    expect(findingsOf(run)).toEqual(referenceFindings)
    expect(posted(setup)).toEqual(reference)
    const paths = setup.fake.requests.map((r) => r.operation ?? '')
    expect(paths.some((p) => p.includes('/compare/'))).toBe(true)
    expect(paths.some((p) => p.includes('/git/trees/') || p.includes('/contents/'))).toBe(true)
  })
})

describe('no checkout at all', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    ;({ setup, run } = await runOn('none'))
  })

  it('reads everything through the API and posts the same review', () => {
    expectClean(setup, run)
    expect(run.code, setup.explain(run)).toBe(1)
    expect(findingsOf(run)).toEqual(referenceFindings)
    expect(posted(setup)).toEqual(reference)
  })
})

describe('pull_request_target', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  let before: string
  beforeAll(async () => {
    setup = await new PullRequestSetup(shopPullRequest()).start({ checkout: 'shallow' })
    setups.push(setup)
    // actions/checkout under pull_request_target checks out the base branch.
    setup.workspace = checkout(setup.repo, 'shallow', setup.repo.baseSha)
    before = git(setup.workspace, 'status', '--porcelain=v1', '--untracked-files=all')
    run = await setup.run({ eventName: 'pull_request_target' })
  })

  it('reviews the pull request head without checking out anything of it', () => {
    expectClean(setup, run)
    expect(run.code, setup.explain(run)).toBe(1)
    expect(findingsOf(run)).toEqual(referenceFindings)
    expect(posted(setup)).toEqual(reference)
    expect(git(setup.workspace, 'rev-parse', 'HEAD').trim()).toBe(setup.repo.baseSha)
    expect(git(setup.workspace, 'status', '--porcelain=v1', '--untracked-files=all')).toBe(before)
    const writers = ['checkout', 'switch', 'reset', 'merge', 'worktree', 'restore', 'checkout-index', 'stash', 'apply', 'am']
    for (const argv of run.gitCommands) expect(writers, argv.join(' ')).not.toContain(subcommand(argv))
  })
})

describe('GitHub Enterprise Server (GITHUB_API_URL ends in /api/v3)', () => {
  let setup: PullRequestSetup
  let run: ActionRun
  beforeAll(async () => {
    ;({ setup, run } = await runOn('shallow-offline', { basePath: '/api/v3' }))
  })

  it('sends every request under /api/v3 and posts the same review', () => {
    expectClean(setup, run)
    expect(setup.fake.requests.length).toBeGreaterThan(0)
    expect(posted(setup)).toEqual(reference)
  })
})

describe('a push to main', () => {
  let fake: FakeGitHub
  let run: ActionRun
  let after: string
  let before: string
  beforeAll(async () => {
    const repo = shopPullRequest()
    setups.push(new PullRequestSetup(repo))
    // The pull request is merged: main moves from its tip to the merge commit.
    before = repo.baseSha
    after = repo.mergeSha
    git(repo.dir, 'update-ref', 'refs/heads/main', after)
    fake = await new FakeGitHub({ repoDir: repo.dir, token: fakeToken(), pull: null }).start()
    const workspace = checkout(repo, 'shallow', after)
    run = await runAction({ fake, workspace, eventName: 'push', event: pushEvent(fake, before, after), sha: after })
  })
  afterAll(async () => {
    await fake?.close()
  })

  it('creates the check run on the pushed commit and writes the summary, but posts no review', () => {
    expect(hygieneProblems(run, fake), describeRun(run, fake)).toEqual([])
    expect(fake.requests.some((r) => r.path.includes('/pulls'))).toBe(false)
    expect(fake.requestsFor(REVIEWS)).toEqual([])
    expect(fake.requestsFor(CHECK_CREATE)).toHaveLength(1)
    expect(fake.checkRuns[0]?.head_sha).toBe(after)
    expect(fake.checkRuns[0]?.conclusion).toBe('failure')
    expect(run.code).toBe(1)
    const news = newFindings(run)
    expect(news.length).toBeGreaterThan(0)
    for (const f of news) expect(run.summary).toContain(`${f.file}:${f.line}`)
  })

  it('compares before..after: the merged pull request findings, not older debt', () => {
    const files = new Set(newFindings(run).map((f) => f.file))
    expect(files.has('deploy/shop/api/deployment.yaml')).toBe(true)
    expect(files.has('deploy/shop/worker/cronjob.yaml')).toBe(false)
  })
})

/** The git subcommand of an argv (after `-C dir`, `-c key=value` and other global options). */
function subcommand(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '-C' || a === '-c' || a === '--git-dir' || a === '--work-tree' || a === '--shallow-file') i++
    else if (!a.startsWith('-')) return a
  }
  return undefined
}
