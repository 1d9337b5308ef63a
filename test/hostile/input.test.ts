/**
 * Hostile and broken file contents: alias bombs, deep nesting, duplicate keys, tabs, encodings,
 * and values of the wrong type. Each is reported once with its file and line (or skipped with a
 * reason), never a crash, never a hang, and never a stack overflow anywhere downstream.
 */
import { describe, expect, it } from 'vitest'
import { evaluateFile } from '../../src/evaluate/evaluate.js'
import { extractResources, shapeProblem } from '../../src/extract/resources.js'
import { MAX_PROBLEMS_PER_FILE, parseManifestFile } from '../../src/load/parse.js'
import { MAX_NESTING } from '../../src/load/yaml-dialect.js'
import { renderJson } from '../../src/render/json.js'
import { renderText } from '../../src/render/text.js'
import { RULES } from '../../src/rules/index.js'
import { diffFiles, evaluateText, scanFiles } from '../support/engine.js'

/** Problems of a file, as `line: message`; every rule runs on what it extracts (a throw fails the test). */
function problems(text: string | Buffer, file = 'x.yaml'): string[] {
  const parsed = parseManifestFile(file, typeof text === 'string' ? Buffer.from(text) : text)
  if (parsed.kind === 'skipped') return [`skipped: ${parsed.reason}`]
  const evaluated = evaluateFile(file, parsed.yaml, { rules: RULES })
  return [...parsed.problems, ...evaluated.problems].map((p) => `${p.line}: ${p.message}`)
}

const HEADER = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'

describe('alias bombs', () => {
  const levels = (n: number, fan: number, form: (name: string, previous: string) => string): string[] => {
    const lines = [`l0: &l0 [${Array(fan).fill('lol').join(', ')}]`]
    for (let i = 1; i < n; i++) lines.push(form(`l${i}`, `l${i - 1}`))
    return lines
  }

  const bombs: Record<string, string> = {
    'billion laughs in lists': levels(10, 9, (n, p) => `${n}: &${n} [${Array(9).fill(`*${p}`).join(', ')}]`).join('\n'),
    'billion laughs in maps': levels(10, 9, (n, p) => `${n}: &${n} {${Array.from({ length: 9 }, (_, i) => `k${i}: *${p}`).join(', ')}}`).join('\n'),
    'nested anchors in merge keys': [
      'l0: &l0 {a: 1, b: 2, c: 3}',
      ...Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} {<<: [${Array(9).fill(`*l${i}`).join(', ')}], x${i}: 1}`),
    ].join('\n'),
    'merge keys inside list items': [
      'l0: &l0 {a: 1}',
      ...Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array.from({ length: 9 }, () => `{<<: *l${i}}`).join(', ')}]`),
    ].join('\n'),
    'one wide anchor aliased many times': [`w: &w [${Array(5000).fill('x').join(',')}]`, `use: [${Array(200).fill('*w').join(',')}]`].join('\n'),
  }

  for (const [name, bomb] of Object.entries(bombs)) {
    it(`${name}: one problem on the document's first line, quickly`, () => {
      const started = Date.now()
      const text = `${bomb}\napiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nspec: {hostNetwork: true}\n`
      expect(problems(text)).toEqual([expect.stringMatching(/^1: .*alias/i)])
      expect(Date.now() - started).toBeLessThan(2000)
    })
  }

  it('a bomb in one document leaves the file’s other documents alone', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: fine}\nspec: {hostNetwork: true, containers: []}\n---\n${bombs['billion laughs in lists']}\n`
    const { objects, problems: found } = evaluateText('x.yaml', text)
    expect(objects.map((o) => o.resource.identity.name)).toEqual(['fine'])
    expect(found.map((p) => p.line)).toEqual([6])
  })
})

describe('deep nesting', () => {
  const deep = 10_000
  const cases: Record<string, string> = {
    'flow lists': `${HEADER}data:\n  x: ${'['.repeat(deep)}${']'.repeat(deep)}\n`,
    'an unclosed flow list': `${HEADER}data:\n  x: ${'['.repeat(deep)}\n`,
    'flow maps': `${HEADER}data:\n  x: ${'{a: '.repeat(deep)}1${'}'.repeat(deep)}\n`,
    'block lists on one line': `${HEADER}data:\n  x:\n    ${'- '.repeat(deep)}x\n`,
    'complex keys': `${HEADER}data:\n  x:\n    ${'? '.repeat(deep)}x\n`,
    'block maps': `${HEADER}data:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(2 + i)}a:`).join('\n')} 1\n`,
    'inside a pod’s container': `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    env: ${'['.repeat(deep)}\n`,
  }
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: one problem naming the limit, on the document's line`, () => {
      const found = problems(text)
      expect(found).toHaveLength(1)
      expect(found[0]).toMatch(new RegExp(`^[1-9]\\d*: nested more than ${MAX_NESTING} levels deep`))
    })
  }

  it('reads a document nested exactly to the limit, and refuses one level more', () => {
    // the ConfigMap is 1 level, data 2, x's lists the rest
    const at = (lists: number): string => `${HEADER}data:\n  x: ${'['.repeat(lists)}${']'.repeat(lists)}\n`
    expect(problems(at(MAX_NESTING - 2))).toEqual([])
    expect(problems(at(MAX_NESTING - 1))).toEqual([`5: nested more than ${MAX_NESTING} levels deep: not read`])
  })

  it('sees depth built by aliases stacking anchored subtrees', () => {
    const layers = Array.from({ length: 5 }, (_, i) => `l${i}: &l${i} ${'['.repeat(40)}${i > 0 ? `*l${i - 1}` : '1'}${']'.repeat(40)}`)
    const text = `${layers.join('\n')}\n${HEADER}`
    expect(problems(text)).toEqual([`1: nested more than ${MAX_NESTING} levels deep once aliases are expanded: not read`])
    // each subtree is walked once, however often it is used
    const shared: unknown[] = [[[1]]]
    expect(shapeProblem({ a: Array(1000).fill(shared), b: shared })).toBeNull()
  })

  it('the whole pipeline, fixes and both renderers included, gets through a deep head', async () => {
    const base = { 'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}\n' }
    const head = { 'p.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: a}]\n  x: ${'['.repeat(50_000)}\n` }
    const report = await diffFiles(base, head, { rules: 'all' })
    expect(report.errors.map((e) => `${e.revision} ${e.file}:${e.line}`)).toEqual(['head p.yaml:7'])
    expect(() => renderText(report, { color: false })).not.toThrow()
    expect(() => JSON.parse(renderJson(report))).not.toThrow()
  })
})

describe('duplicate keys', () => {
  const cases: Record<string, [string, number]> = {
    'a plain key twice': [`${HEADER}data:\n  a: "1"\n  a: "2"\n`, 6],
    'plain and quoted': [`${HEADER}data:\n  a: "1"\n  "a": "2"\n`, 6],
    'in a flow map': [`${HEADER}data: {a: "1", a: "2"}\n`, 4],
    'YAML 1.1 booleans (yes and true are one key)': [`${HEADER}data:\n  yes: 1\n  true: 2\n`, 6],
    'numbers (01 and 1 are one key)': [`${HEADER}data:\n  1: a\n  01: b\n`, 6],
    'in a JSON file': ['{"apiVersion": "v1", "kind": "ConfigMap",\n "kind": "Secret"}', 2],
    'at the top of an object (two kinds)': ['apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: s}\n', 3],
  }
  for (const [name, [text, line]] of Object.entries(cases)) {
    it(`${name}: an error on the repeated key, and no object`, () => {
      expect(problems(text, name.includes('JSON') ? 'x.json' : 'x.yaml')).toEqual([`${line}: Map keys must be unique`])
      expect(evaluateText('x.yaml', text).objects).toEqual([])
    })
  }

  it('an own key next to a merge key is YAML’s override, not a duplicate', () => {
    expect(problems(`x: &x {a: "1"}\n${HEADER}data:\n  <<: *x\n  a: "2"\n`)).toEqual([])
  })
})

describe('tabs, byte order marks, line endings, encodings', () => {
  it('reports a tab used as indentation on its line', () => {
    expect(problems('apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n')).toEqual(['4: Tabs are not allowed as indentation'])
    expect(problems('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  -\tname: a\n')).toEqual([
      '6: Tabs are not allowed as indentation',
    ])
  })

  it('accepts tabs that are not indentation', () => {
    expect(problems(`${HEADER}data:\n  a:\t"1"\n  b: {\tc: "2"}\n`)).toEqual([])
  })

  it('reads a BOM and CRLF file with several documents on the right lines', () => {
    const text = `\uFEFF${HEADER}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: []\n`.replace(/\n/g, '\r\n')
    const { objects, problems: found } = evaluateText('x.yaml', text)
    expect(found).toEqual([])
    expect(objects.flatMap((o) => o.findings.map((f) => `${f.ruleId}:${f.line}`))).toEqual(['pss-host-namespaces:9'])
  })

  it('skips UTF-16 and binary files with the reason, and names the line of invalid UTF-8', () => {
    expect(problems(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('\0a\0:\0 \0b')]))).toEqual([expect.stringMatching(/^skipped: UTF-16/)])
    expect(problems(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]))).toEqual([expect.stringMatching(/^skipped: binary/)])
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}data:\n  a: "`), Buffer.from([0xe9, 0x22, 0x0a])])
    expect(problems(latin1)).toEqual(['5: not valid UTF-8'])
    expect(problems(Buffer.from([0xef, 0xbb]))).toEqual(['1: not valid UTF-8'])
  })

  it('lists at most a handful of problems for a file of garbage', () => {
    const garbage = Array.from({ length: 300 }, (_, i) => `k${i}: [a, b\n: : - ]]]`).join('\n')
    const found = problems(garbage)
    expect(found.length).toBe(MAX_PROBLEMS_PER_FILE)
    expect(found[found.length - 1]).toMatch(/^null: \d+ more problems in this file not listed$/)
  })
})

describe('values of the wrong type', () => {
  const deployment = (spec: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n${spec}`
  const pod = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`

  const errors: Record<string, [string, string[]]> = {
    'containers: "x" in a Deployment': [deployment('      containers: "x"\n'), ['8: spec.template.spec.containers must be a list']],
    'a container that is not a map': [pod('  containers:\n  - 7\n  - name: ok\n'), ['7: spec.containers[0] must be a map']],
    'securityContext: []': [pod('  securityContext: []\n  containers: []\n'), ['6: spec.securityContext must be a map']],
    'a container securityContext that is a string': [
      pod('  containers:\n  - name: a\n    securityContext: privileged\n'),
      ['8: spec.containers[0].securityContext must be a map'],
    ],
    'capabilities.add that is a string': [
      pod('  containers:\n  - name: a\n    securityContext:\n      capabilities: {add: SYS_ADMIN}\n'),
      ['9: spec.containers[0].securityContext.capabilities.add must be a list'],
    ],
    'privileged: "true" (a string)': [
      pod('  containers:\n  - name: a\n    securityContext:\n      privileged: "true"\n'),
      ['9: spec.containers[0].securityContext.privileged must be true or false'],
    ],
    'hostNetwork: 1': [pod('  hostNetwork: 1\n  containers: []\n'), ['6: spec.hostNetwork must be true or false']],
    'env that is a map': [pod('  containers:\n  - name: a\n    env: {A: b}\n'), ['8: spec.containers[0].env must be a list']],
    'a template that is a list': ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: []\n', ['5: spec.template must be a map']],
    'spec: 5 in a Pod': ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: 5\n', ['4: spec must be a map']],
    'a CronJob whose jobTemplate is a string': [
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate: nightly\n',
      ['5: spec.jobTemplate must be a map'],
    ],
    'metadata: 5': ['apiVersion: v1\nkind: ConfigMap\nmetadata: 5\n', ['3: metadata must be a map']],
    'name: {a: 1}': ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {a: 1}\n', ['4: metadata.name must be a string']],
    'annotations that are a list': ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: [a]\n', ['5: metadata.annotations must be a map']],
    'kind: 5': ['apiVersion: v1\nkind: 5\nmetadata: {name: c}\n', ['2: kind must be a non-empty string']],
    'apiVersion: [1]': ['apiVersion: [1]\nkind: ConfigMap\nmetadata: {name: c}\n', ['1: apiVersion must be a non-empty string']],
    'kind: ""': ['apiVersion: v1\nkind: ""\n', ['2: kind must be a non-empty string']],
    'items: 7 in a List': ['apiVersion: v1\nkind: List\nitems: 7\n', ['3: List items must be a list']],
    'a List item with kind: [x]': ['apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: [x]\n', ['5: List item 1: kind must be a non-empty string']],
  }
  for (const [name, [text, expected]] of Object.entries(errors)) {
    it(`${name}: an error on its line`, () => expect(problems(text)).toEqual(expected))
  }

  const tolerated: Record<string, string> = {
    'spec: null (Kubernetes reads null as not set)': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: null\n',
    'containers: null': pod('  containers: null\n'),
    'securityContext: null, and ~': pod('  securityContext: ~\n  containers:\n  - name: a\n    securityContext: null\n'),
    'a strategic-merge patch with a partial template': deployment('      containers:\n      - name: a\n        resources: {limits: {memory: 1Gi}}\n'),
    'an empty List (items:)': 'apiVersion: v1\nkind: List\nitems:\n',
    'a document with only one of apiVersion and kind (not an object)': 'kind: 5\nname: ci\n',
    'YAML 1.1 booleans written yes and on': pod('  hostNetwork: yes\n  containers:\n  - name: a\n    securityContext: {privileged: on}\n'),
    'a document that is a scalar or a list': '--- just text\n---\n- a\n- b\n',
  }
  for (const [name, text] of Object.entries(tolerated)) {
    it(`${name}: nothing to report`, () => expect(problems(text)).toEqual([]))
  }

  it('every rule runs on every malformed object without throwing', () => {
    const all = [...Object.values(errors).map(([t]) => t), ...Object.values(tolerated)].join('\n---\n')
    const parsed = parseManifestFile('all.yaml', Buffer.from(all))
    if (parsed.kind !== 'parsed') throw new Error('skipped')
    expect(() => evaluateFile('all.yaml', parsed.yaml, { rules: RULES })).not.toThrow()
    expect(extractResources('all.yaml', parsed.yaml).resources.length).toBeGreaterThan(10)
  })

  it('through the pipeline: each error once, with file and line, and the workload still evaluated', async () => {
    const report = await scanFiles({ 'bad.yaml': `${deployment('      hostNetwork: true\n      containers: "x"\n')}` }, 'all')
    expect(report.errors).toEqual([{ revision: 'head', file: 'bad.yaml', line: 9, message: 'spec.template.spec.containers must be a list' }])
    expect(report.findings.some((f) => f.ruleId === 'pss-host-namespaces' && f.line === 8)).toBe(true)
  })
})
