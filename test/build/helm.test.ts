/**
 * Helm charts rendered with a real `helm template` at both revisions (helm is built from source by
 * .ci/run). Findings land on the values line the pull request changed, else on the template.
 */
import { describe, expect, it } from 'vitest'
import { renderRevisions } from '../../src/load/build/render.js'
import { DirectorySource } from '../../src/load/dir-source.js'
import { readRevisions } from '../../src/load/read-revisions.js'
import { tempDir, writeTree } from '../helpers/revisions.js'
import { edit, fixtureTree, helmMissing, lineOf, placed, renderDiff, type Tree } from './support.js'

const missing = helmMissing()
const CHART = fixtureTree('helm', 'charts/')
const VALUES = 'charts/web/values.yaml'
const PROD = 'charts/web/values-prod.yaml'
const TEMPLATE = 'charts/web/templates/deployment.yaml'

const environments = [
  { path: 'charts/web', values: ['values-dev.yaml'], namespace: 'dev', releaseName: null },
  { path: 'charts/web', values: ['values-prod.yaml'], namespace: 'prod', releaseName: null },
]

describe.skipIf(missing !== null)(`Helm charts${missing ? ` (skipped: ${missing})` : ''}`, () => {
  describe.each(['git', 'dirs'] as const)('read from %s', (via) => {
    it('reports a values change that makes a pod privileged on the values line', async () => {
      const head = edit(CHART, PROD, 'privileged: false', 'privileged: true')
      const report = await renderDiff(CHART, head, { via, helm: [environments[1] as (typeof environments)[number]] })
      expect(report.errors).toEqual([])
      expect(placed(report.findings)).toEqual([`new pss-privileged ${PROD}:${lineOf(head, PROD, 'privileged: true')} prod/web`])
      expect(report.findings[0]?.message).toMatch(/\(rendered by Helm from charts\/web with values-prod\.yaml in namespace prod\)$/)
      expect(report.findings[0]?.fix).toBeNull()
    })

    it('reports a template change on the template line', async () => {
      const head = edit(CHART, TEMPLATE, '    spec:\n', '    spec:\n      hostPID: true\n')
      const report = await renderDiff(CHART, head, { via })
      expect(report.errors).toEqual([])
      // the default release: named after the chart's folder, the chart's own values.yaml
      expect(placed(report.findings)).toEqual([`new pss-host-namespaces ${TEMPLATE}:${lineOf(head, TEMPLATE, 'hostPID: true')} default/web`])
    })
  })

  it('renders once per configured environment, each with its own values', async () => {
    // values.yaml is the default for both; prod's own file keeps privileged off
    const head = edit(CHART, VALUES, 'privileged: false', 'privileged: true')
    const report = await renderDiff(CHART, head, { via: 'git', helm: environments })
    expect(report.errors).toEqual([])
    expect(placed(report.findings)).toEqual([`new pss-privileged ${VALUES}:${lineOf(head, VALUES, 'privileged: true')} dev/web`])

    const both = edit(head, PROD, 'privileged: false', 'privileged: true')
    const twice = await renderDiff(CHART, both, { via: 'git', helm: environments })
    expect(placed(twice.findings)).toEqual([
      `new pss-privileged ${PROD}:${lineOf(both, PROD, 'privileged: true')} prod/web`,
      `new pss-privileged ${VALUES}:${lineOf(both, VALUES, 'privileged: true')} dev/web`,
    ])
  })

  it('places a finding the values did not cause on the template line that reads them', async () => {
    // the template starts reading a key that was privileged all along
    const base = { ...CHART, [VALUES]: `${CHART[VALUES]}debug:\n  securityContext:\n    privileged: true\n` }
    const head = edit(base, TEMPLATE, '{{- toYaml .Values.securityContext | nindent 12 }}', '{{- toYaml .Values.debug.securityContext | nindent 12 }}')
    const report = await renderDiff(base, head, { via: 'git' })
    expect(placed(report.findings)).toEqual([`new pss-privileged ${TEMPLATE}:${lineOf(head, TEMPLATE, '.Values.debug.securityContext')} default/web`])
  })

  it('reports nothing new when a chart is renamed and moved', async () => {
    const base = edit(CHART, PROD, 'privileged: false', 'privileged: true')
    const moved: Tree = Object.fromEntries(Object.entries(base).map(([path, text]) => [path.replace('charts/web/', 'deploy/helm/web/'), text]))
    const head = edit(moved, 'deploy/helm/web/Chart.yaml', 'name: web', 'name: web-service')
    const prod = (path: string) => [{ path, values: ['values-prod.yaml'], namespace: 'prod', releaseName: null }]
    const before = await renderDiff(null, base, { via: 'git', helm: prod('charts/web') })
    expect(placed(before.findings)).toEqual([`new pss-privileged ${PROD}:6 prod/web`])
    // the pull request moves the chart's settings along with it
    const report = await renderDiff(base, head, { via: 'git', helm: prod('deploy/helm/web'), baseHelm: prod('charts/web') })
    expect(report.errors).toEqual([])
    expect(placed(report.findings)).toEqual(['unchanged pss-privileged deploy/helm/web/values-prod.yaml:6 prod/web'])
  })

  it('reports nothing new when plain manifests become a chart', async () => {
    const plain: Tree = {
      'deploy/web.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  template:',
        '    spec:',
        '      hostPID: true',
        '      containers:',
        '        - name: web',
        '          image: registry.example.com/web:1.4.2',
        '',
      ].join('\n'),
    }
    const chart = edit(CHART, TEMPLATE, '    spec:\n', '    spec:\n      hostPID: true\n')
    const report = await renderDiff(plain, chart, { via: 'git' })
    expect(report.errors).toEqual([])
    expect(report.findings.map((f) => `${f.status} ${f.ruleId} ${f.file}`)).toEqual([`unchanged pss-host-namespaces ${TEMPLATE}`])
  })

  it('reports a chart that does not render as an error, leaving it out at both revisions', async () => {
    const base = edit(CHART, PROD, 'privileged: false', 'privileged: true')
    const head = edit(base, TEMPLATE, '  replicas: {{ .Values.replicaCount }}', '  replicas: {{ .Values.replicaCount')
    const report = await renderDiff(base, head, { via: 'git', helm: [environments[1] as (typeof environments)[number]] })
    expect(report.findings).toEqual([])
    expect(report.errors).toHaveLength(1)
    expect(report.errors[0]).toMatchObject({ revision: 'head', file: 'charts/web/Chart.yaml', line: null })
    expect(report.errors[0]?.message).toMatch(/^Helm \(charts\/web with values-prod\.yaml in namespace prod\): helm failed: .*deployment\.yaml/)
  })

  it('reports a configured values file that does not exist, and a configured chart that does not', async () => {
    const head = edit(CHART, TEMPLATE, '    spec:\n', '    spec:\n      hostPID: true\n')
    const report = await renderDiff(CHART, head, {
      via: 'git',
      helm: [
        { path: 'charts/web', values: ['values-staging.yaml'], namespace: 'staging', releaseName: null },
        { path: 'charts/api', values: [], namespace: null, releaseName: null },
      ],
      config: { file: '.github/kube-ratchet.yml' },
    })
    expect(report.findings).toEqual([])
    // failing at both revisions, the render is reported once, at the head
    expect(report.errors.map((e) => `${e.revision} ${e.file}: ${e.message}`).sort()).toEqual([
      'head .github/kube-ratchet.yml: helm.charts: there is no chart (Chart.yaml) at charts/api',
      'head charts/web/Chart.yaml: Helm (charts/web with values-staging.yaml in namespace staging): helm failed: open ./charts/web/values-staging.yaml: no such file or directory',
    ])
  })

  it('never fetches dependencies: a chart whose dependencies are not vendored is an error', async () => {
    const head = edit(CHART, 'charts/web/Chart.yaml', 'appVersion: "1.4.2"\n', 'appVersion: "1.4.2"\ndependencies:\n  - name: redis\n    version: 19.0.0\n    repository: https://charts.bitnami.com/bitnami\n')
    const started = Date.now()
    const report = await renderDiff(CHART, head, { via: 'git' })
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(report.errors.map((e) => `${e.revision} ${e.file}`)).toEqual(['head charts/web/Chart.yaml'])
    expect(report.errors[0]?.message).toMatch(/redis/)
  })

  it('renders vendored subcharts as part of their parent and places their findings in their templates', async () => {
    const sub = 'charts/web/charts/agent'
    const head: Tree = {
      ...CHART,
      [`${sub}/Chart.yaml`]: 'apiVersion: v2\nname: agent\nversion: 0.1.0\n',
      [`${sub}/values.yaml`]: 'hostNetwork: true\n',
      [`${sub}/templates/daemonset.yaml`]: [
        'apiVersion: apps/v1',
        'kind: DaemonSet',
        'metadata:',
        '  name: {{ .Release.Name }}-agent',
        'spec:',
        '  template:',
        '    spec:',
        '      hostNetwork: {{ .Values.hostNetwork }}',
        '      containers:',
        '        - name: agent',
        '          image: registry.example.com/agent:1.0.0',
        '',
      ].join('\n'),
    }
    const report = await renderDiff(CHART, head, { via: 'git' })
    expect(report.errors).toEqual([])
    // a subchart's own values.yaml is not searched: the finding goes to the template line that writes the field
    expect(placed(report.findings)).toEqual([`new pss-host-namespaces ${sub}/templates/daemonset.yaml:8 default/web-agent`])
  })
})

describe('without helm', () => {
  it('reports each chart it could not render as an error', async () => {
    const dir = tempDir()
    writeTree(dir, CHART)
    const head = new DirectorySource(dir, { ref: 'head', sha: null })
    const contents = await readRevisions({ base: null, head, scope: 'all', wanted: () => true, withUnchanged: false })
    const rendering = await renderRevisions({
      base: null,
      head,
      contents,
      scope: 'all',
      wanted: () => true,
      helm: { base: [], head: [] },
      options: { enabled: true, timeoutMs: 10_000 },
      tools: { helm: null, kustomize: null },
    })
    expect(rendering.head.errors).toEqual([
      { revision: 'head', file: 'charts/web/Chart.yaml', line: null, message: expect.stringMatching(/helm was not found/) },
    ])
    expect(rendering.head.outputs).toEqual([])
  })
})
