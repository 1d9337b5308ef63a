import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { PROJECT_ROOT } from '../support/engine.js'

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures')

/** Every YAML file under test/fixtures (PSS conformance, corpus, charts, overlays), with its path there. */
export function fixtureYamlFiles(): { path: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) return walk(full)
      return /\.ya?ml$/.test(entry.name) ? [full] : []
    })
  return walk(FIXTURES).map((full) => ({ path: relative(FIXTURES, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }))
}
