/** Reading `.github/kube-ratchet.yml`: valid configurations, and errors that name the key and its line. */
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/config.js'
import { RULE_IDS } from '../../src/config/load.js'
import { configOf, errorsOf, yaml } from './support.js'

describe('a valid configuration', () => {
  it('fills every option left out with its default', () => {
    expect(configOf('')).toEqual({ ...DEFAULT_CONFIG, file: '.github/kube-ratchet.yml' })
    expect(configOf('# only a comment\n')).toEqual({ ...DEFAULT_CONFIG, file: '.github/kube-ratchet.yml' })
    expect(configOf('failOn: medium\n')).toEqual({ ...DEFAULT_CONFIG, file: '.github/kube-ratchet.yml', failOn: 'medium' })
  })

  it('reads every option', () => {
    const config = configOf(
      yaml(
        'include: ["deploy/**/*.yaml"]',
        'exclude: ["deploy/test/**"]',
        'failOn: medium',
        'mode: all',
        'level: baseline',
        'namespaces:',
        '  monitoring:',
        '    level: privileged',
        '  payments: {}',
        'rules:',
        '  image-digest-unpinned: off',
        '  resource-limits-missing: high',
        'podTemplates:',
        '  - apiVersion: example.com/v1',
        '    kind: Worker',
        '    path: spec.workerTemplate',
        'ignore:',
        '  - rules: [pss-host-path-volumes]',
        '    kind: DaemonSet',
        '    namespace: logging',
        '    name: "fluent-bit*"',
        '    container: fluent-bit',
        '    reason: "  reads node logs from /var/log  "',
        '    expires: 2027-01-31',
        '  - reason: legacy namespace, being replaced',
        '    namespace: legacy',
        'compat: [kube-linter, checkov, polaris]',
        'sandboxRuntimeClasses: [firecracker, "wasm-*"]',
      ),
    )
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      file: '.github/kube-ratchet.yml',
      include: ['deploy/**/*.yaml'],
      exclude: ['deploy/test/**'],
      failOn: 'medium',
      mode: 'all',
      level: 'baseline',
      namespaceLevels: { monitoring: 'privileged' },
      rules: { 'image-digest-unpinned': 'off', 'resource-limits-missing': 'high' },
      podTemplates: [{ apiVersion: 'example.com/v1', kind: 'Worker', path: ['spec', 'workerTemplate'] }],
      ignore: [
        {
          rules: ['pss-host-path-volumes'],
          kind: 'DaemonSet',
          namespace: 'logging',
          name: 'fluent-bit*',
          container: 'fluent-bit',
          reason: 'reads node logs from /var/log',
          expires: '2027-01-31',
          line: 18,
        },
        { rules: [], kind: null, namespace: 'legacy', name: null, container: null, reason: 'legacy namespace, being replaced', expires: null, line: 25 },
      ],
      compat: ['kube-linter', 'checkov', 'polaris'],
      sandboxRuntimeClasses: ['firecracker', 'wasm-*'],
    })
  })

  it('reads `off`, `no` and dates as the strings they look like (YAML 1.2, not 1.1)', () => {
    const config = configOf(yaml('rules:', '  pss-privileged: off', '  image-tag-mutable: "off"', 'ignore:', '  - reason: no', '    expires: 2027-01-31'))
    expect(config.rules).toEqual({ 'pss-privileged': 'off', 'image-tag-mutable': 'off' })
    expect(config.ignore[0]).toMatchObject({ reason: 'no', expires: '2027-01-31' })
  })

  it('accepts the engine’s own suppression-added rule in rules and ignore entries', () => {
    expect(configOf('rules:\n  suppression-added: medium\n').rules).toEqual({ 'suppression-added': 'medium' })
  })

  it('accepts JSON, which is YAML', () => {
    expect(configOf('{"failOn": "critical", "rules": {"pss-privileged": "off"}}').failOn).toBe('critical')
  })
})

describe('an invalid configuration: every error names the key and its line', () => {
  const cases: [string, string, string[]][] = [
    ['an unknown top-level key', yaml('failOn: high', 'failon: medium'), ['2: failon: unknown option (did you mean "failOn"?)']],
    ['an unknown key far from any option', yaml('level: baseline', 'colour: red'), ['2: colour: unknown option']],
    ['a typo in a rule id', yaml('rules:', '  image-tag-mutable: low', '  pss-privilegd: off'), ['3: rules: unknown rule "pss-privilegd" (did you mean "pss-privileged"?)']],
    ['a rule id that is nothing like one', yaml('rules:', '  no-such-rule: off'), ['2: rules: unknown rule "no-such-rule"']],
    ['a typo in an ignore entry’s rule', yaml('ignore:', '  - reason: r', '    rules:', '      - pss-privileged', '      - pss-host-namespace'), ['5: ignore[0].rules: unknown rule "pss-host-namespace" (did you mean "pss-host-namespaces"?)']],
    ['a bad severity of a rule', yaml('rules:', '  pss-privileged: severe'), ['2: rules.pss-privileged: must be one of off, critical, high, medium, low, info']],
    ['a bad failOn', yaml('mode: all', 'failOn: severe'), ['2: failOn: must be one of critical, high, medium, low, info, none']],
    ['a bad mode', 'mode: strict\n', ['1: mode: must be one of regressions, all']],
    ['a bad level', yaml('level: strict'), ['1: level: must be one of privileged, baseline, restricted']],
    ['a bad namespace level', yaml('namespaces:', '  monitoring:', '    level: base'), ['3: namespaces.monitoring.level: must be one of privileged, baseline, restricted']],
    ['a misspelt namespace option', yaml('namespaces:', '  monitoring:', '    levle: baseline'), ['3: namespaces.monitoring.levle: unknown option (did you mean "level"?)']],
    ['a namespace level given without `level:`', yaml('namespaces:', '  monitoring: baseline'), ['2: namespaces.monitoring: must be a map of keys to values']],
    ['an ignore entry without a reason', yaml('ignore:', '  - rules: [pss-privileged]', '    kind: Deployment'), ['2: ignore[0]: needs "reason" (every suppression states its reason)']],
    ['a bad expires format', yaml('ignore:', '  - rules: [pss-privileged]', '    reason: r', '    expires: 31/12/2027'), ['4: ignore[0].expires: must be a date as YYYY-MM-DD']],
    ['an expires that is no day of the calendar', yaml('ignore:', '  - reason: r', '    expires: 2027-02-30'), ['3: ignore[0].expires: "2027-02-30" is not a date (YYYY-MM-DD)']],
    ['an unknown key in an ignore entry', yaml('ignore:', '  - reason: r', '    rule: [pss-privileged]'), ['3: ignore[0].rule: unknown option (did you mean "rules"?)']],
    ['a string where a list belongs', yaml('include: "**/*.yaml"'), ['1: include: must be a list']],
    ['a map where a list belongs', yaml('ignore:', '  rules: [pss-privileged]', '  reason: r'), ['1: ignore: must be a list']],
    ['a list where a string belongs', yaml('ignore:', '  - reason: [a, b]'), ['2: ignore[0].reason: must be a string']],
    ['a number where a map belongs', yaml('rules: 3'), ['1: rules: must be a map of keys to values']],
    ['an empty glob', yaml('exclude: ["vendor/**", ""]'), ['1: exclude[1]: must not be empty']],
    ['an unknown compat tool', yaml('compat:', '  - kubelinter'), ['2: compat[0]: must be one of kube-linter, checkov, polaris']],
    ['a pod template without a kind', yaml('podTemplates:', '  - apiVersion: example.com/v1', '    path: spec.template'), ['2: podTemplates[0]: needs "kind"']],
    ['a pod template path that is not a field path', yaml('podTemplates:', '  - apiVersion: example.com/v1', '    kind: Worker', '    path: spec..template'), ['4: podTemplates[0].path: must be a dotted field path such as spec.template']],
    ['a list instead of a map', yaml('- failOn: high'), ['1: (top level): must be a map of keys to values']],
    ['a key given twice', yaml('level: baseline', 'failOn: low', 'level: restricted'), ['3: Map keys must be unique']],
    ['broken YAML', yaml('rules: [a', 'failOn: high'), ['2: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ]
  for (const [name, text, expected] of cases) {
    it(name, () => {
      expect(errorsOf(text)).toEqual(expected)
    })
  }

  it('reports every mistake at once, each on its own line', () => {
    expect(errorsOf(yaml('failOn: severe', 'level: strict', 'colour: red'))).toEqual([
      '3: colour: unknown option',
      '1: failOn: must be one of critical, high, medium, low, info, none',
      '2: level: must be one of privileged, baseline, restricted',
    ])
  })

  it('names the file in every error', () => {
    const result = parseConfig('ci/ratchet.yml', 'level: strict\n', RULE_IDS)
    expect(result).toEqual({ ok: false, errors: [{ file: 'ci/ratchet.yml', line: 1, message: 'level: must be one of privileged, baseline, restricted' }] })
  })

  it('does not throw on an alias bomb', () => {
    const bomb = yaml('a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]')
    const result = parseConfig('x.yml', bomb, RULE_IDS)
    expect(result.ok).toBe(false)
  })
})
