/**
 * Edits that change no object must create no finding: the ratchet only reports regressions.
 * Each case runs the whole pipeline on two directories (a few on two git commits as well).
 */
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { GitCommitSource } from '../../src/load/git-source.js'
import type { Report } from '../../src/model.js'
import { runPipeline } from '../../src/pipeline.js'
import {
  commitAll,
  countByStatus,
  deployment,
  diffFiles,
  docs,
  git,
  gitRepo,
  HOST_NAMESPACES,
  pod,
  PRIVILEGED,
  summaryOf,
  type TempDir,
  TWO_RULES,
} from '../support/engine.js'

const WEB = deployment('web', { hostNetwork: true, containers: [{ name: 'app', privileged: true }, { name: 'sidecar', privileged: true }] })
const API = pod('api', { containers: [{ name: 'api', privileged: true }] })
const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n'

/** Nothing new, nothing fixed, `unchanged` findings carried over, and no posture change. */
function expectNothingNew(report: Report, unchanged: number): void {
  expect(report.errors).toEqual([])
  expect(countByStatus(report.findings)).toEqual({ new: 0, fixed: 0, unchanged })
  expect(report.postures.filter((p) => p.base !== p.head)).toEqual([])
}

describe('edits that create nothing new', () => {
  it('renaming a file', async () => {
    const report = await diffFiles({ 'web.yaml': WEB }, { 'deploy/web-app.yaml': WEB })
    expectNothingNew(report, 3)
    expect(report.postures).toEqual([])
    // unchanged findings are shown where they are now
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(['deploy/web-app.yaml']))
  })

  it('renaming a file while editing it', async () => {
    const edited = WEB.replace('replicas: 1', 'replicas: 3')
    expectNothingNew(await diffFiles({ 'web.yaml': WEB }, { 'web-app.yaml': edited }), 3)
  })

  it('moving an object to another file', async () => {
    const report = await diffFiles({ 'all.yaml': docs(CONFIG, WEB, API) }, { 'all.yaml': docs(CONFIG, API), 'web.yaml': WEB })
    expectNothingNew(report, 4)
    expect(summaryOf(report.findings)).toEqual([
      `unchanged ${HOST_NAMESPACES} web.yaml:9 web`,
      `unchanged ${PRIVILEGED} all.yaml:17 api/api`,
      `unchanged ${PRIVILEGED} web.yaml:14 web/app`,
      `unchanged ${PRIVILEGED} web.yaml:18 web/sidecar`,
    ])
  })

  it('splitting a file into one file per object', async () => {
    const report = await diffFiles({ 'all.yaml': docs(CONFIG, WEB, API) }, { 'a/config.yaml': CONFIG, 'a/web.yaml': WEB, 'b/api.json': toJson(API) })
    expectNothingNew(report, 4)
  })

  it('reordering containers', async () => {
    const reordered = deployment('web', { hostNetwork: true, containers: [{ name: 'sidecar', privileged: true }, { name: 'app', privileged: true }] })
    const report = await diffFiles({ 'web.yaml': WEB }, { 'web.yaml': reordered })
    expectNothingNew(report, 3)
  })

  it('reordering documents', async () => {
    const report = await diffFiles({ 'all.yaml': docs(CONFIG, WEB, API) }, { 'all.yaml': docs(API, CONFIG, WEB) })
    expectNothingNew(report, 4)
    expect(report.postures).toEqual([])
  })

  it('reformatting: block to flow style', async () => {
    const flow =
      '{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {replicas: 1, template: {spec: {hostNetwork: true, containers: [' +
      '{name: app, image: "nginx:1.27", securityContext: {privileged: true}}, {name: sidecar, image: "nginx:1.27", securityContext: {privileged: true}}]}}}}\n'
    const report = await diffFiles({ 'web.yaml': WEB }, { 'web.yaml': flow })
    expectNothingNew(report, 3)
    expect(report.postures).toEqual([])
    expectNothingNew(await diffFiles({ 'web.yaml': flow }, { 'web.yaml': WEB }), 3)
  })

  it('reformatting: YAML to JSON', async () => {
    expectNothingNew(await diffFiles({ 'web.yaml': WEB }, { 'web.json': toJson(WEB) }), 3)
  })

  it('reformatting: indentation, quoting and key order', async () => {
    const reformatted = [
      'kind: "Deployment"',
      "apiVersion: 'apps/v1'",
      'metadata:',
      '    name: "web"',
      'spec:',
      '    template:',
      '        spec:',
      '            containers:',
      '                -   "securityContext":',
      '                        "privileged": true',
      '                    image: "nginx:1.27"',
      "                    name: 'app'",
      '                -   name: sidecar',
      '                    securityContext: {privileged: true}',
      '                    image: nginx:1.27',
      '            "hostNetwork": true',
      '    replicas: 1',
      '',
    ].join('\n')
    const report = await diffFiles({ 'web.yaml': WEB }, { 'web.yaml': reformatted })
    expectNothingNew(report, 3)
    expect(report.postures).toEqual([])
  })

  it('editing comments', async () => {
    const commented = `# The web tier.\n${WEB.replace('      containers:\n', '      # TODO: drop privileged\n      containers:   # the list\n')}# trailing\n`
    const report = await diffFiles({ 'web.yaml': `# old header\n${WEB}` }, { 'web.yaml': commented })
    expectNothingNew(report, 3)
    expect(report.postures).toEqual([])
  })

  it('writing an explicit namespace: default', async () => {
    const explicit = deployment('web', {
      namespace: 'default',
      hostNetwork: true,
      containers: [{ name: 'app', privileged: true }, { name: 'sidecar', privileged: true }],
    })
    expectNothingNew(await diffFiles({ 'web.yaml': WEB }, { 'web.yaml': explicit }), 3)
    expectNothingNew(await diffFiles({ 'web.yaml': explicit }, { 'web.yaml': WEB }), 3)
  })

  it('all of it at once, read in full', async () => {
    const base = { 'all.yaml': docs(CONFIG, WEB, API) }
    const head = {
      'config.yaml': CONFIG,
      'workloads/pods.yaml': `# pods\n${API.replace('  name: api\n', '  name: api\n  namespace: default\n')}`,
      'workloads/web.json': toJson(WEB),
    }
    expectNothingNew(await diffFiles(base, head, { scope: 'all' }), 4)
  })
})

describe('the same edits between two git commits', () => {
  const repos: TempDir[] = []
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup()
  })

  async function diffCommits(repo: string, base: string, head: string): Promise<Report> {
    return runPipeline({
      base: new GitCommitSource(repo, { ref: base, sha: base }),
      head: new GitCommitSource(repo, { ref: head, sha: head }),
      scope: 'changed',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
  }

  it('git mv of a file', async () => {
    const repo = gitRepo()
    repos.push(repo)
    repo.write({ 'web.yaml': WEB, 'other.yaml': CONFIG })
    const base = commitAll(repo.path, 'base')
    git(repo.path, 'mv', 'web.yaml', 'web-app.yaml')
    const head = commitAll(repo.path, 'rename')
    const report = await diffCommits(repo.path, base, head)
    expectNothingNew(report, 3)
    expect(report.files).toBe(2) // web.yaml at base, web-app.yaml at head: other.yaml is not read
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(['web-app.yaml']))
  })

  it('moving an object out of a file, reordering and reformatting the rest', async () => {
    const repo = gitRepo()
    repos.push(repo)
    repo.write({ 'all.yaml': docs(CONFIG, WEB, API) })
    const base = commitAll(repo.path, 'base')
    repo.write({ 'all.yaml': docs(API.replace(/^ {2}/gm, '    '), CONFIG), 'web.yaml': WEB })
    const head = commitAll(repo.path, 'move')
    expectNothingNew(await diffCommits(repo.path, base, head), 4)
  })

  it('renaming a directory of files on disk', async () => {
    const repo = gitRepo()
    repos.push(repo)
    repo.write({ 'envs/dev/web.yaml': WEB, 'envs/dev/api.yaml': API })
    const base = commitAll(repo.path, 'base')
    renameSync(join(repo.path, 'envs/dev'), join(repo.path, 'envs/development'))
    const head = commitAll(repo.path, 'rename dir')
    expectNothingNew(await diffCommits(repo.path, base, head), 4)
  })
})

/** The same object as pretty-printed JSON. */
function toJson(yamlText: string): string {
  return `${JSON.stringify(parseDocument(yamlText).toJS(), null, 2)}\n`
}
