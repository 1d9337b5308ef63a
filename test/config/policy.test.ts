/** What the configuration decides: rules, the Pod Security level per namespace, mode, files, sandboxes. */
import { describe, expect, it } from 'vitest'
import { summarize } from '../../src/render/summary.js'
import { lines, namespace, PSS_BASELINE_IDS, PSS_RESTRICTED_IDS, restrictedOnly, ruleIds, run, workload, yaml } from './support.js'

const PSS = (ids: readonly string[]): string[] => ids.filter((id) => id.startsWith('pss-'))

describe('rules:', () => {
  it('off drops the rule’s findings entirely (not even listed as suppressed)', async () => {
    const report = await run(null, { 'a.yaml': workload('api') }, { config: 'rules:\n  pss-privileged: off\n' })
    expect(report.findings.map((f) => f.ruleId)).not.toContain('pss-privileged')
    expect(report.suppressed).toEqual([])
    expect(report.findings.map((f) => f.ruleId)).toContain('pss-host-namespaces')
  })

  it('a severity replaces the rule’s own, and the fail-on threshold follows it', async () => {
    const config = yaml('rules:', '  pss-privileged: low', '  pss-host-namespaces: info', '  resource-limits-missing: critical')
    const report = await run(null, { 'a.yaml': workload('api') }, { config })
    const severity = (id: string): string[] => [...new Set(report.findings.filter((f) => f.ruleId === id).map((f) => f.severity))]
    expect(severity('pss-privileged')).toEqual(['low'])
    expect(severity('pss-host-namespaces')).toEqual(['info'])
    expect(severity('resource-limits-missing')).toEqual(['critical'])
    expect(summarize(report).failed).toBe(true) // resource-limits-missing is critical now

    const lowered = await run(null, { 'a.yaml': workload('api') }, { config: yaml('rules:', '  pss-privileged: low', '  pss-host-namespaces: low') })
    expect(lowered.findings.filter((f) => ['critical', 'high'].includes(f.severity)).map((f) => f.ruleId)).toEqual([])
    expect(summarize(lowered).failed).toBe(false)
  })
})

describe('level: the Pod Security level that matters', () => {
  it('restricted by default: baseline and restricted checks report', async () => {
    const report = await run(null, { 'a.yaml': workload('api'), 'b.yaml': restrictedOnly('web', 'shop') })
    expect(PSS(ruleIds(report.findings))).toEqual([...PSS_BASELINE_IDS, ...PSS_RESTRICTED_IDS].sort())
  })

  it('baseline drops restricted-only findings and keeps the baseline ones', async () => {
    const report = await run(null, { 'a.yaml': workload('api'), 'b.yaml': restrictedOnly('web', 'shop') }, { config: 'level: baseline\n' })
    expect(PSS(ruleIds(report.findings))).toEqual([...PSS_BASELINE_IDS].sort())
    expect(report.findings.filter((f) => f.resource.name === 'web' && f.ruleId.startsWith('pss-'))).toEqual([])
    // other rules are not Pod Security checks: the level leaves them alone
    expect(ruleIds(report.findings)).toContain('resource-limits-missing')
  })

  it('privileged drops every Pod Security finding', async () => {
    const report = await run(null, { 'a.yaml': workload('api') }, { config: 'level: privileged\n' })
    expect(PSS(ruleIds(report.findings))).toEqual([])
  })

  it('namespaces.<ns>.level sets the level of one namespace', async () => {
    const config = yaml('namespaces:', '  monitoring:', '    level: baseline')
    const report = await run(null, { 'a.yaml': restrictedOnly('agent', 'monitoring'), 'b.yaml': restrictedOnly('web', 'shop') }, { config })
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'agent')))).toEqual([])
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'web')))).toEqual([...PSS_RESTRICTED_IDS].sort())
  })

  it('a namespace can be stricter than the global level', async () => {
    const config = yaml('level: baseline', 'namespaces:', '  payments:', '    level: restricted')
    const report = await run(null, { 'a.yaml': restrictedOnly('pay', 'payments'), 'b.yaml': restrictedOnly('web', 'shop') }, { config })
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'pay')))).toEqual([...PSS_RESTRICTED_IDS].sort())
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'web')))).toEqual([])
  })

  it('a workload without a namespace is in default', async () => {
    const text = restrictedOnly('web', 'default').replace('  namespace: default\n', '')
    const report = await run(null, { 'a.yaml': text }, { config: yaml('namespaces:', '  default:', '    level: baseline') })
    expect(PSS(ruleIds(report.findings))).toEqual([])
  })

  it('the posture is still reported in full, whatever the level', async () => {
    const report = await run({ 'keep.yaml': 'x: 1\n' }, { 'keep.yaml': 'x: 1\n', 'b.yaml': restrictedOnly('web', 'shop'), 'a.yaml': workload('api') }, { config: 'level: privileged\n' })
    expect(report.postures.map((p) => `${p.resource.name}: ${p.base} → ${p.head}`).sort()).toEqual(['api: null → privileged', 'web: null → baseline'])
  })
})

describe('a Namespace’s pod-security.kubernetes.io/enforce label in the repository', () => {
  it('sets the level of its workloads', async () => {
    const report = await run(null, {
      'ns.yaml': namespace('monitoring', 'baseline'),
      'a.yaml': restrictedOnly('agent', 'monitoring'),
      'b.yaml': restrictedOnly('web', 'shop'),
    })
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'agent')))).toEqual([])
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'web')))).toEqual([...PSS_RESTRICTED_IDS].sort())
  })

  it('privileged drops every Pod Security finding of its workloads; a Namespace without the label changes nothing', async () => {
    const report = await run(null, {
      'ns.yaml': `${namespace('system', 'privileged')}---\n${namespace('shop')}`,
      'a.yaml': workload('agent', { namespace: 'system' }),
      'b.yaml': workload('web', { namespace: 'shop' }),
    })
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'agent')))).toEqual([])
    expect(PSS(ruleIds(report.findings.filter((f) => f.resource.name === 'web')))).toContain('pss-privileged')
  })

  it('an invalid level reads as restricted, as Pod Security Admission reads it', async () => {
    const report = await run(null, { 'ns.yaml': namespace('monitoring', 'lenient'), 'a.yaml': restrictedOnly('agent', 'monitoring') }, { config: 'level: baseline\n' })
    expect(PSS(ruleIds(report.findings))).toEqual([...PSS_RESTRICTED_IDS].sort())
  })

  it('counts when the Namespace sits in a file the change does not touch (git diff)', async () => {
    const base = { 'namespaces/monitoring.yaml': namespace('monitoring', 'baseline'), 'apps/agent.yaml': 'placeholder: true\n' }
    const head = { 'namespaces/monitoring.yaml': namespace('monitoring', 'baseline'), 'apps/agent.yaml': restrictedOnly('agent', 'monitoring') }
    for (const via of ['git', 'dirs'] as const) {
      const report = await run(base, head, { via })
      expect(report.files, via).toBe(2) // only apps/agent.yaml is compared, at both revisions
      expect(PSS(ruleIds(report.findings)), via).toEqual([])
    }
    // without the Namespace the restricted checks report
    const without = await run({ 'apps/agent.yaml': 'placeholder: true\n' }, { 'apps/agent.yaml': restrictedOnly('agent', 'monitoring') }, { via: 'git' })
    expect(PSS(ruleIds(without.findings))).toEqual([...PSS_RESTRICTED_IDS].sort())
  })

  it('the configuration for the namespace beats the label', async () => {
    const config = yaml('namespaces:', '  monitoring:', '    level: restricted')
    const report = await run(null, { 'ns.yaml': namespace('monitoring', 'baseline'), 'a.yaml': restrictedOnly('agent', 'monitoring') }, { config })
    expect(PSS(ruleIds(report.findings))).toEqual([...PSS_RESTRICTED_IDS].sort())
  })

  it('the label beats the global level', async () => {
    const report = await run(null, { 'ns.yaml': namespace('payments', 'restricted'), 'a.yaml': restrictedOnly('pay', 'payments') }, { config: 'level: baseline\n' })
    expect(PSS(ruleIds(report.findings))).toEqual([...PSS_RESTRICTED_IDS].sort())
  })

  it('lowering the label in the change does not make the findings it stops counting look fixed', async () => {
    const agent = restrictedOnly('agent', 'monitoring')
    const base = { 'ns.yaml': namespace('monitoring', 'restricted'), 'a.yaml': agent }
    const head = { 'ns.yaml': namespace('monitoring', 'baseline'), 'a.yaml': agent.replace('nginx:1.27', 'nginx:1.28') }
    const report = await run(base, head)
    expect(report.findings.filter((f) => f.ruleId.startsWith('pss-'))).toEqual([])
    // the weakening itself is a finding of its own rule
    expect(lines(report.findings, ['namespace-pss-weakened'])).toEqual(['new namespace-pss-weakened ns.yaml:6 monitoring'])
  })
})

describe('mode:', () => {
  const base = { 'a.yaml': workload('api') }
  const head = { 'a.yaml': workload('api').replaceAll('nginx:1.27', 'nginx:1.28') }

  it('regressions (the default) fails only on new findings', async () => {
    const report = await run(base, head)
    expect(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.status)).toEqual(['unchanged', 'unchanged'])
    expect(report.mode).toBe('regressions')
    expect(summarize(report).failed).toBe(false)
  })

  it('all fails on unchanged findings too', async () => {
    const report = await run(base, head, { config: 'mode: all\n' })
    expect(report.mode).toBe('all')
    expect(summarize(report).failed).toBe(true)
  })

  it('all still ignores findings below fail-on, and fixed ones', async () => {
    const report = await run(base, head, { config: 'mode: all\nfailOn: critical\nrules: {pss-privileged: high}\n' })
    expect(summarize(report).failed).toBe(false)
  })
})

describe('include and exclude', () => {
  const tree = {
    'deploy/api.yaml': workload('api'),
    'deploy/test/fixture.yaml': workload('fixture'),
    'other/web.yaml': workload('web'),
    'top.yaml': workload('top'),
  }
  const names = (findings: { resource: { name: string } }[]): string[] => [...new Set(findings.map((f) => f.resource.name))].sort()

  it('read every manifest by default', async () => {
    expect(names((await run(null, tree)).findings)).toEqual(['api', 'fixture', 'top', 'web'])
  })

  it('include narrows the files read; exclude leaves some out', async () => {
    const report = await run(null, tree, { config: yaml('include: ["deploy/**/*.yaml"]', 'exclude: ["deploy/test/**"]') })
    expect(names(report.findings)).toEqual(['api'])
    expect(report.files).toBe(1)
  })

  it('**/*.yaml includes top-level files', async () => {
    const report = await run(null, tree, { config: yaml('include: ["**/*.yaml"]', 'exclude: ["{deploy,other}/**"]') })
    expect(names(report.findings)).toEqual(['top'])
  })

  it('apply in a diff too', async () => {
    const head = Object.fromEntries(Object.entries(tree).map(([path, text]) => [path, text.replaceAll('nginx:1.27', 'nginx:1.28')]))
    const report = await run(tree, head, { config: yaml('exclude: ["deploy/**"]') })
    expect(names(report.findings)).toEqual(['top', 'web'])
  })
})

describe('sandboxRuntimeClasses', () => {
  const sandboxed = (runtimeClass: string | null): string =>
    yaml(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: runner',
      'spec:',
      '  template:',
      '    spec:',
      ...(runtimeClass ? [`      runtimeClassName: ${runtimeClass}`] : []),
      '      containers:',
      '      - name: run',
      '        image: runner:1',
    )

  it('extends runtime-class-removed to the cluster’s own sandbox classes', async () => {
    const base = { 'a.yaml': sandboxed('firecracker') }
    const head = { 'a.yaml': sandboxed(null) }
    expect((await run(base, head)).findings.filter((f) => f.ruleId === 'runtime-class-removed')).toEqual([])
    const report = await run(base, head, { config: 'sandboxRuntimeClasses: [firecracker]\n' })
    expect(lines(report.findings, ['runtime-class-removed'])).toEqual(['new runtime-class-removed a.yaml:7 runner'])
  })

  it('keeps the built-in ones, and takes a trailing * as a prefix', async () => {
    const config = 'sandboxRuntimeClasses: ["fc-*"]\n'
    expect(lines((await run({ 'a.yaml': sandboxed('gvisor') }, { 'a.yaml': sandboxed('runc') }, { config })).findings, ['runtime-class-removed'])).toHaveLength(1)
    expect(lines((await run({ 'a.yaml': sandboxed('fc-large') }, { 'a.yaml': sandboxed('runc') }, { config })).findings, ['runtime-class-removed'])).toHaveLength(1)
    expect(lines((await run({ 'a.yaml': sandboxed('fc-large') }, { 'a.yaml': sandboxed('gvisor') }, { config })).findings, ['runtime-class-removed'])).toHaveLength(0)
  })
})
