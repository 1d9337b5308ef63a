/** The configuration through the CLI: where it is read from, invalid files, baselines, and changes a pull request makes. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitRepo, tempDir, writeTree } from '../helpers/revisions.js'
import { runCli } from '../support/cli.js'
import { schemaErrors } from '../support/engine.js'
import { CONFIG_FILE, workload, yaml } from './support.js'

interface JsonReport {
  summary: { new: number; unchanged: number; suppressed: number; failed: boolean }
  findings: { status: string; ruleId: string; fingerprint: string; severity: string }[]
  suppressed: { ruleId: string; suppressedBy: { source: string; reason: string; file: string; line: number } }[]
  warnings: { file: string; line: number | null; message: string }[]
  configChanges: string[]
}

const json = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport

describe('an invalid configuration stops the run: exit 2, file:line: message on stderr', () => {
  it('in the scanned directory', async () => {
    const dir = tempDir()
    writeTree(dir, { [CONFIG_FILE]: yaml('failOn: high', 'rules:', '  pss-privilegd: off'), 'a.yaml': workload('api') })
    const run = await runCli(['scan', '.'], dir)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(
      'kube-ratchet: the configuration is invalid:\n.github/kube-ratchet.yml:3: rules: unknown rule "pss-privilegd" (did you mean "pss-privileged"?)\n',
    )
  })

  it('named with --config, shown as given', async () => {
    const dir = tempDir()
    writeTree(dir, { 'ci/ratchet.yml': yaml('level: strict', 'failon: low'), 'a.yaml': workload('api') })
    const run = await runCli(['scan', '.', '--config', 'ci/ratchet.yml'], dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toBe(
      'kube-ratchet: the configuration is invalid:\n' +
        'ci/ratchet.yml:2: failon: unknown option (did you mean "failOn"?)\n' +
        'ci/ratchet.yml:1: level: must be one of privileged, baseline, restricted\n',
    )
  })

  it('a --config file that does not exist', async () => {
    const dir = tempDir()
    writeTree(dir, { 'a.yaml': workload('api') })
    const run = await runCli(['scan', '.', '--config', 'missing.yml'], dir)
    expect(run).toMatchObject({ code: 2, stderr: 'kube-ratchet: the configuration is invalid:\nmissing.yml: cannot read the configuration file\n' })
  })

  it('at the head of a diff', async () => {
    const repo = gitRepo({ 'a.yaml': workload('api') }, { 'a.yaml': workload('api'), [CONFIG_FILE]: 'ignore:\n  - rules: [pss-privileged]\n' })
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature'], repo)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('.github/kube-ratchet.yml:2: ignore[0]: needs "reason" (every suppression states its reason)')
  })

  it('an invalid configuration at the base does not stop a change that fixes it', async () => {
    const repo = gitRepo(
      { [CONFIG_FILE]: 'level: strict\n', 'a.yaml': workload('api') },
      { [CONFIG_FILE]: 'level: baseline\n', 'a.yaml': workload('api').replaceAll('nginx:1.27', 'nginx:1.28') },
    )
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature', '--format', 'json'], repo)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(json(run.stdout).configChanges).toEqual(['Pod Security level lowered from restricted to baseline'])
  })
})

describe('the configuration file is found and used', () => {
  it('.github/kube-ratchet.yml of the head decides fail-on, and is not read as a manifest', async () => {
    const dir = tempDir()
    writeTree(dir, { 'a.yaml': workload('api'), [CONFIG_FILE]: 'failOn: none\n' })
    const run = await runCli(['scan', '.', '--format', 'json'], dir)
    expect(run.code).toBe(0)
    const report = json(run.stdout)
    expect(report.findings.length).toBeGreaterThan(0)
    expect(schemaErrors(report)).toEqual([])
  })

  it('.github/kube-ratchet.yaml works too', async () => {
    const dir = tempDir()
    writeTree(dir, { 'a.yaml': workload('api'), '.github/kube-ratchet.yaml': 'failOn: none\n' })
    expect((await runCli(['scan', '.'], dir)).code).toBe(0)
  })

  it('--fail-on on the command line beats the file', async () => {
    const dir = tempDir()
    writeTree(dir, { 'a.yaml': workload('api'), [CONFIG_FILE]: 'failOn: none\n' })
    expect((await runCli(['scan', '.', '--fail-on', 'high'], dir)).code).toBe(1)
  })

  it('mode: all fails a diff on unchanged findings (exit 1 where regressions exits 0)', async () => {
    const base = { 'a.yaml': workload('api') }
    const head = { 'a.yaml': workload('api').replaceAll('nginx:1.27', 'nginx:1.28') }
    expect((await runCli(['diff', '--base', 'main', '--head', 'feature'], gitRepo(base, head))).code).toBe(0)
    const strict = gitRepo({ ...base, [CONFIG_FILE]: 'mode: all\n' }, { ...head, [CONFIG_FILE]: 'mode: all\n' })
    expect((await runCli(['diff', '--base', 'main', '--head', 'feature'], strict)).code).toBe(1)
  })
})

describe('scan --baseline', () => {
  it('turns the findings of a saved report into unchanged: exit 0 where it was 1', async () => {
    const dir = tempDir()
    writeTree(dir, { 'manifests/a.yaml': workload('api') })
    const first = await runCli(['scan', 'manifests', '--format', 'json', '--output', 'baseline.json'], dir)
    expect(first.code).toBe(1)
    const saved = json(readFileSync(join(dir, 'baseline.json'), 'utf8'))
    expect(saved.findings.every((f) => f.status === 'new')).toBe(true)

    const again = await runCli(['scan', 'manifests', '--format', 'json', '--baseline', 'baseline.json'], dir)
    expect(again.code).toBe(0)
    const report = json(again.stdout)
    expect(report.summary.new).toBe(0)
    expect(report.summary.unchanged).toBe(saved.findings.length)
    expect(report.findings.map((f) => f.fingerprint).sort()).toEqual(saved.findings.map((f) => f.fingerprint).sort())
  })

  it('a finding not in the baseline is still new and fails', async () => {
    const dir = tempDir()
    writeTree(dir, { 'manifests/a.yaml': workload('api') })
    await runCli(['scan', 'manifests', '--format', 'json', '--output', 'baseline.json'], dir)
    writeTree(dir, { 'manifests/b.yaml': workload('web') })
    const run = await runCli(['scan', 'manifests', '--format', 'json', '--baseline', 'baseline.json'], dir)
    expect(run.code).toBe(1)
    const report = json(run.stdout)
    expect(new Set(report.findings.filter((f) => f.status === 'new').map((f) => f.ruleId))).toContain('pss-privileged')
    expect(report.findings.filter((f) => f.status === 'new').length).toBe(report.summary.unchanged)
  })

  it('survives moving and reformatting the manifests (fingerprints, not lines)', async () => {
    const dir = tempDir()
    writeTree(dir, { 'manifests/a.yaml': workload('api') })
    await runCli(['scan', 'manifests', '--format', 'json', '--output', 'baseline.json'], dir)
    const moved = tempDir()
    writeTree(moved, { 'elsewhere/renamed.yaml': `# moved\n\n${workload('api')}`, 'baseline.json': readFileSync(join(dir, 'baseline.json'), 'utf8') })
    expect((await runCli(['scan', 'elsewhere', '--baseline', 'baseline.json'], moved)).code).toBe(0)
  })

  it('rejects a file that is not a report', async () => {
    const dir = tempDir()
    writeTree(dir, { 'a.yaml': workload('api'), 'nope.json': '{"hello": 1}', 'broken.json': '{' })
    expect(await runCli(['scan', 'a.yaml', '--baseline', 'nope.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--baseline nope.json: not a kube-ratchet JSON report (no findings)') })
    expect(await runCli(['scan', 'a.yaml', '--baseline', 'broken.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--baseline broken.json: not a readable JSON report') })
  })
})

describe('a pull request that changes the configuration', () => {
  const MANIFEST = { 'a.yaml': workload('api').replaceAll('privileged: true', 'privileged: false') }
  const PRIVILEGED = { 'a.yaml': workload('api') }

  it('is judged by the head’s configuration, and the report lists what it weakened', async () => {
    const base = { ...MANIFEST, [CONFIG_FILE]: yaml('failOn: high', 'rules:', '  image-tag-mutable: high') }
    const head = {
      ...PRIVILEGED,
      [CONFIG_FILE]: yaml(
        'failOn: critical',
        'rules:',
        '  pss-privileged: "off"',
        'ignore:',
        '  - rules: [pss-host-namespaces]',
        '    namespace: shop',
        '    reason: the mesh needs the host network',
      ),
    }
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature', '--format', 'json'], gitRepo(base, head))
    const report = json(run.stdout)
    expect(report.findings.map((f) => f.ruleId)).not.toContain('pss-privileged')
    expect(report.suppressed.map((f) => f.ruleId)).toEqual(['pss-host-namespaces'])
    expect(report.suppressed[0]?.suppressedBy).toEqual({ source: 'config', reason: 'the mesh needs the host network', file: CONFIG_FILE, line: 5 })
    expect(report.configChanges).toEqual([
      'rule pss-privileged switched off',
      'rule image-tag-mutable lowered from high to medium',
      'suppression added: pss-host-namespaces for shop ("the mesh needs the host network")',
      'fail-on raised from high to critical',
    ])
    expect(run.code).toBe(0)

    const text = await runCli(['diff', '--base', 'main', '--head', 'feature'], gitRepo(base, head))
    expect(text.stdout).toContain('config this change weakens the gate: rule pss-privileged switched off\n')
  })

  it('a configuration added by the change is compared with the defaults', async () => {
    const head = { ...MANIFEST, [CONFIG_FILE]: yaml('level: baseline', 'compat: [checkov]', 'exclude: [".github/**", "charts/**"]') }
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature', '--format', 'json'], gitRepo(MANIFEST, head))
    expect(json(run.stdout).configChanges).toEqual([
      'Pod Security level lowered from restricted to baseline',
      'files excluded: charts/**',
      'checkov suppression annotations now honoured',
    ])
  })

  it('a configuration removed by the change is reported against the defaults', async () => {
    const base = { ...MANIFEST, [CONFIG_FILE]: yaml('mode: all', 'failOn: medium') }
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature', '--format', 'json'], gitRepo(base, MANIFEST))
    expect(json(run.stdout).configChanges).toEqual(['fail-on raised from medium to high', 'mode changed from all to regressions'])
  })

  it('a change that tightens the configuration weakens nothing', async () => {
    const base = { ...MANIFEST, [CONFIG_FILE]: yaml('level: baseline', 'rules:', '  pss-privileged: "off"') }
    const head = { ...MANIFEST, [CONFIG_FILE]: yaml('level: restricted', 'mode: all') }
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature', '--format', 'json'], gitRepo(base, head))
    expect(json(run.stdout).configChanges).toEqual([])
  })

  it('--config replaces the repository’s file, and nothing is compared', async () => {
    const head = { ...PRIVILEGED, [CONFIG_FILE]: 'rules:\n  pss-privileged: "off"\n' }
    const repo = gitRepo(MANIFEST, head)
    writeTree(repo, { 'local.yml': 'failOn: critical\n' })
    const run = await runCli(['diff', '--base', 'main', '--head', 'feature', '--format', 'json', '--config', 'local.yml'], repo)
    const report = json(run.stdout)
    expect(report.findings.map((f) => f.ruleId)).toContain('pss-privileged')
    expect(report.configChanges).toEqual([])
    expect(run.code).toBe(1) // a new critical finding
  })
})
