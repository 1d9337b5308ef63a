/**
 * A pull request that changes thousands of files, deletes and renames hundreds: every file is
 * read once, in one pass of git, and every change is accounted for.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GitCommitSource } from '../../src/load/git-source.js'
import type { Report } from '../../src/model.js'
import { runPipeline } from '../../src/pipeline.js'
import { renderJson } from '../../src/render/json.js'
import { renderText } from '../../src/render/text.js'
import { commitAll, gitRepo, pod, PRIVILEGED, type TempDir, TWO_RULES } from '../support/engine.js'

const FILES = 3000
const name = (i: number): string => `apps/team-${i % 40}/pod-${String(i).padStart(4, '0')}.yaml`

let repo: TempDir
let report: Report
let seconds = 0

beforeAll(async () => {
  repo = gitRepo()
  repo.write(Object.fromEntries(Array.from({ length: FILES }, (_, i) => [name(i), pod(`p${i}`)])))
  const base = commitAll(repo.path, 'base')
  // every file but the last 1,000 turns privileged; 500 are deleted, 500 renamed unchanged, 500 added
  const head: Record<string, string> = {}
  for (let i = 0; i < FILES - 1000; i++) head[name(i)] = pod(`p${i}`, { containers: [{ name: 'app', privileged: true }] })
  for (let i = FILES - 1000; i < FILES; i++) rmSync(join(repo.path, name(i)))
  for (let i = FILES - 500; i < FILES; i++) head[`renamed/${name(i)}`] = pod(`p${i}`)
  for (let i = 0; i < 500; i++) head[`added/pod-${i}.yaml`] = pod(`added-${i}`, { containers: [{ name: 'app', privileged: true }] })
  repo.write(head)
  const headSha = commitAll(repo.path, 'head')
  const started = Date.now()
  report = await runPipeline({
    base: new GitCommitSource(repo.path, { ref: 'base', sha: base }),
    head: new GitCommitSource(repo.path, { ref: 'head', sha: headSha }),
    scope: 'changed',
    failOn: 'high',
    evaluation: { rules: TWO_RULES },
  })
  seconds = (Date.now() - started) / 1000
}, 120_000)

afterAll(() => repo?.cleanup())

describe(`a pull request of ${FILES} changed files`, () => {
  it('accounts for every change: new findings where files turned privileged or were added, none for renames, nothing lost', () => {
    const byStatus = (status: string): number => report.findings.filter((f) => f.status === status && f.ruleId === PRIVILEGED).length
    expect(byStatus('new')).toBe(FILES - 1000 + 500)
    expect(byStatus('fixed')).toBe(0)
    expect(report.errors).toEqual([])
    expect(report.skipped).toEqual([])
    // changed and deleted files at both revisions, added and renamed ones at head; renamed ones are read at both but match
    expect(report.files).toBe(2 * (FILES - 1000) + 500 + 500 + 500 + 500)
  })

  it('runs in reasonable time and renders', () => {
    expect(seconds).toBeLessThan(60)
    expect(renderText(report, { color: false }).split('\n').length).toBeGreaterThan(FILES)
    expect(JSON.parse(renderJson(report)).findings.length).toBe(report.findings.length)
  })
})
