import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { type Config, DEFAULT_CONFIG } from '../config/config.js'
import { INIT_CONFIG } from '../config/init.js'
import { ConfigFileError, configFromFile, configFromRevision, DEFAULT_CONFIG_PATHS } from '../config/load.js'
import { DirectorySource } from '../load/dir-source.js'
import { RevisionError, resolveRevisions } from '../load/resolve.js'
import type { RevisionSource } from '../load/source.js'
import { SEVERITIES, type Report, type Severity } from '../model.js'
import { analyse, type PipelineInput } from '../pipeline.js'
import { applyFixesToFile } from '../render/fix/apply-all.js'
import { renderJson } from '../render/json.js'
import { markdownReport } from '../report/local-diff.js'
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
  kube-ratchet scan <path…> [--baseline report.json] [options]
  kube-ratchet fix --base <git-ref|dir> [--head <dir>] [--repo <dir>] [--config FILE]
  kube-ratchet init [--force]

Options:
  --format text|json|markdown
                         output format (default: text); markdown: the check run and review the action posts
  --fail-on <severity>   critical|high|medium|low|info|none (default: the configuration's, else high)
  --config FILE          configuration file (default: .github/kube-ratchet.yml of the head revision)
  --output FILE          write the report to FILE instead of stdout

Exit codes: 0 no new finding at or above --fail-on, 1 there is one, 2 usage or configuration error.
`

/** A mistake in the call: reported with the usage text and exit code 2. */
class UsageError extends Error {}

const FORMATS = ['text', 'json', 'markdown'] as const
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
    if (command === 'fix') return await fix(rest, io)
    if (command === 'init') return await init(rest, io)
    throw new UsageError(`unknown command "${command}"`)
  } catch (error) {
    if (error instanceof ConfigFileError) {
      io.stderr(`kube-ratchet: the configuration is invalid:\n${error.message}\n`)
      return EXIT.usage
    }
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
  'fail-on': { type: 'string' },
  output: { type: 'string' },
  config: { type: 'string' },
} as const

const REVISION_OPTIONS = { base: { type: 'string' }, head: { type: 'string' }, repo: { type: 'string' } } as const

async function diff(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...COMMON_OPTIONS, ...REVISION_OPTIONS },
    allowPositionals: true,
  })
  if (positionals.length > 0) throw new UsageError(`diff takes no paths (got "${positionals[0]}")`)
  const input = await diffInput(values, io)
  const output = outputOptions(values, input.config ?? DEFAULT_CONFIG)
  const { report } = await analyse({ ...input, failOn: output.failOn })
  return emit(report, output, io, input)
}

async function scan(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { ...COMMON_OPTIONS, baseline: { type: 'string' } },
    allowPositionals: true,
  })
  if (positionals.length === 0) throw new UsageError('scan needs at least one path')
  const head = await scanSource(io.cwd, positionals)
  const config = values.config ? await configFromFile(resolve(io.cwd, values.config), values.config) : ((await configFromRevision(head)) ?? DEFAULT_CONFIG)
  const output = outputOptions(values, config)
  const baseline = values.baseline ? await baselineFingerprints(resolve(io.cwd, values.baseline), values.baseline) : undefined
  const { report } = await analyse({ base: null, head, scope: 'all', failOn: output.failOn, config, baseline })
  return emit(report, output, io, { base: null, head })
}

/**
 * Applies every verified fix of the new findings to the head, which must be the work tree or a
 * directory: several fixes in one file are combined, each verified again on the combined text.
 */
async function fix(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { ...REVISION_OPTIONS, config: { type: 'string' } }, allowPositionals: true })
  if (positionals.length > 0) throw new UsageError(`fix takes no paths (got "${positionals[0]}")`)
  const input = await diffInput(values, io)
  const root = input.head.root
  if (root === undefined) throw new UsageError('fix writes files: --head must be a directory or left out (the work tree)')
  const { report, fixOptions } = await analyse({ ...input, failOn: 'none' })
  const byFile = new Map<string, Report['findings']>()
  for (const finding of report.findings) {
    if (finding.status !== 'new' || !finding.fix) continue
    byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding])
  }
  let applied = 0
  for (const [file, findings] of byFile) {
    const path = join(root, file)
    const result = applyFixesToFile(file, await readFile(path, 'utf8'), findings, fixOptions)
    if (result.applied.length > 0) await writeFile(path, result.text)
    applied += result.applied.length
    for (const f of result.applied) io.stdout(`fixed   ${file}:${f.line}  ${f.ruleId}  ${f.fix?.description ?? ''}\n`)
    for (const { finding, reason } of result.skipped) io.stdout(`skipped ${file}:${finding.line}  ${finding.ruleId}  ${reason}\n`)
  }
  const unfixable = report.findings.filter((f) => f.status === 'new' && !f.fix).length
  io.stdout(`${applied} fixed in ${byFile.size} file(s) · ${unfixable} new finding(s) without a verified fix\n`)
  return EXIT.clean
}

async function init(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { force: { type: 'boolean', default: false } } })
  const path = join(io.cwd, DEFAULT_CONFIG_PATHS[0] as string)
  if (!values.force && (await stat(path).catch(() => null))) {
    throw new UsageError(`${DEFAULT_CONFIG_PATHS[0]} exists already (use --force to overwrite it)`)
  }
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, INIT_CONFIG)
  io.stdout(`wrote ${DEFAULT_CONFIG_PATHS[0]}\n`)
  return EXIT.clean
}

/** Revisions and configuration of a diff: the head's configuration decides, the base's shows what changed. */
async function diffInput(
  values: { base?: string; head?: string; repo?: string; config?: string },
  io: CliIo,
): Promise<Omit<PipelineInput, 'failOn'> & { head: RevisionSource }> {
  if (!values.base) throw new UsageError('needs --base <git-ref|dir>')
  const { base, head } = await resolveRevisions(io.cwd, resolve(io.cwd, values.repo ?? '.'), values.base, values.head)
  if (values.config) {
    return { base, head, scope: 'changed', config: await configFromFile(resolve(io.cwd, values.config), values.config) }
  }
  // The head's configuration decides; an invalid one at base (the change may be the fix) only
  // leaves nothing to compare with.
  const baseOrNull = configFromRevision(base).catch((error: unknown) => {
    if (error instanceof ConfigFileError) return null
    throw error
  })
  const [headConfig, baseConfig] = await Promise.all([configFromRevision(head), baseOrNull])
  return { base, head, scope: 'changed', config: headConfig ?? DEFAULT_CONFIG, baseConfig: baseConfig ?? DEFAULT_CONFIG }
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

/** Fingerprints of the findings a saved JSON report holds at head (new and unchanged). */
async function baselineFingerprints(path: string, shownAs: string): Promise<Set<string>> {
  let report: { findings?: { fingerprint?: unknown; status?: unknown }[] }
  try {
    report = JSON.parse(await readFile(path, 'utf8'))
  } catch {
    throw new UsageError(`--baseline ${shownAs}: not a readable JSON report`)
  }
  if (!Array.isArray(report.findings)) throw new UsageError(`--baseline ${shownAs}: not a kube-ratchet JSON report (no findings)`)
  return new Set(
    report.findings.flatMap((f) => (typeof f.fingerprint === 'string' && f.status !== 'fixed' ? [f.fingerprint] : [])),
  )
}

interface OutputOptions {
  format: Format
  failOn: Severity | 'none'
  output: string | undefined
}

function outputOptions(values: { format?: string; 'fail-on'?: string; output?: string }, config: Config): OutputOptions {
  const format = values.format ?? 'text'
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`)
  }
  const failOn = values['fail-on'] ?? config.failOn
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${failOn}")`)
  }
  return { format: format as Format, failOn: failOn as Severity | 'none', output: values.output }
}

async function emit(
  report: Report,
  options: OutputOptions,
  io: CliIo,
  revisions: { base: RevisionSource | null; head: RevisionSource },
): Promise<number> {
  const text =
    options.format === 'json'
      ? renderJson(report)
      : options.format === 'markdown'
        ? await markdownReport(report, revisions.base, revisions.head)
        : renderText(report, { color: io.isTTY && options.output === undefined })
  if (options.output) await writeFile(resolve(io.cwd, options.output), text)
  else io.stdout(text)
  return summarize(report).failed ? EXIT.failed : EXIT.clean
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
}
