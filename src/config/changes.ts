import { PSS_LEVELS, SEVERITIES, type Severity, severityRank } from '../model.js'
import type { RuleMeta } from '../rules/rule.js'
import type { Config, IgnoreEntry } from './config.js'

/**
 * What a pull request changed in the configuration that weakens the gate, in words for the
 * review: rules switched off or lowered, suppressions added, levels lowered, the bar raised,
 * files left out. The head's configuration decides the run; this makes its changes visible.
 */
export function weakeningChanges(base: Config, head: Config, rules: ReadonlyMap<string, RuleMeta>): string[] {
  const changes: string[] = []
  const effective = (config: Config, id: string): Severity | 'off' | undefined => config.rules[id] ?? rules.get(id)?.severity
  for (const id of new Set([...Object.keys(head.rules), ...Object.keys(base.rules)])) {
    const before = effective(base, id)
    const after = effective(head, id)
    if (before === undefined || after === undefined || before === 'off') continue
    if (after === 'off') changes.push(`rule ${id} switched off`)
    else if (severityRank(after) < severityRank(before)) changes.push(`rule ${id} lowered from ${before} to ${after}`)
  }
  const known = new Set(base.ignore.map(ignoreKey))
  for (const entry of head.ignore) {
    if (!known.has(ignoreKey(entry))) changes.push(`suppression added: ${describeIgnore(entry)}`)
  }
  const levelLowered = levelRank(head.level) < levelRank(base.level)
  if (levelLowered) changes.push(`Pod Security level lowered from ${base.level} to ${head.level}`)
  for (const namespace of new Set([...Object.keys(head.namespaceLevels), ...Object.keys(base.namespaceLevels)])) {
    const before = base.namespaceLevels[namespace] ?? base.level
    const after = head.namespaceLevels[namespace] ?? head.level
    // a namespace that simply follows the lowered global level is said once, above
    if (levelRank(after) >= levelRank(before)) continue
    if (levelLowered && !(namespace in base.namespaceLevels) && !(namespace in head.namespaceLevels)) continue
    changes.push(`Pod Security level of namespace ${namespace} lowered from ${before} to ${after}`)
  }
  if (failRank(head.failOn) < failRank(base.failOn)) changes.push(`fail-on raised from ${base.failOn} to ${head.failOn}`)
  if (base.mode === 'all' && head.mode === 'regressions') changes.push('mode changed from all to regressions')
  for (const glob of head.exclude) if (!base.exclude.includes(glob)) changes.push(`files excluded: ${glob}`)
  for (const glob of base.include) if (!head.include.includes(glob)) changes.push(`files no longer included: ${glob}`)
  for (const tool of head.compat) if (!base.compat.includes(tool)) changes.push(`${tool} suppression annotations now honoured`)
  for (const name of head.sandboxRuntimeClasses) {
    if (!base.sandboxRuntimeClasses.includes(name)) changes.push(`RuntimeClass ${name} now counts as a sandbox`)
  }
  const templateKey = (t: Config['podTemplates'][number]): string => `${t.apiVersion}/${t.kind}:${t.path.join('.')}`
  const headTemplates = new Set(head.podTemplates.map(templateKey))
  for (const template of base.podTemplates) {
    if (!headTemplates.has(templateKey(template))) {
      changes.push(`pod template ${template.path.join('.')} of ${template.apiVersion} ${template.kind} no longer checked`)
    }
  }
  if (base.render.enabled && !head.render.enabled) changes.push('Kustomize overlays and Helm charts no longer rendered')
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
