/**
 * File names that are not UTF-8: git keeps their bytes, Node turns them into strings with U+FFFD.
 * Read from a commit they are analysed (blobs are read by id); on disk they cannot be opened by
 * that string, so they are reported rather than silently lost.
 */
import { writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { DirectorySource } from '../../src/load/dir-source.js'
import { GitCommitSource } from '../../src/load/git-source.js'
import { WorkTreeSource } from '../../src/load/worktree-source.js'
import { runPipeline } from '../../src/pipeline.js'
import { commitAll, git, gitRepo, pod, PRIVILEGED, tempDir, type TempDir, TWO_RULES } from '../support/engine.js'

const dirs: TempDir[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup()
})

const BAD_NAME = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.yaml')])
const SHOWN = 'caf\uFFFD.yaml'
const privileged = pod('p', { containers: [{ name: 'app', privileged: true }] })

describe('a file name that is not UTF-8', () => {
  it('in a directory: skipped with the reason, the other files read', async () => {
    const dir = tempDir()
    dirs.push(dir)
    writeFileSync(Buffer.concat([Buffer.from(`${dir.path}/`), BAD_NAME]), privileged)
    dir.write({ 'ok.yaml': privileged })
    const report = await runPipeline({ base: null, head: new DirectorySource(dir.path, { ref: 'x', sha: null }), scope: 'all', failOn: 'high', evaluation: { rules: TWO_RULES } })
    expect(report.skipped).toEqual([{ revision: 'head', file: SHOWN, reason: 'file name is not valid UTF-8: not read' }])
    expect(report.findings.map((f) => f.file)).toEqual(['ok.yaml'])
  })

  it('in a commit: read by its blob, shown with U+FFFD', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    writeFileSync(Buffer.concat([Buffer.from(`${repo.path}/`), BAD_NAME]), privileged)
    const sha = commitAll(repo.path, 'bad name')
    const report = await runPipeline({ base: null, head: new GitCommitSource(repo.path, { ref: 'HEAD', sha }), scope: 'all', failOn: 'high', evaluation: { rules: TWO_RULES } })
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([`${PRIVILEGED} ${SHOWN}`])
    expect(report.skipped).toEqual([])
  })

  it('in a work tree: an untracked one is reported, not lost', async () => {
    const repo = gitRepo()
    dirs.push(repo)
    repo.write({ 'a.yaml': pod('a') })
    const base = commitAll(repo.path, 'base')
    writeFileSync(Buffer.concat([Buffer.from(`${repo.path}/`), BAD_NAME]), privileged)
    const report = await runPipeline({
      base: new GitCommitSource(repo.path, { ref: 'HEAD', sha: base }),
      head: new WorkTreeSource(repo.path, { ref: 'working tree', sha: null }),
      scope: 'changed',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
    expect(report.skipped).toEqual([{ revision: 'head', file: SHOWN, reason: 'file name is not valid UTF-8: not read' }])
    expect(git(repo.path, 'status', '--porcelain').length).toBeGreaterThan(0)
  })
})
