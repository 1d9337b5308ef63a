/**
 * Robustness on real manifests nobody wrote for this tool: test/fixtures/corpus (see its
 * PROVENANCE.md). Nothing may throw; every file is read, reported as an error, or skipped.
 */
import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DirectorySource } from '../../src/load/dir-source.js'
import type { Report } from '../../src/model.js'
import { runPipeline } from '../../src/pipeline.js'
import { RULES } from '../../src/rules/index.js'
import { PROJECT_ROOT } from '../support/engine.js'

const CORPUS = join(PROJECT_ROOT, 'test', 'fixtures', 'corpus')
const K8S = 'kubernetes-examples/_archived'
const DEMO = 'GoogleCloudPlatform-microservices-demo'

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [relative(CORPUS, join(dir, e.name)).split(sep).join('/')],
  )
}

const manifests = walk(CORPUS).filter((p) => /\.(ya?ml|json)$/i.test(p))
const source = () => new DirectorySource(CORPUS, { ref: 'corpus', sha: null })
/** The files as they are: building the Kustomize overlays and the chart is tested in test/build/corpus.test.ts. */
const render = { enabled: false, timeoutMs: 0 }

let scan: Report
beforeAll(async () => {
  scan = await runPipeline({ base: null, head: source(), scope: 'all', failOn: 'high', render })
})

describe('scanning the corpus', () => {
  it('holds the files PROVENANCE.md describes', () => {
    // 343 files without the LICENSE files, less helm-chart/templates/NOTES.txt
    expect(manifests).toHaveLength(342)
  })

  it('accounts for every file: read (possibly with errors) or skipped, never both, never lost', () => {
    const skipped = new Set(scan.skipped.map((s) => s.file))
    expect(skipped.size).toBe(scan.skipped.length)
    expect(scan.files + scan.skipped.length).toBe(manifests.length)
    for (const file of [...skipped, ...scan.errors.map((e) => e.file)]) expect(manifests).toContain(file)
    for (const e of scan.errors) expect(skipped.has(e.file)).toBe(false)
    expect(scan.skipped.every((s) => s.revision === 'head' && s.reason.length > 0)).toBe(true)
  })

  it('reports the duplicate-key files and the empty secret.json as errors with lines', () => {
    expect(scan.errors.map((e) => `${e.file}:${e.line}`).sort()).toEqual([
      `${K8S}/openshift-origin/etcd-controller.yaml:12`,
      `${K8S}/openshift-origin/etcd-discovery-controller.yaml:12`,
      `${K8S}/openshift-origin/openshift-controller.yaml:12`,
      `${K8S}/openshift-origin/secret.json:1`,
      `${K8S}/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml:9`,
      `${K8S}/volumes/scaleio/sc-pvc.yaml:12`,
    ])
    const duplicates = scan.errors.filter((e) => !e.file.endsWith('.json'))
    expect(duplicates.every((e) => /unique/i.test(e.message))).toBe(true)
    expect(scan.errors.every((e) => e.file !== '' && e.revision === 'head' && e.message !== '')).toBe(true)
  })

  it('skips the placeholder templates whose placeholders are not YAML', () => {
    const templates = scan.skipped.filter((s) => /template syntax/.test(s.reason)).map((s) => s.file)
    expect(templates.sort()).toEqual([
      `${K8S}/newrelic-infrastructure/newrelic-config-template.yaml`,
      `${K8S}/newrelic/newrelic-config-template.yaml`,
      `${K8S}/storage/vitess/etcd-controller-template.yaml`,
      `${K8S}/storage/vitess/etcd-service-template.yaml`,
      `${K8S}/storage/vitess/vtgate-controller-template.yaml`,
    ])
    // in these two the placeholders sit inside strings, which is valid YAML: they are read
    const read = [`${K8S}/storage/vitess/vtctld-controller-template.yaml`, `${K8S}/storage/vitess/vttablet-pod-template.yaml`]
    for (const file of read) {
      expect(scan.skipped.some((s) => s.file === file)).toBe(false)
      expect(scan.errors.some((e) => e.file === file)).toBe(false)
    }
    expect(scan.findings.some((f) => f.file === read[1])).toBe(true)
  })

  it('skips the 13 Helm chart templates as such', () => {
    const helm = scan.skipped.filter((s) => /Helm/.test(s.reason)).map((s) => s.file)
    expect(helm).toHaveLength(13)
    expect(helm.every((f) => f.startsWith(`${DEMO}/helm-chart/templates/`))).toBe(true)
    // and the Kustomize patch that deletes the load generator: a partial object, never a manifest of its own
    expect(scan.skipped.filter((s) => /Kustomize patch/.test(s.reason)).map((s) => s.file)).toEqual([
      `${DEMO}/kustomize/components/without-loadgenerator/delete-loadgenerator.patch.yaml`,
    ])
    expect(scan.skipped).toHaveLength(19)
  })

  it('evaluates a plausible number of objects, CRLF and tab-indented JSON files included', () => {
    // 444 documents with a kind, less 21 Kustomize ones and those in the 5 files with duplicate keys
    expect(scan.resources).toBeGreaterThanOrEqual(410)
    expect(scan.resources).toBeLessThanOrEqual(423)
    const withFindings = new Set(scan.findings.map((f) => f.file))
    expect(withFindings).toContain(`${K8S}/sysdig-cloud/sysdig-daemonset.yaml`) // CRLF, hostNetwork and privileged
    expect(scan.findings.every((f) => f.status === 'new' && f.line >= 1 && f.endLine >= f.line)).toBe(true)
    expect(scan.findings.every((f) => manifests.includes(f.file))).toBe(true)
  })

  it('places findings on the right lines of a CRLF file', () => {
    const privileged = scan.findings.filter((f) => f.file === `${K8S}/sysdig-cloud/sysdig-daemonset.yaml` && f.ruleId === 'pss-privileged')
    expect(privileged.map((f) => [f.line, f.endLine])).toEqual([[44, 44]])
    expect(privileged[0]?.path).toMatch(/securityContext\.privileged$/)
    const hostNamespaces = scan.findings.filter((f) => f.file === `${K8S}/sysdig-cloud/sysdig-daemonset.yaml` && f.ruleId === 'pss-host-namespaces')
    expect(hostNamespaces.map((f) => f.line).sort()).toEqual([38, 39])
  })
})

describe('diffing the corpus against itself', () => {
  it('reads nothing in a pull-request diff', async () => {
    const report = await runPipeline({ base: source(), head: source(), scope: 'changed', failOn: 'high', render })
    expect(report.files).toBe(0)
    expect(report.findings).toEqual([])
    expect(report.errors).toEqual([])
    expect(report.skipped).toEqual([])
  })

  it('read in full, every finding is unchanged', async () => {
    const report = await runPipeline({ base: source(), head: source(), scope: 'all', failOn: 'high', render })
    // rules that judge a change (an added Service…) have nothing to say when nothing changed
    const transitionRules = new Set(RULES.filter((r) => r.kind === 'transition').map((r) => r.meta.id))
    expect(report.findings.length).toBe(scan.findings.filter((f) => !transitionRules.has(f.ruleId)).length)
    expect(report.findings.every((f) => f.status === 'unchanged')).toBe(true)
    expect(report.postures).toEqual([])
    expect(report.files).toBe(scan.files * 2)
  })
})
