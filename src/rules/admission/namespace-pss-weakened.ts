import { asObject, asString, getIn } from '../../extract/json.js'
import type { Resource, Severity } from '../../model.js'
import { PSS_LEVELS, type PssLevel } from '../../model.js'
import type { Edit, TransitionRule, TransitionViolation } from '../rule.js'

const PREFIX = 'pod-security.kubernetes.io/'
const MODES: readonly { mode: 'enforce' | 'audit' | 'warn'; severity?: Severity }[] = [
  { mode: 'enforce' },
  { mode: 'audit', severity: 'low' },
  { mode: 'warn', severity: 'low' },
]

/** A label value as Pod Security Admission reads it; a non-string label reads as absent. */
function labelOf(resource: Resource, key: string): string | undefined {
  return asString(asObject(getIn(resource.object, ['metadata', 'labels']))?.[key])
}

/**
 * The level a mode label enforces: an absent label leaves the cluster default, `privileged`
 * unless the admission configuration says otherwise; an invalid one is read as `restricted`,
 * as Pod Security Admission does.
 */
function levelOf(value: string | undefined): PssLevel {
  if (value === undefined) return 'privileged'
  return (PSS_LEVELS as readonly string[]).includes(value) ? (value as PssLevel) : 'restricted'
}

/** `latest` (absent or invalid reads as latest) ranks above every `v1.N`, compared numerically. */
function versionRank(value: string | undefined): number {
  const match = value === undefined ? null : /^v1\.(0|[1-9][0-9]*)$/.exec(value)
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY
}

function shown(value: string | undefined, effective: string): string {
  if (value === undefined) return `absent (${effective})`
  return value === effective ? `"${value}"` : `"${value}" (${effective})`
}

/** The fix that puts the base label back: set it, or delete the head's where base had none. */
function restore(path: string[], baseValue: string | undefined): { safety: 'review'; description: string; edits: Edit[] } {
  return baseValue === undefined
    ? { safety: 'review', description: `Remove the label ${path[path.length - 1]} again.`, edits: [{ op: 'delete', path }] }
    : {
        safety: 'review',
        description: `Set ${path[path.length - 1]} back to "${baseValue}".`,
        edits: [{ op: 'set', path, value: baseValue }],
      }
}

/**
 * A Namespace whose Pod Security Admission labels let more through at head than at base: a mode's
 * level lowered or its label removed, or its version pinned older. `enforce` is the rule's
 * severity; `audit` and `warn` only change what is logged or shown, so they are `low`. Only
 * namespaces present at both revisions are compared; a version is compared only where the level
 * stayed the same and is above privileged.
 */
export const namespacePssWeakened: TransitionRule = {
  kind: 'transition',
  appliesTo: ['/Namespace'],
  meta: {
    id: 'namespace-pss-weakened',
    title: 'Namespace Pod Security level weakened',
    severity: 'high',
    description:
      'The `pod-security.kubernetes.io/*` labels decide which pods the namespace admits. Lowering or removing `enforce` (or pinning an older policy version) lets in pods the namespace used to reject, such as privileged ones.',
    remediation: 'Keep the namespace at its level; exempt the one workload that needs more, or move it to a namespace of its own.',
    messages: {
      lowered: 'The namespace lowers Pod Security {{mode}} from {{from}} to {{to}}.',
      removed: 'The namespace removes the Pod Security {{mode}} label (was {{from}}); the cluster default applies, privileged unless configured.',
      versionOlder: 'The namespace pins Pod Security {{mode}}-version to {{to}}, older than {{from}}.',
    },
  },
  check: ({ base, head }) => {
    if (!base || !head) return []
    const violations: TransitionViolation[] = []
    for (const { mode, severity } of MODES) {
      const key = `${PREFIX}${mode}`
      const path = ['metadata', 'labels', key]
      const baseValue = labelOf(base, key)
      const headValue = labelOf(head, key)
      const baseLevel = levelOf(baseValue)
      const headLevel = levelOf(headValue)
      const extra = severity ? { severity } : {}
      if (PSS_LEVELS.indexOf(headLevel) < PSS_LEVELS.indexOf(baseLevel)) {
        violations.push({
          on: 'head',
          messageId: headValue === undefined ? 'removed' : 'lowered',
          data: { mode, from: shown(baseValue, baseLevel), to: shown(headValue, headLevel) },
          path,
          fix: restore(path, baseValue),
          ...extra,
        })
      }
      // a version only matters at an unchanged level: a lowered one is reported above, a raised one is stronger
      if (headLevel === 'privileged' || headLevel !== baseLevel) continue
      const versionKey = `${key}-version`
      const versionPath = ['metadata', 'labels', versionKey]
      const baseVersion = labelOf(base, versionKey)
      const headVersion = labelOf(head, versionKey)
      if (versionRank(headVersion) < versionRank(baseVersion)) {
        violations.push({
          on: 'head',
          messageId: 'versionOlder',
          data: {
            mode,
            from: shown(baseVersion, versionRank(baseVersion) === Infinity ? 'latest' : (baseVersion as string)),
            to: shown(headVersion, headVersion as string),
          },
          path: versionPath,
          fix: restore(versionPath, baseVersion),
          ...extra,
        })
      }
    }
    return violations
  },
}
