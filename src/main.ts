import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, resolve } from 'node:path'
import { ConfigFileError, DEFAULT_CONFIG_PATH } from './config/load.js'
import { SEVERITIES, type Severity } from './model.js'
import { runBot, type BotInputs } from './report/bot.js'
import { EventError } from './report/event.js'
import { workspaceGit } from './report/git-port.js'
import { octokitGitHub, type CountingGitHub } from './report/octokit.js'
import type { RunnerPort } from './report/ports.js'

/** A mistake in the workflow (an input out of range): the step fails with the message. */
class InputError extends Error {}

/**
 * The GitHub Action adapter: reads the inputs and the runner's environment, builds the real
 * ports (Octokit, git in the workspace, @actions/core) and runs the bot. The step fails when a
 * new finding is at or above `fail-on`, or when the action cannot do its job at all.
 */
export async function run(): Promise<void> {
  let github: CountingGitHub | null = null
  try {
    const token = core.getInput('github-token')
    if (token) core.setSecret(token)
    const inputs = readInputs()
    const env = process.env
    const workspace = env.GITHUB_WORKSPACE || process.cwd()
    const repository = env.GITHUB_REPOSITORY ?? ''
    const out = runnerPort()
    if (token && /^[^/]+\/[^/]+$/.test(repository)) {
      github = octokitGitHub({
        token,
        baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
        repository,
        log: { warning: (m) => core.warning(m), debug: (m) => core.debug(m) },
      })
    }
    const eventName = env.GITHUB_EVENT_NAME ?? ''
    const payload = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) : {}
    const runToken = [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT, randomBytes(6).toString('hex')].filter(Boolean).join('.')

    const result = await runBot({
      inputs: { ...inputs, sarif: inputs.sarif === null ? null : resolve(workspace, inputs.sarif) },
      env: {
        eventName,
        payload,
        sha: env.GITHUB_SHA,
        repository,
        serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
        actionRepository: env.GITHUB_ACTION_REPOSITORY || null,
        tempDir: env.RUNNER_TEMP || tmpdir(),
        runToken,
      },
      git: await workspaceGit(workspace),
      github,
      out,
    })
    if (github) core.info(`GitHub API requests: ${github.requests()}.`)
    if (result.failed) {
      const n = result.report.findings.filter((f) => f.status === 'new').length
      core.setFailed(`kube-ratchet: ${n} new ${n === 1 ? 'finding' : 'findings'}, at least one at or above fail-on (${result.report.failOn}).`)
    }
  } catch (error) {
    if (github) core.info(`GitHub API requests: ${github.requests()}.`)
    const message =
      error instanceof ConfigFileError
        ? `the configuration is invalid:\n${error.message}`
        : error instanceof InputError || error instanceof EventError
          ? error.message
          : describe(error)
    core.setFailed(`kube-ratchet: ${message}`)
  }
}

function readInputs(): Omit<BotInputs, 'sarif'> & { sarif: string | null } {
  const failOn = core.getInput('fail-on').toLowerCase()
  if (failOn !== '' && failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new InputError(`input fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${failOn}")`)
  }
  const review = (core.getInput('review') || 'comment').toLowerCase()
  if (review !== 'comment' && review !== 'none') throw new InputError(`input review must be comment or none (got "${review}")`)
  return {
    failOn: failOn === '' ? null : (failOn as Severity | 'none'),
    configPath: core.getInput('config') || DEFAULT_CONFIG_PATH,
    renderUntrusted: core.getInput('render-on-pull-request-target').trim().toLowerCase() === 'true',
    review,
    checkName: core.getInput('check-name') || 'kube-ratchet',
    sarif: core.getInput('sarif') || null,
  }
}

function runnerPort(): RunnerPort {
  return {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    debug: (m) => core.debug(m),
    // core escapes the message and properties, so untrusted text cannot forge a workflow command.
    annotate: (level, message, p) => {
      const properties = { title: p.title, file: p.file, startLine: p.startLine, endLine: p.endLine }
      if (level === 'error') core.error(message, properties)
      else if (level === 'warning') core.warning(message, properties)
      else core.notice(message, properties)
    },
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await core.summary.addRaw(markdown, true).write()
    },
    writeFile: async (path, content) => {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, content)
    },
  }
}

/** An unexpected error, without anything a request carried (Octokit redacts the token anyway). */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status
    return typeof status === 'number' ? `HTTP ${status}: ${error.message}` : error.message
  }
  return String(error)
}
