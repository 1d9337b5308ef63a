import { describe, expect, it } from 'vitest'
import type { Edit, Finding, JsonObject } from '../../src/model.js'
import { applyEditsToJson } from '../../src/render/fix/json-edit.js'
import { textMatches } from '../../src/render/fix/region.js'
import { parsed } from './edit-helpers.js'

// Before a fix is offered, the text it leaves must read back as the object with the edits made to
// it. These texts stand for an editor that went wrong; each must be caught, on the quick paths
// (a scalar replaced, keys appended to a map) as well as the slower ones.

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
  restartPolicy: Always
`
const APP = { index: 0, key: 'name', value: 'app' }
const AT = { documentIndex: 0, documentPath: [] } as unknown as Finding

function readsBack(edits: Edit[], from: string, to: string, occurrence = 0): boolean {
  const original = parsed(POD)
  let start = -1
  for (let i = 0; i <= occurrence; i++) start = POD.indexOf(from, start + 1)
  if (start < 0) throw new Error(`"${from}" is not in the pod`)
  const edited = POD.slice(0, start) + to + POD.slice(start + from.length)
  const expected = applyEditsToJson(original.documents[0]?.toJS() as JsonObject, edits) as JsonObject
  return textMatches(original, edited, { start, end: start + from.length }, AT, edits, expected)
}

describe('reading an edited text back', () => {
  const privileged: Edit[] = [{ op: 'set', path: ['spec', 'containers', APP, 'securityContext', 'privileged'], value: false }]
  const runAsNonRoot: Edit[] = [{ op: 'set', path: ['spec', 'containers', APP, 'securityContext', 'runAsNonRoot'], value: true }]

  it('accepts a scalar replaced in place, and keys appended to a map', () => {
    expect(readsBack(privileged, 'true', 'false')).toBe(true)
    const end = POD.indexOf('  restartPolicy')
    const original = parsed(POD)
    const edited = `${POD.slice(0, end)}      runAsNonRoot: true\n${POD.slice(end)}`
    const expected = applyEditsToJson(original.documents[0]?.toJS() as JsonObject, runAsNonRoot) as JsonObject
    expect(textMatches(original, edited, { start: end, end }, AT, runAsNonRoot, expected)).toBe(true)
  })

  it('refuses a scalar replaced with another value, or with a string that looks like the value', () => {
    expect(readsBack(privileged, 'true', 'true')).toBe(false)
    expect(readsBack(privileged, 'true', '"false"')).toBe(false)
  })

  it('refuses a change that reaches past the scalar into its neighbours', () => {
    // as long as the original, past the scalar: the scalar's own text reads right
    expect(readsBack(privileged, 'true\n  restartPolicy: Always', 'false\n  restartPolicy: Nevers')).toBe(false)
    expect(readsBack(privileged, 'true\n  restartPolicy: Always', 'false\n  restartPolicy: Always')).toBe(true)
  })

  it('refuses appended keys at the wrong indentation or with the wrong value', () => {
    const end = POD.indexOf('  restartPolicy')
    const original = parsed(POD)
    const expected = applyEditsToJson(original.documents[0]?.toJS() as JsonObject, runAsNonRoot) as JsonObject
    const check = (inserted: string) =>
      textMatches(original, `${POD.slice(0, end)}${inserted}${POD.slice(end)}`, { start: end, end }, AT, runAsNonRoot, expected)
    expect(check('    runAsNonRoot: true\n')).toBe(false)
    expect(check('      runAsNonRoot: false\n')).toBe(false)
    expect(check('      runAsNonRoot: true\n')).toBe(true)
  })
})
