/**
 * The pull requests the end-to-end tests run the action on: a shop's manifests in a realistic
 * layout, and what a pull request does to them. Plus the setup every test repeats (repository,
 * fake GitHub, workspace, run) and the expectations that hold in every run.
 */
import { expect } from 'vitest'
import { FakeGitHub, type RecordedRequest, type ReviewComment } from './fake-github.js'
import {
  checkout,
  describeRun,
  fakeToken,
  hygieneProblems,
  pullRequestEvent,
  PullRepo,
  runAction,
  type ActionRun,
  type Changes,
  type CheckoutKind,
  type JsonReport,
  type PullRepoOptions,
} from './harness.js'

export const API_DEPLOYMENT = 'deploy/shop/api/deployment.yaml'
export const NETWORK_POLICY = 'deploy/shop/networkpolicy.yaml'
export const WEB_DEPLOYMENT = 'deploy/shop/web/deployment.yaml'

const apiDeployment = `# The storefront API.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  labels:
    app.kubernetes.io/name: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: api
  template:
    metadata:
      labels:
        app.kubernetes.io/name: api
    spec:
      serviceAccountName: api
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: api
          image: ghcr.io/acme/shop-api@sha256:0f3e0c5d8b1a4c9e7f2d6b3a8c1e5f9d0b2a4c6e8f1d3b5a7c9e0f2d4b6a8c0e
          ports:
            - name: http
              containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
`

const apiService = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: api
  ports:
    - name: http
      port: 80
      targetPort: http
`

const networkPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: api
  policyTypes: ["Ingress", "Egress"]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: web
      ports:
        - port: 8080
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
      ports:
        - port: 53
          protocol: UDP
`

const namespace = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
`

const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: reindex
  namespace: shop
spec:
  schedule: "17 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          automountServiceAccountToken: false
          securityContext:
            runAsNonRoot: true
            runAsUser: 10002
            seccompProfile:
              type: RuntimeDefault
          containers:
            - name: reindex
              image: ghcr.io/acme/shop-reindex@sha256:1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b
              resources:
                limits:
                  memory: 256Mi
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities:
                  drop: ["ALL"]
`

/** A privileged web front end that lands on main after the pull request branched off. */
const webDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true
`

export const BASE_FILES: Changes = {
  'README.md': '# shop\n\nThe shop\'s Kubernetes manifests.\n',
  'deploy/shop/namespace.yaml': namespace,
  [API_DEPLOYMENT]: apiDeployment,
  'deploy/shop/api/service.yaml': apiService,
  [NETWORK_POLICY]: networkPolicy,
  'deploy/shop/worker/cronjob.yaml': cronJob,
  '.github/workflows/kube-ratchet.yml': 'on: pull_request\njobs: {}\n',
}

/**
 * The pull request: the API gains hostPID (high; fix: delete the line), loses its read-only root
 * filesystem (low; fix: a two-line replacement) and adds NET_ADMIN (high; fix: `add: []`), and the
 * NetworkPolicy is deleted (a finding on a removed file: outside the diff).
 */
export const PR_CHANGES: Changes = {
  [API_DEPLOYMENT]: apiDeployment
    .replace('            readOnlyRootFilesystem: true\n', '')
    .replace('      serviceAccountName: api\n', '      serviceAccountName: api\n      hostPID: true\n')
    .replace('              drop: ["ALL"]\n', '              drop: ["ALL"]\n              add: ["NET_ADMIN"]\n'),
  [NETWORK_POLICY]: null,
  'docs/operations.md': '# Operations\n\nRestart the API with `kubectl rollout restart deploy/api -n shop`.\n',
}

export const MAIN_AFTER_BRANCH: Changes = { [WEB_DEPLOYMENT]: webDeployment }

export function shopPullRequest(overrides: Partial<PullRepoOptions> = {}): PullRepo {
  return new PullRepo({ base: BASE_FILES, head: PR_CHANGES, baseAfterBranch: MAIN_AFTER_BRANCH, ...overrides })
}

/** The 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle))
  if (index < 0) throw new Error(`"${needle}" not found`)
  return index + 1
}

// ---------------------------------------------------------------------------------------------

export const REVIEWS = 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews'
export const LIST_REVIEWS = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews'
export const CHECK_CREATE = 'POST /repos/{owner}/{repo}/check-runs'
export const CHECK_UPDATE = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}'
export const LIST_FILES = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files'
export const LIST_COMMENTS = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments'

/** A pull request ready to run the action on: repository, fake GitHub, workspace. */
export class PullRequestSetup {
  readonly token = fakeToken()
  readonly repo: PullRepo
  fake!: FakeGitHub
  workspace = ''
  readonly runs: ActionRun[] = []

  constructor(repo: PullRepo) {
    this.repo = repo
  }

  async start(options: { checkout?: CheckoutKind; readOnly?: boolean; basePath?: '' | '/api/v3' } = {}): Promise<this> {
    this.fake = await new FakeGitHub({
      repoDir: this.repo.dir,
      token: this.token,
      pull: this.repo.pullSpec(),
      readOnly: options.readOnly ?? false,
      ...(options.basePath ? { basePath: options.basePath } : {}),
    }).start()
    this.workspace = checkout(this.repo, options.checkout ?? 'shallow')
    return this
  }

  /** Runs the action on the pull_request event for the current head. */
  async run(options: { inputs?: Record<string, string>; eventName?: 'pull_request' | 'pull_request_target'; workspace?: string } = {}): Promise<ActionRun> {
    const run = await runAction({
      fake: this.fake,
      workspace: options.workspace ?? this.workspace,
      eventName: options.eventName ?? 'pull_request',
      event: pullRequestEvent(this.repo, this.fake),
      sha: options.eventName === 'pull_request_target' ? this.repo.baseSha : this.repo.mergeSha,
      ...(options.inputs ? { inputs: options.inputs } : {}),
    })
    this.runs.push(run)
    return run
  }

  /** The author pushes: a new head, the fake GitHub moves the pull request, a fresh shallow checkout. */
  push(changes: Changes, kind: CheckoutKind = 'shallow'): void {
    this.repo.push(changes)
    this.fake.updatePull({ headSha: this.repo.headSha })
    this.workspace = checkout(this.repo, kind)
  }

  async close(): Promise<void> {
    await this.fake?.close()
  }

  /** Requests of the run that started at request number `from`. */
  requestsSince(from: number): RecordedRequest[] {
    return this.fake.requests.filter((r) => r.seq > from)
  }

  /** Comments by the action's bot, not deleted. */
  botComments(): ReviewComment[] {
    return this.fake.comments.filter((c) => c.user.type === 'Bot' && !c.deleted)
  }

  explain(run: ActionRun): string {
    return describeRun(run, this.fake)
  }
}

/** What every run must keep (see hygieneProblems), with the run's log as the failure message. */
export function expectClean(setup: PullRequestSetup, run: ActionRun): void {
  expect(hygieneProblems(run, setup.fake), setup.explain(run)).toEqual([])
}

export type Finding = JsonReport['findings'][number]

export function newFindings(run: ActionRun): Finding[] {
  return (run.report?.findings ?? []).filter((f) => f.status === 'new')
}

/** The fingerprint marker the action puts in its comments. */
export function fingerprintIn(body: string): string | null {
  return /<!-- kube-ratchet:fp=([A-Za-z0-9._-]+) -->/.exec(body)?.[1] ?? null
}
