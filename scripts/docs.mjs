// Rewrites the generated parts of README.md (the rules table) from the rules' metadata.
// scripts/rules-table.ts is TypeScript that imports src/: bundle it to a temporary file and load that.
import { build } from 'esbuild'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const README = join(ROOT, 'README.md')

const work = await mkdtemp(join(tmpdir(), 'kube-ratchet-docs-'))
try {
  const outfile = join(work, 'rules-table.mjs')
  await build({
    entryPoints: [join(ROOT, 'scripts/rules-table.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    // as scripts/bundle.mjs does: CommonJS dependencies require() Node built-ins
    banner: { js: "import { createRequire as __krRequire } from 'node:module'; const require = __krRequire(import.meta.url);" },
  })
  const { RULES, rulesTable, withRulesTable } = await import(pathToFileURL(outfile).href)
  const before = await readFile(README, 'utf8')
  const after = withRulesTable(before, rulesTable(RULES))
  if (after === before) {
    console.log(`README.md is up to date (${RULES.length} rules)`)
  } else {
    await writeFile(README, after)
    console.log(`README.md: rules table rewritten (${RULES.length} rules)`)
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
