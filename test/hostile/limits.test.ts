/**
 * Input limits: a file over `limits.maxFileBytes` and files past `limits.maxTotalBytes` are
 * skipped with the reason, sizes are checked before anything is read, and a file that changes
 * under the reader (grows, turns into a symlink, is a FIFO) neither blocks nor leaks.
 */
import { execFileSync } from 'node:child_process'
import { rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Config, DEFAULT_CONFIG, parseConfig } from '../../src/config/config.js'
import { DirectorySource, readWorkingFiles } from '../../src/load/dir-source.js'
import { GitCommitSource, readBlobs } from '../../src/load/git-source.js'
import { readRevisions } from '../../src/load/read-revisions.js'
import type { FileContent, FileEntry, ReadOptions, RevisionSource } from '../../src/load/source.js'
import { WorkTreeSource } from '../../src/load/worktree-source.js'
import { runPipeline } from '../../src/pipeline.js'
import { RULES } from '../../src/rules/index.js'
import { commitAll, git, gitRepo, pod, PRIVILEGED, tempDir, type TempDir, TWO_RULES } from '../support/engine.js'

const dirs: TempDir[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})
function dir(files: Record<string, string | Buffer> = {}): TempDir {
  const d = tempDir()
  dirs.push(d)
  d.write(files)
  return d
}

const KB = 1024
const limited = (maxFileBytes: number, maxTotalBytes = 1024 * KB): Config => ({ ...DEFAULT_CONFIG, limits: { maxFileBytes, maxTotalBytes } })
const privileged = (name: string): string => pod(name, { containers: [{ name: 'app', privileged: true }] })
/** A privileged pod padded with a comment to about `bytes` bytes. */
const padded = (name: string, bytes: number): string => {
  const body = privileged(name)
  return `${body}# ${'x'.repeat(Math.max(0, bytes - body.length - 3))}\n`
}

/** A source over fixed entries whose read() records what it was asked for, and refuses anything huge. */
class RecordingSource implements RevisionSource {
  readonly info = { ref: 'fake', sha: null }
  readonly asked: string[] = []
  constructor(
    private readonly entries: FileEntry[],
    private readonly contents: Record<string, string>,
  ) {}
  async list(): Promise<FileEntry[]> {
    return this.entries
  }
  async read(entries: readonly FileEntry[], _options?: ReadOptions): Promise<FileContent[]> {
    return entries.map((e) => {
      this.asked.push(e.path)
      if ((e.size ?? 0) > 100 * KB) throw new Error(`read ${e.path}, a file of ${e.size} bytes`)
      const bytes = Buffer.from(this.contents[e.path] ?? '')
      return { path: e.path, blobId: `id-${e.path}`, bytes }
    })
  }
}

describe('the per-file limit', () => {
  it('skips a file over the limit, with its size and the limit, and still reads the others', async () => {
    const head = dir({ 'big.yaml': padded('big', 40 * KB), 'small.yaml': privileged('small') })
    const report = await runPipeline({
      base: null,
      head: new DirectorySource(head.path, { ref: 'head', sha: null }),
      scope: 'all',
      failOn: 'high',
      config: limited(32 * KB),
      evaluation: { rules: TWO_RULES },
    })
    expect(report.skipped).toEqual([
      { revision: 'head', file: 'big.yaml', reason: '40 KB, over the 32 KB limit per file (limits.maxFileBytes): not read' },
    ])
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([`${PRIVILEGED} small.yaml`])
    expect(report.files).toBe(1)
  })

  it('defaults to 5 MB', async () => {
    const head = dir({ 'six.yaml': padded('six', 6 * 1024 * KB), 'four.yaml': padded('four', 4 * 1024 * KB) })
    const report = await runPipeline({
      base: null,
      head: new DirectorySource(head.path, { ref: 'head', sha: null }),
      scope: 'all',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
    expect(report.skipped.map((s) => `${s.file}: ${s.reason}`)).toEqual(['six.yaml: 6 MB, over the 5 MB limit per file (limits.maxFileBytes): not read'])
    expect(report.findings.map((f) => f.file)).toEqual(['four.yaml'])
  })

  it('never asks a source for a file the listing says is too large', async () => {
    const entries: FileEntry[] = [
      { path: 'huge.yaml', kind: 'file', blobId: 'h', size: 10 * 1024 * 1024 * 1024 },
      { path: 'ok.yaml', kind: 'file', blobId: 'o', size: 300 },
    ]
    const source = new RecordingSource(entries, { 'ok.yaml': privileged('ok') })
    const contents = await readRevisions({
      base: null,
      head: source,
      scope: 'all',
      wanted: () => true,
      withUnchanged: false,
      limits: { maxFileBytes: 5 * 1024 * KB, maxTotalBytes: 200 * 1024 * KB },
    })
    expect(source.asked).toEqual(['ok.yaml'])
    expect(contents.head.map((c) => c.path)).toEqual(['ok.yaml'])
    expect(contents.skipped).toEqual([{ revision: 'head', file: 'huge.yaml', reason: expect.stringMatching(/^10240 MB, over the 5 MB limit/) }])
  })

  it('catches a file whose size the listing did not know, once read', async () => {
    const entries: FileEntry[] = [{ path: 'unknown.yaml', kind: 'file', blobId: 'u', size: null }]
    const source = new RecordingSource(entries, { 'unknown.yaml': padded('u', 50 * KB) })
    const contents = await readRevisions({ base: null, head: source, scope: 'all', wanted: () => true, withUnchanged: false, limits: { maxFileBytes: 10 * KB, maxTotalBytes: 1024 * KB } })
    expect(contents.head).toEqual([])
    expect(contents.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^50 KB, over the 10 KB limit/)])
  })

  it('is checked before reading in a git commit: ls-tree knows the sizes, cat-file never loads the blob', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'big.yaml': padded('big', 64 * KB), 'small.yaml': privileged('small') })
    const sha = commitAll(repo.path, 'files')
    const source = new GitCommitSource(repo.path, { ref: 'HEAD', sha })
    const entries = await source.list()
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['big.yaml', 64 * KB],
      ['small.yaml', Buffer.byteLength(privileged('small'))],
    ])
    const read = await readBlobs(repo.path, entries.map((e) => ({ path: e.path, blobId: e.blobId as string })), { maxFileBytes: 16 * KB })
    const big = read.find((c) => c.path === 'big.yaml')
    expect(big?.tooLarge).toBe(64 * KB)
    expect(big?.bytes.length).toBe(0)
    expect(read.find((c) => c.path === 'small.yaml')?.bytes.toString()).toBe(privileged('small'))

    const report = await runPipeline({ base: null, head: source, scope: 'all', failOn: 'high', config: limited(16 * KB), evaluation: { rules: TWO_RULES } })
    expect(report.skipped.map((s) => s.file)).toEqual(['big.yaml'])
  })

  it('is checked in a work tree, on the size of the file on disk', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'a.yaml': privileged('a') })
    commitAll(repo.path, 'base')
    repo.write({ 'a.yaml': padded('a', 40 * KB), 'untracked.yaml': padded('u', 40 * KB) })
    const source = new WorkTreeSource(repo.path, { ref: 'working tree', sha: null })
    expect((await source.list()).map((e) => [e.path, e.size])).toEqual([
      ['a.yaml', 40 * KB],
      ['untracked.yaml', 40 * KB],
    ])
    const base = new GitCommitSource(repo.path, { ref: 'HEAD', sha: git(repo.path, 'rev-parse', 'HEAD').trim() })
    const report = await runPipeline({ base, head: source, scope: 'changed', failOn: 'high', config: limited(16 * KB), evaluation: { rules: TWO_RULES } })
    expect(report.skipped.map((s) => `${s.revision} ${s.file}`).sort()).toEqual(['head a.yaml', 'head untracked.yaml'])
    // with its head unread, a.yaml is not read at base either: its finding does not turn "fixed"
    expect(report.findings).toEqual([])
  })

  it('holds when a file grows between listing and reading', async () => {
    const d = dir({ 'grows.yaml': privileged('g') })
    const [entry] = await new DirectorySource(d.path, { ref: 'x', sha: null }).list()
    writeFileSync(join(d.path, 'grows.yaml'), padded('g', 64 * KB))
    const [content] = await readWorkingFiles(d.path, [entry as FileEntry], { maxFileBytes: 16 * KB })
    expect(content?.tooLarge).toBeGreaterThan(16 * KB)
    expect(content?.bytes.length).toBe(0)
  })
})

describe('the total budget', () => {
  it('skips the files past the budget, in path order, each with the reason', async () => {
    const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [`${n}.yaml`, padded(n, 10 * KB)]))
    const head = dir(files)
    const report = await runPipeline({
      base: null,
      head: new DirectorySource(head.path, { ref: 'head', sha: null }),
      scope: 'all',
      failOn: 'high',
      config: limited(100 * KB, 25 * KB),
      evaluation: { rules: TWO_RULES },
    })
    expect(report.findings.map((f) => f.file)).toEqual(['a.yaml', 'b.yaml'])
    expect(report.skipped).toEqual(
      ['c.yaml', 'd.yaml', 'e.yaml'].map((file) => ({ revision: 'head', file, reason: 'not read: the run reached its 25 KB input budget (limits.maxTotalBytes)' })),
    )
  })

  it('admits or refuses both revisions of a path together, so no finding looks new or fixed for want of a side', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'a.yaml': padded('a', 10 * KB), 'b.yaml': padded('b', 10 * KB) })
    const base = commitAll(repo.path, 'base')
    repo.write({ 'a.yaml': padded('a', 10 * KB + 10), 'b.yaml': `${padded('b', 10 * KB)}# edited\n` })
    const head = commitAll(repo.path, 'head')
    const report = await runPipeline({
      base: new GitCommitSource(repo.path, { ref: 'base', sha: base }),
      head: new GitCommitSource(repo.path, { ref: 'head', sha: head }),
      scope: 'changed',
      failOn: 'high',
      config: limited(100 * KB, 25 * KB),
      evaluation: { rules: TWO_RULES },
    })
    // a.yaml at both revisions fits (about 20 KB); b.yaml's two sides would pass 25 KB
    expect(report.skipped.map((s) => `${s.revision} ${s.file}`)).toEqual(['base b.yaml', 'head b.yaml'])
    expect(report.findings.map((f) => `${f.status} ${f.file}`)).toEqual(['unchanged a.yaml'])
  })

  it('is read from the configuration, and refused when it is not a positive whole number', () => {
    const ids = new Set(RULES.map((r) => r.meta.id))
    const parsed = parseConfig('k.yml', 'limits:\n  maxFileBytes: 1048576\n', ids)
    expect(parsed.ok && parsed.config.limits).toEqual({ maxFileBytes: 1048576, maxTotalBytes: DEFAULT_CONFIG.limits.maxTotalBytes })
    for (const bad of ['limits: {maxFileBytes: 0}', 'limits: {maxTotalBytes: "200MB"}', 'limits: {maxFileBytes: 1.5}', 'limits: {maxBytes: 5}']) {
      const result = parseConfig('k.yml', `${bad}\n`, ids)
      expect([bad, result.ok]).toEqual([bad, false])
      if (!result.ok) expect(result.errors[0]?.line).toBe(1)
    }
  })
})

describe('files that change under the reader', () => {
  it('does not follow a file swapped for a symlink after listing', async () => {
    const d = dir({ 'swap.yaml': privileged('swap') })
    const entries = await new DirectorySource(d.path, { ref: 'x', sha: null }).list()
    rmSync(join(d.path, 'swap.yaml'))
    symlinkSync('/etc/passwd', join(d.path, 'swap.yaml'))
    expect(await readWorkingFiles(d.path, entries)).toEqual([])
  })

  it('never opens a FIFO named like a manifest (it would block the run)', async () => {
    const d = dir({ 'real.yaml': privileged('real') })
    try {
      execFileSync('mkfifo', [join(d.path, 'pipe.yaml')])
    } catch {
      return // no mkfifo here: nothing to test
    }
    const source = new DirectorySource(d.path, { ref: 'x', sha: null })
    expect((await source.list()).map((e) => e.path)).toEqual(['real.yaml'])
    // listed as a file by a stale listing, it is still not opened for reading
    const read = await readWorkingFiles(d.path, [{ path: 'pipe.yaml', kind: 'file', blobId: null }])
    expect(read).toEqual([])
  })
})

describe('a path whose head cannot be read', () => {
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])
  const diff = (base: Record<string, string | Buffer>, head: Record<string, string | Buffer>) =>
    runPipeline({
      base: new DirectorySource(dir(base).path, { ref: 'base', sha: null }),
      head: new DirectorySource(dir(head).path, { ref: 'head', sha: null }),
      scope: 'changed',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })

  it('a manifest turned binary: skipped at head, and its findings at base are not called fixed', async () => {
    const report = await diff({ 'a.yaml': privileged('a') }, { 'a.yaml': binary })
    expect(report.skipped).toEqual([{ revision: 'head', file: 'a.yaml', reason: 'binary file (contains NUL bytes)' }])
    expect(report.findings).toEqual([])
  })

  it('a binary file the change does not touch is not news', async () => {
    const report = await diff({ 'a.yaml': binary, 'b.yaml': privileged('b') }, { 'a.yaml': binary, 'b.yaml': `${privileged('b')}# edited\n` })
    expect(report.skipped).toEqual([])
    expect(report.findings.map((f) => `${f.status} ${f.file}`)).toEqual(['unchanged b.yaml'])
  })

  it('a deleted manifest still takes its findings with it', async () => {
    const report = await diff({ 'a.yaml': privileged('a') }, {})
    expect(report.findings.map((f) => `${f.status} ${f.file}`)).toEqual(['fixed a.yaml'])
  })
})
