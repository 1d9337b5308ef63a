import { describe, expect, it } from 'vitest'
import { evaluateFile, fingerprintCounts } from '../../src/evaluate/evaluate.js'
import type { Edit } from '../../src/model.js'
import { applyVerified } from '../../src/render/fix/fixes.js'
import { RULES } from '../../src/rules/index.js'
import { parsed } from './edit-helpers.js'

// A fix of several edits is made on the original text at once where its edits change different
// places, and one edit after another (re-parsing in between) where making them at once would not
// give the same text. Either way the result is verified like any other fix.

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx@sha256:${'a'.repeat(64)}
    securityContext:
      privileged: true
  volumes:
  - name: data
    hostPath:
      path: /var/data
`

function verify(ruleId: string, edits?: Edit[]) {
  const yaml = parsed(POD, 'pod.yaml')
  const [object] = evaluateFile('pod.yaml', yaml, { rules: RULES }).objects
  const finding = object?.findings.find((f) => f.ruleId === ruleId)
  if (!object || !finding?.proposedFix) throw new Error(`no ${ruleId} finding with a fix`)
  const proposed = edits ? { ...finding, proposedFix: { ...finding.proposedFix, edits } } : finding
  return applyVerified(proposed, yaml, object.resource, fingerprintCounts(object.findings), { evaluation: { rules: RULES } })
}

describe('a fix of several edits', () => {
  it('swaps a hostPath for an emptyDir in one go (a deletion, and an insertion where it ended)', () => {
    const applied = verify('pss-host-path-volumes')
    expect(applied).toMatchObject({ ok: true })
    expect(applied.ok && applied.text).toBe(POD.replace('    hostPath:\n      path: /var/data\n', '    emptyDir: {}\n'))
  })

  it('is made in turn where the first edit empties the map the second adds to', () => {
    const container = ['spec', 'containers', { index: 0, key: 'name', value: 'app' }, 'securityContext']
    const applied = verify('pss-privileged', [
      { op: 'delete', path: [...container, 'privileged'] },
      { op: 'set', path: [...container, 'allowPrivilegeEscalation'], value: false },
    ])
    expect(applied).toMatchObject({ ok: true })
    expect(applied.ok && applied.text).toBe(POD.replace('      privileged: true\n', '      allowPrivilegeEscalation: false\n'))
  })
})
