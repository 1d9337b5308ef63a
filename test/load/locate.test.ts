import { describe, expect, it } from 'vitest'
import { locate } from '../../src/load/locate.js'
import { parseManifestFile, type ParsedYaml } from '../../src/load/parse.js'
import type { ListItem } from '../../src/model.js'
import { evaluateText, PRIVILEGED } from '../support/engine.js'

function parse(text: string): ParsedYaml {
  const parsed = parseManifestFile('x.yaml', Buffer.from(text))
  if (parsed.kind !== 'parsed' || parsed.problems.length > 0) throw new Error('fixture does not parse')
  return parsed.yaml
}

const item = (index: number, value: string): ListItem => ({ index, key: 'name', value })

const POD = [
  'apiVersion: v1', //  1
  'kind: Pod', //  2
  'metadata:', //  3
  '  name: p', //  4
  'spec:', //  5
  '  containers:', //  6
  '  - name: app', //  7
  '    image: nginx', //  8
  '  - name: sidecar', //  9
  '    image: envoy', // 10
  '    securityContext:', // 11
  '      capabilities:', // 12
  '        add:', // 13
  '        - NET_ADMIN', // 14
  '        - SYS_TIME', // 15
  '', // 16
  '', // 17
  '      privileged: true', // 18
  '    args: |', // 19
  '      one', // 20
  '      two', // 21
  '', // 22
  '  volumes: []', // 23
  '',
].join('\n')

describe('locate', () => {
  const yaml = parse(POD)

  it('places an existing field on its key’s line', () => {
    expect(locate(yaml, 0, ['spec', 'containers', item(1, 'sidecar'), 'securityContext', 'privileged'])).toEqual({
      line: 18,
      endLine: 18,
      exact: true,
      viaAlias: false,
    })
    expect(locate(yaml, 0, ['metadata', 'name'])).toMatchObject({ line: 4, endLine: 4, exact: true })
  })

  it('places a list item on its first line', () => {
    expect(locate(yaml, 0, ['spec', 'containers', item(0, 'app')])).toMatchObject({ line: 7, endLine: 8, exact: true })
    expect(locate(yaml, 0, ['spec', 'containers', 1, 'securityContext', 'capabilities', 'add', 1])).toMatchObject({
      line: 15,
      endLine: 15,
      exact: true,
    })
  })

  it('spans a multi-line value without the blank lines after it', () => {
    expect(locate(yaml, 0, ['spec', 'containers', item(1, 'sidecar'), 'securityContext', 'capabilities'])).toMatchObject({
      line: 12,
      endLine: 15,
    })
    expect(locate(yaml, 0, ['spec', 'containers', item(1, 'sidecar'), 'args'])).toMatchObject({ line: 19, endLine: 21 })
  })

  it('places a missing field on the first line of the nearest existing ancestor', () => {
    // the container has no securityContext: its `- name:` line
    expect(locate(yaml, 0, ['spec', 'containers', item(0, 'app'), 'securityContext', 'runAsNonRoot'])).toEqual({
      line: 7,
      endLine: 7,
      exact: false,
      viaAlias: false,
    })
    // securityContext exists but lacks the field: the securityContext line
    expect(locate(yaml, 0, ['spec', 'containers', item(1, 'sidecar'), 'securityContext', 'runAsNonRoot'])).toMatchObject({
      line: 11,
      endLine: 11,
      exact: false,
    })
    expect(locate(yaml, 0, ['spec', 'hostNetwork'])).toMatchObject({ line: 5, exact: false })
    expect(locate(yaml, 0, ['spec', 'containers', item(7, 'gone')])).toMatchObject({ line: 6, exact: false })
  })

  it('places a missing pod-level field of a workload on the spec line, through a List', () => {
    const list = parse(
      [
        'apiVersion: v1', // 1
        'kind: List', // 2
        'items:', // 3
        '- apiVersion: apps/v1', // 4
        '  kind: Deployment', // 5
        '  metadata: {name: d}', // 6
        '  spec:', // 7
        '    template:', // 8
        '      spec:', // 9
        '        containers: [{name: a}]', // 10
        '',
      ].join('\n'),
    )
    expect(locate(list, 0, ['items', 0])).toMatchObject({ line: 4, endLine: 10, exact: true })
    expect(locate(list, 0, ['items', 0, 'spec', 'template', 'spec', 'securityContext'])).toMatchObject({ line: 9, exact: false })
  })

  it('follows aliases and merge keys and says so', () => {
    const anchored = parse(
      [
        'apiVersion: v1', //  1
        'kind: Pod', //  2
        'metadata: {name: a}', //  3
        'spec:', //  4
        '  containers:', //  5
        '  - name: a', //  6
        '    securityContext: &sc', //  7
        '      privileged: true', //  8
        '  - name: b', //  9
        '    securityContext: *sc', // 10
        '  - name: c', // 11
        '    securityContext:', // 12
        '      <<: *sc', // 13
        '      runAsUser: 1', // 14
        '  - name: d', // 15
        '    securityContext:', // 16
        '      <<: [{runAsGroup: 2}, *sc]', // 17
        '      privileged: false', // 18
        '',
      ].join('\n'),
    )
    const at = (index: number, name: string, ...rest: string[]) => locate(anchored, 0, ['spec', 'containers', item(index, name), 'securityContext', ...rest])
    expect(at(0, 'a', 'privileged')).toEqual({ line: 8, endLine: 8, exact: true, viaAlias: false })
    expect(at(1, 'b', 'privileged')).toEqual({ line: 8, endLine: 8, exact: true, viaAlias: true })
    expect(at(2, 'c', 'privileged')).toEqual({ line: 8, endLine: 8, exact: true, viaAlias: true })
    expect(at(2, 'c', 'runAsUser')).toEqual({ line: 14, endLine: 14, exact: true, viaAlias: false })
    // own keys win over merged ones, as they do in the object
    expect(at(3, 'd', 'privileged')).toEqual({ line: 18, endLine: 18, exact: true, viaAlias: false })
    expect(at(3, 'd', 'runAsGroup')).toMatchObject({ line: 17, exact: true, viaAlias: true })
    // a field missing behind an alias: the line of the field holding the alias
    expect(at(1, 'b', 'runAsNonRoot')).toMatchObject({ line: 10, exact: false })
  })

  it('does not loop on a map that merges itself', () => {
    const selfMerge = parse('a: &a\n  x: 1\n  <<: *a\n')
    expect(locate(selfMerge, 0, ['a', 'missing'])).toMatchObject({ line: 1, exact: false })
  })

  it('answers for documents that do not exist', () => {
    expect(locate(parse('a: 1\n'), 3, ['a'])).toMatchObject({ line: 1, exact: false })
  })
})

describe('findings are placed by locate', () => {
  it('puts a violation found through an alias on the anchored field', () => {
    const text = [
      'apiVersion: apps/v1', //  1
      'kind: Deployment', //  2
      'metadata: {name: d}', //  3
      'spec:', //  4
      '  template:', //  5
      '    spec:', //  6
      '      containers:', //  7
      '      - name: a', //  8
      '        securityContext: &sc {privileged: true}', //  9
      '      initContainers:', // 10
      '      - name: init', // 11
      '        securityContext:', // 12
      '          <<: *sc', // 13
      '',
    ].join('\n')
    const findings = evaluateText('d.yaml', text).objects.flatMap((o) => o.findings.filter((f) => f.ruleId === PRIVILEGED))
    expect(findings.map((f) => [f.container, f.line, f.path]).sort()).toEqual([
      ['a', 9, 'spec.template.spec.containers[name=a].securityContext.privileged'],
      ['init', 9, 'spec.template.spec.initContainers[name=init].securityContext.privileged'],
    ])
  })
})
