import { expect, it } from 'vitest'
import { parseManifestFile } from '../../src/load/parse.js'
import { applyReplacements } from '../../src/render/fix/replacements.js'
import { scanFiles } from '../support/engine.js'

const CRLF_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: p',
  'spec:',
  '  containers:',
  '  - name: app',
  '    image: x:1',
  '    securityContext:',
  '      runAsNonRoot: true',
  '',
].join('\r\n')

it('offers and verifies fixes that insert lines into a CRLF file, keeping its line endings', async () => {
  const report = await scanFiles({ 'p.yaml': CRLF_POD }, 'all')
  const finding = report.findings.find((f) => f.ruleId === 'pss-allow-privilege-escalation')
  expect(finding?.fixNote).toBeNull()
  const fixed = applyReplacements(CRLF_POD, finding?.fix?.replacements ?? [])
  expect(fixed).toContain('      allowPrivilegeEscalation: false\r\n')
  expect(fixed.replace(/\r\n/g, '')).not.toContain('\n')
  const parsed = parseManifestFile('p.yaml', Buffer.from(fixed))
  expect(parsed.kind === 'parsed' && parsed.problems).toEqual([])
  const again = await scanFiles({ 'p.yaml': fixed }, 'all')
  expect(again.findings.map((f) => f.ruleId)).not.toContain('pss-allow-privilege-escalation')
})
