import { weakeningChanges } from './config/changes.js'
import { type Config, DEFAULT_CONFIG } from './config/config.js'
import { pathFilter } from './config/glob.js'
import { comparePairs, sortFindings } from './compare/compare.js'
import { type ObjectPair, pairObjects } from './compare/match.js'
import { addedSuppressions, SUPPRESSION_ADDED } from './evaluate/added-suppressions.js'
import type { EvaluatedObject, EvaluationOptions, FileEvaluation } from './evaluate/evaluate.js'
import { evaluationOptions } from './evaluate/options.js'
import { applyPolicy, judge, namespaceLevels, type Policy, policyWarnings } from './evaluate/policy.js'
import { type EvaluationCache, evaluateRevision, type RevisionEvaluation, resourcesMentioning } from './evaluate/revision.js'
import { revisionView } from './evaluate/revision-view.js'
import { evaluateTransitions, transitionRecheck } from './evaluate/transitions.js'
import { podTemplateOf } from './extract/pod-template.js'
import { type RenderOptions, type Rendering, renderRevisions } from './load/build/render.js'
import { readRevisions } from './load/read-revisions.js'
import { evaluateInParallel } from './parallel.js'
import { RevisionFiles } from './load/revision-files.js'
import type { ParsedYaml } from './load/parse.js'
import type { RevisionSource } from './load/source.js'
import type { Finding, ObjectPath, Report, Revision, Severity } from './model.js'
import { attachFixes, type FixOptions, renderFileFixes } from './render/fix/fixes.js'
import { redactReport } from './render/redact.js'
import type { RuleMeta, TransitionContext, TransitionRule } from './rules/rule.js'

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
  /**
   * Building Kustomize overlays and rendering Helm charts (docs/rendering.md); the configuration's
   * `render` when left out. Rendering runs kustomize and helm on the revisions' content: under
   * `pull_request_target` pass `{ enabled: false }` unless the user opted in.
   */
  render?: RenderOptions
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
  const options: EvaluationOptions = { ...evaluationOptions(config), ...input.evaluation }
  const transitionRules = options.rules.filter((r): r is TransitionRule => r.kind === 'transition')
  const readKinds = new Set([...ALWAYS_READ, ...transitionRules.flatMap((r) => r.reads ?? [])])
  const wanted = pathFilter(config.include, config.exclude)
  const contents = await readRevisions({ base: input.base, head: input.head, scope: input.scope, wanted, withUnchanged: true, limits: config.limits })
  const rendering = await renderRevisions({
    base: input.base,
    head: input.head,
    contents,
    scope: input.scope,
    wanted,
    helm: { base: (input.baseConfig?.helm ?? config.helm).charts, head: config.helm.charts },
    configFile: config.file,
    options: input.render ?? { enabled: config.render.enabled, timeoutMs: config.render.timeoutSeconds * 1000 },
  })

  const cache: EvaluationCache = new Map()
  const baseRaw = evaluateRendered('base', rendering, cache, options)
  // The head's plain files get their fixes rendered while parsed (rendered objects have no text of
  // their own to patch); a large head is spread over the machine's cores.
  const headPlain = input.evaluation ? null : await evaluateInParallel('head', rendering.head.plain, config)
  const headRaw = evaluateRendered('head', rendering, cache, options, headPlain, (yaml, evaluation) =>
    renderFileFixes(yaml, evaluation.objects, { evaluation: options }),
  )
  const surroundings = resourcesMentioning(contents.unchanged, readKinds)
  const context: TransitionContext = {
    base: revisionView([...baseRaw.objects.map((o) => o.resource), ...surroundings]),
    head: revisionView([...headRaw.objects.map((o) => o.resource), ...surroundings]),
    podOf: (resource) => podTemplateOf(resource, options.podTemplates),
  }
  const metas = new Map<string, RuleMeta>([...options.rules, { meta: SUPPRESSION_ADDED }].map((r) => [r.meta.id, r.meta]))
  // The head decides for both revisions, its Namespaces' enforce labels as much as its configuration:
  // a change that lowers a namespace's level must not make the findings it stops counting look fixed.
  const headPolicy: Policy = {
    config,
    rules: metas,
    namespaceLabels: namespaceLevels(context.head.objectsOf('/Namespace')),
    today: input.today ?? new Date().toISOString().slice(0, 10),
  }
  const pairs = pairObjects(applyPolicy(baseRaw.objects, headPolicy), applyPolicy(headRaw.objects, headPolicy))

  const files = {
    base: new RevisionFiles([...rendering.base.plain, ...rendering.base.outputs]),
    head: new RevisionFiles([...rendering.head.plain, ...rendering.head.outputs]),
  }
  const objectOf = objectIndex(pairs)
  const transitions = evaluateTransitions(pairs, transitionRules, context, files).flatMap(
    (finding) => judge(finding, objectOf(finding)?.suppressions ?? [], headPolicy) ?? [],
  )
  const compared = comparePairs(pairs)
  const all = sortFindings(
    [...transitions, ...compared.findings, ...addedSuppressions(pairs, transitions).flatMap((f) => judge(f, [], headPolicy) ?? [])].map((f) =>
      rendering.place(f),
    ),
  ).map((f) => (f.status === 'new' && input.baseline?.has(f.fingerprint) ? { ...f, status: 'unchanged' as const } : f))
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
  // Nothing a manifest holds in a credential format leaves the engine: every renderer gets the redacted report.
  return { report: redactReport(report), fixOptions }
}

/**
 * A revision's plain manifests and the objects its overlays and charts rendered, evaluated alike.
 * Renders count as the files they consumed, not as files of their own.
 */
function evaluateRendered(
  revision: Revision,
  rendering: Rendering,
  cache: EvaluationCache,
  options: EvaluationOptions,
  /** the plain files' evaluation when it was done elsewhere (on other threads) */
  plainResult?: RevisionEvaluation | null,
  /** called with each plain file while parsed: the head's fixes are rendered there */
  renderFixes?: (yaml: ParsedYaml, evaluation: FileEvaluation) => void,
): RevisionEvaluation {
  const side = rendering[revision]
  const plain = plainResult ?? evaluateRevision(revision, side.plain, cache, options, renderFixes)
  const rendered = evaluateRevision(revision, side.outputs, cache, options)
  return {
    objects: [...plain.objects, ...rendering.adopt(revision, rendered.objects)],
    errors: [...plain.errors, ...side.errors, ...rendered.errors],
    skipped: [...plain.skipped, ...side.skipped, ...rendered.skipped],
    files: plain.files + side.consumed,
  }
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
