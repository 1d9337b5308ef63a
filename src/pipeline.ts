import { weakeningChanges } from './config/changes.js'
import { type Config, DEFAULT_CONFIG } from './config/config.js'
import { pathFilter } from './config/glob.js'
import { comparePairs, sortFindings } from './compare/compare.js'
import { type ObjectPair, pairObjects } from './compare/match.js'
import { addedSuppressions, SUPPRESSION_ADDED } from './evaluate/added-suppressions.js'
import type { EvaluatedObject, EvaluationOptions } from './evaluate/evaluate.js'
import { applyPolicy, judge, namespaceLevels, type Policy, policyWarnings } from './evaluate/policy.js'
import { type EvaluationCache, evaluateRevision, resourcesMentioning } from './evaluate/revision.js'
import { revisionView } from './evaluate/revision-view.js'
import { evaluateTransitions, transitionRecheck } from './evaluate/transitions.js'
import { BUILTIN_POD_TEMPLATES, podTemplateOf, type PodTemplateTable } from './extract/pod-template.js'
import { groupOf } from './extract/identity.js'
import { readRevisions } from './load/read-revisions.js'
import { RevisionFiles } from './load/revision-files.js'
import type { RevisionSource } from './load/source.js'
import type { Finding, ObjectPath, Report, Severity } from './model.js'
import { attachFixes, type FixOptions } from './render/fix/fixes.js'
import { RULES } from './rules/index.js'
import type { Rule, RuleMeta, TransitionContext, TransitionRule } from './rules/rule.js'
import {
  DEFAULT_SANDBOX_RUNTIME_CLASSES,
  runtimeClassRemoved,
  runtimeClassRemovedRule,
} from './rules/workload/runtime-class-removed.js'

export interface PipelineInput {
  /** null for a scan: an empty base, so every finding is new */
  base: RevisionSource | null
  head: RevisionSource
  /**
   * `changed`: read only the files whose content differs between the revisions, as a pull
   * request review does. `all`: read every manifest of both revisions.
   */
  scope: 'changed' | 'all'
  failOn: Severity | 'none'
  /** the configuration that decides the run (the head's, when a pull request edits it) */
  config?: Config
  /** the base's configuration, to say what the change weakened */
  baseConfig?: Config
  /** fingerprints of a saved report: findings among them count as unchanged (`scan --baseline`) */
  baseline?: ReadonlySet<string>
  /** YYYY-MM-DD, for expiring suppressions; today by default */
  today?: string
  evaluation?: Partial<EvaluationOptions>
}

/** Kinds every run reads across the whole revision: namespaces set the Pod Security level of their workloads. */
const ALWAYS_READ = ['/Namespace']

/**
 * The whole engine: load → extract → evaluate → compare → render fixes, for two revisions.
 * Should not throw for bad input: it becomes errors, skips and warnings in the report.
 */
export async function runPipeline(input: PipelineInput): Promise<Report> {
  return (await analyse(input)).report
}

/** The report, and how its fixes were verified (for applying them to files: `kube-ratchet fix`). */
export interface Analysis {
  report: Report
  fixOptions: FixOptions
}

export async function analyse(input: PipelineInput): Promise<Analysis> {
  const config = input.config ?? DEFAULT_CONFIG
  const options: EvaluationOptions = {
    rules: configuredRules(config),
    podTemplates: podTemplateTable(config),
    compat: config.compat,
    ...input.evaluation,
  }
  const transitionRules = options.rules.filter((r): r is TransitionRule => r.kind === 'transition')
  const readKinds = new Set([...ALWAYS_READ, ...transitionRules.flatMap((r) => r.reads ?? [])])
  const contents = await readRevisions({
    base: input.base,
    head: input.head,
    scope: input.scope,
    wanted: pathFilter(config.include, config.exclude),
    withUnchanged: true,
  })

  const cache: EvaluationCache = new Map()
  const baseRaw = evaluateRevision('base', contents.base, cache, options)
  const headRaw = evaluateRevision('head', contents.head, cache, options)
  const surroundings = resourcesMentioning(contents.unchanged, readKinds)
  const context: TransitionContext = {
    base: revisionView([...baseRaw.objects.map((o) => o.resource), ...surroundings]),
    head: revisionView([...headRaw.objects.map((o) => o.resource), ...surroundings]),
    podOf: (resource) => podTemplateOf(resource, options.podTemplates),
  }
  const metas = new Map<string, RuleMeta>([...options.rules, { meta: SUPPRESSION_ADDED }].map((r) => [r.meta.id, r.meta]))
  const today = input.today ?? new Date().toISOString().slice(0, 10)
  const policyOf = (view: TransitionContext['base']): Policy => ({
    config,
    rules: metas,
    namespaceLabels: namespaceLevels(view.objectsOf('/Namespace')),
    today,
  })
  const basePolicy = policyOf(context.base)
  const headPolicy = policyOf(context.head)
  const pairs = pairObjects(applyPolicy(baseRaw.objects, basePolicy), applyPolicy(headRaw.objects, headPolicy))

  const files = { base: new RevisionFiles(contents.base), head: new RevisionFiles(contents.head) }
  const objectOf = objectIndex(pairs)
  const transitions = evaluateTransitions(pairs, transitionRules, context, files).flatMap(
    (finding) => judge(finding, objectOf(finding)?.suppressions ?? [], headPolicy) ?? [],
  )
  const compared = comparePairs(pairs)
  const all = sortFindings([
    ...transitions,
    ...compared.findings,
    ...addedSuppressions(pairs).flatMap((f) => judge(f, [], headPolicy) ?? []),
  ]).map((f) => (f.status === 'new' && input.baseline?.has(f.fingerprint) ? { ...f, status: 'unchanged' as const } : f))
  const counted = all.filter((f) => !f.suppressedBy)
  const suppressed = all.filter((f) => f.suppressedBy)

  const fixOptions: FixOptions = { evaluation: options, stillPresent: transitionRecheck(pairs, transitionRules, context) }
  const report: Report = {
    base: input.base?.info ?? { ref: null, sha: null },
    head: input.head.info,
    findings: attachFixes(counted, files.head, fixOptions),
    suppressed: suppressed.map((f) => ({ ...f, fix: null, fixNote: null })),
    postures: compared.postures,
    warnings: policyWarnings(headRaw.objects, headPolicy),
    configChanges: input.baseConfig ? weakeningChanges(input.baseConfig, config, metas) : [],
    errors: [...baseRaw.errors, ...headRaw.errors],
    skipped: [...contents.skipped, ...baseRaw.skipped, ...headRaw.skipped],
    files: baseRaw.files + headRaw.files,
    resources: headRaw.objects.length,
    failOn: input.failOn,
    mode: config.mode,
  }
  return { report, fixOptions }
}

/** Finds the object a finding is placed on (head objects first, then deleted base ones). */
function objectIndex(pairs: readonly ObjectPair<EvaluatedObject>[]): (finding: Finding) => EvaluatedObject | undefined {
  const key = (file: string, documentIndex: number, documentPath: ObjectPath): string =>
    `${file}\0${documentIndex}\0${JSON.stringify(documentPath)}`
  const index = new Map<string, EvaluatedObject>()
  for (const side of ['base', 'head'] as const) {
    for (const pair of pairs) {
      const object = pair[side]
      if (object) index.set(key(object.resource.file, object.resource.documentIndex, object.resource.documentPath), object)
    }
  }
  return (finding) => index.get(key(finding.file, finding.documentIndex, finding.documentPath))
}

/** The rules, with options from the configuration applied (sandbox runtime classes). */
function configuredRules(config: Config): readonly Rule[] {
  if (config.sandboxRuntimeClasses.length === 0) return RULES
  const sandboxes = [...DEFAULT_SANDBOX_RUNTIME_CLASSES, ...config.sandboxRuntimeClasses]
  return RULES.map((rule) => (rule.meta.id === runtimeClassRemoved.meta.id ? runtimeClassRemovedRule(sandboxes) : rule))
}

/** The built-in pod template locations plus the CRDs the configuration names. */
function podTemplateTable(config: Config): PodTemplateTable {
  if (config.podTemplates.length === 0) return BUILTIN_POD_TEMPLATES
  const table = new Map(BUILTIN_POD_TEMPLATES)
  for (const entry of config.podTemplates) {
    // The configured path ends at the template (`spec.template`); the table stores the same.
    table.set(`${groupOf(entry.apiVersion)}/${entry.kind}`, entry.path)
  }
  return table
}
