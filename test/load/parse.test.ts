import { describe, expect, it } from 'vitest'
import { extractResources } from '../../src/extract/resources.js'
import { parseManifestFile, type ParsedYaml } from '../../src/load/parse.js'
import type { Resource } from '../../src/model.js'
import { evaluateText, HOST_NAMESPACES, PRIVILEGED } from '../support/engine.js'

/** Parses a file that must not be skipped; returns its problems and extracted resources. */
function load(file: string, text: string | Buffer): { yaml: ParsedYaml; problems: { line: number | null; message: string }[]; resources: Resource[] } {
  const parsed = parseManifestFile(file, typeof text === 'string' ? Buffer.from(text) : text)
  if (parsed.kind !== 'parsed') throw new Error(`${file} was skipped: ${parsed.reason}`)
  const extracted = extractResources(file, parsed.yaml)
  return { yaml: parsed.yaml, problems: [...parsed.problems, ...extracted.problems], resources: extracted.resources }
}

const names = (resources: readonly Resource[]): string[] => resources.map((r) => `${r.identity.kind}/${r.identity.name}@${r.line}`)

describe('multi-document YAML', () => {
  it('reads every document with its index and first line', () => {
    const text = [
      '---',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: one',
      '---',
      '# a comment before the object',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: two',
      '...',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: three',
      '',
    ].join('\n')
    const { resources, problems } = load('multi.yaml', text)
    expect(problems).toEqual([])
    expect(names(resources)).toEqual(['ServiceAccount/one@2', 'ConfigMap/two@8', 'Secret/three@14'])
    expect(resources.map((r) => r.documentIndex)).toEqual([0, 1, 2])
    expect(resources.every((r) => r.documentPath.length === 0)).toBe(true)
  })

  it('places findings of a later document on that document’s lines', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: first',
      'spec:',
      '  containers: [{name: a}]',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: second',
      'spec:',
      '  hostNetwork: true',
      '  containers: [{name: a}]',
      '',
    ].join('\n')
    const { objects } = evaluateText('two.yaml', text)
    const findings = objects.flatMap((o) => o.findings)
    expect(findings.map((f) => [f.ruleId, f.resource.name, f.line])).toEqual([[HOST_NAMESPACES, 'second', 13]])
  })
})

describe('List kinds', () => {
  const list = (kind: string): string =>
    [
      'apiVersion: v1',
      `kind: ${kind}`,
      'metadata: {}',
      'items:',
      '- apiVersion: apps/v1',
      '  kind: Deployment',
      '  metadata:',
      '    name: web',
      '  spec:',
      '    template:',
      '      spec:',
      '        hostNetwork: true',
      '        containers:',
      '        - name: app',
      '          image: nginx',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      '    name: debug',
      '    namespace: tools',
      '  spec:',
      '    containers:',
      '    - name: shell',
      '      securityContext:',
      '        privileged: true',
      '',
    ].join('\n')

  for (const kind of ['List', 'DeploymentList']) {
    it(`expands a ${kind} into its items, each on its own lines`, () => {
      const { resources, problems } = load('list.yaml', list(kind))
      expect(problems).toEqual([])
      expect(names(resources)).toEqual(['Deployment/web@5', 'Pod/debug@16'])
      expect(resources.map((r) => r.documentPath)).toEqual([
        ['items', 0],
        ['items', 1],
      ])
      expect(resources[1]?.identity).toEqual({ group: '', kind: 'Pod', namespace: 'tools', name: 'debug' })

      const findings = evaluateText('list.yaml', list(kind)).objects.flatMap((o) => o.findings)
      expect(findings.map((f) => [f.ruleId, f.resource.name, f.line, f.path])).toEqual([
        [HOST_NAMESPACES, 'web', 12, 'spec.template.spec.hostNetwork'],
        [PRIVILEGED, 'debug', 25, 'spec.containers[name=shell].securityContext.privileged'],
      ])
    })
  }

  it('reports a List item that is not an object, on its line, and keeps the others', () => {
    const text = ['apiVersion: v1', 'kind: List', 'items:', '- just a string', '- apiVersion: v1', '  kind: ConfigMap', '  metadata: {name: c}', ''].join('\n')
    const { resources, problems } = load('list.yaml', text)
    expect(names(resources)).toEqual(['ConfigMap/c@5'])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.line).toBe(4)
  })
})

describe('anchors, aliases and merge keys', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: shared',
    '  labels: &labels',
    '    app: web',
    'spec:',
    '  containers:',
    '  - name: a',
    '    securityContext: &sc',
    '      privileged: true',
    '  - name: b',
    '    securityContext: *sc',
    '  - name: c',
    '    securityContext:',
    '      <<: *sc',
    '      runAsUser: 1000',
    '  - name: d',
    '    securityContext:',
    '      <<: *sc',
    '      privileged: false',
    '',
  ].join('\n')

  it('resolves them in the object', () => {
    const { resources, problems } = load('anchors.yaml', text)
    expect(problems).toEqual([])
    const containers = (resources[0]?.object.spec as { containers: unknown[] }).containers
    expect(containers).toEqual([
      { name: 'a', securityContext: { privileged: true } },
      { name: 'b', securityContext: { privileged: true } },
      { name: 'c', securityContext: { privileged: true, runAsUser: 1000 } },
      { name: 'd', securityContext: { privileged: false } },
    ])
  })

  it('finds a violation reached through an alias or a merge key, on the anchored line', () => {
    const findings = evaluateText('anchors.yaml', text).objects.flatMap((o) => o.findings)
    expect(findings.map((f) => [f.container, f.line])).toEqual([
      ['a', 11],
      ['b', 11],
      ['c', 11],
    ])
  })
})

describe('syntax variants', () => {
  it('reads flow-style documents', () => {
    const text =
      '{apiVersion: v1, kind: Pod, metadata: {name: flow, namespace: x}, spec: {hostNetwork: true, containers: [{name: a, securityContext: {privileged: true}}]}}\n'
    const { objects, problems } = evaluateText('flow.yaml', text)
    expect(problems).toEqual([])
    expect(objects.map((o) => o.resource.identity)).toEqual([{ group: '', kind: 'Pod', namespace: 'x', name: 'flow' }])
    expect(objects[0]?.findings.map((f) => [f.ruleId, f.line]).sort()).toEqual([
      [HOST_NAMESPACES, 1],
      [PRIVILEGED, 1],
    ])
  })

  it('reads JSON manifests and places findings on their lines', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'json-pod' },
        spec: { hostNetwork: true, containers: [{ name: 'a', securityContext: { privileged: true } }] },
      },
      null,
      2,
    )
    const { objects, problems } = evaluateText('pod.json', json)
    expect(problems).toEqual([])
    const lineOf = (needle: string): number => json.split('\n').findIndex((l) => l.includes(needle)) + 1
    expect(objects[0]?.findings.map((f) => [f.ruleId, f.line]).sort()).toEqual([
      [HOST_NAMESPACES, lineOf('"hostNetwork"')],
      [PRIVILEGED, lineOf('"privileged"')],
    ])
  })

  it('reads a JSON file indented with tabs', () => {
    const json = '{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"metadata": {\n\t\t"name": "tabs"\n\t},\n\t"spec": {\n\t\t"hostNetwork": true,\n\t\t"containers": [{"name": "a"}]\n\t}\n}\n'
    const { objects, problems } = evaluateText('tabs.json', json)
    expect(problems).toEqual([])
    expect(objects.map((o) => o.resource.identity.name)).toEqual(['tabs'])
    expect(objects[0]?.findings.map((f) => [f.ruleId, f.line])).toEqual([[HOST_NAMESPACES, 8]])
  })

  it('ignores a byte order mark without shifting lines', () => {
    const text = '\uFEFFapiVersion: v1\nkind: Pod\nmetadata:\n  name: bom\nspec:\n  hostNetwork: true\n  containers: []\n'
    const { objects, problems } = evaluateText('bom.yaml', text)
    expect(problems).toEqual([])
    expect(objects[0]?.resource.object.apiVersion).toBe('v1')
    expect(objects[0]?.findings.map((f) => [f.ruleId, f.line])).toEqual([[HOST_NAMESPACES, 6]])
  })

  it('reads CRLF line endings with the same lines and values', () => {
    const lf = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: crlf\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: true\n'
    const crlf = evaluateText('crlf.yaml', lf.replace(/\n/g, '\r\n'))
    expect(crlf.problems).toEqual([])
    expect(crlf.objects[0]?.resource.object).toEqual(evaluateText('lf.yaml', lf).objects[0]?.resource.object)
    expect(crlf.objects[0]?.findings.map((f) => [f.line, f.endLine])).toEqual([[9, 9]])
  })

  it('reads YAML 1.1 booleans as Kubernetes does', () => {
    for (const word of ['yes', 'Yes', 'on', 'ON', 'true']) {
      const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: ${word}\n`
      const findings = evaluateText('yes.yaml', text).objects.flatMap((o) => o.findings)
      expect([word, findings.map((f) => f.ruleId)]).toEqual([word, [PRIVILEGED]])
    }
    const off = evaluateText('no.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: no\n  containers: []\n')
    expect(off.objects[0]?.resource.object.spec).toEqual({ hostNetwork: false, containers: [] })
  })

  it('keeps sexagesimal-looking and timestamp-looking values as strings', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ports: 22:22\n  when: 2001-12-14\n  mode: 0755\n'
    const { resources } = load('strings.yaml', text)
    expect(resources[0]?.object.data).toEqual({ ports: '22:22', when: '2001-12-14', mode: 493 })
  })
})

describe('what is not an object', () => {
  it('passes over documents without apiVersion or kind, and empty documents, silently', () => {
    const text = docs_('name: ci\non: push', 'kind: Pod\nmetadata: {name: no-api-version}', 'apiVersion: v1\nmetadata: {name: no-kind}', '', '# only a comment', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: real}')
    const { resources, problems } = load('mixed.yaml', text)
    expect(problems).toEqual([])
    expect(names(resources)).toEqual(['ConfigMap/real@14'])
  })

  it('ignores Kustomize configuration', () => {
    const text = docs_(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: []',
    )
    expect(load('kustomization.yaml', text)).toMatchObject({ resources: [], problems: [] })
  })

  it('reads a file with comments only as nothing at all', () => {
    expect(load('empty.yaml', '# nothing here\n')).toMatchObject({ resources: [], problems: [] })
    expect(load('empty.yaml', '')).toMatchObject({ resources: [], problems: [] })
  })
})

function docs_(...documents: string[]): string {
  return documents.join('\n---\n') + '\n'
}

describe('template syntax', () => {
  const skipped = (file: string, text: string): string | null => {
    const parsed = parseManifestFile(file, Buffer.from(text))
    return parsed.kind === 'skipped' ? parsed.reason : null
  }

  it('skips sed-style placeholders with a reason', () => {
    const reason = skipped('rc.yaml', 'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: x\nspec:\n  replicas: {{replicas}}\n')
    expect(reason).toMatch(/template/i)
  })

  it('skips Helm control structures', () => {
    const text = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n'
    expect(skipped('pod.yaml', text)).toMatch(/template/i)
  })

  it('does not skip {{ }} inside a quoted string or a block scalar', () => {
    const text = [
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata:',
      '  name: alerts',
      '  annotations:',
      '    value: "{{ x }}"',
      "    single: '{{ y }}'",
      'spec:',
      '  groups:',
      '  - name: g',
      '    rules:',
      '    - alert: Down',
      '      annotations:',
      '        summary: |',
      '          {{ $labels.instance }} is down',
      '          {{ range $i := . }}{{ end }}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  hostNetwork: true',
      '  containers: []',
      '',
    ].join('\n')
    expect(skipped('rules.yaml', text)).toBeNull()
    const { objects, problems } = evaluateText('rules.yaml', text)
    expect(problems).toEqual([])
    expect(objects.map((o) => o.resource.identity.name)).toEqual(['alerts', 'p'])
    expect((objects[0]?.resource.object.metadata as { annotations: unknown }).annotations).toEqual({ value: '{{ x }}', single: '{{ y }}' })
    expect(objects[1]?.findings.map((f) => f.ruleId)).toEqual([HOST_NAMESPACES])
  })
})

describe('broken input', () => {
  it('reports malformed YAML on its 1-based line and still evaluates the other documents', () => {
    const text = [
      'apiVersion: v1', //  1
      'kind: Pod', //  2
      'metadata:', //  3
      '  name: before', //  4
      'spec:', //  5
      '  hostNetwork: true', //  6
      '---', //  7
      'apiVersion: v1', //  8
      'kind: Pod', //  9
      'metadata:', // 10
      '  name: broken: yes', // 11
      '---', // 12
      'apiVersion: v1', // 13
      'kind: Pod', // 14
      'metadata:', // 15
      '  name: after', // 16
      'spec:', // 17
      '  hostNetwork: true', // 18
      '',
    ].join('\n')
    const { objects, problems } = evaluateText('broken.yaml', text)
    expect(problems.map((p) => p.line)).toEqual([11])
    expect(objects.map((o) => o.resource.identity.name)).toEqual(['before', 'after'])
    expect(objects.flatMap((o) => o.findings.map((f) => f.line))).toEqual([6, 18])
  })

  it('reports bad indentation on the offending line', () => {
    const { problems, objects } = evaluateText('indent.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n namespace: b\n')
    expect(objects).toEqual([])
    expect(problems.length).toBeGreaterThan(0)
    expect(problems[0]?.line).toBe(5)
  })

  it('reports duplicate keys as a problem on the repeated key', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  selector: {app: a}\n  selector: {app: b}\n'
    const { problems, objects } = evaluateText('dup.yaml', text)
    expect(objects).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.line).toBe(7)
    expect(problems[0]?.message).toMatch(/unique|duplicate/i)
  })

  it('reports an alias bomb as a problem instead of expanding it', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const text = [...levels, 'apiVersion: v1', 'kind: Pod', 'metadata: {name: bomb}', 'spec: {hostNetwork: true}', ''].join('\n')
    const { problems, objects } = evaluateText('bomb.yaml', text)
    expect(objects).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.line).toBe(1)
    expect(problems[0]?.message).toMatch(/alias/i)
  })

  it('reports an object that contains itself through an alias instead of crashing on it', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: &m\n  name: loop\n  labels: *m\nspec:\n  hostNetwork: true\n'
    const { problems, objects } = evaluateText('loop.yaml', text)
    expect(objects).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.line).toBe(1)
    expect(problems[0]?.message).toMatch(/itself|circular/i)
  })

  it('skips binary files', () => {
    const parsed = parseManifestFile('image.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))
    expect(parsed).toEqual({ kind: 'skipped', reason: expect.stringMatching(/binary/i) })
  })

  it('reports invalid UTF-8 as a problem for the whole file, on the line of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])
    const { problems, objects, skipped } = evaluateText('latin.yaml', bytes)
    expect(skipped).toBeNull()
    expect(objects).toEqual([])
    expect(problems).toEqual([{ line: 4, message: expect.stringMatching(/UTF-8/) }])
  })

  it('reports an empty .json file, but not an empty .yaml one', () => {
    expect(evaluateText('empty.json', '').problems).toEqual([{ line: 1, message: expect.stringMatching(/empty/i) }])
    expect(evaluateText('blank.json', ' \n\n').problems).toEqual([{ line: 1, message: expect.stringMatching(/empty/i) }])
    expect(evaluateText('empty.yaml', '').problems).toEqual([])
  })
})
