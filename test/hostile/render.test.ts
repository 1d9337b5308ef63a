/**
 * What Kustomize and Helm render from a hostile repository is read with the same guards as a
 * manifest: aliases and nesting are bounded, and a document that cannot be read is a problem of
 * the render, never an exception that stops the run.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { helmOutput, kustomizeOutput } from '../../src/load/build/output.js'
import { MAX_NESTING } from '../../src/load/yaml-dialect.js'
import { diffFiles } from '../support/engine.js'

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'
const HOSTILE: Record<string, [string, RegExp]> = {
  '150 uses of one anchor': [`${CONFIG_MAP}x: &x {a: 1}\ndata:\n${Array.from({ length: 150 }, (_, i) => `  k${i}: *x`).join('\n')}\n`, /cannot be read: Excessive alias count/],
  'flow maps 960 deep (deep enough to overflow the printer, not the parser)': [
    `${CONFIG_MAP}data:\n  x: ${'{a: '.repeat(960)}1${'}'.repeat(960)}\n`,
    new RegExp(`does not parse: nested more than ${MAX_NESTING} levels deep`),
  ],
  'an alias to its own ancestor': ['apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: loop\n  labels: *m\n', /cannot be read: .*circular/],
}

describe('rendered output', () => {
  for (const [name, [text, says]] of Object.entries(HOSTILE)) {
    it(`${name}: a problem of the render, the other documents kept`, () => {
      const good = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n'
      const helm = helmOutput(`---\n# Source: web/templates/a.yaml\n${text}---\n# Source: web/templates/b.yaml\n${good}`, 'chart', null)
      expect(helm.problems).toEqual([{ file: 'chart/templates/a.yaml', message: expect.stringMatching(says) }])
      expect(helm.docs.map((d) => (d.object.metadata as { name: string }).name)).toEqual(['good'])
      const kustomize = kustomizeOutput(`${text}---\n${good}`, 'k')
      expect(kustomize.problems).toEqual([{ file: null, message: expect.stringMatching(says) }])
      expect(kustomize.docs).toHaveLength(1)
    })
  }
})

const hasHelm = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' }).status === 0

describe.skipIf(!hasHelm)('a hostile chart through the pipeline', () => {
  const chart = { 'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n', 'chart/values.yaml': 'x: 1\n' }
  for (const [name, [text, says]] of Object.entries(HOSTILE).slice(0, 2)) {
    it(`${name}: an error on the template, not a crash`, async () => {
      const report = await diffFiles({ ...chart, 'chart/templates/a.yaml': CONFIG_MAP }, { ...chart, 'chart/templates/a.yaml': text }, { rules: 'all' })
      expect(report.errors).toEqual([{ revision: 'head', file: 'chart/templates/a.yaml', line: null, message: expect.stringMatching(says) }])
    })
  }
})
