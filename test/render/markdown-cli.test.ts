/** `kube-ratchet diff --format markdown`: what the action would post, printed locally. */
import { describe, expect, it } from 'vitest'
import { fingerprintMarker } from '../../src/render/markdown/review.js'
import { PROJECT_ROOT } from '../support/engine.js'
import { runCli } from '../support/cli.js'

interface JsonFinding {
  status: string
  fingerprint: string
  file: string
  line: number
  fix: { replacements: { startLine: number; endLine: number; text: string }[] } | null
}

const ARGS = ['diff', '--base', 'examples/pull-request/base', '--head', 'examples/pull-request/head', '--fail-on', 'none']

describe('diff --format markdown', () => {
  it('prints the check run summary, then the review body and its comments', async () => {
    const { code, stdout, stderr } = await runCli([...ARGS, '--format', 'markdown'], PROJECT_ROOT)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const json = JSON.parse((await runCli([...ARGS, '--format', 'json'], PROJECT_ROOT)).stdout) as { findings: JsonFinding[] }
    const news = json.findings.filter((f) => f.status === 'new')

    expect(stdout.startsWith('# Check run: kube-ratchet\n\n## ⚠️ ')).toBe(true)
    expect(stdout).toContain('### New findings')
    for (const f of news) expect(stdout).toContain(`${f.file}:${f.line}`)
    expect(stdout).toContain('# Review')
    expect(stdout).toContain('<!-- kube-ratchet:review head=')

    // The example's findings sit on changed lines: one comment each, at most.
    const comments = stdout.split('\n---\n').filter((part) => part.startsWith('\n## Comment on '))
    expect(comments.length).toBeGreaterThan(0)
    for (const f of news) expect(comments.filter((c) => c.includes(fingerprintMarker(f.fingerprint))).length).toBeLessThanOrEqual(1)

    // A suggestion is exactly the text of the fix's one replacement.
    let suggestions = 0
    for (const f of news) {
      const comment = comments.find((c) => c.includes(fingerprintMarker(f.fingerprint)))
      if (!comment?.includes('```suggestion')) continue
      const text = f.fix?.replacements[0]?.text ?? '<none>'
      expect(f.fix?.replacements).toHaveLength(1)
      expect(comment).toContain(text === '' ? '```suggestion\n```' : `\`\`\`suggestion\n${text}\n\`\`\``)
      suggestions++
    }
    expect(suggestions).toBeGreaterThan(0)
  })

  it('is refused for an unknown format, with markdown among the choices', async () => {
    const { code, stderr } = await runCli([...ARGS, '--format', 'html'], PROJECT_ROOT)
    expect(code).toBe(2)
    expect(stderr).toContain('--format must be one of text, json, markdown')
  })
})
