import { describe, expect, it } from 'vitest'
import { code, escapeHtml, escapeText, fence, link, token, urlPath } from '../../src/render/markdown/escape.js'

const J = '\u2060' // the word joiner that breaks mentions and autolinks

describe('escapeText', () => {
  it('leaves ordinary names alone', () => {
    expect(escapeText('payments/api.yaml')).toBe('payments/api.yaml')
    expect(escapeText('Container "app" runs privileged.')).toBe('Container "app" runs privileged.')
  })

  it('breaks @mentions and team pings', () => {
    expect(escapeText('@octocat')).toBe(`@${J}octocat`)
    expect(escapeText('ping @acme/security now')).toBe(`ping @${J}acme/security now`)
    expect(escapeText('a@b.com')).toBe(`a@${J}b.com`)
  })

  it('breaks issue references and autolinks', () => {
    expect(escapeText('fixes #12')).toBe(`fixes #${J}12`)
    expect(escapeText('GH-7')).toBe(`GH-${J}7`)
    expect(escapeText('https://evil.example/x')).toBe(`https:${J}//evil.example/x`)
    expect(escapeText('www.evil.example')).toBe(`www${J}.evil.example`)
  })

  it('turns HTML into text', () => {
    expect(escapeText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;')
    expect(escapeText('<!-- kube-ratchet:fp=forged -->')).toBe('&lt;!\\-- kube\\-ratchet:fp=forged --&gt;'.replace(/\\-/g, '-'))
    expect(escapeText('&amp;')).toBe('&amp;amp;')
  })

  it('escapes link, emphasis, code, table, strikethrough and math syntax', () => {
    expect(escapeText('[click](https://x)')).toBe(`\\[click\\](https:${J}//x)`)
    expect(escapeText('![img](y)')).toBe('!\\[img\\](y)')
    expect(escapeText('*bold* _it_ `code` a|b ~~s~~ $x$ back\\slash')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` a\\|b \\~\\~s\\~\\~ \\$x\\$ back\\\\slash',
    )
  })

  it('keeps text on one line, without control characters', () => {
    expect(escapeText('a\nb\r\nc\rd\u2028e')).toBe('a b c d e')
    expect(escapeText('bell\x07 esc\x1b[31m')).toBe('bell? esc?\\[31m')
  })

  it('cannot start a heading, a list or a quote', () => {
    expect(escapeText('# title')).toBe('\\# title')
    expect(escapeText('- item')).toBe('\\- item')
    expect(escapeText('+ item')).toBe('\\+ item')
    expect(escapeText('1. item')).toBe('1\\. item')
    expect(escapeText('> quote')).toBe('&gt; quote')
    expect(escapeText('=====')).toBe('\\=====')
  })
})

describe('code', () => {
  it('wraps text in a code span longer than any backtick run inside', () => {
    expect(code('app')).toBe('`app`')
    expect(code('a`b')).toBe('``a`b``')
    expect(code('```')).toBe('```` ``` ````')
    expect(code('`x')).toBe('`` `x ``')
  })

  it('escapes pipes only in tables, and keeps one line', () => {
    expect(code('a|b', { inTable: true })).toBe('`a\\|b`')
    expect(code('a|b')).toBe('`a|b`')
    expect(code('a\nb')).toBe('`a b`')
    expect(code('')).toBe('` `')
  })
})

describe('fence', () => {
  it('uses three backticks, or one more than the longest run inside', () => {
    expect(fence('x: 1', 'suggestion')).toBe('```suggestion\nx: 1\n```')
    expect(fence('a ``` b\n````\n', 'diff')).toBe('`````diff\na ``` b\n````\n`````')
  })

  it('keeps the content exactly, an empty suggestion included', () => {
    expect(fence('  a\n  b', 'suggestion')).toBe('```suggestion\n  a\n  b\n```')
    expect(fence('', 'suggestion')).toBe('```suggestion\n```')
  })
})

describe('helpers', () => {
  it('escapes text inside our own HTML with entities only', () => {
    expect(escapeHtml('<b>"x" & @y</b>')).toBe(`&#60;b&#62;&#34;x&#34; &#38; @${J}y&#60;/b&#62;`)
  })

  it('percent-encodes URL paths and keeps slashes', () => {
    expect(urlPath('dir with space/a#b?.yaml')).toBe('dir%20with%20space/a%23b%3F.yaml')
    expect(link('t', 'https://x/a(b)')).toBe('[t](https://x/a%28b%29)')
  })

  it('reduces tokens to safe characters', () => {
    expect(token('abc-123_.x --> <b>')).toBe('abc-123_.x--b')
  })
})
