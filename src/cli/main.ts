import { stat, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DirectorySource } from '../load/dir-source.js'
import { RevisionError, resolveRevisions } from '../load/resolve.js'
import { SEVERITIES, type Report, type Severity } from '../model.js'
import { runPipeline } from '../pipeline.js'
import { renderJson } from '../render/json.js'
import { summarize } from '../render/summary.js'
import { renderText } from '../render/text.js'
import { VERSION } from '../version.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
  /** stdout is a terminal: colours allowed */
  isTTY: boolean
}

export const EXIT = { clean: 0, failed: 1, usage: 2 } as const

const USAGE = `Usage:
  kube-ratchet diff --base <git-ref|dir> [--head <git-ref|dir>] [--repo <dir>] [options]
  kube-ratchet scan <path…> [options]

Options:
  --format text|json     output format (default: text)
  --fail-on <severity>   critical|high|medium|low|info|none (default: high)
  --output FILE          write the report to FILE instead of stdout

Exit codes: 0 no new finding at or above --fail-on, 1 there is one, 2 usage or configuration error.
`

/** A mistake in the call: reported with the usage text and exit code 2. */
class UsageError extends Error {}

const FORMATS = ['text', 'json'] as const
type Format = (typeof FORMATS)[number]

/** Runs one CLI command and returns its exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`)
      return EXIT.clean
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE)
      return command === undefined ? EXIT.usage : EXIT.clean
    }
    if (command === 'diff') return await diff(rest, io)
    if (command === 'scan') return await scan(rest, io)
    throw new UsageError(`unknown command "${command}"`)
  } catch (error) {
    if (error instanceof UsageError || error instanceof RevisionError || isParseArgsError(error)) {
      io.stderr(`kube-ratchet: ${(error as Error).message}\n\n${USAGE}`)
      return EXIT.usage
    }
    io.stderr(`kube-ratchet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return EXIT.usage
  }
}

const COMMON_OPTIONS = {
  format: { type: 'string', default: 'text' },
  'fail-on': { type: 'string', default: 'high' },
  output: { type: 'string' },
} as const

async function diff(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...COMMON_OPTIONS, base: { type: 'string' }, head: { type: 'string' }, repo: { type: 'string' } },
    allowPositionals: true,
  })
  if (positionals.length > 0) throw new UsageError(`diff takes no paths (got "${positionals[0]}")`)
  if (!values.base) throw new UsageError('diff needs --base <git-ref|dir>')
  const output = outputOptions(values)
  const revisions = await resolveRevisions(io.cwd, resolve(io.cwd, values.repo ?? '.'), values.base, values.head)
  const report = await runPipeline({ ...revisions, scope: 'changed', failOn: output.failOn })
  return emit(report, output, io)
}

async function scan(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: COMMON_OPTIONS, allowPositionals: true })
  if (positionals.length === 0) throw new UsageError('scan needs at least one path')
  const output = outputOptions(values)
  const head = await scanSource(io.cwd, positionals)
  const report = await runPipeline({ base: null, head, scope: 'all', failOn: output.failOn })
  return emit(report, output, io)
}

/** One directory: paths relative to it. Several paths: relative to the current directory. */
async function scanSource(cwd: string, paths: readonly string[]): Promise<DirectorySource> {
  for (const path of paths) {
    if (!(await stat(resolve(cwd, path)).catch(() => null))) throw new UsageError(`${path}: no such file or directory`)
  }
  const [first] = paths
  if (paths.length === 1 && first !== undefined && (await stat(resolve(cwd, first))).isDirectory()) {
    return new DirectorySource(resolve(cwd, first), { ref: first, sha: null })
  }
  return new DirectorySource(cwd, { ref: cwd, sha: null }, paths)
}

interface OutputOptions {
  format: Format
  failOn: Severity | 'none'
  output: string | undefined
}

function outputOptions(values: { format?: string; 'fail-on'?: string; output?: string }): OutputOptions {
  const format = values.format ?? 'text'
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`)
  }
  const failOn = values['fail-on'] ?? 'high'
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${failOn}")`)
  }
  return { format: format as Format, failOn: failOn as Severity | 'none', output: values.output }
}

async function emit(report: Report, options: OutputOptions, io: CliIo): Promise<number> {
  const text =
    options.format === 'json' ? renderJson(report) : renderText(report, { color: io.isTTY && options.output === undefined })
  if (options.output) await writeFile(resolve(io.cwd, options.output), text)
  else io.stdout(text)
  return summarize(report).failed ? EXIT.failed : EXIT.clean
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
}
