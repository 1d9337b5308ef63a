// The long fuzz run: `npm run fuzz [-- <cases> [<first seed>]]`, or FUZZ_CASES / FUZZ_SEED.
// Runs the cases of test/fuzz/harness.ts (the same ones `npm test` runs a few hundred of) and
// prints the seed of every failing case; replay one with
//   FUZZ_SEED=<seed> FUZZ_CASES=1 npx vitest run test/fuzz
// Exits 1 when a case failed. Stays out of CI: it runs as long as it is asked to.
import { build } from 'esbuild'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const [casesArg, seedArg] = process.argv.slice(2)
const cases = Number(casesArg ?? process.env.FUZZ_CASES ?? 5000)
const firstSeed = Number(seedArg ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const fixes = Number(process.env.FUZZ_FIXES ?? 3)
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(firstSeed)) {
  console.error('usage: npm run fuzz -- [cases] [first seed]   (or FUZZ_CASES, FUZZ_SEED; FUZZ_FIXES fixes verified per case)')
  process.exit(2)
}

// The harness is TypeScript: bundled with the sources it runs, dependencies left to node_modules.
const outdir = join(root, 'node_modules', '.cache', 'kube-ratchet-fuzz')
await mkdir(outdir, { recursive: true })
const outfile = join(outdir, 'harness.mjs')
await build({
  entryPoints: [join(root, 'test', 'fuzz', 'harness.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
})
const { runCases } = await import(pathToFileURL(outfile).href)

console.log(`fuzz: ${cases} cases from seed ${firstSeed}, ${fixes} fixes verified per case`)
const started = Date.now()
let findings = 0
let verified = 0
const failed = await runCases(firstSeed, cases, { projectRoot: root, fixesToVerify: fixes }, (result, index) => {
  findings += result.findings
  verified += result.fixesVerified
  if (result.failures.length > 0) {
    console.log(`\nFAIL seed ${result.seed} (${result.description})`)
    for (const failure of result.failures) console.log(`  ${failure}`)
  }
  if ((index + 1) % 250 === 0 || index + 1 === cases) {
    const seconds = ((Date.now() - started) / 1000).toFixed(0)
    console.log(`  ${index + 1}/${cases} cases · ${findings} findings · ${verified} fixes verified · ${seconds}s`)
  }
})
if (failed.length > 0) {
  console.log(`\n${failed.length} failing case(s); seeds: ${failed.map((f) => f.seed).join(' ')}`)
  process.exit(1)
}
console.log('no failure')
