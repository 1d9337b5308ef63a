/** What the triggering event asks for, read from the webhook payload the runner saved. */

/** A pull request: compare its merge base with its head, review it, check its head. */
export interface PullRequestEvent {
  kind: 'pull_request'
  /** `pull_request_target`: the workflow runs with the base's code and a writable token; the head is only read */
  target: boolean
  number: number
  /** the base branch's commit when the event fired; the comparison starts from its merge base with the head */
  baseSha: string
  headSha: string
  /** the base branch's name (`main`), when the payload gives a plain one */
  baseRef: string | null
}

/** A push or a merge queue group: compare two commits, check the second. */
export interface CompareEvent {
  kind: 'compare'
  eventName: string
  /** null for a new branch (`before` is all zeros): the head is scanned */
  baseSha: string | null
  headSha: string
}

/** Any other event (workflow_dispatch, schedule): scan one commit. */
export interface ScanEvent {
  kind: 'scan'
  eventName: string
  headSha: string
}

export type BotEvent = PullRequestEvent | CompareEvent | ScanEvent

/** An event the action cannot work with: its payload lacks what the comparison needs. */
export class EventError extends Error {}

const ZERO_SHA = /^0+$/

/**
 * Reads the event. `sha` is GITHUB_SHA, the commit of events that carry no comparison. Throws
 * EventError for a payload that does not say which commits to compare.
 */
export function parseEvent(eventName: string, payload: unknown, sha: string | undefined): BotEvent {
  const p = (payload ?? {}) as Record<string, unknown>
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = object(p.pull_request)
    const number = typeof pr.number === 'number' ? pr.number : typeof p.number === 'number' ? p.number : NaN
    const baseSha = commitSha(object(pr.base).sha)
    const headSha = commitSha(object(pr.head).sha)
    if (!Number.isInteger(number) || !baseSha || !headSha) {
      throw new EventError(`the ${eventName} event payload has no pull request number, base sha or head sha`)
    }
    return { kind: 'pull_request', target: eventName === 'pull_request_target', number, baseSha, headSha, baseRef: branchName(object(pr.base).ref) }
  }
  if (eventName === 'push') {
    const after = commitSha(p.after)
    if (!after) throw new EventError('the push event payload has no "after" commit (a deleted branch has nothing to check)')
    const before = commitSha(p.before)
    return { kind: 'compare', eventName, baseSha: before && !ZERO_SHA.test(before) ? before : null, headSha: after }
  }
  if (eventName === 'merge_group') {
    const group = object(p.merge_group)
    const baseSha = commitSha(group.base_sha)
    const headSha = commitSha(group.head_sha)
    if (!headSha) throw new EventError('the merge_group event payload has no head_sha')
    return { kind: 'compare', eventName, baseSha, headSha }
  }
  const head = commitSha(sha)
  if (!head) throw new EventError(`the ${eventName || 'unknown'} event names no commit (GITHUB_SHA is not set)`)
  return { kind: 'scan', eventName, headSha: head }
}

/** A branch name safe to hand to git as part of an argument: no option, no range, no revision syntax. */
function branchName(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._/-]+$/.test(value)) return null
  if (value.startsWith('-') || value.startsWith('/') || value.endsWith('/') || value.endsWith('.lock') || value.includes('..') || value.includes('//')) return null
  return value
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

/** A full hex sha (SHA-1 or SHA-256), or null: anything else in a payload is not trusted as an argument. */
function commitSha(value: unknown): string | null {
  return typeof value === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value) ? value : null
}
