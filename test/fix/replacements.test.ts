import { applyPatch } from 'diff'
import { describe, expect, it } from 'vitest'
import type { LineReplacement } from '../../src/model.js'
import { applyReplacements, changePatch, lineReplacements, unifiedPatch } from '../../src/render/fix/replacements.js'
import type { TextChange } from '../../src/render/fix/text-edit.js'

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

describe('changePatch: one edit turned into a replacement and a patch without diffing', () => {
  const splice = (text: string, change: TextChange): string => text.slice(0, change.start) + change.text + text.slice(change.end)
  const at = (text: string, needle: string): number => {
    const offset = text.indexOf(needle)
    if (offset < 0) throw new Error(`${needle} not in text`)
    return offset
  }
  const pod = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: app', '    image: nginx', '    securityContext:', '      privileged: true', '  volumes: []')

  it.each<[string, string, (text: string) => TextChange]>([
    ['a scalar replaced in place', pod, (t) => ({ start: at(t, 'true'), end: at(t, 'true') + 4, text: 'false' })],
    ['lines inserted at a line start', pod, (t) => ({ start: at(t, '  volumes'), end: at(t, '  volumes'), text: '  hostNetwork: false\n' })],
    ['lines inserted at the end of the file', pod, (t) => ({ start: t.length, end: t.length, text: '  hostPID: false\n' })],
    ['a line deleted', pod, (t) => ({ start: at(t, '      privileged'), end: at(t, '  volumes'), text: '' })],
    ['a value replaced by block lines', pod, (t) => ({ start: at(t, ' []'), end: at(t, ' []') + 3, text: '\n  - name: data\n    emptyDir: {}' })],
    ['text inserted mid-line', pod, (t) => ({ start: at(t, 'nginx') + 5, end: at(t, 'nginx') + 5, text: ':1.27' })],
    ['the first line changed', pod, () => ({ start: 0, end: 2, text: 'API' })],
  ])('%s: matches the diff of the edited text', (_name, before, changeOf) => {
    const change = changeOf(before)
    const after = splice(before, change)
    const { replacements, patch } = changePatch('pod.yaml', before, change)
    expect(replacements).toEqual(lineReplacements(before, after))
    expect(patch).toBe(unifiedPatch('pod.yaml', before, after))
  })

  it('always gives one replacement, where a diff would pair a line with its twin elsewhere', () => {
    const before = lines('volumes:', '- hostPath:', '    path: /a', '  name: a', '- hostPath:', '    path: /b', '  name: b')
    const start = at(before, '- hostPath:')
    const change = { start, end: at(before, '- hostPath:\n    path: /b'), text: '- name: a\n  emptyDir: {}\n' }
    expect(changePatch('v.yaml', before, change).replacements).toEqual([{ startLine: 2, endLine: 4, text: '- name: a\n  emptyDir: {}' }])
  })

  it('gives no replacement for a change that changes nothing', () => {
    expect(changePatch('p.yaml', pod, { start: 3, end: 6, text: pod.slice(3, 6) })).toEqual({ replacements: [], patch: '' })
  })

  // Random splices on random texts (CRLF, blank lines, no final break): the patch applies back with
  // jsdiff, and the one replacement reproduces the edited text.
  it('round-trips on 2,000 random splices', () => {
    let seed = 7
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const words = ['a', 'b: 1', '', '  - x', '    k: v', '#c']
    for (let i = 0; i < 2000; i++) {
      const eol = random(2) === 0 ? '\n' : '\r\n'
      const count = 1 + random(12)
      let before = Array.from({ length: count }, () => words[random(words.length)]).join(eol)
      if (random(3) > 0) before += eol
      // never between the CR and LF of a line break: the editor does not split them either
      const whole = (offset: number): number => (before[offset - 1] === '\r' && before[offset] === '\n' ? offset + 1 : offset)
      const start = whole(random(before.length + 1))
      const end = whole(start + random(Math.min(12, before.length - start) + 1))
      const inserted = Array.from({ length: random(3) }, () => words[random(words.length)]).join(eol) + (random(2) === 0 ? eol : '')
      const change = { start, end, text: inserted }
      const after = splice(before, change)
      const { replacements, patch } = changePatch('f.yaml', before, change)
      if (before === after) continue
      expect(applyPatch(before, patch)).toBe(after)
      // Replacements keep whether the file ends with a line break (as the editor does): not comparable otherwise.
      if (before.endsWith('\n') !== after.endsWith('\n')) continue
      // A replacement text '' deletes its lines: a file left with only empty lines has no replacement.
      if (after.trim() === '') continue
      expect(replacements).toHaveLength(1)
      expect(applyReplacements(before, replacements)).toBe(after)
    }
  })
})
