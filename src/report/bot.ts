import { join } from 'node:path'
import { displayName } from '../extract/identity.js'
import { type Config, DEFAULT_CONFIG } from '../config/config.js'
import { ConfigFileError, configFromRevision } from '../config/load.js'
import { ApiRevisionSource } from '../load/api-source.js'
import type { RevisionSource } from '../load/source.js'
import type { Report, ReportedFinding, Severity } from '../model.js'
import { runPipeline, type PipelineInput } from '../pipeline.js'
import { renderJson } from '../render/json.js'
import { checkSummary, checkTitle } from '../render/markdown/check.js'
import { markdownContext, type MarkdownContext } from '../render/markdown/context.js'
import { renderSarif } from '../render/sarif.js'
import { failingFindings, summarize } from '../render/summary.js'
import { publishCheck, type CheckOutcome } from './check.js'
import { parseEvent, type BotEvent } from './event.js'
import { describeError, type GitHubPort, type GitPort, type RunnerPort } from './ports.js'
import { publishReview, type ReviewOutcome } from './review.js'
import { eventRevisions } from './revisions.js'

export interface BotInputs {
  /** null: the configuration's `failOn` decides */
  failOn: Severity | 'none' | null
  /** repository path of the configuration file */
  configPath: string
  /** render Kustomize and Helm under pull_request_target too (they run on the pull request's content) */
  renderUntrusted: boolean
  review: 'comment' | 'none'
  checkName: string
  /** where to write a SARIF file (absolute), or null */
  sarif: string | null
}

/** What the runner says about this run (GITHUB_* and RUNNER_* variables, the event payload). */
export interface BotEnvironment {
  eventName: string
  payload: unknown
  /** GITHUB_SHA */
  sha: string | undefined
  /** `owner/repo` */
  repository: string
  /** GITHUB_SERVER_URL, for links */
  serverUrl: string
  /** the repository holding the action (GITHUB_ACTION_REPOSITORY), for rule documentation links */
  actionRepository: string | null
  /** where the JSON report is written (RUNNER_TEMP) */
  tempDir: string
  /** unique to this run: marks what it creates so a request answered by a 5xx is not repeated */
  runToken: string
}

export interface BotDeps {
  inputs: BotInputs
  env: BotEnvironment
  git: GitPort
  /** null without a token: findings are shown as annotations and in the job summary */
  github: GitHubPort | null
  out: RunnerPort
  /** the engine; tests may replace it */
  pipeline?: (input: PipelineInput) => Promise<Report>
}

export interface BotResult {
  report: Report
  /** the step must fail: a new finding at or above fail-on */
  failed: boolean
  review: ReviewOutcome | null
  check: CheckOutcome | null
  /** findings shown as workflow-command annotations because the API refused them */
  fallbackAnnotations: number
}

/**
 * The pull-request bot: reads the event, compares its revisions, and reports what is new as one
 * review (pull requests), a check run, the job summary and step outputs. GitHub refusing
 * something never loses a finding: what the API does not take is shown as workflow-command
 * annotations. Throws only when the revisions cannot be read at all.
 */
export async function runBot(deps: BotDeps): Promise<BotResult> {
  const event = parseEvent(deps.env.eventName, deps.env.payload, deps.env.sha)
  const revisions = await eventRevisions(event, deps.git, deps.github, deps.out)
  const { config, baseConfig } = await eventConfigs(event, revisions, deps.inputs.configPath)
  const report = await (deps.pipeline ?? runPipeline)({
    ...revisions,
    config,
    baseConfig,
    failOn: deps.inputs.failOn ?? config.failOn,
    // Rendering runs kustomize and helm on the revisions' files: under pull_request_target the
    // head is untrusted while the token can write, so it stays off unless the workflow opts in.
    ...(event.kind === 'pull_request' && event.target && !deps.inputs.renderUntrusted
      ? { render: { enabled: false, timeoutMs: config.render.timeoutSeconds * 1000 } }
      : {}),
  })
  for (const source of [revisions.base, revisions.head]) {
    if (source instanceof ApiRevisionSource && source.truncated) {
      deps.out.warning(`GitHub listed only part of the files of ${source.info.sha} (a very large tree): files it left out were not read.`)
    }
  }
  return publish(report, event, deps)
}

/**
 * The configuration that decides the run, and the base's to say what the change weakened. Under
 * `pull_request_target` the pull request's author wrote the head's file, so the base's decides.
 * An invalid file at head stops the run with its errors (ConfigFileError); one at base only
 * leaves nothing to compare with.
 */
async function eventConfigs(
  event: BotEvent,
  revisions: { base: RevisionSource | null; head: RevisionSource },
  path: string,
): Promise<{ config: Config; baseConfig: Config | undefined }> {
  const base = revisions.base
    ? await configFromRevision(revisions.base, [path]).catch((error: unknown) => {
        if (error instanceof ConfigFileError) return null
        throw error
      })
    : null
  if (event.kind === 'pull_request' && event.target) return { config: base ?? DEFAULT_CONFIG, baseConfig: undefined }
  const head = await configFromRevision(revisions.head, [path])
  return { config: head ?? DEFAULT_CONFIG, baseConfig: base ?? DEFAULT_CONFIG }
}

/** Posts and writes everything about a report. Never throws for GitHub's answers. */
export async function publish(report: Report, event: BotEvent, deps: Omit<BotDeps, 'pipeline'>): Promise<BotResult> {
  const { inputs, env, github, out } = deps
  const context: MarkdownContext = markdownContext({
    repositoryUrl: `${env.serverUrl.replace(/\/+$/, '')}/${env.repository}`,
    actionRepository: env.actionRepository ?? undefined,
    checkName: inputs.checkName,
  })
  const summary = summarize(report)
  const title = checkTitle(report)
  const markdown = checkSummary(report, context)
  const news = report.findings.filter((f) => f.status === 'new')

  let review: ReviewOutcome | null = null
  if (event.kind === 'pull_request' && inputs.review === 'comment' && github) {
    review = await publishReview(
      github,
      { pull: event.number, headSha: event.headSha, runToken: env.runToken, findings: report.findings, context },
      out,
    )
  }
  let check: CheckOutcome | null = null
  if (github) {
    check = await publishCheck(
      github,
      { name: inputs.checkName, headSha: event.headSha, runToken: env.runToken, title, summary: markdown, report },
      out,
    )
  }

  // What the check run could not show goes out as workflow-command annotations: all new findings
  // when there is no check run (a read-only token), else the batches GitHub refused.
  const unshown: ReportedFinding[] = check?.status === 'created' ? check.missed : news
  const failing = new Set(failingFindings(report))
  for (const f of unshown) {
    out.annotate(failing.has(f) ? 'error' : f.severity === 'info' ? 'notice' : 'warning', `${f.message} (${f.resource.kind} ${displayName(f.resource)})`, {
      title: `${f.severity}: ${f.title} (${f.ruleId})`,
      file: f.file,
      startLine: f.line,
      endLine: Math.max(f.line, f.endLine),
    })
  }

  const notes: string[] = []
  if (!github) notes.push('No GitHub token was given: the findings are shown as annotations of this step.')
  else if (check?.status !== 'created' || review?.status === 'forbidden') {
    notes.push(
      'The token could not post the review or the check run (a read-only token, as for pull requests from forks): the findings are shown as annotations of this step.',
    )
  }
  try {
    await out.writeSummary(notes.length > 0 ? `${markdown}\n> [!WARNING]\n> ${notes.join(' ')}\n` : markdown)
  } catch (error) {
    out.warning(`Could not write the job summary (${describeError(error)}).`)
  }

  const reportPath = join(env.tempDir, 'kube-ratchet-report.json')
  await out.writeFile(reportPath, renderJson(report))
  if (inputs.sarif) await out.writeFile(inputs.sarif, renderSarif(report, context))

  out.setOutput('new', String(summary.new))
  out.setOutput('fixed', String(summary.fixed))
  out.setOutput('unchanged', String(summary.unchanged))
  out.setOutput('failed', String(summary.failed))
  out.setOutput('report', reportPath)
  out.setOutput('sarif', inputs.sarif ?? '')
  out.info(`${title}: ${summary.new} new, ${summary.fixed} fixed, ${summary.unchanged} unchanged.`)
  return { report, failed: summary.failed, review, check, fallbackAnnotations: unshown.length }
}
