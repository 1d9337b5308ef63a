import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import type { JsonObject } from '../../src/model.js'
import { reportedFindings } from './rule-fixes.js'

/**
 * The bar: on the upstream PSA `restricted/fail` fixtures wrapped in Deployments, at least
 * 90% of the PSS findings carry a verified fix. See test/fixtures/pss/README.md for the fixtures.
 */

const FAIL = fileURLToPath(new URL('../fixtures/pss/restricted/fail/', import.meta.url))

/** The fixture's Pod as a Deployment: its metadata (minus the name) and spec become the template. */
function asDeployment(podText: string): string {
  const pod = parse(podText) as { metadata: JsonObject; spec: JsonObject }
  const { name, ...metadata } = pod.metadata
  const labels = { ...((metadata.labels as JsonObject | undefined) ?? {}), app: String(name) }
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'conformance' },
    spec: { selector: { matchLabels: { app: String(name) } }, template: { metadata: { ...metadata, labels }, spec: pod.spec } },
  })
}

it('at least 90% of PSS findings on the restricted/fail fixtures carry a verified fix', () => {
  const files = readdirSync(FAIL).filter((f) => f.endsWith('.yaml'))
  const findings = files.flatMap((file) =>
    reportedFindings(asDeployment(readFileSync(`${FAIL}${file}`, 'utf8')), file).filter((f) => f.pssCheck !== null),
  )
  const fixed = findings.filter((f) => f.fix !== null)
  const share = fixed.length / findings.length
  console.log(`verified fixes on restricted/fail as Deployments: ${fixed.length}/${findings.length} PSS findings (${(share * 100).toFixed(1)}%)`)
  const missing = findings.filter((f) => f.fix === null).map((f) => `${f.file} ${f.ruleId} ${f.path}: ${f.fixNote ?? 'none proposed'}`)
  expect(files.length).toBe(76)
  expect(share, missing.join('\n')).toBeGreaterThanOrEqual(0.9)
})
