import { describe, expect, it } from 'vitest'
import { EventError, parseEvent } from '../../src/report/event.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

describe('parseEvent', () => {
  it('reads pull_request and pull_request_target', () => {
    const payload = { number: 7, pull_request: { number: 7, base: { sha: B, ref: 'main' }, head: { sha: A } } }
    expect(parseEvent('pull_request', payload, C)).toEqual({ kind: 'pull_request', target: false, number: 7, baseSha: B, headSha: A, baseRef: 'main' })
    expect(parseEvent('pull_request_target', payload, C)).toMatchObject({ kind: 'pull_request', target: true, headSha: A })
  })

  it('keeps only plain branch names for git', () => {
    const withRef = (ref: unknown) => parseEvent('pull_request', { pull_request: { number: 1, base: { sha: B, ref }, head: { sha: A } } }, C)
    expect(withRef('release/1.2')).toMatchObject({ baseRef: 'release/1.2' })
    for (const bad of ['--upload-pack=x', 'a..b', 'main^', 'a b', 'x.lock', '/abs', 42]) expect(withRef(bad)).toMatchObject({ baseRef: null })
  })

  it('reads a push as before..after, and a new branch as a scan of after', () => {
    expect(parseEvent('push', { before: B, after: A }, A)).toEqual({ kind: 'compare', eventName: 'push', baseSha: B, headSha: A })
    expect(parseEvent('push', { before: '0'.repeat(40), after: A }, A)).toEqual({ kind: 'compare', eventName: 'push', baseSha: null, headSha: A })
  })

  it('reads a merge group', () => {
    expect(parseEvent('merge_group', { merge_group: { base_sha: B, head_sha: A } }, A)).toEqual({ kind: 'compare', eventName: 'merge_group', baseSha: B, headSha: A })
  })

  it('scans GITHUB_SHA for other events', () => {
    expect(parseEvent('workflow_dispatch', {}, C)).toEqual({ kind: 'scan', eventName: 'workflow_dispatch', headSha: C })
  })

  it('refuses payloads without the commits, and anything that is not a sha', () => {
    expect(() => parseEvent('pull_request', { pull_request: { number: 1, base: { sha: B }, head: {} } }, C)).toThrow(EventError)
    expect(() => parseEvent('pull_request', { pull_request: { number: 1, base: { sha: B }, head: { sha: '--upload-pack=evil' } } }, C)).toThrow(EventError)
    expect(() => parseEvent('push', { before: B, after: '0'.repeat(39) }, C)).toThrow(/no "after" commit/)
    expect(() => parseEvent('schedule', null, undefined)).toThrow(EventError)
  })
})
