/**
 * The real Kustomize tree and Helm chart of microservices-demo (test/fixtures/corpus): every
 * overlay builds offline and the chart renders, nothing throws, and findings point into the tree.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isKustomizationFile } from '../../src/load/build/kustomize.js'
import { type Rendering, renderRevisions } from '../../src/load/build/render.js'
import { DirectorySource } from '../../src/load/dir-source.js'
import { readRevisions } from '../../src/load/read-revisions.js'
import type { Report } from '../../src/model.js'
import { runPipeline } from '../../src/pipeline.js'
import { edit, FIXTURES, fixtureTree, helmMissing, KUSTOMIZE, lineOf, placed, renderDiff } from './support.js'

const DEMO = join(FIXTURES, 'corpus', 'GoogleCloudPlatform-microservices-demo')
const TREES = ['kustomize', 'helm-chart', 'kubernetes-manifests']
const missingHelm = helmMissing()
const source = () => new DirectorySource(DEMO, { ref: 'demo', sha: null }, TREES)

describe.skipIf(!KUSTOMIZE || missingHelm !== null)('rendering the microservices-demo corpus', () => {
  let rendering: Rendering
  let report: Report
  beforeAll(async () => {
    const head = source()
    const contents = await readRevisions({ base: null, head, scope: 'all', wanted: () => true, withUnchanged: false })
    rendering = await renderRevisions({
      base: null,
      head,
      contents,
      scope: 'all',
      wanted: () => true,
      helm: { base: [], head: [] },
      options: { enabled: true, timeoutMs: 60_000 },
    })
    report = await runPipeline({ base: null, head: source(), scope: 'all', failOn: 'high' })
  })

  it('builds every overlay and renders the chart, offline and without errors', () => {
    expect(rendering.head.errors).toEqual([])
    const objects = Object.fromEntries(rendering.head.outputs.map((o) => [o.path, o.bytes.toString('utf8').split(/^---$/m).length]))
    // the object counts the corpus's README gives for `kustomize build`; the chart with its defaults
    expect(objects).toEqual({
      'kubernetes-manifests/kustomization.yaml': 33,
      'kustomize/kustomization.yaml': 35,
      'kustomize/tests/memorystore-with-all-components/kustomization.yaml': 49,
      'kustomize/tests/service-mesh-istio-with-all-components/kustomization.yaml': 55,
      'kustomize/tests/spanner-with-all-components/kustomization.yaml': 49,
      'helm-chart/Chart.yaml': 36,
    })
    // the base is built as part of each overlay, never on its own; components never alone
    expect(rendering.renders).toEqual({ base: 0, head: 6 })
  })

  it('skips the patch of the component no overlay uses, with the reason', () => {
    expect(rendering.head.skipped).toEqual([
      {
        revision: 'head',
        file: 'kustomize/components/without-loadgenerator/delete-loadgenerator.patch.yaml',
        reason: expect.stringMatching(/no overlay that reads it was built/),
      },
    ])
  })

  it('evaluates the rendered objects and places every finding on a line of a file of the tree', () => {
    expect(report.errors).toEqual([])
    // the rendered objects, plus the files no kustomization lists (kubernetes-manifests/loadgenerator.yaml,
    // the unused shopping-assistant component), evaluated as they are
    expect(report.resources).toBe(33 + 35 + 49 + 55 + 49 + 36 + 2 + 3)
    const files = new Set(Object.keys(fixtureTree(join('corpus', 'GoogleCloudPlatform-microservices-demo'))))
    for (const finding of report.findings) {
      expect(files).toContain(finding.file)
      const lines = readFileSync(join(DEMO, finding.file), 'utf8').split('\n').length
      expect(finding.line).toBeGreaterThanOrEqual(1)
      expect(finding.endLine).toBeLessThanOrEqual(lines)
    }
    const where = new Set(report.findings.map((f) => f.file.split('/').slice(0, 2).join('/')))
    expect([...where].sort()).toEqual([
      'helm-chart/templates',
      'kubernetes-manifests/adservice.yaml',
      'kubernetes-manifests/cartservice.yaml',
      'kubernetes-manifests/checkoutservice.yaml',
      'kubernetes-manifests/currencyservice.yaml',
      'kubernetes-manifests/emailservice.yaml',
      'kubernetes-manifests/frontend.yaml',
      'kubernetes-manifests/loadgenerator.yaml',
      'kubernetes-manifests/paymentservice.yaml',
      'kubernetes-manifests/productcatalogservice.yaml',
      'kubernetes-manifests/recommendationservice.yaml',
      'kubernetes-manifests/shippingservice.yaml',
      'kustomize/base',
      'kustomize/components',
    ])
    // every field was found in a source file: nothing fell back to a kustomization's first line
    expect(report.findings.filter((f) => isKustomizationFile(f.file))).toEqual([])
  })
})

describe.skipIf(!KUSTOMIZE)('a pull request against the corpus', () => {
  const tree = fixtureTree(join('corpus', 'GoogleCloudPlatform-microservices-demo', 'kustomize'), 'kustomize/')
  const FRONTEND = 'kustomize/base/frontend.yaml'

  it('reports a base change once for each overlay built on the base', async () => {
    const head = edit(tree, FRONTEND, 'privileged: false', 'privileged: true')
    const report = await renderDiff(tree, head, { via: 'git' })
    expect(report.errors).toEqual([])
    const line = lineOf(head, FRONTEND, 'privileged: true')
    expect(placed(report.findings)).toEqual(Array(4).fill(`new pss-privileged ${FRONTEND}:${line} default/frontend`))
    expect(report.findings.map((f) => f.message.replace(/.*from /, '')).sort()).toEqual([
      'kustomize)',
      'kustomize/tests/memorystore-with-all-components)',
      'kustomize/tests/service-mesh-istio-with-all-components)',
      'kustomize/tests/spanner-with-all-components)',
    ])
  })
})
