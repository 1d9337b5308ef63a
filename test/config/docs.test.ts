/** docs/configuration.md and docs/rules/suppression-added.md stay in step with the code. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config.js'
import { CONFIG_SCHEMA } from '../../src/config/schema.js'
import { SUPPRESSION_ADDED } from '../../src/evaluate/added-suppressions.js'
import { CHECKOV, KUBE_LINTER, POLARIS } from '../../src/evaluate/suppressions.js'
import { BUILTIN_POD_TEMPLATES } from '../../src/extract/pod-template.js'
import { configOf } from './support.js'

const read = (path: string): string => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8')
const doc = read('docs/configuration.md')

/** The section of the document that starts with `start` and ends before the next `**` paragraph or heading. */
function section(start: string): string {
  const from = doc.indexOf(start)
  expect(from, start).toBeGreaterThanOrEqual(0)
  const rest = doc.slice(from + start.length)
  const end = rest.search(/\n(\*\*|#)/)
  return end < 0 ? rest : rest.slice(0, end)
}

/** `| `a`, `b` (words) | `x`, `y` |` rows → a → [x, y], b → [x, y]. */
function mappings(table: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const [checks = '', rules = ''] = row.split('|').slice(1, 3)
    const ids = (cell: string): string[] => [...cell.replace(/\(.*?\)/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)
    for (const check of ids(checks)) out[check] = ids(rules)
  }
  return out
}

describe('docs/configuration.md', () => {
  it('documents every option', () => {
    for (const option of Object.keys(CONFIG_SCHEMA.properties)) {
      expect(doc, option).toMatch(new RegExp(`^### .*\`${option}\``, 'm'))
    }
  })

  it('shows the defaults as they are', () => {
    const block = /Every option, with its default:\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(block).toBeDefined()
    const { file: _f, ...parsed } = configOf(block as string)
    const { file: _d, ...defaults } = DEFAULT_CONFIG
    expect(parsed).toEqual(defaults)
  })

  it('every YAML example that is a whole configuration is valid', () => {
    const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string)
    const whole = examples.filter((text) => /^[a-zA-Z]+:/.test(text) && !text.startsWith('metadata:'))
    expect(whole.length).toBeGreaterThan(8)
    for (const text of whole) configOf(text)
  })

  it('lists the compat mappings exactly as the tables hold them', () => {
    const sorted = (table: Readonly<Record<string, readonly string[]>>): Record<string, string[]> =>
      Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [...v].sort()]).sort())
    const documented = (start: string): Record<string, string[]> => sorted(mappings(section(start)))
    expect(documented('| kube-linter check |')).toEqual(sorted(KUBE_LINTER))
    expect(documented('| Checkov check |')).toEqual(sorted(CHECKOV))
    expect(documented('| Polaris check |')).toEqual(sorted(POLARIS))
  })

  it('lists every built-in custom resource with a pod template', () => {
    const table = section('| Resource | API group | Pod template |')
    for (const key of BUILTIN_POD_TEMPLATES.keys()) {
      const [group, kind] = key.split('/') as [string, string]
      if (!group.includes('.')) continue
      expect(table, key).toMatch(new RegExp(`\`${kind}\` \\| \`${group.replace(/\./g, '\\.')}\` \\| \`${BUILTIN_POD_TEMPLATES.get(key)?.join('.')}\``))
    }
  })
})

describe('docs/rules/suppression-added.md', () => {
  const page = read('docs/rules/suppression-added.md')
  it('has the shape of every rule page', () => {
    const reference = read('docs/rules/namespace-pss-weakened.md')
    const headings = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^# .*/, '# <id>'))
    expect(headings(page)).toEqual(headings(reference))
    expect(page.startsWith(`# ${SUPPRESSION_ADDED.id}\n\n**Severity:** ${SUPPRESSION_ADDED.severity} · **Kind:** `)).toBe(true)
  })
})
