/** The CLI in-process: directories, scans, formats, output files, exit codes and usage errors. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOST_NAMESPACES, pod, PRIVILEGED, schemaErrors, tempDir, type TempDir } from '../support/engine.js'
import { runCli } from '../support/cli.js'

interface JsonReport {
  summary: { new: number; fixed: number; unchanged: number; files: number; failed: boolean }
  findings: { status: string; ruleId: string; severity: string; file: string; line: number }[]
  errors: { file: string }[]
}

let dir: TempDir
const API = pod('api', { containers: [{ name: 'a', privileged: true }] })

beforeAll(() => {
  dir = tempDir()
  dir.write({
    // differ only by hostNetwork (pss-host-namespaces, high)
    'net-base/web.yaml': pod('web'),
    'net-base/api.yaml': API,
    'net-head/web.yaml': pod('web', { hostNetwork: true }),
    'net-head/api.yaml': API,
    // differ only by a privileged container (pss-privileged, critical)
    'priv-base/web.yaml': pod('web'),
    'priv-head/web.yaml': pod('web', { containers: [{ name: 'app', privileged: true }] }),
    // the same privileged pod, another image: nothing new
    'same-base/api.yaml': API,
    'same-head/api.yaml': API.replace('nginx:1.27', 'nginx:1.28'),
    'scan/web.yaml': pod('web', { hostNetwork: true }),
    'scan/nested/api.yaml': API,
    'scan/README.md': '# not a manifest\n',
  })
})
afterAll(() => dir.cleanup())

const json = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport

describe('diff of two directories', () => {
  it('reports the new finding with file:line and a closing counts line', async () => {
    const { code, stdout, stderr } = await runCli(['diff', '--base', 'net-base', '--head', 'net-head'], dir.path)
    expect(stderr).toBe('')
    expect(code).toBe(1) // a new high finding, default --fail-on high
    const lines = stdout.trimEnd().split('\n')
    expect(lines[lines.length - 1]).toMatch(/^\d+ new · \d+ fixed · \d+ unchanged$/)
    expect(stdout).toMatch(new RegExp(`^\\s+web\\.yaml:6\\s+new\\s+high\\s+${HOST_NAMESPACES}\\b.*hostNetwork`, 'm'))
    expect(stdout).not.toContain('api.yaml') // identical at both revisions: not read
    expect(stdout).not.toContain('\x1b')

    const report = json((await runCli(['diff', '--base', 'net-base', '--head', 'net-head', '--format', 'json'], dir.path)).stdout)
    const { new: added, fixed, unchanged } = report.summary
    expect(lines[lines.length - 1]).toBe(`${added} new · ${fixed} fixed · ${unchanged} unchanged`)
    expect(report.findings.filter((f) => f.status === 'new').map((f) => f.ruleId)).toEqual([HOST_NAMESPACES])
    expect(report.summary.files).toBe(2)
  })

  it('shows the posture change and no unchanged finding', async () => {
    const { stdout } = await runCli(['diff', '--base', 'priv-base', '--head', 'priv-head'], dir.path)
    expect(stdout).toMatch(/Pod default\/web: \w+ → privileged {2}\(web\.yaml\)/)
    expect(stdout).toMatch(new RegExp(`web\\.yaml:10\\s+new\\s+critical\\s+${PRIVILEGED}`))
    expect(stdout).not.toMatch(/unchanged {2}/)
  })

  it('colours only a terminal', async () => {
    const tty = await runCli(['diff', '--base', 'net-base', '--head', 'net-head'], dir.path, { isTTY: true })
    expect(tty.stdout).toContain('\x1b[')
    const plain = await runCli(['diff', '--base', 'net-base', '--head', 'net-head'], dir.path, { isTTY: false })
    expect(plain.stdout).not.toContain('\x1b')
    // the text without colours is the coloured text without its escape sequences
    expect(tty.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain.stdout)
  })

  it('writes the report to --output instead of stdout, without colours', async () => {
    const out = await runCli(['diff', '--base', 'net-base', '--head', 'net-head', '--format', 'json', '--output', 'report.json'], dir.path)
    expect(out.stdout).toBe('')
    expect(out.code).toBe(1)
    const written = JSON.parse(readFileSync(join(dir.path, 'report.json'), 'utf8')) as unknown
    expect(schemaErrors(written)).toEqual([])
    expect((written as JsonReport).findings.filter((f) => f.status === 'new').map((f) => f.ruleId)).toEqual([HOST_NAMESPACES])

    const text = await runCli(['diff', '--base', 'net-base', '--head', 'net-head', '--output', 'report.txt'], dir.path, { isTTY: true })
    expect(text.stdout).toBe('')
    const written2 = readFileSync(join(dir.path, 'report.txt'), 'utf8')
    expect(written2).toMatch(/\d+ new · \d+ fixed · \d+ unchanged\n$/)
    expect(written2).not.toContain('\x1b')
  })
})

describe('--fail-on', () => {
  const cases: [string, string, number][] = [
    // hostNetwork: a new high finding
    ['net', 'critical', 0],
    ['net', 'high', 1],
    ['net', 'medium', 1],
    ['net', 'info', 1],
    ['net', 'none', 0],
    // privileged: a new critical finding
    ['priv', 'critical', 1],
    ['priv', 'none', 0],
    // only unchanged findings: nothing fails, whatever the threshold
    ['same', 'info', 0],
  ]
  for (const [fixture, failOn, expected] of cases) {
    it(`${fixture} --fail-on ${failOn} → exit ${expected}`, async () => {
      const run = await runCli(['diff', '--base', `${fixture}-base`, '--head', `${fixture}-head`, '--fail-on', failOn, '--format', 'json'], dir.path)
      expect(run.code).toBe(expected)
      expect(json(run.stdout).summary.failed).toBe(expected === 1)
    })
  }

  it('defaults to high', async () => {
    expect((await runCli(['diff', '--base', 'net-base', '--head', 'net-head'], dir.path)).code).toBe(1)
    expect((await runCli(['diff', '--base', 'same-base', '--head', 'same-head'], dir.path)).code).toBe(0)
  })

  it('counts unchanged findings without failing on them', async () => {
    const run = await runCli(['diff', '--base', 'same-base', '--head', 'same-head', '--format', 'json', '--fail-on', 'info'], dir.path)
    const report = json(run.stdout)
    expect(report.summary.new).toBe(0)
    expect(report.findings.filter((f) => f.ruleId === PRIVILEGED).map((f) => f.status)).toEqual(['unchanged'])
  })
})

describe('scan', () => {
  it('scans a directory, paths relative to it', async () => {
    const { code, stdout } = await runCli(['scan', 'scan', '--format', 'json'], dir.path)
    expect(code).toBe(1)
    const report = json(stdout)
    expect(schemaErrors(report)).toEqual([])
    expect(report.findings.every((f) => f.status === 'new')).toBe(true)
    expect(report.findings.filter((f) => [PRIVILEGED, HOST_NAMESPACES].includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort()).toEqual([
      `${HOST_NAMESPACES} web.yaml:6`,
      `${PRIVILEGED} nested/api.yaml:10`,
    ])
    expect(report.summary.files).toBe(2)
  })

  it('scans several paths, relative to the current directory', async () => {
    const { stdout } = await runCli(['scan', 'scan/web.yaml', 'priv-head', '--format', 'json', '--fail-on', 'none'], dir.path)
    const report = json(stdout)
    expect(report.findings.filter((f) => [PRIVILEGED, HOST_NAMESPACES].includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}`).sort()).toEqual([
      `${HOST_NAMESPACES} scan/web.yaml`,
      `${PRIVILEGED} priv-head/web.yaml`,
    ])
    expect(report.summary.files).toBe(2)
  })

  it('scans a single file', async () => {
    const { code, stdout } = await runCli(['scan', 'scan/nested/api.yaml'], dir.path)
    expect(code).toBe(1)
    expect(stdout).toMatch(new RegExp(`scan/nested/api\\.yaml:10\\s+new\\s+critical\\s+${PRIVILEGED}`))
  })
})

describe('usage errors exit 2 with a helpful message', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['diff without --base', ['diff', '--head', 'net-head'], /needs --base/],
    ['a bad --format', ['scan', 'scan', '--format', 'xml'], /--format must be one of text, json, markdown \(got "xml"\)/],
    ['a bad --fail-on', ['scan', 'scan', '--fail-on', 'severe'], /--fail-on must be one of critical, high, medium, low, info, none \(got "severe"\)/],
    ['a base that is neither a ref nor a directory', ['diff', '--base', 'no-such-ref', '--head', 'net-head'], /--base no-such-ref: not a git ref of the repository, nor a directory/],
    ['a head that is neither a ref nor a directory', ['diff', '--base', 'net-base', '--head', 'nowhere'], /--head nowhere: not a git ref/],
    ['a scan of a missing path', ['scan', 'scan', 'missing.yaml'], /missing\.yaml: no such file or directory/],
    ['a scan of nothing', ['scan'], /scan needs at least one path/],
    ['an unknown option', ['scan', 'scan', '--colour'], /--colour/],
    ['paths given to diff', ['diff', '--base', 'net-base', 'extra'], /diff takes no paths/],
  ]
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const { code, stdout, stderr } = await runCli(argv, dir.path)
      expect(code).toBe(2)
      expect(stdout).toBe('')
      expect(stderr).toMatch(message)
      expect(stderr).toMatch(/^kube-ratchet: /)
      expect(stderr).toContain('Usage:')
      expect(stderr).not.toMatch(/\n\s+at /) // no stack trace for a usage error
    })
  }

  it('no command prints the usage and exits 2; --help exits 0', async () => {
    expect(await runCli([], dir.path)).toMatchObject({ code: 2, stdout: expect.stringContaining('Usage:') })
    expect(await runCli(['--help'], dir.path)).toMatchObject({ code: 0, stdout: expect.stringContaining('kube-ratchet diff') })
  })

  it('writes no report when the call is wrong', async () => {
    await runCli(['scan', 'scan', '--format', 'yaml', '--output', 'never.json'], dir.path)
    expect(existsSync(join(dir.path, 'never.json'))).toBe(false)
  })
})
