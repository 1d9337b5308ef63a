/** The pieces of rendering that need no tool: references, paths, output parsing, source lines, configuration. */
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/config.js'
import { chartDirs, releaseNameOf, releasesOf, templateArgs } from '../../src/load/build/helm.js'
import { KustomizeGraph, readKustomization, treeIndex, withBuildMetadata } from '../../src/load/build/kustomize.js'
import { parseDisplayPath, resolveSteps } from '../../src/load/build/object-path.js'
import { helmOutput, kustomizeOutput } from '../../src/load/build/output.js'
import { isRemoteRef, joinRepo } from '../../src/load/build/paths.js'
import { suffixMatch, templateLine } from '../../src/load/build/place.js'
import { RULES } from '../../src/rules/index.js'

describe('repository paths', () => {
  it('resolve relative references and refuse to leave the repository', () => {
    expect(joinRepo('overlays/prod', '../../base')).toBe('base')
    expect(joinRepo('overlays/prod', './patch.yaml')).toBe('overlays/prod/patch.yaml')
    expect(joinRepo('', 'a//b/./c')).toBe('a/b/c')
    expect(joinRepo('overlays', '../../etc/passwd')).toBeNull()
    expect(joinRepo('overlays', '/etc/passwd')).toBeNull()
  })

  it('tell remote references from local ones', () => {
    for (const remote of [
      'https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0',
      'github.com/org/repo/deploy?ref=main',
      'git@github.com:org/repo.git//base',
      'ssh://git@example.com/org/repo',
      'https://raw.githubusercontent.com/org/repo/main/x.yaml',
    ]) {
      expect(isRemoteRef(remote), remote).toBe(true)
    }
    for (const local of ['../../base', 'deployment.yaml', 'sub/dir']) expect(isRemoteRef(local), local).toBe(false)
  })
})

describe('reading a kustomization', () => {
  const tree = treeIndex([
    'base/kustomization.yaml',
    'base/deployment.yaml',
    'overlays/prod/kustomization.yaml',
    'overlays/prod/patch.yaml',
    'overlays/prod/json-patch.yaml',
    'overlays/prod/app.properties',
    'overlays/prod/.env',
    'overlays/prod/extra.yaml',
    'overlays/prod/configs/transformer.yaml',
    'components/monitoring/kustomization.yaml',
    'components/monitoring/sidecar.yaml',
    'components/monitoring/rules.yaml',
  ])
  const prod = [
    'namespace: prod',
    'resources:',
    '  - ../../base',
    '  - extra.yaml',
    '  - https://github.com/org/repo//deploy?ref=v1',
    'components: [../../components/monitoring]',
    'patchesStrategicMerge:',
    '  - patch.yaml',
    '  - |-',
    '    apiVersion: v1',
    '    kind: Service',
    'patchesJson6902:',
    '  - target: {kind: Deployment, name: web}',
    '    path: json-patch.yaml',
    'configMapGenerator:',
    '  - name: app',
    '    files: [config=app.properties]',
    '    envs: [.env]',
    'transformers: [configs/transformer.yaml]',
    '',
  ].join('\n')
  const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [rules.yaml]\npatches:\n  - path: sidecar.yaml\n'

  it('resolves every reference to a repository path, by role', () => {
    const k = readKustomization('overlays/prod/kustomization.yaml', prod, tree)
    expect(k).toMatchObject({
      component: false,
      resources: ['overlays/prod/extra.yaml'],
      bases: ['base'],
      components: ['components/monitoring'],
      patches: ['overlays/prod/patch.yaml', 'overlays/prod/json-patch.yaml'],
      data: ['overlays/prod/app.properties', 'overlays/prod/.env', 'overlays/prod/configs/transformer.yaml'],
      remote: ['https://github.com/org/repo//deploy?ref=v1'],
    })
    expect(k.patchRefs).toEqual([
      { file: 'overlays/prod/patch.yaml', inline: null, target: null },
      { file: null, inline: ['patchesStrategicMerge', 1], target: null },
      { file: 'overlays/prod/json-patch.yaml', inline: null, target: { kind: 'Deployment', name: 'web' } },
    ])
  })

  it('knows the roots, what each build reads and emits, and which files are only patches', () => {
    const graph = new KustomizeGraph(
      tree,
      new Map([
        ['base/kustomization.yaml', Buffer.from('resources: [deployment.yaml]\n')],
        ['overlays/prod/kustomization.yaml', Buffer.from(prod)],
        ['components/monitoring/kustomization.yaml', Buffer.from(component)],
      ]),
    )
    expect(graph.roots().map((k) => k.file)).toEqual(['overlays/prod/kustomization.yaml'])
    expect(graph.resourcesOf('overlays/prod').sort()).toEqual(['base/deployment.yaml', 'components/monitoring/rules.yaml', 'overlays/prod/extra.yaml'])
    expect(graph.inputs('overlays/prod')).toEqual([
      'base/deployment.yaml',
      'base/kustomization.yaml',
      'components/monitoring/kustomization.yaml',
      'components/monitoring/rules.yaml',
      'components/monitoring/sidecar.yaml',
      'overlays/prod/.env',
      'overlays/prod/app.properties',
      'overlays/prod/configs/transformer.yaml',
      'overlays/prod/extra.yaml',
      'overlays/prod/json-patch.yaml',
      'overlays/prod/kustomization.yaml',
      'overlays/prod/patch.yaml',
    ])
    expect([...graph.partialFiles()].sort()).toEqual([
      'components/monitoring/sidecar.yaml',
      'overlays/prod/.env',
      'overlays/prod/app.properties',
      'overlays/prod/configs/transformer.yaml',
      'overlays/prod/json-patch.yaml',
      'overlays/prod/patch.yaml',
    ])
  })

  it('adds the build metadata that makes Kustomize annotate origins, keeping what was there', () => {
    expect(withBuildMetadata('resources:\n  - a.yaml\n')).toBe('resources:\n  - a.yaml\nbuildMetadata: [ originAnnotations, transformerAnnotations ]\n')
    expect(withBuildMetadata('resources: [a.yaml]\nbuildMetadata: [managedByLabel]\n')).toContain('buildMetadata: [ managedByLabel, originAnnotations, transformerAnnotations ]')
    // not a map, or not YAML: left for Kustomize to report
    expect(withBuildMetadata('- a\n')).toBe('- a\n')
    expect(withBuildMetadata('a: [\n')).toBe('a: [\n')
  })
})

describe('reading rendered output', () => {
  it('takes the origin annotations off Kustomize output and keeps them as repository paths', () => {
    const out = kustomizeOutput(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  annotations:',
        '    alpha.config.kubernetes.io/transformations: |',
        '      - configuredIn: ../../components/x/kustomization.yaml',
        '        configuredBy: {apiVersion: builtin, kind: PatchTransformer}',
        '      - configuredIn: kustomization.yaml',
        '        configuredBy: {apiVersion: builtin, kind: ImageTagTransformer}',
        '    config.kubernetes.io/origin: |',
        '      path: ../../base/deployment.yaml',
        '  name: web',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  annotations:',
        '    keep: me',
        '    config.kubernetes.io/origin: |',
        '      configuredIn: kustomization.yaml',
        '      configuredBy: {apiVersion: builtin, kind: ConfigMapGenerator}',
        '  name: cfg-123',
        '',
      ].join('\n'),
      'overlays/prod',
    )
    expect(out.problems).toEqual([])
    expect(out.docs.map((d) => [d.origin, d.patchedBy, d.imagesBy])).toEqual([
      [{ file: 'base/deployment.yaml', configuredIn: null, generator: null, repo: null }, ['components/x/kustomization.yaml'], ['overlays/prod/kustomization.yaml']],
      [{ file: null, configuredIn: 'overlays/prod/kustomization.yaml', generator: 'ConfigMapGenerator', repo: null }, [], []],
    ])
    expect(out.text).not.toContain('config.kubernetes.io')
    expect(out.text).toContain('keep: me')
    expect(out.docs[0]?.object.metadata).toEqual({ name: 'web' })
  })

  it("reads Helm's Source comments as template paths and gives objects the release's namespace", () => {
    const out = helmOutput(
      [
        '---',
        '# Source: web/templates/service.yaml',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        '---',
        '# Source: web/charts/agent/templates/role.yaml',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata:',
        '  name: agent',
        '---',
        '# Source: web/templates/empty.yaml',
        '',
      ].join('\n'),
      'deploy/web',
      'prod',
    )
    expect(out.docs.map((d) => [d.template, d.object.metadata])).toEqual([
      ['deploy/web/templates/service.yaml', { name: 'web', namespace: 'prod' }],
      ['deploy/web/charts/agent/templates/role.yaml', { name: 'agent' }],
    ])
  })
})

describe('finding the source line', () => {
  it('reads display paths back', () => {
    expect(parseDisplayPath('spec.template.spec.containers[name=app].securityContext.capabilities.add[SYS_ADMIN]')).toEqual([
      { kind: 'key', key: 'spec' },
      { kind: 'key', key: 'template' },
      { kind: 'key', key: 'spec' },
      { kind: 'key', key: 'containers' },
      { kind: 'item', key: 'name', value: 'app' },
      { kind: 'key', key: 'securityContext' },
      { kind: 'key', key: 'capabilities' },
      { kind: 'key', key: 'add' },
      { kind: 'value', value: 'SYS_ADMIN' },
    ])
    expect(parseDisplayPath('metadata.annotations["kube-ratchet.io/ignore"]')).toEqual([
      { kind: 'key', key: 'metadata' },
      { kind: 'key', key: 'annotations' },
      { kind: 'key', key: 'kube-ratchet.io/ignore' },
    ])
    const object = { spec: { containers: [{ name: 'side' }, { name: 'app', ports: [{ containerPort: 80 }] }] } }
    expect(resolveSteps(object, parseDisplayPath('spec.containers[name=app].ports[0].containerPort'))).toEqual({
      path: ['spec', 'containers', 1, 'ports', 0, 'containerPort'],
      value: 80,
      complete: true,
    })
  })

  it('matches a values key on the end of the path and the rendered value', () => {
    const steps = parseDisplayPath('spec.template.spec.containers[name=web].securityContext.privileged')
    expect(suffixMatch(steps, { path: ['securityContext', 'privileged'], value: true, line: 3 }, true)).toBe(2)
    expect(suffixMatch(steps, { path: ['web', 'securityContext', 'privileged'], value: true, line: 3 }, true)).toBe(2)
    expect(suffixMatch(steps, { path: ['privileged'], value: true, line: 3 }, true)).toBe(1)
    expect(suffixMatch(steps, { path: ['securityContext', 'privileged'], value: false, line: 3 }, true)).toBe(0)
    expect(suffixMatch(steps, { path: ['securityContext', 'runAsNonRoot'], value: true, line: 3 }, true)).toBe(0)
    const capability = parseDisplayPath('spec.containers[name=web].securityContext.capabilities.add[NET_ADMIN]')
    expect(suffixMatch(capability, { path: ['capabilities', 'add', 0], value: 'NET_ADMIN', line: 9 }, 'NET_ADMIN')).toBe(3)
  })

  it('finds the template line that writes a field by its indentation', () => {
    const template = [
      'spec:', //                                        1
      '  template:', //                                  2
      '    spec:', //                                    3
      '      securityContext:', //                       4
      '        {{- toYaml .Values.pod | nindent 8 }}', // 5
      '      containers:', //                            6
      '        - name: web', //                          7
      '          securityContext:', //                   8
      '            privileged: {{ .Values.privileged }}', // 9
      '      hostNetwork: {{ .Values.hostNetwork }}', // 10
    ].join('\n')
    const at = (path: string, what: 'field' | 'ancestor') => templateLine(template, parseDisplayPath(path), what)
    expect(at('spec.template.spec.containers[name=web].securityContext.privileged', 'field')).toBe(9)
    expect(at('spec.template.spec.hostNetwork', 'field')).toBe(10)
    expect(at('spec.template.spec.containers[name=web].securityContext.runAsNonRoot', 'field')).toBeNull()
    // a missing field: the container's securityContext, not the pod's
    expect(at('spec.template.spec.containers[name=web].securityContext.runAsNonRoot', 'ancestor')).toBe(8)
    expect(at('spec.template.spec.securityContext.seccompProfile', 'ancestor')).toBe(4)
  })
})

describe('Helm releases', () => {
  const tree = treeIndex(['web/Chart.yaml', 'web/charts/redis/Chart.yaml', 'web/templates/a.yaml', 'Chart.yaml', 'ops/My_Chart/Chart.yaml'])

  it('finds charts, not the subcharts vendored in them', () => {
    expect(chartDirs(tree)).toEqual(['', 'ops/My_Chart', 'web'])
  })

  it('renders a chart once by default, once per configured entry otherwise', () => {
    expect(releasesOf('web', []).releases).toEqual([
      { chartDir: 'web', chartFile: 'web/Chart.yaml', releaseName: 'web', namespace: null, values: [], details: '', label: 'web' },
    ])
    const { releases, problems } = releasesOf('web', [
      { path: './web/', values: ['values-prod.yaml', '../shared/prod.yaml'], namespace: 'prod', releaseName: 'shop' },
      { path: 'web', values: ['../../../outside.yaml'], namespace: null, releaseName: null },
      { path: 'other', values: [], namespace: null, releaseName: null },
    ])
    expect(problems).toEqual(['values file ../../../outside.yaml is outside the repository'])
    expect(releases.map((r) => [r.label, r.values, templateArgs(r)])).toEqual([
      [
        'web with values-prod.yaml, shared/prod.yaml in namespace prod as release shop',
        ['web/values-prod.yaml', 'shared/prod.yaml'],
        ['template', 'shop', './web', '--skip-tests', '--namespace', 'prod', '-f', './web/values-prod.yaml', '-f', './shared/prod.yaml'],
      ],
      ['web', [], ['template', 'web', './web', '--skip-tests']],
    ])
    expect(releaseNameOf('ops/My_Chart')).toBe('my-chart')
    expect(releaseNameOf('')).toBe('release')
  })
})

describe('configuration', () => {
  const ids = new Set(RULES.map((r) => r.meta.id))

  it('reads helm.charts and render, with defaults', () => {
    const result = parseConfig(
      'k.yml',
      'helm:\n  charts:\n    - path: charts/web\n      values: [values-prod.yaml]\n      namespace: prod\nrender:\n  timeoutSeconds: 30\n',
      ids,
    )
    expect(result.ok && { helm: result.config.helm, render: result.config.render }).toEqual({
      helm: { charts: [{ path: 'charts/web', values: ['values-prod.yaml'], namespace: 'prod', releaseName: null }] },
      render: { enabled: true, timeoutSeconds: 30 },
    })
    const off = parseConfig('k.yml', 'render: {enabled: false}\n', ids)
    expect(off.ok && off.config.render).toEqual({ enabled: false, timeoutSeconds: 60 })
  })

  it('rejects a release name Helm would reject, on its line', () => {
    const result = parseConfig('k.yml', 'helm:\n  charts:\n    - path: charts/web\n      releaseName: Web_Prod\n', ids)
    expect(result.ok ? [] : result.errors).toEqual([
      { file: 'k.yml', line: 4, message: 'helm.charts[0].releaseName: must be a lowercase DNS label such as web-prod' },
    ])
  })
})
