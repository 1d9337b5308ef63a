import { applyPatch } from 'diff'
import { describe, expect, it } from 'vitest'
import type { LineReplacement } from '../../src/model.js'
import { applyReplacements, lineReplacements, unifiedPatch } from '../../src/render/fix/replacements.js'

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('')

describe('lineReplacements', () => {
  it.each<[string, string, string, LineReplacement[]]>([
    ['a changed line', lines('a', 'b', 'c'), lines('a', 'B', 'c'), [{ startLine: 2, endLine: 2, text: 'B' }]],
    ['deleted lines (text "" = no line)', lines('a', 'b', 'c', 'd'), lines('a', 'd'), [{ startLine: 2, endLine: 3, text: '' }]],
    [
      'an insertion is anchored on the line above it',
      lines('a', 'b', 'c'),
      lines('a', 'b', 'new', 'c'),
      [{ startLine: 2, endLine: 2, text: 'b\nnew' }],
    ],
    [
      'an insertion at the end of the file is anchored on the last line',
      lines('a', 'b'),
      lines('a', 'b', 'x', 'y'),
      [{ startLine: 2, endLine: 2, text: 'b\nx\ny' }],
    ],
    [
      'an insertion at the top is anchored on the line below it',
      lines('a', 'b'),
      lines('new', 'a', 'b'),
      [{ startLine: 1, endLine: 1, text: 'new\na' }],
    ],
    [
      'one line replaced by several',
      lines('a', 'capabilities: {}', 'c'),
      lines('a', 'capabilities:', '  drop: ["ALL"]', 'c'),
      [{ startLine: 2, endLine: 2, text: 'capabilities:\n  drop: ["ALL"]' }],
    ],
    [
      'a line replaced by an empty line is not mistaken for a deletion',
      lines('a', 'b', 'c'),
      lines('a', '', 'c'),
      [{ startLine: 1, endLine: 2, text: 'a\n' }],
    ],
    [
      'changes far apart stay apart',
      lines('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      lines('A', 'b', 'c', 'd', 'e', 'f', 'G'),
      [
        { startLine: 1, endLine: 1, text: 'A' },
        { startLine: 7, endLine: 7, text: 'G' },
      ],
    ],
    [
      'changes a line or two apart are one replacement',
      lines('a', 'b', 'c', 'd', 'e'),
      lines('a', 'B', 'c', 'D', 'e'),
      [{ startLine: 2, endLine: 4, text: 'B\nc\nD' }],
    ],
    [
      'a diff that pairs a changed line with its twin elsewhere gives the change as written',
      lines('volumes:', '- hostPath:', '    path: /a', '  name: a', '- hostPath:', '    path: /b', '  name: b'),
      lines('volumes:', '- name: a', '  emptyDir: {}', '- hostPath:', '    path: /b', '  name: b'),
      [{ startLine: 2, endLine: 4, text: '- name: a\n  emptyDir: {}' }],
    ],
    ['nothing changed', lines('a', 'b'), lines('a', 'b'), []],
  ])('%s', (_name, before, after, expected) => {
    expect(lineReplacements(before, after)).toEqual(expected)
    expect(applyReplacements(before, expected)).toBe(after)
  })

  it('keeps CRLF inside a replacement and leaves the final break to the applier', () => {
    const before = 'a\r\nb\r\nc\r\n'
    const after = 'a\r\nb\r\nx\r\ny\r\nc\r\n'
    expect(lineReplacements(before, after)).toEqual([{ startLine: 2, endLine: 2, text: 'b\r\nx\r\ny' }])
  })
})

describe('applyReplacements reproduces the edited text exactly', () => {
  const before = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: app', '    image: nginx')
  const afters = [
    lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: app', '    image: nginx', '    securityContext:', '      privileged: false'),
    lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - image: nginx'),
    lines('apiVersion: v1', 'kind: Pod', 'spec:', '  hostNetwork: false', '  containers:', '  - name: app', '    image: nginx'),
    lines('kind: Pod', 'spec:', '  containers: []'),
    lines('# header', 'apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: x', '    image: nginx', '# footer'),
    '',
  ]
  const variants: [string, (text: string) => string][] = [
    ['LF', (t) => t],
    ['CRLF', (t) => t.replace(/\n/g, '\r\n')],
    ['LF without a final break', (t) => t.replace(/\n$/, '')],
    ['CRLF without a final break', (t) => t.replace(/\n$/, '').replace(/\n/g, '\r\n')],
  ]
  for (const [variant, style] of variants) {
    it.each(afters.map((after, i) => [i, after] as const))(`${variant}: edit #%i`, (_i, after) => {
      const b = style(before)
      const a = style(after)
      const applied = applyReplacements(b, lineReplacements(b, a))
      expect(applied).toBe(a)
      if (variant.startsWith('CRLF')) expect(applied).not.toMatch(/[^\r]\n/)
    })
  }

  it('applies several replacements made against the same text, bottom up', () => {
    const text = lines('1', '2', '3', '4', '5', '6', '7', '8', '9')
    const replacements: LineReplacement[] = [
      { startLine: 2, endLine: 2, text: 'two\ntwo-and-a-half' },
      { startLine: 5, endLine: 6, text: '' },
      { startLine: 9, endLine: 9, text: 'nine' },
    ]
    expect(applyReplacements(text, replacements)).toBe(lines('1', 'two', 'two-and-a-half', '3', '4', '7', '8', 'nine'))
  })
})

describe('unifiedPatch', () => {
  const before = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')
  const after = lines('a', 'b', 'c', 'D', 'e', 'f', 'g', 'h')

  it('is a git-style unified diff of the file with three lines of context', () => {
    expect(unifiedPatch('k8s/pod.yaml', before, after)).toBe(
      ['--- a/k8s/pod.yaml', '+++ b/k8s/pod.yaml', '@@ -1,7 +1,7 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g', ''].join('\n'),
    )
  })

  it('applies back to the edited text, CRLF too', () => {
    for (const [b, a] of [
      [before, after],
      [before.replace(/\n/g, '\r\n'), after.replace(/\n/g, '\r\n')],
    ] as const) {
      expect(applyPatch(b, unifiedPatch('pod.yaml', b, a))).toBe(a)
    }
  })
})
