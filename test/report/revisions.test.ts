import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ApiRevisionSource } from '../../src/load/api-source.js'
import { GitCommitSource } from '../../src/load/git-source.js'
import type { RevisionSource } from '../../src/load/source.js'
import type { BotEvent } from '../../src/report/event.js'
import { workspaceGit } from '../../src/report/git-port.js'
import type { GitPort } from '../../src/report/ports.js'
import { eventRevisions } from '../../src/report/revisions.js'
import { FakeGitHub, FakeRunner } from './fake-port.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const M = 'd'.repeat(40)
const PR: BotEvent = { kind: 'pull_request', target: true, number: 3, baseSha: B, headSha: A, baseRef: 'main' }

/** A git port over a set of local commits; fetching adds the commits in `fetchable`. */
function fakeGit(local: string[], options: { fetchable?: string[]; mergeBase?: string | null; branchPoint?: string | null; available?: boolean } = {}) {
  const have = new Set(local)
  const log: string[] = []
  const port: GitPort = {
    available: async () => options.available ?? true,
    hasCommit: async (sha) => have.has(sha),
    fetchCommit: async (sha) => {
      log.push(`fetch ${sha.slice(0, 1)}`)
      if (!options.fetchable?.includes(sha)) return false
      have.add(sha)
      return true
    },
    mergeBase: async (a, b) => {
      log.push(`merge-base ${a.slice(0, 1)} ${b.slice(0, 1)}`)
      return options.mergeBase ?? null
    },
    branchPoint: async (head, branch) => {
      log.push(`branch-point ${head.slice(0, 1)} ${branch}`)
      const point = options.branchPoint ?? null
      if (point) have.add(point)
      return point
    },
    source: (sha, ref): RevisionSource => ({ info: { sha, ref }, list: async () => [], read: async () => [] }),
  }
  return { port, log }
}

const kind = (s: RevisionSource | null): string => (s === null ? 'none' : s instanceof ApiRevisionSource ? `api:${s.info.sha?.slice(0, 1)}` : `git:${s.info.sha?.slice(0, 1)}`)

describe('eventRevisions', () => {
  it('uses local commits and git’s merge base when the checkout has them: no API call', async () => {
    const github = new FakeGitHub()
    const { port, log } = fakeGit([A, B, M], { mergeBase: M })
    const r = await eventRevisions(PR, port, github, new FakeRunner())
    expect([kind(r.base), kind(r.head), r.scope]).toEqual(['git:d', 'git:a', 'changed'])
    expect(log).toEqual(['merge-base b a'])
    expect(github.count()).toBe(0)
  })

  it('in a shallow checkout, fetches the head and finds where it left the base branch: no API call', async () => {
    const github = new FakeGitHub()
    const { port, log } = fakeGit([], { fetchable: [A], branchPoint: M })
    const r = await eventRevisions(PR, port, github, new FakeRunner())
    expect([kind(r.base), kind(r.head)]).toEqual(['git:d', 'git:a'])
    expect(log).toEqual(['fetch a', 'branch-point a main'])
    expect(github.count()).toBe(0)
  })

  it('asks the compare API for the merge base when git cannot tell, and fetches it', async () => {
    const github = new FakeGitHub()
    github.mergeBaseAnswer = M
    const { port, log } = fakeGit([], { fetchable: [A, M], mergeBase: null, branchPoint: null })
    const r = await eventRevisions(PR, port, github, new FakeRunner())
    expect([kind(r.base), kind(r.head)]).toEqual(['git:d', 'git:a'])
    expect(log).toEqual(['fetch a', 'branch-point a main', 'fetch d'])
    expect(github.calls.map((c) => [c.method, ...c.args])).toEqual([['mergeBase', B, A]])
  })

  it('reads through the REST API what git cannot fetch', async () => {
    const github = new FakeGitHub()
    github.mergeBaseAnswer = M
    const { port } = fakeGit([], { fetchable: [] })
    const r = await eventRevisions(PR, port, github, new FakeRunner())
    expect([kind(r.base), kind(r.head)]).toEqual(['api:d', 'api:a'])
  })

  it('reads everything through the API without a repository', async () => {
    const github = new FakeGitHub()
    const { port, log } = fakeGit([], { available: false })
    const r = await eventRevisions({ kind: 'compare', eventName: 'push', baseSha: B, headSha: A }, port, github, new FakeRunner())
    expect([kind(r.base), kind(r.head)]).toEqual(['api:b', 'api:a'])
    expect(log).toEqual([])
  })

  it('compares a push from before, and scans a new branch', async () => {
    const { port } = fakeGit([A, B])
    const push = await eventRevisions({ kind: 'compare', eventName: 'push', baseSha: B, headSha: A }, port, null, new FakeRunner())
    expect([kind(push.base), kind(push.head), push.scope]).toEqual(['git:b', 'git:a', 'changed'])
    const created = await eventRevisions({ kind: 'compare', eventName: 'push', baseSha: null, headSha: A }, port, null, new FakeRunner())
    expect([kind(created.base), kind(created.head), created.scope]).toEqual(['none', 'git:a', 'all'])
  })

  it('falls back to the base commit when no merge base can be found, with a warning', async () => {
    const github = new FakeGitHub().fail('mergeBase', Object.assign(new Error('Not Found'), { status: 404 }))
    const out = new FakeRunner()
    const { port } = fakeGit([A, B])
    const r = await eventRevisions(PR, port, github, out)
    expect(kind(r.base)).toBe('git:b')
    expect(out.logs.some((l) => l.level === 'warning' && l.message.includes('merge base'))).toBe(true)
  })
})

describe('ApiRevisionSource', () => {
  it('lists files, symlinks and submodules from the tree and reads blobs once each', async () => {
    const github = new FakeGitHub()
    github.trees.set(A, [
      { path: 'b.yaml', mode: '100644', type: 'blob', sha: 'blob1' },
      { path: 'a.yaml', mode: '100755', type: 'blob', sha: 'blob1' },
      { path: 'dir', mode: '040000', type: 'tree', sha: 'tree1' },
      { path: 'link.yaml', mode: '120000', type: 'blob', sha: 'blob2' },
      { path: 'vendor', mode: '160000', type: 'commit', sha: 'c0ffee' },
    ])
    github.blobs.set('blob1', 'kind: Pod\n')
    const source = new ApiRevisionSource(github, { ref: 'head', sha: A })
    const entries = await source.list()
    expect(entries).toEqual([
      { path: 'a.yaml', kind: 'file', blobId: 'blob1' },
      { path: 'b.yaml', kind: 'file', blobId: 'blob1' },
      { path: 'link.yaml', kind: 'symlink', blobId: 'blob2' },
      { path: 'vendor', kind: 'submodule', blobId: 'c0ffee' },
    ])
    const contents = await source.read(entries)
    expect(contents.map((c) => [c.path, c.bytes.toString()])).toEqual([
      ['a.yaml', 'kind: Pod\n'],
      ['b.yaml', 'kind: Pod\n'],
    ])
    expect(github.count('getBlob')).toBe(1)
  })

  it('fails a read rather than lose a file', async () => {
    const github = new FakeGitHub()
    const source = new ApiRevisionSource(github, { ref: 'head', sha: A })
    await expect(source.read([{ path: 'x.yaml', kind: 'file', blobId: 'missing' }])).rejects.toMatchObject({ status: 404 })
  })
})

describe('workspaceGit', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_ALLOW_PROTOCOL: 'file' }
  const run = (cwd: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env, encoding: 'utf8' }).trim()
  const temp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'kube-ratchet-gitport-'))
    dirs.push(d)
    return d
  }

  it('fetches a missing commit into a shallow clone, reads it as blobs, and finds no merge base there', async () => {
    const origin = temp()
    run(origin, 'init', '-q')
    run(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true')
    writeFileSync(join(origin, 'a.yaml'), 'kind: Pod\n')
    run(origin, 'add', '-A')
    run(origin, 'commit', '-q', '-m', 'base')
    const base = run(origin, 'rev-parse', 'HEAD')
    run(origin, 'checkout', '-q', '-b', 'feature')
    mkdirSync(join(origin, 'dir'))
    writeFileSync(join(origin, 'dir', 'b.yaml'), 'kind: Service\n')
    run(origin, 'add', '-A')
    run(origin, 'commit', '-q', '-m', 'head')
    const head = run(origin, 'rev-parse', 'HEAD')
    run(origin, 'checkout', '-q', 'main')

    const ws = temp()
    run(ws, 'init', '-q')
    run(ws, 'remote', 'add', 'origin', `file://${origin}`)
    run(ws, 'fetch', '-q', '--depth=1', 'origin', base)
    const git = await workspaceGit(ws)
    expect(await git.available()).toBe(true)
    expect(await git.hasCommit(base)).toBe(true)
    expect(await git.hasCommit(head)).toBe(false)
    expect(await git.fetchCommit(head)).toBe(true)
    expect(await git.hasCommit(head)).toBe(true)
    expect(await git.mergeBase(base, head)).toBeNull()
    const source = git.source(head, 'head')
    expect(source).toBeInstanceOf(GitCommitSource)
    const files = await source.read(await source.list())
    expect(files.map((f) => [f.path, f.bytes.toString()])).toEqual([
      ['a.yaml', 'kind: Pod\n'],
      ['dir/b.yaml', 'kind: Service\n'],
    ])
    expect(await git.fetchCommit('f'.repeat(40))).toBe(false)
  })

  it('finds where a branch left main in a shallow clone, and declines when the branch merged main', async () => {
    const origin = temp()
    run(origin, 'init', '-q')
    run(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true')
    const commit = (file: string): string => {
      writeFileSync(join(origin, file), `${file}\n`)
      run(origin, 'add', '-A')
      run(origin, 'commit', '-q', '-m', file)
      return run(origin, 'rev-parse', 'HEAD')
    }
    commit('m1')
    const point = commit('m2')
    run(origin, 'checkout', '-q', '-b', 'feature')
    commit('f1')
    const head = commit('f2')
    run(origin, 'checkout', '-q', 'main')
    const tip = commit('m3')

    const clone = async (): Promise<GitPort> => {
      const ws = temp()
      run(ws, 'init', '-q')
      run(ws, 'remote', 'add', 'origin', `file://${origin}`)
      run(ws, 'fetch', '-q', '--depth=1', 'origin', tip)
      const git = await workspaceGit(ws)
      expect(await git.fetchCommit(head)).toBe(true)
      return git
    }
    const git = await clone()
    expect(await git.mergeBase(tip, head)).toBeNull()
    expect(await git.branchPoint(head, 'main')).toBe(point)

    // The branch merges main: two places where it meets main, the compare API must decide.
    run(origin, 'checkout', '-q', 'feature')
    run(origin, 'merge', '-q', '--no-edit', 'main')
    const merged = run(origin, 'rev-parse', 'HEAD')
    run(origin, 'checkout', '-q', 'main')
    const again = await clone()
    expect(await again.fetchCommit(merged)).toBe(true)
    expect(await again.branchPoint(merged, 'main')).toBeNull()
    expect(await again.branchPoint(merged, 'no-such-branch')).toBeNull()
  })

  it('is unavailable outside a repository', async () => {
    const git = await workspaceGit(temp())
    expect(await git.available()).toBe(false)
    expect(await git.hasCommit('a'.repeat(40))).toBe(false)
  })
})
