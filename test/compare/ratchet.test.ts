/**
 * What the ratchet reports when objects do change: copies of one identity in several files,
 * deleted objects, repeated findings, and the Pod Security level of changed workloads.
 */
import { describe, expect, it } from 'vitest'
import type { Report } from '../../src/model.js'
import { countByStatus, deployment, diffFiles, docs, HOST_NAMESPACES, pod, PRIVILEGED, scanFiles, summaryOf } from '../support/engine.js'

const clean = deployment('web', { containers: [{ name: 'app' }] })
const privileged = deployment('web', { containers: [{ name: 'app', privileged: true }] })
const DEV = 'envs/dev/web.yaml'
const PROD = 'envs/prod/web.yaml'

describe('one identity in several files (envs/dev and envs/prod)', () => {
  for (const scope of ['changed', 'all'] as const) {
    describe(`reading ${scope} files`, () => {
      it('making prod privileged reports exactly one new finding, in the prod file', async () => {
        const report = await diffFiles({ [DEV]: clean, [PROD]: clean }, { [DEV]: clean, [PROD]: privileged }, { scope })
        expect(summaryOf(report.findings)).toEqual([`new ${PRIVILEGED} ${PROD}:13 web/app`])
      })

      it('fixing dev reports exactly one fixed finding, in the dev file', async () => {
        const report = await diffFiles({ [DEV]: privileged, [PROD]: privileged }, { [DEV]: clean, [PROD]: privileged }, { scope })
        const fixed = report.findings.filter((f) => f.status !== 'unchanged')
        expect(summaryOf(fixed)).toEqual([`fixed ${PRIVILEGED} ${DEV}:13 web/app`])
        // prod is untouched: read in full it is unchanged, read as a pull request it is not read at all
        expect(summaryOf(report.findings.filter((f) => f.status === 'unchanged'))).toEqual(
          scope === 'all' ? [`unchanged ${PRIVILEGED} ${PROD}:13 web/app`] : [],
        )
      })

      it('a fix in one copy does not hide a regression in the other', async () => {
        const report = await diffFiles({ [DEV]: privileged, [PROD]: clean }, { [DEV]: clean, [PROD]: privileged }, { scope })
        expect(summaryOf(report.findings)).toEqual([`fixed ${PRIVILEGED} ${DEV}:13 web/app`, `new ${PRIVILEGED} ${PROD}:13 web/app`])
      })

      it('an unchanged finding in one copy does not fake a fix or a regression in the other', async () => {
        const report = await diffFiles({ [DEV]: privileged, [PROD]: privileged }, { [DEV]: privileged, [PROD]: clean }, { scope })
        expect(summaryOf(report.findings.filter((f) => f.status !== 'unchanged'))).toEqual([`fixed ${PRIVILEGED} ${PROD}:13 web/app`])
        const added = await diffFiles({ [DEV]: privileged, [PROD]: clean }, { [DEV]: privileged, [PROD]: privileged }, { scope })
        expect(summaryOf(added.findings.filter((f) => f.status !== 'unchanged'))).toEqual([`new ${PRIVILEGED} ${PROD}:13 web/app`])
      })

      it('a new copy of a privileged object is new, even though another copy exists', async () => {
        const staging = 'envs/staging/web.yaml'
        const report = await diffFiles({ [PROD]: privileged }, { [PROD]: privileged, [staging]: privileged }, { scope })
        expect(summaryOf(report.findings.filter((f) => f.status !== 'unchanged'))).toEqual([`new ${PRIVILEGED} ${staging}:13 web/app`])
      })
    })
  }

  it('deleting one copy leaves the other as it was', async () => {
    const report = await diffFiles({ 'a/web.yaml': clean, 'b/web.yaml': privileged }, { 'b/web.yaml': privileged }, { scope: 'all' })
    expect(summaryOf(report.findings)).toEqual([`unchanged ${PRIVILEGED} b/web.yaml:13 web/app`])
    const gone = await diffFiles({ 'a/web.yaml': privileged, 'b/web.yaml': clean }, { 'b/web.yaml': clean }, { scope: 'all' })
    expect(summaryOf(gone.findings)).toEqual([`fixed ${PRIVILEGED} a/web.yaml:13 web/app`])
  })

  it('moving one copy to another file still pairs it with itself', async () => {
    const report = await diffFiles(
      { [DEV]: privileged, [PROD]: clean },
      { 'envs/development/web.yaml': privileged, [PROD]: clean },
      { scope: 'all' },
    )
    expect(summaryOf(report.findings)).toEqual([`unchanged ${PRIVILEGED} envs/development/web.yaml:13 web/app`])
  })
})

describe('deleted and added objects', () => {
  it('the findings of a deleted object are fixed, in the base file', async () => {
    const other = pod('keep', { hostNetwork: true })
    const report = await diffFiles({ 'all.yaml': docs(other, privileged) }, { 'all.yaml': other })
    expect(summaryOf(report.findings)).toEqual([`fixed ${PRIVILEGED} all.yaml:23 web/app`, `unchanged ${HOST_NAMESPACES} all.yaml:6 keep`])
  })

  it('the findings of a deleted file are fixed', async () => {
    const report = await diffFiles({ 'web.yaml': privileged, 'keep.yaml': clean.replace('name: web', 'name: keep') }, { 'keep.yaml': clean.replace('name: web', 'name: keep') })
    expect(summaryOf(report.findings)).toEqual([`fixed ${PRIVILEGED} web.yaml:13 web/app`])
  })

  it('the findings of an added object are new', async () => {
    const report = await diffFiles({}, { 'web.yaml': privileged })
    expect(summaryOf(report.findings)).toEqual([`new ${PRIVILEGED} web.yaml:13 web/app`])
  })

  it('renaming an object is a deletion and an addition', async () => {
    const report = await diffFiles({ 'web.yaml': privileged }, { 'web.yaml': privileged.replace('name: web', 'name: web2') })
    expect(summaryOf(report.findings)).toEqual([`fixed ${PRIVILEGED} web.yaml:13 web/app`, `new ${PRIVILEGED} web.yaml:13 web2/app`])
  })

  it('moving an object to another namespace is a deletion and an addition', async () => {
    const moved = deployment('web', { namespace: 'prod', containers: [{ name: 'app', privileged: true }] })
    const report = await diffFiles({ 'web.yaml': privileged }, { 'web.yaml': moved })
    expect(countByStatus(report.findings)).toEqual({ new: 1, fixed: 1, unchanged: 0 })
  })

  it('a scan reports every finding as new', async () => {
    const report = await scanFiles({ 'a.yaml': privileged, 'b.yaml': pod('p', { hostNetwork: true }) })
    expect(summaryOf(report.findings)).toEqual([`new ${HOST_NAMESPACES} b.yaml:6 p`, `new ${PRIVILEGED} a.yaml:13 web/app`])
    expect(report.base).toEqual({ ref: null, sha: null })
  })
})

describe('findings compare as a multiset', () => {
  // two containers of one name: two findings with the same fingerprint
  const twice = deployment('web', { containers: [{ name: 'app', privileged: true }, { name: 'app', privileged: true }] })
  const thrice = deployment('web', { containers: [{ name: 'app', privileged: true }, { name: 'app', privileged: true }, { name: 'app', privileged: true }] })

  it('two identical findings at base and one at head: one fixed, one unchanged', async () => {
    const report = await diffFiles({ 'web.yaml': twice }, { 'web.yaml': privileged })
    expect(countByStatus(report.findings)).toEqual({ new: 0, fixed: 1, unchanged: 1 })
  })

  it('two at base and three at head: one new, two unchanged', async () => {
    const report = await diffFiles({ 'web.yaml': twice }, { 'web.yaml': thrice })
    expect(countByStatus(report.findings)).toEqual({ new: 1, fixed: 0, unchanged: 2 })
  })

  it('the same object twice in a file, made privileged once', async () => {
    const report = await diffFiles({ 'web.yaml': docs(clean, clean) }, { 'web.yaml': docs(clean, privileged) })
    expect(summaryOf(report.findings)).toEqual([`new ${PRIVILEGED} web.yaml:25 web/app`])
  })
})

describe('postures of changed workloads', () => {
  const postures = (report: Report) =>
    report.postures.map((p) => `${p.resource.kind}/${p.resource.name} ${p.file} ${p.base ?? 'absent'}→${p.head ?? 'absent'}`).sort()

  it('lists a workload that went from restricted to privileged, and not the unchanged one next to it', async () => {
    const other = pod('other')
    const report = await diffFiles({ 'all.yaml': docs(clean, other) }, { 'all.yaml': docs(privileged, other) })
    expect(postures(report)).toEqual(['Deployment/web all.yaml restricted→privileged'])
    expect(report.postures[0]?.resource).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' })
  })

  it('lists an added workload with no base level and a deleted one with no head level', async () => {
    const report = await diffFiles(
      { 'gone.yaml': pod('gone', { hostNetwork: true }), 'keep.yaml': pod('keep') },
      { 'added.yaml': privileged, 'keep.yaml': pod('keep') },
    )
    expect(postures(report)).toEqual(['Deployment/web added.yaml absent→privileged', 'Pod/gone gone.yaml privileged→absent'])
    expect(report.postures.find((p) => p.resource.name === 'web')?.base).toBeNull()
    expect(report.postures.find((p) => p.resource.name === 'gone')?.head).toBeNull()
  })

  it('lists a workload that changed without changing level, and no object without a pod', async () => {
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: "1"}\n'
    const report = await diffFiles(
      { 'web.yaml': privileged, 'c.yaml': config },
      { 'web.yaml': privileged.replace('replicas: 1', 'replicas: 2'), 'c.yaml': config.replace('"1"', '"2"') },
    )
    expect(postures(report)).toEqual(['Deployment/web web.yaml privileged→privileged'])
  })

  it('lists nothing for a scan of nothing and for a workload that moved unchanged', async () => {
    expect((await diffFiles({ 'a.yaml': privileged }, { 'b.yaml': privileged })).postures).toEqual([])
  })
})
