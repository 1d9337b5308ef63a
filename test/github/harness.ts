/**
 * Runs the bundled action (`node dist/index.js`) the way a GitHub Actions runner does, against a
 * fake GitHub: a temporary git repository with base and head commits (and the merge commit
 * `refs/pull/N/merge` that actions/checkout checks out), a workspace cloned from it (full or
 * shallow), the event payload file, `INPUT_*` variables with the defaults of action.yml, the
 * runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …) and GITHUB_API_URL on 127.0.0.1.
 *
 * The child runs with a network guard preloaded (net-guard.mjs): any connection or DNS lookup
 * for anything but the fake server is refused and logged.
 */
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { BOT, type FakeGitHub, type PullSpec, AUTHOR } from './fake-github.js'
import { git, mergeBase } from './git.js'

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The bundle under test; KR_E2E_ACTION_BUNDLE points elsewhere (a mutated copy, to check that the tests notice). */
export const DIST_ACTION = process.env.KR_E2E_ACTION_BUNDLE || join(PROJECT_ROOT, 'dist', 'index.js')
const NET_GUARD = join(dirname(fileURLToPath(import.meta.url)), 'net-guard.mjs')

// ---------------------------------------------------------------------------------------------
// The bundle

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/**
 * Builds dist/ with `node scripts/bundle.mjs` when dist/index.js is missing or older than a source
 * file. A lock directory keeps parallel test files from bundling at the same time.
 *
 * In CI (CI=true) the committed dist/index.js is run as it is, as a runner would run it: a fresh
 * clone gives every file about the same mtime, and rebuilding there would race with other test
 * files running dist/ (CI checks separately that dist/ matches a fresh build).
 */
export async function ensureActionBundle(): Promise<void> {
  if (process.env.KR_E2E_ACTION_BUNDLE) return
  if (process.env.CI === 'true' && existsSync(DIST_ACTION)) return
  const lock = join(tmpdir(), `kube-ratchet-bundle-${Buffer.from(PROJECT_ROOT).toString('hex').slice(-24)}.lock`)
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // A lock older than two minutes was left by a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock)
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`could not take the bundle lock ${lock}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  try {
    const sources = Math.max(
      newestMtime(join(PROJECT_ROOT, 'src')),
      newestMtime(join(PROJECT_ROOT, 'scripts', 'bundle.mjs')),
      newestMtime(join(PROJECT_ROOT, 'package-lock.json')),
    )
    const built = existsSync(DIST_ACTION) ? statSync(DIST_ACTION).mtimeMs : 0
    if (built >= sources && existsSync(join(PROJECT_ROOT, 'dist', 'cli.js'))) return
    const result = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`bundling failed:\n${result.stderr}`)
  } finally {
    rmdirSync(lock)
  }
}

// ---------------------------------------------------------------------------------------------
// Temporary directories

const cleanups: string[] = []

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kube-ratchet-e2e-${prefix}-`))
  cleanups.push(dir)
  return dir
}

/** Removes every temporary directory made by this module (call in afterAll). */
export function cleanupTemp(): void {
  for (const dir of cleanups.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Files to write (content) or delete (null), paths relative to the repository. */
export type Changes = Record<string, string | null>

function apply(dir: string, changes: Changes): void {
  for (const [path, content] of Object.entries(changes)) {
    const full = join(dir, path)
    if (content === null) rmSync(full, { force: true })
    else {
      mkdirSync(dirname(full), { recursive: true })
      writeFileSync(full, content)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The repository ("origin")

export interface PullRepoOptions {
  /** the files of the base branch at the merge base */
  base: Changes
  /** the author's changes on the pull request branch */
  head: Changes
  /** changes that landed on the base branch after the pull request branched off (three-dot diff) */
  baseAfterBranch?: Changes
  number?: number
}

/**
 * A repository where a pull request branch `feature` left `main`, with `refs/pull/N/head` and the
 * merge commit `refs/pull/N/merge` as GitHub keeps them. It serves as the "origin" of the
 * workspaces and as the fake GitHub's object store.
 */
export class PullRepo {
  readonly dir: string
  readonly number: number
  /** where the branch left main */
  readonly mergeBaseSha: string
  /** main's tip when the event fired: pull_request.base.sha */
  baseSha: string
  headSha: string
  mergeSha: string

  constructor(options: PullRepoOptions) {
    this.number = options.number ?? 7
    this.dir = tempDir('origin')
    git(this.dir, 'init', '-q', '-b', 'main')
    // Like GitHub: any reachable commit can be fetched by its sha.
    git(this.dir, 'config', 'uploadpack.allowAnySHA1InWant', 'true')
    git(this.dir, 'config', 'uploadpack.allowReachableSHA1InWant', 'true')
    apply(this.dir, options.base)
    this.mergeBaseSha = this.commit('Initial manifests')
    if (options.baseAfterBranch) {
      apply(this.dir, options.baseAfterBranch)
      this.baseSha = this.commit('Meanwhile on main')
    } else {
      this.baseSha = this.mergeBaseSha
    }
    git(this.dir, 'checkout', '-q', '-b', 'feature', this.mergeBaseSha)
    apply(this.dir, options.head)
    this.headSha = this.commit('Change the manifests')
    this.mergeSha = this.makeMergeCommit()
  }

  private commit(message: string): string {
    git(this.dir, 'add', '-A')
    git(this.dir, 'commit', '-q', '--allow-empty', '-m', message)
    return git(this.dir, 'rev-parse', 'HEAD').trim()
  }

  private makeMergeCommit(): string {
    git(this.dir, 'checkout', '-q', '--detach', this.baseSha)
    git(this.dir, 'merge', '-q', '--no-ff', '--no-edit', '-m', `Merge ${this.headSha} into ${this.baseSha}`, this.headSha)
    const merge = git(this.dir, 'rev-parse', 'HEAD').trim()
    git(this.dir, 'update-ref', `refs/pull/${this.number}/merge`, merge)
    git(this.dir, 'update-ref', `refs/pull/${this.number}/head`, this.headSha)
    git(this.dir, 'checkout', '-q', 'feature')
    return merge
  }

  /** The author pushes another commit to the pull request branch. */
  push(changes: Changes, message = 'Address review'): string {
    git(this.dir, 'checkout', '-q', 'feature')
    apply(this.dir, changes)
    this.headSha = this.commit(message)
    this.mergeSha = this.makeMergeCommit()
    return this.headSha
  }

  /** pull_request.base/head as the fake GitHub needs them. */
  pullSpec(): PullSpec {
    return { number: this.number, baseRef: 'main', baseSha: this.baseSha, headRef: 'feature', headSha: this.headSha, title: 'Tune the shop manifests', user: AUTHOR }
  }

  get realMergeBase(): string {
    return mergeBase(this.dir, this.baseSha, this.headSha)
  }

  /** The content of a file at a commit. */
  show(sha: string, path: string): string {
    return git(this.dir, 'show', `${sha}:${path}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Workspaces, as actions/checkout leaves them

/**
 * - `full`: every branch and the merge ref fetched (`fetch-depth: 0`), the merge commit checked out.
 * - `shallow`: the default of actions/checkout, `--depth=1` of the merge commit only; origin can
 *   still be fetched from.
 * - `shallow-offline`: the same, but origin cannot be reached: git cannot help, the API must.
 * - `none`: no checkout at all (an empty workspace).
 */
export type CheckoutKind = 'full' | 'shallow' | 'shallow-offline' | 'none'

export function checkout(repo: PullRepo, kind: CheckoutKind, sha = repo.mergeSha): string {
  const ws = tempDir('workspace')
  if (kind === 'none') return ws
  const origin = `file://${repo.dir}`
  git(ws, 'init', '-q')
  git(ws, 'remote', 'add', 'origin', origin)
  git(ws, 'config', 'gc.auto', '0')
  if (kind === 'full') {
    git(ws, '-c', 'protocol.version=2', 'fetch', '-q', '--prune', '--no-recurse-submodules', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*', `+refs/pull/${repo.number}/merge:refs/remotes/pull/${repo.number}/merge`)
  } else {
    git(ws, '-c', 'protocol.version=2', 'fetch', '-q', '--no-tags', '--prune', '--no-recurse-submodules', '--depth=1', 'origin', `+${sha}:refs/remotes/pull/${repo.number}/merge`)
  }
  git(ws, 'checkout', '-q', '--force', sha)
  if (kind === 'shallow-offline') git(ws, 'remote', 'set-url', 'origin', `file://${join(tmpdir(), 'kube-ratchet-e2e-no-such-remote', randomBytes(4).toString('hex'))}`)
  return ws
}

/** Whether a sha is in a workspace's object store. */
export function hasCommit(ws: string, sha: string): boolean {
  return spawnSync('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd: ws }).status === 0
}

// ---------------------------------------------------------------------------------------------
// Event payloads

function repositoryPayload(fake: FakeGitHub): Record<string, unknown> {
  return {
    id: 123456,
    node_id: 'R_kgDOFakeRepo',
    name: fake.repo,
    full_name: fake.fullName,
    private: false,
    owner: { login: fake.owner, id: 4242, type: 'Organization' },
    html_url: `https://github.com/${fake.fullName}`,
    default_branch: 'main',
    fork: false,
  }
}

export function pullRequestEvent(repo: PullRepo, fake: FakeGitHub, options: { action?: string; fork?: boolean } = {}): Record<string, unknown> {
  const repository = repositoryPayload(fake)
  const headRepo = options.fork ? { ...repository, id: 654321, full_name: `${AUTHOR.login}/${fake.repo}`, owner: { login: AUTHOR.login, id: AUTHOR.id, type: 'User' }, fork: true } : repository
  return {
    action: options.action ?? 'synchronize',
    number: repo.number,
    pull_request: {
      id: 900000 + repo.number,
      number: repo.number,
      state: 'open',
      title: 'Tune the shop manifests',
      user: { login: AUTHOR.login, id: AUTHOR.id, type: 'User' },
      html_url: `https://github.com/${fake.fullName}/pull/${repo.number}`,
      draft: false,
      merged: false,
      head: { label: `${AUTHOR.login}:feature`, ref: 'feature', sha: repo.headSha, repo: headRepo, user: { login: AUTHOR.login } },
      base: { label: `${fake.owner}:main`, ref: 'main', sha: repo.baseSha, repo: repository, user: { login: fake.owner } },
    },
    repository,
    sender: { login: AUTHOR.login, id: AUTHOR.id, type: 'User' },
  }
}

export function pushEvent(fake: FakeGitHub, before: string, after: string): Record<string, unknown> {
  return {
    ref: 'refs/heads/main',
    before,
    after,
    created: /^0+$/.test(before),
    deleted: false,
    forced: false,
    compare: `https://github.com/${fake.fullName}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: [],
    head_commit: { id: after },
    repository: repositoryPayload(fake),
    pusher: { name: AUTHOR.login },
    sender: { login: AUTHOR.login, id: AUTHOR.id, type: 'User' },
  }
}

// ---------------------------------------------------------------------------------------------
// Running the action

export interface RunOptions {
  fake: FakeGitHub
  workspace: string
  eventName: 'pull_request' | 'pull_request_target' | 'push' | 'merge_group'
  event: Record<string, unknown>
  /** GITHUB_SHA: the merge commit for pull_request, the head after a push */
  sha: string
  /** input values by name (`fail-on`); missing ones take action.yml's defaults, as the runner does */
  inputs?: Record<string, string>
  /** extra environment */
  env?: Record<string, string>
  timeoutMs?: number
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface ActionRun {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  commands: WorkflowCommand[]
  /** connections and lookups the network guard refused */
  network: string[]
  /** the argv of every git command the action ran (`['fetch', '--depth=1', 'origin', sha]`) */
  gitCommands: string[][]
  /** the JSON report (outputs.report), parsed, when there is one */
  report: JsonReport | null
  /** every text the run produced: logs, summary, outputs, report and SARIF files */
  texts: { name: string; text: string }[]
  ms: number
}

export interface JsonReport {
  summary: { new: number; fixed: number; unchanged: number; failed: boolean; errors: number; skipped: number }
  findings: {
    status: 'new' | 'fixed' | 'unchanged'
    ruleId: string
    severity: string
    title: string
    message: string
    file: string
    line: number
    endLine: number
    fingerprint: string
    fix: { description: string; safety: string; replacements: { startLine: number; endLine: number; text: string }[]; patch: string } | null
  }[]
}

let actionYaml: { inputs?: Record<string, { default?: unknown }> } | null | undefined

/** The inputs of action.yml with their defaults (null when there is no action.yml yet). */
export function actionInputs(): Record<string, { default?: unknown }> | null {
  if (actionYaml === undefined) {
    const file = join(PROJECT_ROOT, 'action.yml')
    actionYaml = existsSync(file) ? (parseYaml(readFileSync(file, 'utf8')) as typeof actionYaml) : null
  }
  return actionYaml?.inputs ?? null
}

/** A token that looks like a real installation token, distinct per call. */
export function fakeToken(): string {
  return `ghs_${randomBytes(18).toString('hex').slice(0, 36)}`
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const { fake } = options
  const runner = tempDir('runner')
  const files = {
    event: join(runner, 'event.json'),
    output: join(runner, 'output'),
    summary: join(runner, 'step_summary'),
    env: join(runner, 'env'),
    path: join(runner, 'path'),
    state: join(runner, 'state'),
    net: join(runner, 'network.log'),
    gitTrace: join(runner, 'git-trace.jsonl'),
  }
  const temp = join(runner, 'temp')
  const home = join(runner, 'home')
  mkdirSync(temp)
  mkdirSync(home)
  writeFileSync(files.event, JSON.stringify(options.event, null, 2))
  for (const f of [files.output, files.summary, files.env, files.path, files.state]) writeFileSync(f, '')

  // The runner sets every input: given values, else action.yml's defaults with expressions evaluated.
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(actionInputs() ?? {})) {
    if (spec.default === undefined) continue
    inputs[name] = String(spec.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, fake.token)
  }
  if (!actionInputs()) inputs['github-token'] = fake.token
  Object.assign(inputs, options.inputs ?? {})
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]))

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__self',
    GITHUB_ACTION_REPOSITORY: '',
    GITHUB_ACTOR: AUTHOR.login,
    GITHUB_ACTOR_ID: String(AUTHOR.id),
    GITHUB_TRIGGERING_ACTOR: AUTHOR.login,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_GRAPHQL_URL: fake.graphqlUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: fake.fullName,
    GITHUB_REPOSITORY_OWNER: fake.owner,
    GITHUB_REPOSITORY_ID: '123456',
    GITHUB_SHA: options.sha,
    GITHUB_REF: options.eventName.startsWith('pull_request') ? `refs/pull/${String((options.event as { number?: number }).number)}/merge` : 'refs/heads/main',
    GITHUB_REF_NAME: options.eventName.startsWith('pull_request') ? `${String((options.event as { number?: number }).number)}/merge` : 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_HEAD_REF: options.eventName.startsWith('pull_request') ? 'feature' : '',
    GITHUB_BASE_REF: options.eventName.startsWith('pull_request') ? 'main' : '',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_WORKFLOW: 'kube-ratchet',
    GITHUB_WORKFLOW_REF: `${fake.fullName}/.github/workflows/kube-ratchet.yml@refs/heads/main`,
    GITHUB_JOB: 'ratchet',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'fake-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: temp,
    RUNNER_TOOL_CACHE: join(runner, 'toolcache'),
    // git in the child: no user configuration, only local file:// remotes.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'file',
    // every git command the action runs, for assertions (and to see that none reached a network)
    GIT_TRACE2_EVENT: files.gitTrace,
    // the network guard
    KR_NET_ALLOW: `127.0.0.1:${fake.listenPort}`,
    KR_NET_LOG: files.net,
    ...inputEnv,
    ...(options.env ?? {}),
  }

  // Another process may be rebuilding dist/ (scripts/bundle.mjs removes it first): wait for it.
  for (let waited = 0; !existsSync(DIST_ACTION) && waited < 60_000; waited += 200) await new Promise((r) => setTimeout(r, 200))
  await new Promise((r) => setTimeout(r, existsSync(DIST_ACTION) && Date.now() - statSync(DIST_ACTION).mtimeMs < 2000 ? 1000 : 0))
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', pathToFileUrl(NET_GUARD), DIST_ACTION], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000)
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (c, s) => resolve([c, s]))
  })
  clearTimeout(timeout)

  const outputs = parseOutputs(readFileSync(files.output, 'utf8'))
  const summary = readFileSync(files.summary, 'utf8')
  const texts = [
    { name: 'stdout', text: stdout },
    { name: 'stderr', text: stderr },
    { name: 'GITHUB_STEP_SUMMARY', text: summary },
    { name: 'GITHUB_OUTPUT', text: readFileSync(files.output, 'utf8') },
    { name: 'GITHUB_ENV', text: readFileSync(files.env, 'utf8') },
  ]
  let report: JsonReport | null = null
  for (const key of ['report', 'sarif']) {
    const path = outputs[key]
    if (path && existsSync(path) && statSync(path).isFile()) {
      const text = readFileSync(path, 'utf8')
      texts.push({ name: `${key} file`, text })
      if (key === 'report') report = JSON.parse(text) as JsonReport
    }
  }
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs,
    summary,
    commands: parseCommands(stdout),
    network: existsSync(files.net) ? readFileSync(files.net, 'utf8').split('\n').filter(Boolean) : [],
    gitCommands: gitCommands(files.gitTrace),
    report,
    texts,
    ms: Date.now() - started,
  }
}

/** The commands in a GIT_TRACE2_EVENT file: argv without the leading `git`. */
function gitCommands(file: string): string[][] {
  if (!existsSync(file)) return []
  const commands: string[][] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"event":"start"')) continue
    try {
      const event = JSON.parse(line) as { argv?: string[] }
      if (event.argv) commands.push(event.argv.slice(1))
    } catch {
      /* a line cut by a concurrent write */
    }
  }
  return commands
}

function pathToFileUrl(path: string): string {
  return `file://${path}`
}

/** Parses GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter\nvalue\ndelimiter`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string)
      outputs[name] = value.join('\n')
      continue
    }
    const simple = /^([^=]+)=(.*)$/.exec(line)
    if (simple) outputs[simple[1] as string] = simple[2] as string
  }
  return outputs
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',')
}

/** Workflow commands in stdout: `::error file=a.yaml,line=3::message`. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  for (const line of stdout.split('\n')) {
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.replace(/\r$/, ''))
    if (!m) continue
    const properties: Record<string, string> = {}
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=')
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1))
    }
    commands.push({ command: m[1] as string, properties, message: unescapeData(m[3] ?? '') })
  }
  return commands
}

// ---------------------------------------------------------------------------------------------
// What every test checks

/**
 * The hygiene every run must keep, as a list of problems ([] when clean): no request GitHub
 * would refuse, no connection but to the fake, the token nowhere in what the run printed or wrote
 * (the runner's own `::add-mask::` is the one place a token may be named), no crash.
 */
export function hygieneProblems(run: ActionRun, fake: FakeGitHub): string[] {
  const problems: string[] = []
  for (const v of fake.violations) problems.push(`API violation: ${v}`)
  for (const n of run.network) problems.push(`network: ${n}`)
  for (const argv of run.gitCommands) {
    if (argv.some((a) => /^(https?|ssh|git):\/\/|@github\.com:/.test(a))) problems.push(`git reached for a network remote: git ${argv.join(' ')}`)
  }
  for (const r of fake.requests) {
    if (!r.headers['user-agent']) problems.push(`request ${r.method} ${r.path} has no user-agent`)
  }
  for (const { name, text } of run.texts) {
    const withoutMask = text
      .split('\n')
      .filter((l) => l !== `::add-mask::${fake.token}`)
      .join('\n')
    if (withoutMask.includes(fake.token)) problems.push(`the token appears in ${name}`)
    if (withoutMask.includes(fake.token.slice(4, 20))) problems.push(`part of the token appears in ${name}`)
  }
  if (run.signal) problems.push(`the action was killed by ${run.signal} (timeout?)`)
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(run.stderr) || /Unhandled|TypeError|ReferenceError/.test(run.stderr)) {
    problems.push(`stderr shows a crash:\n${run.stderr.slice(0, 2000)}`)
  }
  return problems
}

/** A readable dump of a run, for failure messages. */
export function describeRun(run: ActionRun, fake: FakeGitHub): string {
  const calls = fake.requests.map((r) => `  ${r.seq} ${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query).toString()}` : ''} → ${r.status}${r.fault ? ` (fault ${r.fault})` : ''}`)
  return [
    `exit ${run.code}${run.signal ? ` (${run.signal})` : ''} in ${run.ms} ms`,
    'requests:',
    ...calls,
    'violations:',
    ...fake.violations.map((v) => `  ${v}`),
    '--- stdout ---',
    run.stdout.slice(-6000),
    '--- stderr ---',
    run.stderr.slice(-4000),
  ].join('\n')
}

/** The content of the ```suggestion block of a comment body, or null. */
export function suggestionOf(body: string): string | null {
  const m = /^(`{3,})suggestion\n([\s\S]*?)^\1$/m.exec(body)
  return m ? (m[2] as string) : null
}

/** A suggestion block's content as the fix's replacement text (the fence adds a final newline). */
export function asSuggestion(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`
}

export { BOT }
