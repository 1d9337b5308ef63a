import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DirectorySource } from '../../src/load/dir-source.js'
import { GitCommitSource } from '../../src/load/git-source.js'
import { selectManifests } from '../../src/load/manifest-files.js'
import type { FileEntry } from '../../src/load/source.js'
import { WorkTreeSource } from '../../src/load/worktree-source.js'
import { runPipeline } from '../../src/pipeline.js'
import { commitAll, git, gitRepo, pod, PRIVILEGED, tempDir, type TempDir, TWO_RULES } from '../support/engine.js'

const file = (path: string): FileEntry => ({ path, kind: 'file', blobId: null })

describe('selectManifests', () => {
  it('picks YAML and JSON files only', () => {
    const { manifests, skipped } = selectManifests(
      ['a.yaml', 'b.yml', 'c.json', 'D.YAML', 'README.md', 'Makefile', 'x.yaml.bak', 'kustomization.yaml'].map(file),
    )
    expect(manifests.map((e) => e.path)).toEqual(['a.yaml', 'b.yml', 'c.json', 'D.YAML', 'kustomization.yaml'])
    expect(skipped).toEqual([])
  })

  it('skips the templates of a Helm chart, and only those', () => {
    const entries = [
      'charts/web/Chart.yaml',
      'charts/web/values.yaml',
      'charts/web/templates/deployment.yaml',
      'charts/web/templates/nested/service.yaml',
      'charts/web/templates/NOTES.txt',
      'charts/web/charts/sub/Chart.yaml',
      'charts/web/charts/sub/templates/job.yaml',
      // no Chart.yaml next to these: ordinary manifests
      'deploy/templates/pod.yaml',
      'templates/pod.yaml',
      'charts/web/crds/crd.yaml',
    ].map(file)
    const { manifests, skipped } = selectManifests(entries)
    expect(skipped.map((s) => s.entry.path)).toEqual([
      'charts/web/templates/deployment.yaml',
      'charts/web/templates/nested/service.yaml',
      'charts/web/charts/sub/templates/job.yaml',
    ])
    expect(skipped.every((s) => /helm/i.test(s.reason))).toBe(true)
    expect(manifests.map((e) => e.path)).toEqual([
      'charts/web/Chart.yaml',
      'charts/web/values.yaml',
      'charts/web/charts/sub/Chart.yaml',
      'deploy/templates/pod.yaml',
      'templates/pod.yaml',
      'charts/web/crds/crd.yaml',
    ])
  })

  it('skips a chart at the root too', () => {
    const { skipped } = selectManifests(['Chart.yaml', 'templates/a.yaml'].map(file))
    expect(skipped.map((s) => s.entry.path)).toEqual(['templates/a.yaml'])
  })

  it('skips symlinks and submodules with a reason, and never reads them', () => {
    const { manifests, skipped } = selectManifests([
      { path: 'link.yaml', kind: 'symlink', blobId: null },
      { path: 'vendor.yaml', kind: 'submodule', blobId: 'abc' },
      file('real.yaml'),
    ])
    expect(manifests.map((e) => e.path)).toEqual(['real.yaml'])
    expect(skipped.map((s) => [s.entry.path, s.reason])).toEqual([
      ['link.yaml', expect.stringMatching(/symbolic link/)],
      ['vendor.yaml', expect.stringMatching(/submodule/)],
    ])
  })
})

describe('sources', () => {
  const dirs: TempDir[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup()
  })

  it('a directory lists symlinks without following them, and the pipeline reports them as skipped', async () => {
    const outside = tempDir()
    const dir = tempDir()
    dirs.push(outside, dir)
    outside.write({ 'secret.yaml': pod('outside', { containers: [{ name: 'a', privileged: true }] }) })
    dir.write({ 'real.yaml': pod('inside', { hostNetwork: true }), 'node_modules/x.yaml': pod('dep', { hostNetwork: true }) })
    symlinkSync(join(outside.path, 'secret.yaml'), join(dir.path, 'link.yaml'))
    symlinkSync(outside.path, join(dir.path, 'linked-dir'))

    const entries = await new DirectorySource(dir.path, { ref: 'x', sha: null }).list()
    expect(entries).toEqual([
      { path: 'link.yaml', kind: 'symlink', blobId: null },
      { path: 'linked-dir', kind: 'symlink', blobId: null },
      { path: 'real.yaml', kind: 'file', blobId: null, size: Buffer.byteLength(pod('inside', { hostNetwork: true })) },
    ])

    const report = await runPipeline({
      base: null,
      head: new DirectorySource(dir.path, { ref: 'x', sha: null }),
      scope: 'all',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
    expect(report.findings.map((f) => f.resource.name)).toEqual(['inside'])
    expect(report.skipped).toEqual([{ revision: 'head', file: 'link.yaml', reason: expect.stringMatching(/symbolic link/) }])
    expect(report.files).toBe(1)
  })

  it('a pull request between directories reports only the chart templates it touches', async () => {
    const base = tempDir()
    const head = tempDir()
    dirs.push(base, head)
    const chart = { 'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'chart/templates/a.yaml': '{{ if .Values.a }}\n', 'chart/templates/b.yaml': 'b: {{ .Values.b }}\n' }
    base.write(chart)
    head.write({ ...chart, 'chart/templates/b.yaml': 'b: {{ .Values.bb }}\n', 'chart/templates/c.yaml': 'c: 1\n' })
    const run = (scope: 'changed' | 'all') =>
      runPipeline({
        base: new DirectorySource(base.path, { ref: 'base', sha: null }),
        head: new DirectorySource(head.path, { ref: 'head', sha: null }),
        scope,
        failOn: 'high',
        evaluation: { rules: TWO_RULES },
      })
    const changed = await run('changed')
    expect(changed.skipped.map((s) => `${s.revision} ${s.file}`)).toEqual(['base chart/templates/b.yaml', 'head chart/templates/b.yaml', 'head chart/templates/c.yaml'])
    const all = await run('all')
    expect(all.skipped).toHaveLength(5)
  })

  it('a commit lists symlinks and submodules as such, and the pipeline skips them', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'real.yaml': pod('real', { hostNetwork: true }), 'target.yaml': pod('target', { containers: [{ name: 'a', privileged: true }] }) })
    symlinkSync('target.yaml', join(repo.path, 'link.yaml'))
    commitAll(repo.path, 'files')
    // a gitlink (what a submodule is in a tree), named like a manifest
    const sha = git(repo.path, 'rev-parse', 'HEAD').trim()
    git(repo.path, 'update-index', '--add', '--cacheinfo', `160000,${sha},vendored.yaml`)
    git(repo.path, 'commit', '-q', '-m', 'submodule')
    const head = git(repo.path, 'rev-parse', 'HEAD').trim()

    const source = new GitCommitSource(repo.path, { ref: 'HEAD', sha: head })
    const entries = await source.list()
    expect(entries.map((e) => [e.path, e.kind])).toEqual([
      ['link.yaml', 'symlink'],
      ['real.yaml', 'file'],
      ['target.yaml', 'file'],
      ['vendored.yaml', 'submodule'],
    ])
    const report = await runPipeline({ base: null, head: source, scope: 'all', failOn: 'high', evaluation: { rules: TWO_RULES } })
    expect(report.skipped.map((s) => [s.file, s.reason])).toEqual([
      ['link.yaml', expect.stringMatching(/symbolic link/)],
      ['vendored.yaml', expect.stringMatching(/submodule/)],
    ])
    expect(report.findings.map((f) => f.resource.name).sort()).toEqual(['real', 'target'])
    expect(report.findings.filter((f) => f.ruleId === PRIVILEGED).map((f) => f.file)).toEqual(['target.yaml'])
  })

  it('a work tree lists tracked files with their index ids and edited or untracked ones without', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'a.yaml': pod('a'), 'b.yaml': pod('b'), '.gitignore': 'ignored.yaml\n' })
    commitAll(repo.path, 'base')
    repo.write({ 'b.yaml': pod('b', { hostNetwork: true }), 'new.yaml': pod('new'), 'ignored.yaml': pod('ignored') })
    const entries = await new WorkTreeSource(repo.path, { ref: 'working tree', sha: null }).list()
    const byPath = new Map(entries.map((e) => [e.path, e]))
    expect([...byPath.keys()].sort()).toEqual(['.gitignore', 'a.yaml', 'b.yaml', 'new.yaml'])
    expect(byPath.get('a.yaml')?.blobId).toBe(git(repo.path, 'rev-parse', 'HEAD:a.yaml').trim())
    expect(byPath.get('b.yaml')?.blobId).toBeNull()
    expect(byPath.get('new.yaml')?.blobId).toBeNull()
  })

  it('a work tree in the middle of a conflicted merge lists each path once', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'p.yaml': pod('p'), 'other.yaml': pod('other') })
    commitAll(repo.path, 'base')
    git(repo.path, 'checkout', '-q', '-b', 'side')
    repo.write({ 'p.yaml': pod('p', { hostNetwork: true }) })
    commitAll(repo.path, 'side')
    git(repo.path, 'checkout', '-q', 'main')
    repo.write({ 'p.yaml': pod('p', { hostNetwork: true }).replace('hostNetwork', 'hostPID') })
    commitAll(repo.path, 'main')
    expect(() => git(repo.path, 'merge', '-q', 'side')).toThrow() // a conflict in p.yaml
    const source = new WorkTreeSource(repo.path, { ref: 'working tree', sha: null })
    expect((await source.list()).map((e) => e.path).sort()).toEqual(['other.yaml', 'p.yaml'])
    const head = git(repo.path, 'rev-parse', 'HEAD').trim()
    const report = await runPipeline({
      base: new GitCommitSource(repo.path, { ref: 'HEAD', sha: head }),
      head: source,
      scope: 'changed',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
    expect(report.files).toBe(2) // p.yaml at both revisions, once each
    expect(report.errors.length).toBeGreaterThan(0) // conflict markers are not YAML
    expect(new Set(report.errors.map((e) => `${e.line} ${e.message}`)).size).toBe(report.errors.length)
  })

  it('reports the problems of a file in line order', async () => {
    const dir = tempDir()
    dirs.push(dir)
    dir.write({ 'two.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: c: d\n' })
    const report = await runPipeline({ base: null, head: new DirectorySource(dir.path, { ref: 'x', sha: null }), scope: 'all', failOn: 'high' })
    expect(report.errors.map((e) => e.line)).toEqual([4, 9])
  })

  it('a work tree reports a symlink it has not committed as a symlink, never reading it', async () => {
    const repo = gitRepo()
    const outside = tempDir()
    dirs.push(repo, outside)
    outside.write({ 'target.yaml': pod('outside', { hostNetwork: true }) })
    repo.write({ 'a.yaml': pod('a'), 'edited.yaml': pod('edited') })
    commitAll(repo.path, 'base')
    symlinkSync(join(outside.path, 'target.yaml'), join(repo.path, 'untracked-link.yaml'))
    repo.remove('edited.yaml')
    symlinkSync(join(outside.path, 'target.yaml'), join(repo.path, 'edited.yaml')) // a tracked file turned into a symlink
    const source = new WorkTreeSource(repo.path, { ref: 'working tree', sha: null })
    const kinds = Object.fromEntries((await source.list()).map((e) => [e.path, e.kind]))
    expect(kinds).toEqual({ 'a.yaml': 'file', 'edited.yaml': 'symlink', 'untracked-link.yaml': 'symlink' })
    const report = await runPipeline({ base: null, head: source, scope: 'all', failOn: 'high', evaluation: { rules: TWO_RULES } })
    expect(report.findings).toEqual([])
    expect(report.skipped.map((s) => [s.file, s.reason])).toEqual([
      ['edited.yaml', expect.stringMatching(/symbolic link/)],
      ['untracked-link.yaml', expect.stringMatching(/symbolic link/)],
    ])
  })
})
