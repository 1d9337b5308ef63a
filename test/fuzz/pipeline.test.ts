import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../support/engine.js'
import { type CaseResult, runCases } from './harness.js'

/**
 * The short fuzz run of `npm test`: a few hundred seeded cases of mutated fixtures through the
 * whole engine. `npm run fuzz` runs the same cases for as long as asked (scripts/fuzz.mjs).
 * Replay a failure: FUZZ_SEED=<seed> FUZZ_CASES=1 npx vitest run test/fuzz
 */
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 20260801)
const CASES = Number(process.env.FUZZ_CASES ?? 300)

describe('fuzz: mutated manifests through the whole pipeline', () => {
  it(`keeps every invariant for ${CASES} cases from seed ${FIRST_SEED}`, { timeout: 240_000 }, async () => {
    let findings = 0
    let fixes = 0
    const failed: CaseResult[] = await runCases(FIRST_SEED, CASES, { projectRoot: PROJECT_ROOT }, (result) => {
      findings += result.findings
      fixes += result.fixesVerified
    })
    const report = failed.map((f) => `seed ${f.seed} (${f.description}):\n  ${f.failures.join('\n  ')}`)
    expect(report).toEqual([])
    // a full run must exercise something: findings, and fixes verified end to end (a replay of one seed need not)
    if (CASES >= 50) {
      expect(findings).toBeGreaterThan(CASES)
      expect(fixes).toBeGreaterThan(CASES / 10)
    }
  })
})
