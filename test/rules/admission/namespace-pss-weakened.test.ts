import { describe, expect, it } from 'vitest'
import { namespacePssWeakened } from '../../../src/rules/admission/namespace-pss-weakened.js'
import { diffTrees } from '../../helpers/revisions.js'
import { checkChange } from './transition.js'

const ENFORCE = 'pod-security.kubernetes.io/enforce'

/** A Namespace with these labels (`key: value` lines), or none. */
function namespace(labels: Record<string, string> = {}, name = 'team'): string {
  const lines = Object.entries(labels).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${lines.length > 0 ? `  labels:\n${lines.join('')}` : ''}`
}

const summary = (violations: ReturnType<typeof checkChange>) =>
  violations.map((v) => ({ messageId: v.messageId, data: v.data, path: v.path, severity: v.severity, on: v.on }))

describe('namespace-pss-weakened', () => {
  describe('check', () => {
    it('fires when enforce is lowered, with the base value as a review fix', () => {
      const [violation, ...rest] = checkChange(
        namespacePssWeakened,
        namespace({ [ENFORCE]: 'restricted' }),
        namespace({ [ENFORCE]: 'baseline' }),
      )
      expect(rest).toEqual([])
      expect(violation).toEqual({
        on: 'head',
        messageId: 'lowered',
        data: { mode: 'enforce', from: '"restricted"', to: '"baseline"' },
        path: ['metadata', 'labels', ENFORCE],
        fix: {
          safety: 'review',
          description: `Set ${ENFORCE} back to "restricted".`,
          edits: [{ op: 'set', path: ['metadata', 'labels', ENFORCE], value: 'restricted' }],
        },
      })
    })

    it('fires when enforce is removed: the default is privileged', () => {
      expect(summary(checkChange(namespacePssWeakened, namespace({ [ENFORCE]: 'baseline' }), namespace()))).toEqual([
        {
          messageId: 'removed',
          data: { mode: 'enforce', from: '"baseline"', to: 'absent (privileged)' },
          path: ['metadata', 'labels', ENFORCE],
          severity: undefined,
          on: 'head',
        },
      ])
    })

    it('reads an invalid level as restricted, as Pod Security Admission does', () => {
      expect(
        summary(checkChange(namespacePssWeakened, namespace({ [ENFORCE]: 'Restricted' }), namespace({ [ENFORCE]: 'baseline' }))),
      ).toEqual([
        {
          messageId: 'lowered',
          data: { mode: 'enforce', from: '"Restricted" (restricted)', to: '"baseline"' },
          path: ['metadata', 'labels', ENFORCE],
          severity: undefined,
          on: 'head',
        },
      ])
      // a typo at head is read as restricted: not a weakening
      expect(checkChange(namespacePssWeakened, namespace({ [ENFORCE]: 'baseline' }), namespace({ [ENFORCE]: 'basline' }))).toEqual([])
    })

    it('gives audit and warn the low severity', () => {
      const violations = checkChange(
        namespacePssWeakened,
        namespace({ 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' }),
        namespace({ 'pod-security.kubernetes.io/audit': 'privileged' }),
      )
      expect(violations.map((v) => [v.messageId, v.data?.mode, v.severity])).toEqual([
        ['lowered', 'audit', 'low'],
        ['removed', 'warn', 'low'],
      ])
    })

    it('fires when enforce-version is pinned older than before, comparing minors numerically', () => {
      const VERSION = `${ENFORCE}-version`
      const older = checkChange(
        namespacePssWeakened,
        namespace({ [ENFORCE]: 'restricted', [VERSION]: 'v1.30' }),
        namespace({ [ENFORCE]: 'restricted', [VERSION]: 'v1.9' }),
      )
      expect(summary(older)).toEqual([
        {
          messageId: 'versionOlder',
          data: { mode: 'enforce', from: '"v1.30"', to: '"v1.9"' },
          path: ['metadata', 'labels', VERSION],
          severity: undefined,
          on: 'head',
        },
      ])
      expect(older[0]?.fix?.edits).toEqual([{ op: 'set', path: ['metadata', 'labels', VERSION], value: 'v1.30' }])
      // from latest (absent) to a pin: the fix removes the pin again
      const pinned = checkChange(namespacePssWeakened, namespace({ [ENFORCE]: 'baseline' }), namespace({ [ENFORCE]: 'baseline', [VERSION]: 'v1.25' }))
      expect(pinned.map((v) => v.data)).toEqual([{ mode: 'enforce', from: 'absent (latest)', to: '"v1.25"' }])
      expect(pinned[0]?.fix?.edits).toEqual([{ op: 'delete', path: ['metadata', 'labels', VERSION] }])
      // an invalid version reads as latest
      expect(
        checkChange(namespacePssWeakened, namespace({ [ENFORCE]: 'baseline', [VERSION]: 'v2.0' }), namespace({ [ENFORCE]: 'baseline', [VERSION]: 'v1.31' }))
          .map((v) => v.data?.from),
      ).toEqual(['"v2.0" (latest)'])
    })

    it('does not fire when the level is raised, kept, or the version moves forward', () => {
      const VERSION = `${ENFORCE}-version`
      for (const [base, head] of [
        [{ [ENFORCE]: 'baseline' }, { [ENFORCE]: 'restricted' }],
        [{}, { [ENFORCE]: 'baseline' }],
        [{ [ENFORCE]: 'privileged' }, {}],
        [{ [ENFORCE]: 'restricted', [VERSION]: 'v1.25' }, { [ENFORCE]: 'restricted', [VERSION]: 'latest' }],
        [{ [ENFORCE]: 'restricted', [VERSION]: 'v1.9' }, { [ENFORCE]: 'restricted', [VERSION]: 'v1.10' }],
        // raised to restricted while pinning a version: stronger than privileged at any version
        [{ [ENFORCE]: 'privileged' }, { [ENFORCE]: 'restricted', [VERSION]: 'v1.20' }],
        // the version of a privileged namespace does not matter
        [{ [ENFORCE]: 'privileged' }, { [ENFORCE]: 'privileged', [VERSION]: 'v1.0' }],
        [{ [ENFORCE]: 'baseline', team: 'a' }, { [ENFORCE]: 'baseline', team: 'b' }],
      ] as Record<string, string>[][]) {
        expect(checkChange(namespacePssWeakened, namespace(base), namespace(head))).toEqual([])
      }
    })

    it('does not fire on added or deleted namespaces, nor on wrong types', () => {
      expect(checkChange(namespacePssWeakened, null, namespace({ [ENFORCE]: 'privileged' }))).toEqual([])
      expect(checkChange(namespacePssWeakened, namespace({ [ENFORCE]: 'restricted' }), null)).toEqual([])
      expect(
        checkChange(
          namespacePssWeakened,
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: [restricted]\n',
          'apiVersion: v1\nkind: Namespace\nmetadata: team\n',
        ),
      ).toEqual([])
    })
  })

  describe.each(['dirs', 'git'] as const)('base → head via %s', (via) => {
    it('reports a lowered enforce label as new on the head line, and nothing for an unrelated change', async () => {
      const base = {
        'ns/team.yaml': namespace({ [ENFORCE]: 'restricted', owner: 'a' }),
        'ns/other.yaml': namespace({ [ENFORCE]: 'baseline' }, 'other'),
      }
      const report = await diffTrees(
        base,
        { ...base, 'ns/team.yaml': namespace({ [ENFORCE]: 'privileged', owner: 'a' }) },
        { via, rules: [namespacePssWeakened] },
      )
      expect(report.findings.map((f) => ({ status: f.status, ruleId: f.ruleId, file: f.file, line: f.line, severity: f.severity }))).toEqual([
        { status: 'new', ruleId: 'namespace-pss-weakened', file: 'ns/team.yaml', line: 6, severity: 'high' },
      ])

      const unrelated = await diffTrees(
        base,
        { ...base, 'ns/team.yaml': namespace({ [ENFORCE]: 'restricted', owner: 'b' }) },
        { via, rules: [namespacePssWeakened] },
      )
      expect(unrelated.findings).toEqual([])
    })
  })
})
