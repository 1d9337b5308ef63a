/**
 * A pull request that brings every input hazard at once (test/hostile/hostile-repo.ts), run
 * through the CLI in-process and as the bundled dist/cli.js, in JSON and text: the run completes,
 * the good files are still analysed, every problem is reported exactly once, and nothing is shown
 * that should not be (a symlink's target, a credential, a terminal escape, a workflow command).
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBundle, runBundled, runCli, type CliRun } from '../support/cli.js'
import { schemaErrors } from '../support/engine.js'
import {
  buildHostileRepo,
  HOSTILE_EXPECTED,
  HOSTILE_NAMES,
  type HostileRepo,
  PLANTED_AWS_KEY,
  PLANTED_PASSWORD,
  PLANTED_TOKEN,
} from './hostile-repo.js'

interface JsonReport {
  summary: { new: number; errors: number; skipped: number }
  findings: { status: string; ruleId: string; file: string; line: number; message: string; path: string; fix: { patch: string } | null }[]
  errors: { revision: string; file: string; line: number | null; message: string }[]
  skipped: { revision: string; file: string; reason: string }[]
}

/** A marker in the environment of the run: `runner-env.yaml` links to /proc/self/environ. */
const ENV_MARKER = 'KR_HOSTILE_ENV_MARKER_6f1d0c'

let repo: HostileRepo
const runs: Record<string, CliRun> = {}
let passwdLines: string[] = []

beforeAll(async () => {
  ensureBundle()
  repo = buildHostileRepo()
  passwdLines = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .filter((line) => line.length > 8)
  process.env[ENV_MARKER] = ENV_MARKER
  try {
    const diff = ['diff', '--base', 'main', '--head', 'feature']
    runs['json'] = await runCli([...diff, '--format', 'json'], repo.dir)
    runs['text'] = await runCli(diff, repo.dir)
    runs['bundled json'] = runBundled([...diff, '--format', 'json'], repo.dir)
    runs['bundled text'] = runBundled(diff, repo.dir)
    // the head as the work tree (the repository is checked out at `feature`, symlinks and all)
    runs['work tree json'] = await runCli(['diff', '--base', 'main', '--format', 'json'], repo.dir)
  } finally {
    delete process.env[ENV_MARKER]
  }
}, 180_000)

afterAll(() => repo?.cleanup())

const report = (name: string): JsonReport => JSON.parse(runs[name]?.stdout ?? '') as JsonReport

describe('a pull request full of hazards, through the CLI', () => {
  it('completes with the verdict of its findings, never a crash', () => {
    for (const [name, run] of Object.entries(runs)) {
      expect([name, run.code, run.stderr]).toEqual([name, 1, ''])
    }
  })

  it('writes a JSON report that matches the schema', () => {
    expect(schemaErrors(report('json'))).toEqual([])
    expect(schemaErrors(report('bundled json'))).toEqual([])
  })

  it('gives the same report in-process and bundled', () => {
    expect(report('bundled json')).toEqual(report('json'))
    expect(runs['bundled text']?.stdout).toBe(runs['text']?.stdout)
  })

  it('reports every problem exactly once, at head, with its line', () => {
    const { skipped } = report('json')
    // a machine without helm says so about the chart: not one of the hazards
    const errors = report('json').errors.filter((e) => !(e.file === 'chart/Chart.yaml' && /helm (was not found|could not be run)/.test(e.message)))
    const got = [
      ...errors.map((e) => `${e.revision} error ${e.file}:${e.line} ${e.message}`),
      ...skipped.map((s) => `${s.revision} skipped ${s.file} ${s.reason}`),
    ].sort()
    expect(got).toHaveLength(HOSTILE_EXPECTED.problems.length)
    for (const expected of HOSTILE_EXPECTED.problems) {
      const matching = expected.kind === 'error'
        ? errors.filter((e) => e.file === expected.file && expected.says.test(e.message))
        : skipped.filter((s) => s.file === expected.file && expected.says.test(s.reason))
      expect([expected.file, matching.length]).toEqual([expected.file, 1])
      expect(matching[0]?.revision).toBe('head')
      if (expected.kind === 'error' && expected.line !== undefined) {
        expect([expected.file, (matching[0] as { line: number | null }).line]).toEqual([expected.file, expected.line])
      }
    }
  })

  it('still analyses the good files, whatever their names', () => {
    const { findings } = report('json')
    for (const { file, ruleId } of HOSTILE_EXPECTED.findings) {
      expect([file, ruleId, findings.some((f) => f.file === file && f.ruleId === ruleId && f.status !== 'fixed')]).toEqual([file, ruleId, true])
    }
    // a deleted file takes its findings with it
    expect(findings.filter((f) => f.file === 'deleted.yaml').every((f) => f.status === 'fixed')).toBe(true)
    expect(findings.some((f) => f.file === 'deleted.yaml' && f.ruleId === 'pss-privileged')).toBe(true)
    // one that turns into a symlink, a submodule or a binary file is not read at base either:
    // nothing says its findings are fixed (the skip says why)
    for (const file of ['was-file.yaml', 'was-file-2.yaml', 'was-yaml.yaml']) expect([file, findings.filter((f) => f.file === file)]).toEqual([file, []])
  })

  it('says nothing about files that bring nothing: a rename, a text file, a symlinked folder, a plain submodule', () => {
    const r = report('json')
    for (const file of ['renamed-before.yaml', ...HOSTILE_EXPECTED.silent]) {
      const mentioned = [...r.findings.map((f) => f.file), ...r.errors.map((e) => e.file), ...r.skipped.map((s) => s.file)].filter((f) => f === file)
      expect([file, mentioned]).toEqual([file, []])
    }
  })

  it('reads the same from the work tree as from the commit', () => {
    const fromTree = report('work tree json')
    const fromCommit = report('json')
    const problems = (r: JsonReport): string[] =>
      [...r.errors.map((e) => `${e.file}:${e.line} ${e.message}`), ...r.skipped.map((s) => `${s.file} ${s.reason}`)].sort()
    // the work tree has no files for gitlinks: the submodule `vendored.yaml` is listed from the index all the same
    expect(problems(fromTree)).toEqual(problems(fromCommit))
    expect(fromTree.findings.filter((f) => f.status === 'new').length).toBe(fromCommit.findings.filter((f) => f.status === 'new').length)
  })

  it('never shows what a symlink points at: not /etc/passwd, not the runner’s environment', () => {
    expect(passwdLines.length).toBeGreaterThan(0)
    for (const [name, run] of Object.entries(runs)) {
      const output = run.stdout + run.stderr
      expect([name, passwdLines.filter((line) => output.includes(line))]).toEqual([name, []])
      expect([name, output.includes(ENV_MARKER)]).toEqual([name, false])
      expect([name, output.includes('root:x:0:0')]).toEqual([name, false])
    }
  })

  it('never shows a credential from a manifest, not even in a patch next to it', () => {
    for (const [name, run] of Object.entries(runs)) {
      for (const secret of [PLANTED_TOKEN, PLANTED_AWS_KEY, PLANTED_PASSWORD]) {
        expect([name, secret.slice(0, 8), run.stdout.includes(secret)]).toEqual([name, secret.slice(0, 8), false])
      }
    }
    // the privileged container sits next to the credentials: its fix would quote them, so none is offered
    const privileged = report('json').findings.find((f) => f.file === 'good/secrets.yaml' && f.ruleId === 'pss-privileged')
    expect(privileged?.fix).toBeNull()
    expect(report('json').findings.filter((f) => f.ruleId.startsWith('secret-')).every((f) => f.fix === null)).toBe(true)
  })

  it('keeps hostile names inert in text: no control character, no line break, no workflow command', () => {
    for (const name of ['text', 'bundled text'] as const) {
      const text = runs[name]?.stdout ?? ''
      // eslint-disable-next-line no-control-regex
      expect(text.match(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g)).toBeNull()
      expect(text.split('\n').filter((line) => line.trimStart().startsWith('::'))).toEqual([])
      expect(text).toContain('new\\nline.yaml:')
      expect(text).toContain(`${HOSTILE_NAMES.html}:`)
    }
  })

  it('keeps every hostile name exact in JSON, where it is data', () => {
    const files = new Set(report('json').findings.map((f) => f.file))
    for (const file of Object.values(HOSTILE_NAMES)) expect([file, files.has(file)]).toEqual([file, true])
  })
})
