import { PSS_LEVELS, SEVERITIES, severityRank } from '../model.js'
import type { RuleMeta } from '../rules/rule.js'
import type { Config, IgnoreEntry } from './config.js'

/**
 * What a pull request changed in the configuration that weakens the gate, in words for the
 * review: rules switched off or lowered, suppressions added, levels lowered, the bar raised,
 * files left out. The head's configuration decides the run; this makes its changes visible.
 */
export function weakeningChanges(base: Config, head: Config, rules: ReadonlyMap<string, RuleMeta>): string[] {
  const changes: string[] = []
  for (const [id, value] of Object.entries(head.rules)) {
    const before = base.rules[id] ?? rules.get(id)?.severity
    if (value === 'off' && before !== 'off') changes.push(`rule ${id} switched off`)
    else if (value !== 'off' && before !== undefined && before !== 'off' && severityRank(value) < severityRank(before)) {
      changes.push(`rule ${id} lowered from ${before} to ${value}`)
    }
  }
  const known = new Set(base.ignore.map(ignoreKey))
  for (const entry of head.ignore) {
    if (!known.has(ignoreKey(entry))) changes.push(`suppression added: ${describeIgnore(entry)}`)
  }
  if (levelRank(head.level) < levelRank(base.level)) changes.push(`Pod Security level lowered from ${base.level} to ${head.level}`)
  for (const [namespace, level] of Object.entries(head.namespaceLevels)) {
    const before = base.namespaceLevels[namespace] ?? base.level
    if (levelRank(level) < levelRank(before)) changes.push(`Pod Security level of namespace ${namespace} lowered from ${before} to ${level}`)
  }
  if (failRank(head.failOn) < failRank(base.failOn)) changes.push(`fail-on raised from ${base.failOn} to ${head.failOn}`)
  if (base.mode === 'all' && head.mode === 'regressions') changes.push('mode changed from all to regressions')
  for (const glob of head.exclude) if (!base.exclude.includes(glob)) changes.push(`files excluded: ${glob}`)
  for (const glob of base.include) if (!head.include.includes(glob)) changes.push(`files no longer included: ${glob}`)
  for (const tool of head.compat) if (!base.compat.includes(tool)) changes.push(`${tool} suppression annotations now honoured`)
  return changes
}

function ignoreKey(entry: IgnoreEntry): string {
  const { line: _line, ...rest } = entry
  return JSON.stringify(rest)
}

function describeIgnore(entry: IgnoreEntry): string {
  const rules = entry.rules.length > 0 ? entry.rules.join(', ') : 'every rule'
  const where = [entry.kind, entry.namespace, entry.name, entry.container && `container ${entry.container}`].filter(Boolean)
  return `${rules}${where.length > 0 ? ` for ${where.join(' ')}` : ''} ("${entry.reason}")`
}

function levelRank(level: Config['level']): number {
  return PSS_LEVELS.indexOf(level)
}

/** Higher is stricter: `info` fails on every severity, `critical` on one, `none` on nothing. */
function failRank(failOn: Config['failOn']): number {
  return failOn === 'none' ? 0 : SEVERITIES.length + 1 - severityRank(failOn)
}
