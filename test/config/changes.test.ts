/** weakeningChanges: what a pull request's configuration change takes away from the gate, in words. */
import { describe, expect, it } from 'vitest'
import { weakeningChanges } from '../../src/config/changes.js'
import { SUPPRESSION_ADDED } from '../../src/evaluate/added-suppressions.js'
import { CHECKOV, KUBE_LINTER, POLARIS } from '../../src/evaluate/suppressions.js'
import type { RuleMeta } from '../../src/rules/rule.js'
import { RULES } from '../../src/rules/index.js'
import { configOf, yaml } from './support.js'

const METAS = new Map<string, RuleMeta>([...RULES.map((r) => r.meta), SUPPRESSION_ADDED].map((m) => [m.id, m]))
const changes = (base: string, head: string): string[] => weakeningChanges(configOf(base), configOf(head), METAS)

describe('weakeningChanges', () => {
  it('nothing, for the same configuration or a stricter one', () => {
    expect(changes('', '')).toEqual([])
    expect(changes(yaml('level: baseline', 'failOn: critical'), yaml('level: restricted', 'failOn: low', 'mode: all'))).toEqual([])
    expect(changes(yaml('rules:', '  pss-privileged: "off"'), '')).toEqual([])
    expect(changes('', yaml('rules:', '  resource-limits-missing: high'))).toEqual([])
  })

  it('rules switched off or lowered, against the rule’s own severity or the base’s override', () => {
    expect(changes('', yaml('rules:', '  pss-privileged: "off"', '  pss-host-namespaces: medium', '  image-digest-unpinned: info'))).toEqual([
      'rule pss-privileged switched off',
      'rule pss-host-namespaces lowered from high to medium',
    ])
    expect(changes(yaml('rules:', '  resource-limits-missing: critical'), yaml('rules:', '  resource-limits-missing: high'))).toEqual([
      'rule resource-limits-missing lowered from critical to high',
    ])
  })

  it('a raised severity removed by the change lowers it back', () => {
    expect(changes(yaml('rules:', '  resource-limits-missing: critical'), '')).toEqual(['rule resource-limits-missing lowered from critical to low'])
  })

  it('suppressions added, or changed (a new reason or a later expiry)', () => {
    const entry = ['ignore:', '  - rules: [pss-host-path-volumes, pss-privileged]', '    kind: DaemonSet', '    name: "fluent*"', '    container: agent', '    reason: logs']
    expect(changes('', yaml(...entry))).toEqual(['suppression added: pss-host-path-volumes, pss-privileged for DaemonSet fluent* container agent ("logs")'])
    expect(changes(yaml(...entry), yaml('failOn: high', ...entry))).toEqual([]) // moved to another line: the same entry
    expect(changes(yaml(...entry, '    expires: 2026-01-01'), yaml(...entry, '    expires: 2027-01-01'))).toHaveLength(1)
    expect(changes('', yaml('ignore:', '  - reason: legacy', '    namespace: legacy'))).toEqual(['suppression added: every rule for legacy ("legacy")'])
  })

  it('levels lowered, globally or per namespace', () => {
    expect(changes('', 'level: baseline\n')).toEqual(['Pod Security level lowered from restricted to baseline'])
    expect(changes('', yaml('namespaces:', '  monitoring:', '    level: privileged'))).toEqual([
      'Pod Security level of namespace monitoring lowered from restricted to privileged',
    ])
    // a namespace override removed while the global level is lower
    expect(changes(yaml('level: baseline', 'namespaces:', '  payments:', '    level: restricted'), 'level: baseline\n')).toEqual([
      'Pod Security level of namespace payments lowered from restricted to baseline',
    ])
    // a namespace that follows the lowered global level is not repeated
    expect(changes(yaml('namespaces:', '  a:', '    level: restricted'), yaml('level: baseline', 'namespaces:', '  a:', '    level: restricted'))).toEqual([
      'Pod Security level lowered from restricted to baseline',
    ])
  })

  it('the bar raised, the mode relaxed, files left out, peers honoured, sandboxes added, templates dropped, rendering off', () => {
    expect(changes('failOn: low\n', 'failOn: none\n')).toEqual(['fail-on raised from low to none'])
    expect(changes('mode: all\n', '')).toEqual(['mode changed from all to regressions'])
    expect(changes('', 'exclude: [".github/**", "charts/**"]\n')).toEqual(['files excluded: charts/**'])
    expect(changes('', 'include: ["**/*.yaml"]\n')).toEqual(['files no longer included: **/*.yml', 'files no longer included: **/*.json'])
    expect(changes('', 'compat: [polaris]\n')).toEqual(['polaris suppression annotations now honoured'])
    expect(changes('', 'sandboxRuntimeClasses: [runc]\n')).toEqual(['RuntimeClass runc now counts as a sandbox'])
    const template = yaml('podTemplates:', '  - apiVersion: example.com/v1', '    kind: Worker', '    path: spec.template')
    expect(changes(template, '')).toEqual(['pod template spec.template of example.com/v1 Worker no longer checked'])
    expect(changes('', 'render: {enabled: false}\n')).toEqual(['Kustomize overlays and Helm charts no longer rendered'])
  })
})

describe('the compat tables', () => {
  const ids = new Set(RULES.map((r) => r.meta.id))
  for (const [tool, table] of Object.entries({ 'kube-linter': KUBE_LINTER, checkov: CHECKOV, polaris: POLARIS })) {
    it(`${tool}: every mapping names rules that exist`, () => {
      for (const [check, rules] of Object.entries(table)) {
        expect(rules.length, check).toBeGreaterThan(0)
        for (const rule of rules) expect(ids.has(rule), `${check} → ${rule}`).toBe(true)
      }
    })
  }

  it('check names look like the tools’ own', () => {
    for (const check of Object.keys(KUBE_LINTER)) expect(check).toMatch(/^[a-z]+(-[a-z]+)*$/)
    for (const check of Object.keys(CHECKOV)) expect(check).toMatch(/^CKV_K8S_\d+$/)
    for (const check of Object.keys(POLARIS)) expect(check).toMatch(/^[a-z][A-Za-z]+$/)
  })
})
