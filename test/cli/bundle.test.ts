/** The bundled CLI, dist/cli.js, run as a child process the way users and CI run it. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { commitAll, deployment, git, gitRepo, HOST_NAMESPACES, pod, PRIVILEGED, schemaErrors, tempDir, type TempDir } from '../support/engine.js'
import { ensureBundle, runBundled, runCli } from '../support/cli.js'

interface JsonReport {
  summary: { new: number; fixed: number; unchanged: number }
  findings: { status: string; ruleId: string; file: string; line: number }[]
}

let dir: TempDir
let repo: TempDir

beforeAll(() => {
  ensureBundle()
  dir = tempDir()
  dir.write({
    'base/web.yaml': pod('web'),
    'head/web.yaml': pod('web', { containers: [{ name: 'app', privileged: true }] }),
  })
  repo = gitRepo()
  repo.write({ 'web.yaml': deployment('web') })
  commitAll(repo.path, 'base')
  git(repo.path, 'checkout', '-q', '-b', 'feature')
  repo.write({ 'web.yaml': deployment('web', { hostNetwork: true }) })
  commitAll(repo.path, 'head')
  git(repo.path, 'checkout', '-q', 'main')
  repo.write({ 'later.yaml': pod('later', { containers: [{ name: 'x', privileged: true }] }) })
  commitAll(repo.path, 'after the branch')
})

afterAll(() => {
  dir.cleanup()
  repo.cleanup()
})

describe('dist/cli.js', () => {
  it('prints its version', () => {
    expect(runBundled(['--version'], dir.path)).toMatchObject({ code: 0, stdout: `${VERSION}\n` })
  })

  it('diffs two directories as JSON that validates', () => {
    const { code, stdout, stderr } = runBundled(['diff', '--base', 'base', '--head', 'head', '--format', 'json'], dir.path)
    expect(stderr).toBe('')
    expect(code).toBe(1)
    const report = JSON.parse(stdout) as JsonReport
    expect(schemaErrors(report)).toEqual([])
    expect(report.findings.filter((f) => f.status === 'new' && f.ruleId === PRIVILEGED).map((f) => `${f.file}:${f.line}`)).toEqual(['web.yaml:10'])
  })

  it('writes plain text to a pipe: file:line, no colours, a closing counts line', () => {
    const { code, stdout } = runBundled(['diff', '--base', 'base', '--head', 'head'], dir.path)
    expect(code).toBe(1)
    expect(stdout).not.toContain('\x1b')
    expect(stdout).toMatch(new RegExp(`web\\.yaml:10\\s+new\\s+critical\\s+${PRIVILEGED}`))
    const last = stdout.trimEnd().split('\n').pop()
    const summary = (JSON.parse(runBundled(['diff', '--base', 'base', '--head', 'head', '--format', 'json'], dir.path).stdout) as JsonReport).summary
    expect(last).toBe(`${summary.new} new · ${summary.fixed} fixed · ${summary.unchanged} unchanged`)
  })

  it('diffs git branches against their merge base', () => {
    const { code, stdout } = runBundled(['diff', '--base', 'main', '--head', 'feature', '--format', 'json', '--fail-on', 'critical'], repo.path)
    const report = JSON.parse(stdout) as JsonReport
    expect(report.findings.filter((f) => f.status === 'new').map((f) => `${f.ruleId} ${f.file}`)).toContain(`${HOST_NAMESPACES} web.yaml`)
    expect(report.findings.some((f) => f.file === 'later.yaml')).toBe(false)
    expect(code).toBe(0) // a new high finding does not fail --fail-on critical
  })

  it('writes --output and exits with the fail-on verdict', () => {
    const { code, stdout } = runBundled(['diff', '--base', 'base', '--head', 'head', '--format', 'json', '--output', 'out.json', '--fail-on', 'none'], dir.path)
    expect(code).toBe(0)
    expect(stdout).toBe('')
    expect(schemaErrors(JSON.parse(readFileSync(join(dir.path, 'out.json'), 'utf8')))).toEqual([])
  })

  it('scans a tree large enough for worker threads to the same report as one thread does', async () => {
    const tree = tempDir()
    try {
      // 300 files: past the point where the bundled CLI splits evaluation over worker threads
      tree.write(
        Object.fromEntries(
          Array.from({ length: 300 }, (_, i) => [
            `apps/app-${String(i).padStart(3, '0')}.yaml`,
            deployment(`app-${i}`, { namespace: `team-${i % 7}`, hostNetwork: i % 3 === 0, containers: [{ name: 'app', privileged: i % 5 === 0 }] }),
          ]),
        ),
      )
      const argv = (output: string) => ['scan', 'apps', '--format', 'json', '--fail-on', 'none', '--output', output]
      expect(runBundled(argv('threads.json'), tree.path).code).toBe(0)
      expect((await runCli(argv('one.json'), tree.path)).code).toBe(0)
      const threads = readFileSync(join(tree.path, 'threads.json'), 'utf8')
      const report = JSON.parse(threads) as { findings: { fix: unknown }[] }
      expect(report.findings.filter((f) => f.fix !== null).length).toBeGreaterThan(300)
      expect(threads).toBe(readFileSync(join(tree.path, 'one.json'), 'utf8'))
    } finally {
      tree.cleanup()
    }
  })

  it('exits 2 with a message for usage errors', () => {
    const unknown = runBundled(['frobnicate'], dir.path)
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/)
    const failOn = runBundled(['scan', 'head', '--fail-on', 'severe'], dir.path)
    expect(failOn.code).toBe(2)
    expect(failOn.stderr).toMatch(/--fail-on must be one of/)
    const missing = runBundled(['scan', 'nowhere'], dir.path)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/nowhere: no such file or directory/)
  })
})
