/**
 * Kustomize overlays built with the real `kubectl kustomize` (or `kustomize build`) at both
 * revisions: findings land on the line of the file that holds the offending field.
 */
import { symlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderRevisions } from '../../src/load/build/render.js'
import { DirectorySource } from '../../src/load/dir-source.js'
import { readRevisions } from '../../src/load/read-revisions.js'
import { runPipeline } from '../../src/pipeline.js'
import { tempDir, writeTree } from '../helpers/revisions.js'
import { TWO_RULES } from '../support/engine.js'
import { edit, fixtureTree, KUSTOMIZE, lineOf, placed, renderDiff, type Tree } from './support.js'

const BASE = fixtureTree('kustomize')
const PROD_PATCH = 'overlays/prod/resources.yaml'
const DEPLOYMENT = 'base/deployment.yaml'
const SIDECAR = 'components/log-shipper/sidecar.yaml'

/** The prod overlay's patch, now making the app container privileged. */
const privilegedPatch = (tree: Tree): Tree =>
  edit(tree, PROD_PATCH, '              memory: 512Mi\n', '              memory: 512Mi\n          securityContext:\n            privileged: true\n')

describe.skipIf(!KUSTOMIZE)(`Kustomize overlays (${KUSTOMIZE?.name ?? 'no kustomize on this machine'})`, () => {
  describe.each(['git', 'dirs'] as const)('read from %s', (via) => {
    it('reports a patch that introduces a regression on the patch line, for that overlay only', async () => {
      const head = privilegedPatch(BASE)
      const report = await renderDiff(BASE, head, { via })
      expect(report.errors).toEqual([])
      expect(placed(report.findings)).toEqual([`new pss-privileged ${PROD_PATCH}:${lineOf(head, PROD_PATCH, 'privileged: true')} prod/prod-web`])
      const [finding] = report.findings
      expect(finding?.message).toMatch(/rendered by Kustomize from overlays\/prod\)$/)
      expect(finding?.path).toBe('spec.template.spec.containers[name=app].securityContext.privileged')
      // no patch is offered for a rendered object: the edit belongs in the source
      expect(finding?.fix).toBeNull()
    })

    it('reports a change to the base once per overlay it regresses, on the base line', async () => {
      const head = edit(BASE, DEPLOYMENT, '    spec:\n      containers:', '    spec:\n      hostNetwork: true\n      containers:')
      const report = await renderDiff(BASE, head, { via })
      const line = lineOf(head, DEPLOYMENT, 'hostNetwork: true')
      // the base file itself is not reported a third time as a plain manifest
      expect(placed(report.findings)).toEqual([
        `new pss-host-namespaces ${DEPLOYMENT}:${line} dev/web`,
        `new pss-host-namespaces ${DEPLOYMENT}:${line} prod/prod-web`,
      ])
      expect(report.findings.map((f) => f.message.replace(/.*from /, '')).sort()).toEqual(['overlays/dev)', 'overlays/prod)'])
      expect(report.postures.map((p) => `${p.file} ${p.resource.namespace}/${p.resource.name} ${p.base}→${p.head}`).sort()).toEqual([
        'overlays/dev/kustomization.yaml dev/web restricted→privileged',
        'overlays/prod/kustomization.yaml prod/prod-web restricted→privileged',
      ])
    })

    it("reports a component's patch on the component's file", async () => {
      const head = edit(BASE, SIDECAR, 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n            privileged: true')
      const report = await renderDiff(BASE, head, { via })
      expect(placed(report.findings)).toEqual([`new pss-privileged ${SIDECAR}:${lineOf(head, SIDECAR, 'privileged: true')} prod/prod-web`])
      expect(report.findings[0]?.container).toBe('log-shipper')
    })
  })

  it('places a finding from an inline JSON 6902 patch on its line in the kustomization', async () => {
    const file = 'overlays/dev/kustomization.yaml'
    const head = edit(
      BASE,
      file,
      '  - path: replicas.yaml\n',
      '  - path: replicas.yaml\n  - target:\n      kind: Deployment\n      name: web\n    patch: |-\n      - op: add\n        path: /spec/template/spec/hostPID\n        value: true\n',
    )
    const report = await renderDiff(BASE, head, { via: 'git' })
    expect(placed(report.findings)).toEqual([`new pss-host-namespaces ${file}:${lineOf(head, file, 'value: true')} dev/web`])
  })

  it('places a finding from a JSON 6902 patch file inside the value it adds', async () => {
    const file = 'overlays/dev/kustomization.yaml'
    const patch = 'overlays/dev/harden.yaml'
    const head: Tree = {
      ...edit(BASE, file, '  - path: replicas.yaml\n', '  - path: replicas.yaml\npatchesJson6902:\n  - target: {group: apps, version: v1, kind: Deployment, name: web}\n    path: harden.yaml\n'),
      [patch]: '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    readOnlyRootFilesystem: true\n    privileged: true\n',
    }
    const report = await renderDiff(BASE, head, { via: 'git' })
    expect(placed(report.findings)).toEqual([`new pss-privileged ${patch}:5 dev/web`])
  })

  it("places an image an overlay's images entry rewrote on that entry", async () => {
    const file = 'overlays/dev/kustomization.yaml'
    const head = edit(BASE, file, 'namespace: dev\n', 'namespace: dev\nimages:\n  - name: registry.example.com/web\n    newTag: latest\n')
    const report = await renderDiff(BASE, head, { via: 'git', rules: 'all' })
    const mutable = report.findings.filter((f) => f.ruleId === 'image-tag-mutable')
    expect(placed(mutable)).toEqual([`new image-tag-mutable ${file}:${lineOf(head, file, 'newTag: latest')} dev/web`])
  })

  it('does not evaluate patch files as manifests of their own', async () => {
    const report = await renderDiff(null, privilegedPatch(BASE), { via: 'dirs' })
    expect(report.errors).toEqual([])
    // one finding, the rendered object's; the partial Deployment in the patch file is not an object
    expect(placed(report.findings)).toEqual([`new pss-privileged ${PROD_PATCH}:15 prod/prod-web`])
    // every manifest accounted for: the base's resources and the patches were read through the builds
    expect(report.files).toBe(Object.keys(BASE).length)
    expect(report.skipped).toEqual([])
  })

  it('leaves a failing build out at both revisions and reports it on the kustomization', async () => {
    const base = privilegedPatch(BASE)
    const head = edit(base, 'overlays/prod/kustomization.yaml', '  - path: resources.yaml', '  - path: resources.yaml\n  - path: missing.yaml')
    const report = await renderDiff(base, head, { via: 'git' })
    expect(report.errors).toEqual([expect.objectContaining({ revision: 'head', file: 'overlays/prod/kustomization.yaml', line: null })])
    expect(report.errors[0]?.message).toMatch(/^Kustomize \(overlays\/prod\): .*missing\.yaml/)
    // the privileged container did not go away: nothing is reported fixed
    expect(report.findings).toEqual([])
  })

  it('reports a remote base as an error without fetching it', async () => {
    const head: Tree = {
      ...BASE,
      'overlays/remote/kustomization.yaml': [
        'resources:',
        '  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0',
        '  - ../../base',
        '',
      ].join('\n'),
    }
    const started = Date.now()
    const report = await renderDiff(BASE, head, { via: 'git' })
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(report.errors).toHaveLength(1)
    expect(report.errors[0]).toMatchObject({ revision: 'head', file: 'overlays/remote/kustomization.yaml' })
    expect(report.errors[0]?.message).toMatch(/github\.com/)
    expect(report.findings).toEqual([])
  })

  it('reports nothing new for a kustomization added around unchanged manifests', async () => {
    const plain: Tree = { 'deploy/web.yaml': privilegedDeployment('web') }
    const head: Tree = { ...plain, 'deploy/kustomization.yaml': 'resources:\n  - web.yaml\n' }
    for (const via of ['git', 'dirs'] as const) {
      const report = await renderDiff(plain, head, { via })
      expect(report.errors).toEqual([])
      expect(report.findings.map((f) => `${f.status} ${f.ruleId}`)).toEqual(['unchanged pss-privileged'])
    }
  })

  it('moves suppressions written in the base to their line there', async () => {
    const suppressed = edit(
      privilegedPatch(BASE),
      DEPLOYMENT,
      '  labels:\n    app: web\nspec:',
      '  labels:\n    app: web\n  annotations:\n    kube-ratchet.io/ignore: "pss-privileged: the node agent needs it"\nspec:',
    )
    const report = await renderDiff(BASE, suppressed, { via: 'git' })
    const annotation = lineOf(suppressed, DEPLOYMENT, 'kube-ratchet.io/ignore')
    // what is left is the engine's note that the change added a suppression, on the annotation's line
    expect(placed(report.findings)).toEqual([`new suppression-added ${DEPLOYMENT}:${annotation} prod/prod-web`])
    expect(report.suppressed.map((f) => `${f.file}:${f.line} ${f.suppressedBy?.file}:${f.suppressedBy?.line}`)).toEqual([
      `${PROD_PATCH}:${lineOf(suppressed, PROD_PATCH, 'privileged: true')} ${DEPLOYMENT}:${lineOf(suppressed, DEPLOYMENT, 'kube-ratchet.io/ignore')}`,
    ])
  })

  it('with rendering off, builds nothing and lists the patches it skipped', async () => {
    const report = await renderDiff(BASE, privilegedPatch(BASE), { via: 'git', render: { enabled: false, timeoutMs: 1000 } })
    expect(report.findings).toEqual([])
    expect(report.errors).toEqual([])
    expect(report.skipped.map((s) => `${s.revision} ${s.file}`)).toEqual([`base ${PROD_PATCH}`, `head ${PROD_PATCH}`])
    expect(report.skipped[0]?.reason).toMatch(/rendering is off/)
  })

  it('never follows a symlink out of the revision', async () => {
    const dir = tempDir()
    writeTree(dir, BASE)
    const baseDir = tempDir()
    writeTree(baseDir, BASE)
    const secret = join(tempDir(), 'secret.yaml')
    writeFileSync(secret, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: outside\nspec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n')
    writeFileSync(join(dir, 'overlays/dev/kustomization.yaml'), 'namespace: dev\nresources:\n  - ../../base\n  - outside.yaml\n')
    symlinkSync(secret, join(dir, 'overlays/dev/outside.yaml'))
    const report = await runPipeline({
      base: new DirectorySource(baseDir, { ref: 'base', sha: null }),
      head: new DirectorySource(dir, { ref: 'head', sha: null }),
      scope: 'changed',
      failOn: 'high',
      evaluation: { rules: TWO_RULES },
    })
    expect(report.findings).toEqual([])
    expect(report.errors.map((e) => `${e.revision} ${e.file}`)).toEqual(['head overlays/dev/kustomization.yaml'])
    expect(report.errors[0]?.message).toMatch(/outside\.yaml/)
  })
})

describe.skipIf(!KUSTOMIZE)('what gets built', () => {
  async function renders(base: Tree, head: Tree) {
    const baseDir = tempDir()
    const headDir = tempDir()
    writeTree(baseDir, base)
    writeTree(headDir, head)
    const sources = {
      base: new DirectorySource(baseDir, { ref: 'base', sha: null }),
      head: new DirectorySource(headDir, { ref: 'head', sha: null }),
    }
    const contents = await readRevisions({ ...sources, scope: 'changed', wanted: () => true, withUnchanged: false })
    return renderRevisions({ ...sources, contents, scope: 'changed', wanted: () => true, helm: { base: [], head: [] }, options: { enabled: true, timeoutMs: 60_000 } })
  }

  it('builds only the overlays a change reaches, at both revisions', async () => {
    expect((await renders(BASE, BASE)).renders).toEqual({ base: 0, head: 0 })
    expect((await renders(BASE, privilegedPatch(BASE))).renders).toEqual({ base: 1, head: 1 })
    const baseChange = edit(BASE, 'base/service.yaml', 'port: 80', 'port: 8080')
    expect((await renders(BASE, baseChange)).renders).toEqual({ base: 2, head: 2 })
  })

  it('strips the build annotations before any rule sees the objects', async () => {
    const rendering = await renders(BASE, privilegedPatch(BASE))
    expect(rendering.head.outputs.map((o) => o.path)).toEqual(['overlays/prod/kustomization.yaml'])
    const text = rendering.head.outputs[0]?.bytes.toString('utf8') ?? ''
    expect(text).toContain('name: prod-web')
    expect(text).not.toMatch(/config\.kubernetes\.io/)
  })

  it('stops a build at the time limit', async () => {
    const dir = tempDir()
    const slow = join(dir, 'slow-kustomize')
    writeFileSync(slow, '#!/bin/sh\nexec /bin/sleep 30\n')
    chmodSync(slow, 0o755)
    const sources = { base: null, head: new DirectorySource(tempDir(), { ref: 'head', sha: null }) }
    writeTree(sources.head.root, BASE)
    const contents = await readRevisions({ ...sources, scope: 'all', wanted: () => true, withUnchanged: false })
    const started = Date.now()
    const rendering = await renderRevisions({
      ...sources,
      contents,
      scope: 'all',
      wanted: () => true,
      helm: { base: [], head: [] },
      options: { enabled: true, timeoutMs: 500 },
      tools: { kustomize: { command: slow, args: ['build'], name: 'kustomize' } },
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(rendering.head.errors.map((e) => `${e.file}: ${e.message}`).sort()).toEqual([
      'overlays/dev/kustomization.yaml: Kustomize (overlays/dev): kustomize timed out after 0.5 s',
      'overlays/prod/kustomization.yaml: Kustomize (overlays/prod): kustomize timed out after 0.5 s',
    ])
    // the overlays failed, so their files are read as they are (the base) or skipped (the patches)
    expect(rendering.head.plain.map((c) => c.path).sort()).toContain('base/deployment.yaml')
    expect(rendering.head.skipped.map((s) => s.file).sort()).toEqual(['components/log-shipper/sidecar.yaml', 'overlays/dev/replicas.yaml', PROD_PATCH])
  })
})

function privilegedDeployment(name: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: registry.example.com/app:1.0.0',
    '          securityContext:',
    '            privileged: true',
    '',
  ].join('\n')
}
