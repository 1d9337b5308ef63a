import { describe, expect, it } from 'vitest'
import { parseYamlDocuments } from '../../src/load/parse.js'
import { NOT_PLAIN, plainValue } from '../../src/load/plain-value.js'
import { TO_JS } from '../../src/load/yaml-dialect.js'
import { fixtureYamlFiles } from '../helpers/fixture-files.js'
import { randomFile } from '../helpers/random-workloads.js'

// Manifests are converted to plain values without yaml's toJS(); what comes out must be exactly
// what toJS() gives: the same values, keys in the same order, the same own properties.

/** Each document's plain value next to its toJS() value. */
function both(text: string): { plain: unknown; js: unknown }[] {
  return parseYamlDocuments(text)
    .filter((doc) => doc.errors.length === 0)
    .map((doc) => ({ plain: plainValue(doc), js: doc.toJS(TO_JS) }))
}

function expectSame(text: string): number {
  let plain = 0
  for (const pair of both(text)) {
    if (pair.plain === NOT_PLAIN) continue
    plain++
    expect(pair.plain).toStrictEqual(pair.js)
    expect(JSON.stringify(pair.plain)).toBe(JSON.stringify(pair.js))
  }
  return plain
}

describe('plain values', () => {
  it('equal toJS() on every fixture and 300 random workloads', () => {
    let documents = 0
    for (const { text } of fixtureYamlFiles()) documents += expectSame(text)
    for (let seed = 0; seed < 300; seed++) documents += expectSame(randomFile(9000 + seed))
    expect(documents).toBeGreaterThan(700)
  })

  it('equal toJS() on scalars and keys that YAML 1.1 reads differently', () => {
    const text = [
      'octal: 0755',
      'yes: on',
      'n: no',
      '1: one',
      '1.50: float key',
      'null: null key',
      '"": empty',
      'empty:',
      'time: 12:30:00',
      'date: 2024-01-01',
      'inf: .inf',
      'nan: .NaN',
      'hex: 0x1F',
      'under: 1_000',
      'flow: {a: 1, b: [x, {c: d}], e}',
      'seq: [1, two, null, ~, "3"]',
      'pairs: [a: 1, b]',
      'block: |',
      '  text',
      'constructor: c',
      'toString: t',
      '__proto__: {polluted: true}',
      'hasOwnProperty: h',
      'dup1: a',
      '? plain complex key',
      ': value',
    ].join('\n')
    expect(expectSame(text)).toBe(1)
    const [{ plain }] = both(text) as unknown as [{ plain: Record<string, unknown> }]
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype)
    expect(Object.hasOwn(plain, '__proto__')).toBe(true)
  })

  it('leave to toJS() what needs it: aliases, merge keys, tagged collections, collection keys, binary', () => {
    for (const text of [
      'a: &x 1\nb: *x',
      'base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2',
      'inline:\n  <<: {a: 1}\n  b: 2',
      'set: !!set {a, b}',
      'omap: !!omap [a: 1, b: 2]',
      'pairs: !!pairs [a: 1]',
      '? [a, b]\n: list key',
      '? {a: 1}\n: map key',
      'bin: !!binary aGVsbG8=',
      'custom: !thing {a: 1}',
    ]) {
      const [pair] = both(text)
      expect(pair?.plain, text).toBe(NOT_PLAIN)
    }
  })
})
