import { readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { DirectorySource } from '../../src/load/dir-source.js'
import type { Report } from '../../src/model.js'
import { runPipeline } from '../../src/pipeline.js'
import { renderJson, toJsonReport } from '../../src/render/json.js'
import { VERSION } from '../../src/version.js'
import { deployment, docs, HOST_NAMESPACES, pod, PRIVILEGED, PROJECT_ROOT, schemaErrors, tempDir, type TempDir, TWO_RULES } from '../support/engine.js'

interface JsonReport {
  schemaVersion: number
  tool: { name: string; version: string }
  base: { ref: string | null; sha: string | null }
  head: { ref: string | null; sha: string | null }
  summary: Record<string, number | boolean>
  findings: { status: string; ruleId: string; file: string; line: number; endLine: number; fix: unknown; fingerprint: string }[]
  postures: { resource: { name: string }; base: string | null; head: string | null }[]
  errors: { revision: string; file: string; line: number | null; message: string }[]
  skipped: { revision: string; file: string; reason: string }[]
}

it('ships the contract schema byte for byte', () => {
  const shipped = readFileSync(join(PROJECT_ROOT, 'schema', 'report.schema.json'))
  const schema = JSON.parse(shipped.toString('utf8')) as { $id: string; required: string[] }
  expect(schema.$id).toBe('kube-ratchet/report/v1')
  expect(schema.required).toContain('findings')
})

describe('the JSON report validates against schema/report.schema.json', () => {
  let base: TempDir
  let head: TempDir
  let report: Report

  beforeAll(async () => {
    base = tempDir()
    head = tempDir()
    const web = (privileged: boolean) => deployment('web', { hostNetwork: true, containers: [{ name: 'app', privileged }] })
    base.write({
      'web.yaml': web(false), // becomes privileged: new, and its hostNetwork stays: unchanged
      'api.yaml': pod('api', { containers: [{ name: 'a', privileged: true }] }), // fixed
      'gone.yaml': pod('gone', { hostNetwork: true }), // deleted: fixed, posture privileged → null
    })
    head.write({
      'web.yaml': web(true),
      'api.yaml': pod('api'),
      'added.yaml': pod('added', { namespace: 'shop' }), // added: posture null → restricted
      'broken.yaml': docs('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n', pod('fine', { hostNetwork: true })),
      'dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
      'latin1.yaml': Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0x0a]),
      'empty.json': '',
      'binary.yaml': Buffer.from([0, 1, 2, 3]),
      'template.yaml': 'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: x\nspec:\n  replicas: {{replicas}}\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'chart/templates/deployment.yaml': '{{- if .Values.on }}\nkind: Deployment\n{{- end }}\n',
    })
    symlinkSync(join(head.path, 'web.yaml'), join(head.path, 'link.yaml'))
    report = await runPipeline({
      base: new DirectorySource(base.path, { ref: 'base-dir', sha: null }),
      head: new DirectorySource(head.path, { ref: 'head-dir', sha: null }),
      scope: 'changed',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
  })

  afterAll(() => {
    base.cleanup()
    head.cleanup()
  })

  it('for a diff with new, fixed and unchanged findings, errors, skipped files and postures', () => {
    const json = JSON.parse(renderJson(report)) as JsonReport
    expect(schemaErrors(json)).toEqual([])

    // the fixture really exercises every part of the schema
    expect(json.findings.map((f) => `${f.status} ${f.ruleId} ${f.file}`).sort()).toEqual([
      `fixed ${HOST_NAMESPACES} gone.yaml`,
      `fixed ${PRIVILEGED} api.yaml`,
      `new ${HOST_NAMESPACES} broken.yaml`,
      `new ${PRIVILEGED} web.yaml`,
      `unchanged ${HOST_NAMESPACES} web.yaml`,
    ])
    expect(json.errors.map((e) => [e.revision, e.file, e.line]).sort()).toEqual([
      ['head', 'broken.yaml', 4],
      ['head', 'dup.yaml', 5],
      ['head', 'empty.json', 1],
      ['head', 'latin1.yaml', 1],
    ])
    expect(json.skipped.map((s) => [s.revision, s.file]).sort()).toEqual([
      ['head', 'binary.yaml'],
      ['head', 'chart/templates/deployment.yaml'],
      ['head', 'link.yaml'],
      ['head', 'template.yaml'],
    ])
    expect(json.postures.map((p) => `${p.resource.name} ${p.base}→${p.head}`).sort()).toEqual([
      'added null→restricted',
      'api privileged→restricted',
      'fine null→privileged',
      'gone privileged→null',
      'web privileged→privileged',
    ])
    expect(json.summary).toMatchObject({
      new: 2,
      fixed: 2,
      unchanged: 1,
      files: report.files,
      resources: report.resources,
      errors: 4,
      skipped: 4,
      failed: true,
    })
    expect(json.schemaVersion).toBe(1)
    expect(json.tool).toEqual({ name: 'kube-ratchet', version: VERSION })
    expect(json.base).toEqual({ ref: 'base-dir', sha: null })
    expect(json.findings.every((f) => 'fix' in f && /^[0-9a-f]{24}$/.test(f.fingerprint) && f.endLine >= f.line)).toBe(true)
  })

  it('lists findings new first, then fixed, then unchanged', () => {
    expect(report.findings.map((f) => f.status)).toEqual(['new', 'new', 'fixed', 'fixed', 'unchanged'])
  })

  it('is rejected by the schema when a required part is missing (the check is not vacuous)', () => {
    const json = toJsonReport(report) as JsonReport
    const broken = { ...json, findings: json.findings.map(({ fix: _fix, ...rest }) => rest) }
    expect(schemaErrors(broken).join('\n')).toMatch(/fix/)
    expect(schemaErrors({ ...json, errors: [{ revision: 'head', file: 'x', line: 0, message: 'm' }] })).not.toEqual([])
    expect(schemaErrors({ ...json, summary: { ...json.summary, failed: 'yes' } })).not.toEqual([])
  })
})

describe('the CLI’s --format json validates too', () => {
  let dir: TempDir
  beforeAll(() => {
    dir = tempDir()
    dir.write({
      'base/web.yaml': pod('web', { hostNetwork: true }),
      'head/web.yaml': pod('web', { hostNetwork: true, containers: [{ name: 'app', privileged: true }] }),
      'head/bad.yaml': 'a: [\n',
      'head/t.yaml': 'x: {{y}}\n',
    })
  })
  afterAll(() => dir.cleanup())

  async function run(argv: string[]): Promise<{ code: number; json: JsonReport }> {
    let stdout = ''
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: dir.path, isTTY: false })
    return { code, json: JSON.parse(stdout) as JsonReport }
  }

  it('for a scan', async () => {
    const { code, json } = await run(['scan', 'head', '--format', 'json', '--fail-on', 'none'])
    expect(code).toBe(0)
    expect(schemaErrors(json)).toEqual([])
    expect(json.base).toEqual({ ref: null, sha: null })
    expect(json.findings.length).toBeGreaterThan(0)
    expect(json.findings.every((f) => f.status === 'new')).toBe(true)
    expect(json.errors.map((e) => e.file)).toEqual(['bad.yaml'])
    expect(json.skipped.map((s) => s.file)).toEqual(['t.yaml'])
    expect(json.postures.map((p) => `${p.resource.name} ${p.base}→${p.head}`)).toEqual(['web null→privileged'])
  })

  it('for a diff of two directories', async () => {
    const { code, json } = await run(['diff', '--base', 'base', '--head', 'head', '--format', 'json'])
    expect(code).toBe(1)
    expect(schemaErrors(json)).toEqual([])
    expect(json.findings.filter((f) => f.ruleId === PRIVILEGED).map((f) => f.status)).toEqual(['new'])
    expect(json.findings.filter((f) => f.ruleId === HOST_NAMESPACES).map((f) => f.status)).toEqual(['unchanged'])
    expect(json.summary.failed).toBe(true)
  })
})
