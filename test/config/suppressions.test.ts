/** Suppressions through the whole engine: annotations, configuration entries, reasons, expiry, transparency. */
import { describe, expect, it } from 'vitest'
import { renderJson } from '../../src/render/json.js'
import { summarize } from '../../src/render/summary.js'
import { renderText } from '../../src/render/text.js'
import { lines, PSS_BASELINE_IDS, run, workload, yaml } from './support.js'

const IGNORE = 'kube-ratchet.io/ignore'
const BASELINE = PSS_BASELINE_IDS

describe('the kube-ratchet.io/ignore annotation', () => {
  it('on the object silences the rule for every container, and only that rule', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged: needs /dev/fuse' } }) })
    expect(lines(report.findings, BASELINE)).toEqual(['new pss-host-namespaces app.yaml:12 api'])
    expect(lines(report.suppressed, BASELINE)).toEqual(['new pss-privileged app.yaml:17 api/app', 'new pss-privileged app.yaml:21 api/sidecar'])
    expect(report.suppressed[0]?.suppressedBy).toEqual({ source: 'annotation', reason: 'needs /dev/fuse', file: 'app.yaml', line: 7 })
    expect(report.warnings).toEqual([])
  })

  it('on the pod template works the same', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { podAnnotations: { [IGNORE]: 'pss-privileged: needs /dev/fuse' } }) })
    expect(lines(report.findings, BASELINE)).toEqual(['new pss-host-namespaces app.yaml:12 api'])
    expect(report.suppressed.map((f) => f.suppressedBy?.line)).toEqual([10, 10])
  })

  it('container-scoped (ignore.<container>) silences only that container', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [`${IGNORE}.sidecar`]: 'pss-privileged: debug sidecar, removed in Q3' } }) })
    expect(lines(report.findings, BASELINE)).toEqual(['new pss-host-namespaces app.yaml:12 api', 'new pss-privileged app.yaml:17 api/app'])
    expect(lines(report.suppressed)).toEqual(['new pss-privileged app.yaml:21 api/sidecar'])
  })

  it('container-scoped does not silence a finding of the pod itself', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [`${IGNORE}.app`]: 'pss-host-namespaces: reason' } }) })
    expect(lines(report.findings, ['pss-host-namespaces'])).toEqual(['new pss-host-namespaces app.yaml:12 api'])
    expect(report.suppressed).toEqual([])
  })

  it('names several rules, separated by commas', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged , pss-host-namespaces: a node agent' } }) })
    expect(lines(report.findings, BASELINE)).toEqual([])
    expect(lines(report.suppressed, BASELINE)).toHaveLength(3)
    expect(new Set(report.suppressed.map((f) => f.suppressedBy?.reason))).toEqual(new Set(['a node agent']))
  })

  it('without a reason suppresses nothing, and says so at file:line', async () => {
    for (const value of ['pss-privileged', 'pss-privileged:', 'pss-privileged:   ']) {
      const report = await run(null, { 'deploy/app.yaml': workload('api', { annotations: { [IGNORE]: value } }) })
      expect(report.suppressed).toEqual([])
      expect(lines(report.findings, ['pss-privileged'])).toHaveLength(2)
      expect(report.warnings).toEqual([
        {
          file: 'deploy/app.yaml',
          line: 7,
          message: 'kube-ratchet.io/ignore has no reason, so it does not suppress anything: write "<rule-id>[,<rule-id>…]: <reason>"',
        },
      ])
    }
  })

  it('naming no rule suppresses nothing, and says so', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [IGNORE]: ': it is fine' } }) })
    expect(report.suppressed).toEqual([])
    expect(report.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      '7: kube-ratchet.io/ignore names no rule, so it does not suppress anything: write "<rule-id>[,<rule-id>…]: <reason>"',
    ])
  })

  it('an unknown rule id is reported; the known ones still suppress', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privilegd, pss-host-namespaces: agent' } }) })
    expect(report.warnings).toEqual([{ file: 'app.yaml', line: 7, message: 'kube-ratchet.io/ignore names an unknown rule "pss-privilegd"' }])
    expect(lines(report.suppressed)).toEqual(['new pss-host-namespaces app.yaml:12 api'])
    expect(lines(report.findings, BASELINE)).toHaveLength(2)
  })

  it('other annotations are not suppressions', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { 'kube-ratchet.io/ignored': 'pss-privileged: x', 'example.com/ignore': 'pss-privileged: x' } }) })
    expect(report.suppressed).toEqual([])
    expect(report.warnings).toEqual([])
  })
})

describe('suppressed findings are listed and counted, never silent', () => {
  it('sit in report.suppressed with suppressedBy, are counted in the summary, and do not fail the check', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged, pss-host-namespaces: node agent' } }) }, { config: 'failOn: high\nrules: {image-tag-mutable: "off"}\n' })
    const failing = report.findings.filter((f) => ['critical', 'high'].includes(f.severity))
    expect(failing).toEqual([])
    const summary = summarize(report)
    expect(summary.suppressed).toBe(3)
    expect(summary.failed).toBe(false)
    expect(report.suppressed.every((f) => f.fix === null && f.suppressedBy?.source === 'annotation')).toBe(true)

    const json = JSON.parse(renderJson(report))
    expect(json.summary.suppressed).toBe(3)
    expect(json.suppressed.map((f: { ruleId: string; suppressedBy: object }) => [f.ruleId, f.suppressedBy])).toContainEqual([
      'pss-privileged',
      { source: 'annotation', reason: 'node agent', file: 'app.yaml', line: 7 },
    ])
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('pss-privileged')

    const text = renderText(report, { color: false })
    expect(text).toContain('3 suppressed:')
    expect(text).toMatch(/app\.yaml:17 {2}pss-privileged {2}\(Deployment shop\/api\) {2}annotation at app\.yaml:7: node agent/)
  })

  it('the same finding unsuppressed would fail the check', async () => {
    const report = await run(null, { 'app.yaml': workload('api') })
    expect(summarize(report).failed).toBe(true)
  })
})

describe('ignore: entries in the configuration', () => {
  const entry = (fields: string[]): string => yaml('ignore:', '  - reason: reads node logs', ...fields.map((f) => `    ${f}`))

  it('selects by kind, namespace, name glob, container and rules', async () => {
    const config = entry(['rules: [pss-privileged]', 'kind: DaemonSet', 'namespace: logging', 'name: "fluent-*"', 'container: sidecar'])
    const tree = {
      'a.yaml': workload('fluent-bit', { kind: 'DaemonSet', namespace: 'logging' }),
      'b.yaml': workload('fluent-bit', { kind: 'Deployment', namespace: 'logging' }), // other kind
      'c.yaml': workload('fluent-bit', { kind: 'DaemonSet', namespace: 'shop' }), // other namespace
      'd.yaml': workload('vector', { kind: 'DaemonSet', namespace: 'logging' }), // other name
    }
    const report = await run(null, tree, { config })
    expect(lines(report.suppressed)).toEqual(['new pss-privileged a.yaml:19 fluent-bit/sidecar'])
    expect(report.suppressed[0]?.suppressedBy).toEqual({ source: 'config', reason: 'reads node logs', file: '.github/kube-ratchet.yml', line: 2 })
    expect(lines(report.findings, ['pss-privileged'])).toHaveLength(7)
  })

  it('without rules silences every rule of the objects it selects', async () => {
    const report = await run(null, { 'a.yaml': workload('legacy', { namespace: 'legacy' }), 'b.yaml': workload('api') }, { config: entry(['namespace: legacy']) })
    expect(report.findings.filter((f) => f.resource.name === 'legacy')).toEqual([])
    expect(report.suppressed.length).toBeGreaterThan(3)
    expect(report.findings.some((f) => f.resource.name === 'api')).toBe(true)
  })

  it('an expired entry stops working and is reported', async () => {
    const config = entry(['rules: [pss-privileged]', 'expires: 2026-06-14'])
    const report = await run(null, { 'a.yaml': workload('api') }, { config, today: '2026-06-15' })
    expect(report.suppressed).toEqual([])
    expect(lines(report.findings, ['pss-privileged'])).toHaveLength(2)
    expect(report.warnings).toEqual([
      { file: '.github/kube-ratchet.yml', line: 2, message: 'ignore entry expired on 2026-06-14 and no longer suppresses (reads node logs)' },
    ])
  })

  it('works through the day it expires', async () => {
    const config = entry(['rules: [pss-privileged]', 'expires: 2026-06-15'])
    const report = await run(null, { 'a.yaml': workload('api') }, { config, today: '2026-06-15' })
    expect(report.suppressed).toHaveLength(2)
    expect(report.warnings).toEqual([])
  })

  it('an empty reason suppresses nothing, and says so', async () => {
    const report = await run(null, { 'a.yaml': workload('api') }, { config: yaml('ignore:', '  - rules: [pss-privileged]', '    reason: "  "') })
    expect(report.suppressed).toEqual([])
    expect(report.warnings).toEqual([{ file: '.github/kube-ratchet.yml', line: 2, message: 'ignore entry has an empty reason, so it does not suppress anything' }])
  })

  it('an annotation wins over an entry as the suppression shown', async () => {
    const report = await run(null, { 'a.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged: by annotation' } }) }, { config: entry(['rules: [pss-privileged]']) })
    expect(new Set(report.suppressed.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.suppressedBy?.source))).toEqual(new Set(['annotation']))
  })
})

describe('a suppression added by the change is itself reported', () => {
  it('a head annotation that silences a new finding yields a suppression-added finding on its line', async () => {
    // base: nobody privileged; head: the app container becomes privileged, with an annotation for it
    const base = { 'app.yaml': workload('api').replaceAll('privileged: true', 'privileged: false') }
    const annotated = workload('api', { annotations: { [`${IGNORE}.app`]: 'pss-privileged: needs raw sockets' } })
    const last = annotated.lastIndexOf('privileged: true')
    const head = { 'app.yaml': `${annotated.slice(0, last)}privileged: false${annotated.slice(last + 'privileged: true'.length)}` }
    const report = await run(base, head)
    expect(lines(report.suppressed)).toEqual(['new pss-privileged app.yaml:17 api/app'])
    const added = report.findings.filter((f) => f.ruleId === 'suppression-added')
    expect(added).toEqual([
      expect.objectContaining({
        status: 'new',
        severity: 'info',
        file: 'app.yaml',
        line: 7,
        endLine: 7,
        container: 'app',
        path: 'metadata.annotations["kube-ratchet.io/ignore.app"]',
        message: 'This change silences pss-privileged for container "app": "needs raw sockets".',
      }),
    ])
    // reported for reviewers, but info does not fail the check
    expect(summarize(report).failed).toBe(false)
  })

  it('an annotation already at base yields none', async () => {
    const base = { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged: needs raw sockets' } }) }
    const head = { 'app.yaml': `${base['app.yaml'].replace('image: nginx:1.27', 'image: nginx:1.28')}` }
    const report = await run(base, head)
    expect(report.findings.filter((f) => f.ruleId === 'suppression-added')).toEqual([])
    expect(lines(report.suppressed, ['pss-privileged'])).toEqual(['unchanged pss-privileged app.yaml:17 api/app', 'unchanged pss-privileged app.yaml:21 api/sidecar'])
  })

  it('a changed annotation that silences more counts as added', async () => {
    const base = { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged: needs raw sockets' } }) }
    const head = { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged, pss-host-namespaces: needs raw sockets' } }) }
    const report = await run(base, head)
    expect(lines(report.findings, ['suppression-added'])).toEqual(['new suppression-added app.yaml:7 api'])
    expect(report.findings.find((f) => f.ruleId === 'suppression-added')?.message).toBe('This change silences pss-privileged, pss-host-namespaces: "needs raw sockets".')
  })

  it('an annotation that silences nothing yields none', async () => {
    const head = { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-host-ports: just in case' } }) }
    const report = await run({ 'app.yaml': workload('api') }, head)
    expect(report.findings.filter((f) => f.ruleId === 'suppression-added')).toEqual([])
  })

  it('an annotation without a reason yields none (it silences nothing)', async () => {
    const head = { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged' } }) }
    const report = await run({ 'app.yaml': workload('api') }, head)
    expect(report.findings.filter((f) => f.ruleId === 'suppression-added')).toEqual([])
  })

  it('an annotation that silences a finding of a transition rule is reported too', async () => {
    const runner = (runtimeClass: string | null, annotation: string | null): string =>
      yaml(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: runner',
        ...(annotation ? ['  annotations:', `    kube-ratchet.io/ignore: "${annotation}"`] : []),
        'spec:',
        '  template:',
        '    spec:',
        ...(runtimeClass ? [`      runtimeClassName: ${runtimeClass}`] : []),
        '      containers:',
        '      - name: run',
        '        image: runner:1',
      )
    const report = await run({ 'a.yaml': runner('gvisor', null) }, { 'a.yaml': runner(null, 'runtime-class-removed: gVisor lacks io_uring, SEC-42') })
    expect(lines(report.suppressed)).toEqual(['new runtime-class-removed a.yaml:9 runner'])
    expect(report.findings.filter((f) => f.ruleId === 'suppression-added').map((f) => `${f.line}: ${f.message}`)).toEqual([
      '6: This change silences runtime-class-removed: "gVisor lacks io_uring, SEC-42".',
    ])
  })

  it('through git, as a pull request is reviewed', async () => {
    const head = { 'app.yaml': workload('api', { annotations: { [IGNORE]: 'pss-privileged: needs raw sockets' } }) }
    const report = await run({ 'app.yaml': workload('api') }, head, { via: 'git' })
    expect(lines(report.findings, ['suppression-added'])).toEqual(['new suppression-added app.yaml:7 api'])
  })
})

describe('compat: the annotations of other tools', () => {
  const cases: [string, Record<string, string>, string[]][] = [
    ['kube-linter', { 'ignore-check.kube-linter.io/privileged-container': 'needs /dev/fuse', 'ignore-check.kube-linter.io/host-network': 'node agent' }, ['pss-privileged', 'pss-host-namespaces']],
    ['checkov', { 'checkov.io/skip1': 'CKV_K8S_16=needs /dev/fuse', 'checkov.io/skip2': 'CKV_K8S_19=node agent' }, ['pss-privileged', 'pss-host-namespaces']],
    ['polaris', { 'polaris.fairwinds.com/runAsPrivileged-exempt': 'true', 'polaris.fairwinds.com/hostNetworkSet-exempt': 'True' }, ['pss-privileged', 'pss-host-namespaces']],
  ]
  for (const [tool, annotations, rules] of cases) {
    it(`${tool}: honoured when compat lists it`, async () => {
      const report = await run(null, { 'app.yaml': workload('api', { annotations }) }, { config: `compat: [${tool}]\n` })
      expect(report.findings.filter((f) => rules.includes(f.ruleId))).toEqual([])
      expect(new Set(report.suppressed.map((f) => f.suppressedBy?.source))).toEqual(new Set([tool]))
      expect(new Set(report.suppressed.map((f) => f.ruleId))).toEqual(new Set(rules))
    })

    it(`${tool}: ignored when compat does not list it`, async () => {
      const others = ['kube-linter', 'checkov', 'polaris'].filter((t) => t !== tool)
      for (const config of [undefined, `compat: [${others.join(', ')}]\n`]) {
        const report = await run(null, { 'app.yaml': workload('api', { annotations }) }, { config })
        expect(report.suppressed).toEqual([])
        expect(report.warnings).toEqual([])
      }
    })
  }

  it('checkov: the comment is the reason; a skip without one does not suppress, and says so', async () => {
    const annotations = { 'checkov.io/skip1': 'CKV_K8S_16=needs /dev/fuse = really', 'checkov.io/skip_2': 'CKV_K8S_19' }
    const report = await run(null, { 'app.yaml': workload('api', { annotations }) }, { config: 'compat: [checkov]\n' })
    expect(new Set(report.suppressed.map((f) => `${f.ruleId}: ${f.suppressedBy?.reason}`))).toEqual(new Set(['pss-privileged: needs /dev/fuse = really']))
    expect(report.warnings).toEqual([{ file: 'app.yaml', line: 8, message: 'checkov.io/skip_2 has no reason, so it does not suppress anything: write "<check-id>=<reason>"' }])
  })

  it('kube-linter: an empty value does not suppress, and says so', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { 'ignore-check.kube-linter.io/privileged-container': '' } }) }, { config: 'compat: [kube-linter]\n' })
    expect(report.suppressed).toEqual([])
    expect(report.warnings.map((w) => w.message)).toEqual([
      "ignore-check.kube-linter.io/privileged-container has no reason, so it does not suppress anything: write the reason as the annotation's value",
    ])
  })

  it('polaris: an exemption set to anything but true does not exempt', async () => {
    const report = await run(null, { 'app.yaml': workload('api', { annotations: { 'polaris.fairwinds.com/runAsPrivileged-exempt': 'false' } }) }, { config: 'compat: [polaris]\n' })
    expect(report.suppressed).toEqual([])
  })

  it('checks with no counterpart here are ignored', async () => {
    const annotations = { 'ignore-check.kube-linter.io/no-liveness-probe': 'batch job', 'checkov.io/skip1': 'CKV_K8S_8=batch job', 'polaris.fairwinds.com/livenessProbeMissing-exempt': 'true' }
    const report = await run(null, { 'app.yaml': workload('api', { annotations }) }, { config: 'compat: [kube-linter, checkov, polaris]\n' })
    expect(report.suppressed).toEqual([])
    expect(report.warnings).toEqual([])
  })

  it('a peer annotation added by the change is reported like ours', async () => {
    const head = { 'app.yaml': workload('api', { annotations: { 'checkov.io/skip1': 'CKV_K8S_16=needs /dev/fuse' } }) }
    const report = await run({ 'app.yaml': workload('api') }, head, { config: 'compat: [checkov]\n' })
    expect(lines(report.findings, ['suppression-added'])).toEqual(['new suppression-added app.yaml:7 api'])
  })
})
