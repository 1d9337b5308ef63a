import { displayName } from '../extract/identity.js'
import { severityRank, type Report, type ReportedFinding } from '../model.js'
import { ruleWhy } from '../render/markdown/finding.js'
import { failingFindings, summarize } from '../render/summary.js'
import { describeError, statusOf, type AnnotationLevel, type CheckAnnotation, type CheckOutput, type GitHubPort, type RunnerPort } from './ports.js'
import { isForbidden } from './review.js'

/** GitHub accepts at most 50 annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50

/** GitHub's limits on an annotation's fields. */
const TITLE_LIMIT = 255
const MESSAGE_LIMIT = 64 * 1024 - 1

export interface CheckRequest {
  name: string
  headSha: string
  runToken: string
  title: string
  summary: string
  report: Report
}

export interface CheckOutcome {
  status: 'created' | 'forbidden' | 'failed'
  id: number | null
  /** annotations GitHub holds; the others must be shown another way */
  annotated: number
  /** findings whose annotation did not reach the check run */
  missed: ReportedFinding[]
}

/**
 * The check run: completed at once, `failure` when a new finding is at or above fail-on. Its
 * first 50 annotations go with the create request, the rest in updates of 50. Never throws.
 */
export async function publishCheck(github: GitHubPort, request: CheckRequest, out: RunnerPort): Promise<CheckOutcome> {
  const news = request.report.findings.filter((f) => f.status === 'new')
  const failing = new Set(failingFindings(request.report))
  const annotations = news.map((f) => ({ finding: f, annotation: toAnnotation(f, failing.has(f)) }))
  const batches: (typeof annotations)[] = []
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST))
  const [first = [], ...rest] = batches
  const output = (batch: typeof annotations): CheckOutput => ({
    title: request.title,
    summary: request.summary,
    ...(batch.length > 0 ? { annotations: batch.map((a) => a.annotation) } : {}),
  })
  const input = {
    name: request.name,
    head_sha: request.headSha,
    status: 'completed' as const,
    conclusion: summarize(request.report).failed ? ('failure' as const) : ('success' as const),
    external_id: request.runToken,
    output: output(first),
  }

  let id: number | null = null
  try {
    id = (await github.createCheckRun(input)).id
  } catch (error) {
    if (isForbidden(error)) {
      out.warning(`The token may not create check runs (${describeError(error)}).`)
      return { status: 'forbidden', id: null, annotated: 0, missed: news }
    }
    const status = statusOf(error)
    if (status !== undefined && status < 500) {
      out.warning(`Could not create the check run (${describeError(error)}).`)
      return { status: 'failed', id: null, annotated: 0, missed: news }
    }
    out.warning(`Creating the check run failed (${describeError(error)}): checking whether GitHub created it anyway.`)
    id = await recover(github, input, out)
    if (id === null) return { status: 'failed', id: null, annotated: 0, missed: news }
  }

  let annotated = first.length
  const missed: ReportedFinding[] = []
  for (const batch of rest) {
    try {
      await github.updateCheckRun(id, output(batch))
      annotated += batch.length
    } catch (error) {
      out.warning(`Could not add ${batch.length} annotations to the check run (${describeError(error)}).`)
      missed.push(...batch.map((a) => a.finding))
    }
  }
  return { status: 'created', id, annotated, missed }
}

/** After a 5xx: the check run this run created (found by its external id), or a new one created once more. */
async function recover(github: GitHubPort, input: Parameters<GitHubPort['createCheckRun']>[0], out: RunnerPort): Promise<number | null> {
  try {
    const runs = await github.listCheckRuns(input.head_sha, input.name)
    const existing = runs.find((r) => r.external_id === input.external_id)
    if (existing) return existing.id
  } catch (error) {
    out.warning(`Could not list the check runs (${describeError(error)}): the check run is not created again.`)
    return null
  }
  try {
    return (await github.createCheckRun(input)).id
  } catch (error) {
    out.warning(`Creating the check run failed again (${describeError(error)}).`)
    return null
  }
}

/** The annotation of a new finding: `failure` when it fails the check, else `warning` (`notice` for info). */
export function toAnnotation(finding: ReportedFinding, failing: boolean): CheckAnnotation {
  const level: AnnotationLevel = failing ? 'failure' : severityRank(finding.severity) <= severityRank('info') ? 'notice' : 'warning'
  const why = ruleWhy(finding.ruleId)
  const fix = finding.fix ? `\n\n${finding.fix.safety === 'safe' ? 'Safe fix' : 'Fix to review'}: ${finding.fix.description}` : ''
  const message = `${finding.message} (${finding.resource.kind} ${displayName(finding.resource)})${why ? `\n${why}` : ''}${fix}`
  return {
    path: finding.file,
    start_line: finding.line,
    end_line: Math.max(finding.line, finding.endLine),
    annotation_level: level,
    title: clip(`${finding.severity}: ${finding.title} (${finding.ruleId})`, TITLE_LIMIT),
    message: clip(message, MESSAGE_LIMIT),
    ...(finding.fix ? { raw_details: clip(finding.fix.patch, MESSAGE_LIMIT) } : {}),
  }
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`
}
