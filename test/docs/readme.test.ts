import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { rulesBlock, rulesTable } from '../../scripts/rules-table.js'
import { RULES } from '../../src/rules/index.js'

const root = new URL('../../', import.meta.url)
const readme = readFileSync(fileURLToPath(new URL('README.md', root)), 'utf8')
const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL('package.json', root)), 'utf8')) as {
  scripts: Record<string, string>
}
const scripts = packageJson.scripts

describe('README.md', () => {
  it('lists every rule, as generated from the rules’ metadata', () => {
    const block = rulesBlock(readme)
    expect(block, 'README.md lacks the <!-- rules:start --> … <!-- rules:end --> markers').not.toBeNull()
    expect(block, 'The README rules table is out of date: run `npm run docs` and commit README.md').toBe(
      rulesTable(RULES),
    )
  })

  it('opens with the commands that run the example and the tests', () => {
    const firstBlock = /```[a-z]*\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
    expect(firstBlock).toContain('npm ci && npm start')
    expect(firstBlock).toContain('npm ci && npm test')
    // `npm start` must succeed while it prints the example's regressions
    expect(scripts.start).toContain('--fail-on none')
  })

  it('names only npm scripts that exist', () => {
    // npm's own commands; `npm test` and `npm start` run scripts, so they are checked like the rest
    const npmCommands = new Set(['ci', 'install', 'exec', 'run'])
    const named = [...readme.matchAll(/\bnpm (?:run )?([a-z][\w:-]*)/g)].map((m) => m[1] as string)
    for (const name of named.filter((n) => !npmCommands.has(n))) {
      expect(Object.keys(scripts), `README mentions npm script "${name}"`).toContain(name)
    }
  })
})

describe('rulesTable', () => {
  it('links each rule to its page and shows its PSS check, level, severity and title', () => {
    const table = rulesTable([
      {
        meta: {
          id: 'pss-example',
          title: 'A | piped title',
          severity: 'high',
          pss: { check: 'privileged', level: 'baseline' },
          description: '',
          remediation: '',
          messages: {},
        },
      },
      { meta: { id: 'no-pss', title: 'Plain', severity: 'low', description: '', remediation: '', messages: {} } },
    ])
    expect(table.split('\n')).toEqual([
      '| Rule | PSS check | Level | Severity | Title |',
      '| --- | --- | --- | --- | --- |',
      '| [`pss-example`](docs/rules/pss-example.md) | `privileged` | baseline | high | A \\| piped title |',
      '| [`no-pss`](docs/rules/no-pss.md) | – | – | low | Plain |',
    ])
  })
})
