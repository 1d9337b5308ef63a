import { describe, expect, it } from 'vitest'
import { CommentableDiff } from '../../src/render/commentable.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { checkSummary, checkTitle } from '../../src/render/markdown/check.js'
import { DEFAULT_ACTION_REPOSITORY, GITHUB_TEXT_LIMIT, markdownContext } from '../../src/render/markdown/context.js'
import {
  anchorFor,
  commentBody,
  fingerprintMarker,
  fingerprintOf,
  MAX_INLINE_COMMENTS,
  planReview,
  reviewBody,
  reviewMarker,
} from '../../src/render/markdown/review.js'
import { truncateMarkdown } from '../../src/render/markdown/truncate.js'
import { addedLines, finding, fix, HEAD_SHA, report } from '../report/fixtures.js'

const context = markdownContext({ repositoryUrl: 'https://github.com/acme/shop', checkName: 'kube-ratchet' })
const DOCS = `https://github.com/${DEFAULT_ACTION_REPOSITORY}/blob/main/docs/rules`
const diffOf = (patches: Record<string, string>): CommentableDiff =>
  CommentableDiff.fromPullFiles(Object.entries(patches).map(([filename, patch]) => ({ filename, status: 'modified', patch })))

describe('review comments', () => {
  it('golden: a finding with a one-line fix becomes a suggestion', () => {
    const f = finding({ line: 12, endLine: 12, fingerprint: 'abc123', fix: fix(12, '            privileged: false') })
    expect(commentBody(f, { suggestion: true }, context)).toBe(
      [
        `**🔴 Critical · Privileged container** · [\`pss-privileged\`](${DOCS}/pss-privileged.md) · Deployment shop/api, container app`,
        '',
        'Container "app" runs privileged. A privileged container has every capability and access to all host devices: escaping to the node takes one command.',
        '',
        '**Safe fix:** Remove privileged: true.',
        '',
        '```suggestion',
        '            privileged: false',
        '```',
        '',
        '<!-- kube-ratchet:fp=abc123 -->',
      ].join('\n'),
    )
  })

  it('golden: a fix that cannot be a suggestion is shown as a diff, and "review" fixes say so', () => {
    const f = finding({ fingerprint: 'def456', fix: fix(12, '            privileged: false', { safety: 'review' }) })
    expect(commentBody(f, { suggestion: false }, context)).toBe(
      [
        `**🔴 Critical · Privileged container** · [\`pss-privileged\`](${DOCS}/pss-privileged.md) · Deployment shop/api, container app`,
        '',
        'Container "app" runs privileged. A privileged container has every capability and access to all host devices: escaping to the node takes one command.',
        '',
        '**Review carefully:** Remove privileged: true.',
        '',
        '```diff',
        '@@ -12,1 +12,1 @@',
        '-            privileged: true',
        '+            privileged: false',
        '```',
        '',
        '<!-- kube-ratchet:fp=def456 -->',
      ].join('\n'),
    )
  })

  it('says why a finding has no fix', () => {
    const body = commentBody(finding({ fixNote: 'no patch offered: it edits an alias' }), { suggestion: false }, context)
    expect(body).toContain('_No patch offered: it edits an alias._')
  })

  it('links rule pages in the action’s own repository', () => {
    const other = markdownContext({ actionRepository: 'someone/fork' })
    expect(commentBody(finding(), { suggestion: false }, other)).toContain(
      '(https://github.com/someone/fork/blob/main/docs/rules/pss-privileged.md)',
    )
  })

  it('fences a suggestion longer than any backtick run in it', () => {
    const text = '  command: ["sh", "-c", "echo ```` done"]'
    const body = commentBody(finding({ fix: fix(10, text) }), { suggestion: true }, context)
    expect(body).toContain(`\`\`\`\`\`suggestion\n${text}\n\`\`\`\`\``)
  })

  it('makes hostile names inert', () => {
    const hostile = finding({
      message: 'Container "@octocat <script>alert(1)</script> [x](https://evil.example)" runs privileged.',
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: '@org/team', name: '<img src=x>' },
      container: '**bold** `tick` | pipe\nnewline',
      title: 'Title <b>',
    })
    const body = commentBody(hostile, { suggestion: false }, context)
    expect(body).not.toMatch(/@(?!\u2060)/)
    expect(body).not.toMatch(/<(?!!-- kube-ratchet:fp=)/)
    expect(body).not.toContain('](https://evil')
    expect(body).not.toContain('**bold**')
    expect(body.split('\n')).toHaveLength(5) // header, blank, what and why, blank, marker
  })

  it('reads back the fingerprint marker, and only ours', () => {
    expect(fingerprintOf(`text\n\n${fingerprintMarker('abc')}`)).toBe('abc')
    expect(fingerprintOf('<!-- other:fp=abc -->')).toBeNull()
    expect(fingerprintOf(null)).toBeNull()
    expect(fingerprintMarker('a -->b<')).toBe('<!-- kube-ratchet:fp=a--b -->')
  })

  it('keeps a comment under GitHub’s limit when the patch is huge', () => {
    const big = fix(10, 'x', { patch: `@@ -1,1 +1,1 @@\n${'+y\n'.repeat(40_000)}` })
    const body = commentBody(finding({ fix: big }), { suggestion: false }, context)
    expect(body.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT)
    expect(body).toContain('(patch truncated)')
    const hugeSuggestion = fix(10, 'z'.repeat(70_000))
    const body2 = commentBody(finding({ fix: hugeSuggestion }), { suggestion: true }, context)
    expect(body2.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT)
    expect(body2).toContain('<!-- kube-ratchet:fp=')
  })
})

describe('anchors', () => {
  const diff = diffOf({ 'payments/api.yaml': `${addedLines(8, 14)}\n@@ -40,2 +40,3 @@\n a\n+b\n c` })

  it('anchors a one-replacement fix inside a hunk on the replaced lines, as a suggestion', () => {
    const f = finding({ line: 9, endLine: 9, fix: { ...fix(11, 'x'), replacements: [{ startLine: 11, endLine: 13, text: 'x' }] } })
    expect(anchorFor(f, diff)).toEqual({ line: 13, startLine: 11, suggestion: true })
  })

  it('uses start_line only for a range', () => {
    expect(anchorFor(finding({ line: 10, endLine: 10, fix: fix(10, 'x') }), diff)).toEqual({ line: 10, startLine: null, suggestion: true })
    expect(anchorFor(finding({ line: 9, endLine: 12 }), diff)).toEqual({ line: 12, startLine: 9, suggestion: false })
  })

  it('falls back to the finding’s lines when the fix leaves the hunk or has several replacements', () => {
    const outside = finding({ line: 10, endLine: 10, fix: fix(20, 'x') })
    expect(anchorFor(outside, diff)).toEqual({ line: 10, startLine: null, suggestion: false })
    const two = finding({ line: 10, endLine: 10, fix: { ...fix(10, 'x'), replacements: [{ startLine: 10, endLine: 10, text: 'a' }, { startLine: 12, endLine: 12, text: 'b' }] } })
    expect(anchorFor(two, diff)).toEqual({ line: 10, startLine: null, suggestion: false })
  })

  it('falls back to the first line when the range leaves the hunk, and to nothing outside the diff', () => {
    expect(anchorFor(finding({ line: 13, endLine: 20 }), diff)).toEqual({ line: 13, startLine: null, suggestion: false })
    expect(anchorFor(finding({ line: 14, endLine: 40 }), diff)).toEqual({ line: 14, startLine: null, suggestion: false })
    expect(anchorFor(finding({ line: 20, endLine: 20 }), diff)).toBeNull()
    expect(anchorFor(finding({ file: 'other.yaml' }), diff)).toBeNull()
  })
})

describe('planReview', () => {
  const diff = diffOf({ 'payments/api.yaml': addedLines(1, 100) })

  it('caps inline comments at 30, most severe first, and lists the rest in the body', () => {
    const findings = Array.from({ length: 40 }, (_, i) => finding({ line: i + 1, endLine: i + 1, severity: i % 2 === 0 ? 'low' : 'high' }))
    const plan = planReview(findings, diff, context)
    expect(plan.comments).toHaveLength(MAX_INLINE_COMMENTS)
    expect(plan.overflow).toHaveLength(10)
    expect(plan.comments.filter((c) => c.finding.severity === 'high')).toHaveLength(20)
    expect(plan.overflow.every((f) => f.severity === 'low')).toBe(true)
    // posted in file and line order
    expect(plan.comments.map((c) => c.line)).toEqual([...plan.comments.map((c) => c.line)].sort((a, b) => a - b))
  })

  it('skips fingerprints already commented, routes findings outside the diff away, and ignores fixed ones', () => {
    const posted = finding({ line: 5, endLine: 5 })
    const outside = finding({ line: 500, endLine: 500 })
    const fixed = finding({ line: 6, endLine: 6, status: 'fixed' })
    const fresh = finding({ line: 7, endLine: 7 })
    const plan = planReview([posted, outside, fixed, fresh], diff, context, { commented: new Set([posted.fingerprint]) })
    expect(plan.comments.map((c) => c.finding)).toEqual([fresh])
    expect(plan.alreadyCommented).toEqual([posted])
    expect(plan.outside).toEqual([outside])
  })

  it('comments once per fingerprint', () => {
    const a = finding({ line: 3, endLine: 3, fingerprint: 'same' })
    const b = finding({ line: 4, endLine: 4, fingerprint: 'same' })
    expect(planReview([a, b], diff, context).comments).toHaveLength(1)
  })
})

describe('the review body', () => {
  it('golden: markers, the count, and findings beyond the cap', () => {
    const listed = finding({ severity: 'low', line: 40, endLine: 40, ruleId: 'readonly-rootfs-missing', title: 'Writable root filesystem', message: 'Container "app" has a writable root filesystem.' })
    const body = reviewBody(context, { headSha: HEAD_SHA, runToken: '42.1.beef', listed: [listed], inline: 30, outside: 2 })
    expect(body).toBe(
      [
        '**kube-ratchet** found 31 new security regressions in the changed lines.',
        '',
        '30 are commented inline; the other 1 are listed here.',
        '',
        `- **🔵 Low** [\`readonly-rootfs-missing\`](${DOCS}/readonly-rootfs-missing.md) Container "app" has a writable root filesystem. (Deployment shop/api, container app) at [payments/api.yaml:40](https://github.com/acme/shop/blob/${HEAD_SHA}/payments/api.yaml#L40)`,
        '',
        '2 more new findings sit outside the diff: see the kube-ratchet check.',
        '',
        `<!-- kube-ratchet:review head=${HEAD_SHA} -->`,
        '<!-- kube-ratchet:run=42.1.beef -->',
      ].join('\n'),
    )
    expect(body).toContain(reviewMarker(HEAD_SHA))
  })

  it('after a refusal, lists every finding with its fix folded away', () => {
    const f = finding({ fix: fix(10, '            privileged: false') })
    const body = reviewBody(context, { headSha: HEAD_SHA, runToken: 't', listed: [f], inline: 0, outside: 0, refused: true })
    expect(body).toContain('GitHub did not accept inline comments on these lines, so they are listed here.')
    expect(body).toContain('  <details><summary>Safe fix: Remove privileged: true.</summary>')
    expect(body).toContain('  ```diff\n  @@ -10,1 +10,1 @@\n  -            privileged: true\n  +            privileged: false\n  ```')
  })

  it('stays under GitHub’s limit with its markers intact', () => {
    const many = Array.from({ length: 2000 }, (_, i) => finding({ line: i + 1, endLine: i + 1, message: `Finding ${i} ${'x'.repeat(60)}` }))
    const body = reviewBody(context, { headSha: HEAD_SHA, runToken: 't', listed: many, inline: 0, outside: 0, refused: true })
    expect(body.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT)
    expect(body).toContain('Truncated:')
    expect(body.endsWith(`${reviewMarker(HEAD_SHA)}\n<!-- kube-ratchet:run=t -->`)).toBe(true)
  })
})

describe('the check run', () => {
  it('titles the run by its new findings', () => {
    expect(checkTitle(report([]))).toBe('No new security regressions')
    expect(checkTitle(report([finding({ severity: 'critical' }), finding({ severity: 'medium' })]))).toBe('2 new security regressions (1 critical)')
    expect(checkTitle(report([finding({ severity: 'high' }), finding({ severity: 'critical' }), finding({ severity: 'high' })]))).toBe(
      '3 new security regressions (1 critical, 2 high)',
    )
    expect(checkTitle(report([finding({ severity: 'medium' }), finding({ severity: 'low' })]))).toBe('2 new security regressions (1 medium)')
    expect(checkTitle(report([finding({ severity: 'low' })]))).toBe('1 new security regression (1 low)')
    expect(checkTitle(report([finding({ status: 'fixed' })]))).toBe('No new security regressions')
  })

  it('golden: posture, new and fixed findings, unchanged count, errors and skipped files', () => {
    const r = report(
      [
        finding({ line: 12, endLine: 12, fix: fix(12, 'x') }),
        finding({ ruleId: 'pss-host-namespaces', severity: 'high', title: 'Host namespaces shared', message: 'The pod sets hostNetwork: true.', container: null, line: 5, endLine: 5 }),
        finding({ status: 'fixed', ruleId: 'pss-host-namespaces', severity: 'high', message: 'The pod sets hostPID: true.', container: null, file: 'jobs/cron.yaml', line: 17, endLine: 17, resource: { apiVersion: 'batch/v1', kind: 'CronJob', namespace: 'shop', name: 'nightly' } }),
        finding({ status: 'unchanged' }),
        finding({ status: 'unchanged' }),
      ],
      {
        postures: [
          { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' }, file: 'payments/api.yaml', base: 'restricted', head: 'privileged' },
          { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'same' }, file: 'same.yaml', base: 'baseline', head: 'baseline' },
          { resource: { apiVersion: 'batch/v1', kind: 'CronJob', namespace: 'shop', name: 'nightly' }, file: 'jobs/cron.yaml', base: 'privileged', head: 'restricted' },
        ],
        errors: [{ revision: 'head', file: 'broken.yaml', line: 3, message: 'Nested mappings are not allowed' }],
        skipped: [{ revision: 'head', file: 'chart/templates/x.yaml', reason: 'a Helm chart template' }],
      },
    )
    const blob = `https://github.com/acme/shop/blob`
    expect(checkSummary(r, context)).toBe(
      [
        '## ❌ 2 new security regressions (1 critical, 1 high)',
        '',
        '2 new · 1 fixed · 2 unchanged · compared `bbbbbbb` → `aaaaaaa`. New findings of severity **high** or above fail the check.',
        '',
        '### Pod Security level',
        '',
        '| Workload | Kind | File |',
        '| --- | --- | --- |',
        '| shop/api: restricted → privileged | Deployment | payments/api.yaml |',
        '| shop/nightly: privileged → restricted | CronJob | jobs/cron.yaml |',
        '',
        '### New findings',
        '',
        '| Severity | Rule | Finding | Object | Location |',
        '| --- | --- | --- | --- | --- |',
        `| 🔴 Critical | [\`pss-privileged\`](${DOCS}/pss-privileged.md) | Container "app" runs privileged. Safe fix offered. | Deployment shop/api, container app | [payments/api.yaml:12](${blob}/${'a'.repeat(40)}/payments/api.yaml#L12) |`,
        `| 🟠 High | [\`pss-host-namespaces\`](${DOCS}/pss-host-namespaces.md) | The pod sets hostNetwork: true. | Deployment shop/api | [payments/api.yaml:5](${blob}/${'a'.repeat(40)}/payments/api.yaml#L5) |`,
        '',
        '### Fixed',
        '',
        '| Severity | Rule | Finding | Object | Was at |',
        '| --- | --- | --- | --- | --- |',
        `| 🟠 High | [\`pss-host-namespaces\`](${DOCS}/pss-host-namespaces.md) | The pod sets hostPID: true. | CronJob shop/nightly | [jobs/cron.yaml:17](${blob}/${'b'.repeat(40)}/jobs/cron.yaml#L17) |`,
        '',
        '2 findings were already there before this change (unchanged): existing debt, not counted against it.',
        '',
        '### Errors',
        '',
        '- `broken.yaml:3` (head): Nested mappings are not allowed',
        '',
        '### Skipped files',
        '',
        '- `chart/templates/x.yaml` (head): a Helm chart template',
        '',
      ].join('\n'),
    )
  })

  it('golden: a weakened configuration, suppressed findings and warnings', () => {
    const suppressed = finding({ status: 'new', line: 7, endLine: 7, suppressedBy: { source: 'annotation', reason: 'debug <sidecar> for @ops', file: 'payments/api.yaml', line: 4 } })
    const r = report([], {
      configChanges: ['failOn: high → none'],
      suppressed: [suppressed],
      warnings: [{ file: '.github/kube-ratchet.yml', line: 3, message: 'the suppression of pss-privileged expired on 2024-01-01' }],
    })
    const text = checkSummary(r, context)
    expect(text).toContain('### ⚠️ This change weakens the gate\n\n- failOn: high → none\n')
    expect(text).toContain(
      `| new | [\`pss-privileged\`](${DOCS}/pss-privileged.md) | Container "app" runs privileged. | Deployment shop/api, container app | [payments/api.yaml:7](https://github.com/acme/shop/blob/${'a'.repeat(40)}/payments/api.yaml#L7) | annotation at payments/api.yaml:4: debug &lt;sidecar&gt; for @\u2060ops |`,
    )
    expect(text).toContain('### Warnings\n\n- `.github/kube-ratchet.yml:3`: the suppression of pss-privileged expired on 2024-01-01\n')
  })

  it('golden: a clean run', () => {
    expect(checkSummary(report([], { failOn: 'none', base: { ref: null, sha: null } }), context)).toBe(
      '## ✅ No new security regressions\n\n0 new · 0 fixed · 0 unchanged · scanned `aaaaaaa`. No severity fails the check.\n',
    )
  })

  it('keeps hostile names inside their table cells', () => {
    const r = report([
      finding({
        file: 'evil|dir/@admin <b>.yaml',
        message: 'line one\n| injected | row |',
        resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: '[x](javascript:alert(1))' },
        container: '`code`',
      }),
    ])
    const row = checkSummary(r, context).split('\n').find((l) => l.startsWith('| 🔴'))
    expect(row).toBeDefined()
    // five cells: the unescaped pipes are the six borders
    expect(row?.match(/(?<!\\)\|/g)).toHaveLength(6)
    expect(row).not.toMatch(/@(?!\u2060)/)
    expect(row).not.toContain('<b>')
    expect(row).toContain('evil\\|dir/@\u2060admin &lt;b&gt;.yaml')
    expect(row).toContain('/evil%7Cdir/%40admin%20%3Cb%3E.yaml#L10')
  })

  it('stays under GitHub’s limit with a note', () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ line: i + 1, endLine: i + 1 }))
    const summary = checkSummary(report(many), context)
    expect(summary.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT)
    expect(summary).toMatch(/Truncated: \d+ more lines are not shown/)
  })
})

describe('truncateMarkdown', () => {
  it('returns short text unchanged', () => {
    expect(truncateMarkdown('abc', 'note', 10)).toBe('abc')
  })

  it('cuts at a line and closes an open fence', () => {
    const text = ['intro', '````diff', ...Array.from({ length: 100 }, (_, i) => `+line ${i}`), '````', 'outro'].join('\n')
    const cut = truncateMarkdown(text, 'See the report.', 600)
    expect(cut.length).toBeLessThanOrEqual(600)
    expect(cut).toMatch(/\n````\n\n> \[!NOTE\]\n> Truncated: \d+ more lines are not shown \(GitHub allows 600 characters\)\. See the report\.\n$/)
  })
})

describe('renderMarkdown (the CLI’s --format markdown)', () => {
  it('prints the check summary, then the review body and each comment with its lines', () => {
    const f = finding({ line: 3, endLine: 4 })
    const out = renderMarkdown(report([f]), diffOf({ 'payments/api.yaml': addedLines(1, 10) }), context)
    expect(out.startsWith('# Check run: kube-ratchet\n\n## ❌ 1 new security regression (1 critical)')).toBe(true)
    expect(out).toContain(checkSummary(report([f]), context).trimEnd())
    expect(out).toContain('## Comment on payments/api.yaml, lines 3–4')
    expect(out).toContain(commentBody(f, { suggestion: false }, context))
  })

  it('says when there is no review', () => {
    const out = renderMarkdown(report([]), diffOf({}), context)
    expect(out).toContain('_No review: nothing new to comment on in the changed lines._')
  })
})
