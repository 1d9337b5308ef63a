/**
 * Shared helpers for the engine tests: temporary directories, tiny git repositories, and the
 * pipeline run over two directories. Not a test file itself.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import { evaluateFile, type EvaluatedObject } from '../../src/evaluate/evaluate.js'
import { DirectorySource } from '../../src/load/dir-source.js'
import { parseManifestFile, type ParseProblem } from '../../src/load/parse.js'
import type { ComparedFinding, FindingStatus, Report } from '../../src/model.js'
import { runPipeline, type PipelineInput } from '../../src/pipeline.js'
import { hostNamespaces } from '../../src/rules/pss/host-namespaces.js'
import { privileged } from '../../src/rules/pss/privileged.js'

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The two rules these tests may rely on: exact counts are taken with these alone. */
export const TWO_RULES = [privileged, hostNamespaces] as const
export const PRIVILEGED = 'pss-privileged'
export const HOST_NAMESPACES = 'pss-host-namespaces'

/** A temporary directory removed by `cleanup()`. */
export interface TempDir {
  path: string
  /** writes files (creating folders), paths relative to the directory */
  write(files: Record<string, string | Buffer>): void
  remove(...paths: string[]): void
  cleanup(): void
}

export function tempDir(prefix = 'kube-ratchet-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {
    path,
    write(files) {
      writeFiles(path, files)
    },
    remove(...paths) {
      for (const p of paths) rmSync(join(path, p), { recursive: true, force: true })
    },
    cleanup() {
      rmSync(path, { recursive: true, force: true })
    },
  }
}

/** Writes files under `root`, creating folders; paths are relative to `root`. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const full = join(root, name)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, content)
  }
}

/** Runs git in `cwd` with a fixed identity and no signing; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } },
  )
}

/** A fresh repository on branch `main`. */
export function gitRepo(): TempDir {
  const dir = tempDir('kube-ratchet-git-')
  git(dir.path, 'init', '-q', '-b', 'main')
  return dir
}

export function commitAll(cwd: string, message: string): string {
  git(cwd, 'add', '-A')
  git(cwd, 'commit', '-q', '--allow-empty', '-m', message)
  return git(cwd, 'rev-parse', 'HEAD').trim()
}

/**
 * Runs the pipeline on two directories holding the given files. With `rules: 'two'` (the
 * default) only pss-privileged and pss-host-namespaces run, so counts are exact.
 */
export async function diffFiles(
  baseFiles: Record<string, string | Buffer> | null,
  headFiles: Record<string, string | Buffer>,
  options: { scope?: PipelineInput['scope']; rules?: 'two' | 'all' } = {},
): Promise<Report> {
  const base = tempDir()
  const head = tempDir()
  try {
    if (baseFiles) base.write(baseFiles)
    head.write(headFiles)
    return await runPipeline({
      base: baseFiles ? new DirectorySource(base.path, { ref: 'base', sha: null }) : null,
      head: new DirectorySource(head.path, { ref: 'head', sha: null }),
      scope: options.scope ?? 'changed',
      failOn: 'high',
      ...(options.rules === 'all' ? {} : { evaluation: { rules: TWO_RULES } }),
    })
  } finally {
    base.cleanup()
    head.cleanup()
  }
}

/** Scans one directory holding the given files (every finding is new). */
export function scanFiles(files: Record<string, string | Buffer>, rules: 'two' | 'all' = 'two'): Promise<Report> {
  return diffFiles(null, files, { scope: 'all', rules })
}

/** Parses and evaluates one file with the two rules, as the pipeline does. */
export function evaluateText(
  file: string,
  text: string | Buffer,
): { skipped: string | null; problems: ParseProblem[]; objects: EvaluatedObject[] } {
  const parsed = parseManifestFile(file, typeof text === 'string' ? Buffer.from(text) : text)
  if (parsed.kind === 'skipped') return { skipped: parsed.reason, problems: [], objects: [] }
  const evaluation = evaluateFile(file, parsed.yaml, { rules: TWO_RULES })
  return { skipped: null, problems: [...parsed.problems, ...evaluation.problems], objects: evaluation.objects }
}

/** `status ruleId file:line name` lines, sorted: compact, readable expectations. */
export function summaryOf(findings: readonly ComparedFinding[], ruleIds?: readonly string[]): string[] {
  return findings
    .filter((f) => !ruleIds || ruleIds.includes(f.ruleId))
    .map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line} ${f.resource.name}${f.container ? `/${f.container}` : ''}`)
    .sort()
}

export function countByStatus(findings: readonly ComparedFinding[]): Record<FindingStatus, number> {
  const counts = { new: 0, fixed: 0, unchanged: 0 }
  for (const f of findings) counts[f.status]++
  return counts
}

// ---------------------------------------------------------------------------------------------
// Manifests

export interface ContainerSpec {
  name: string
  privileged?: boolean
  image?: string
}

/** A block-style Deployment; `privileged` containers and `hostNetwork` make the two rules fire. */
export function deployment(
  name: string,
  options: { namespace?: string; hostNetwork?: boolean; containers?: ContainerSpec[] } = {},
): string {
  const containers = options.containers ?? [{ name: 'app' }]
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
    'spec:',
    '  replicas: 1',
    '  template:',
    '    spec:',
    ...(options.hostNetwork ? ['      hostNetwork: true'] : []),
    '      containers:',
  ]
  for (const c of containers) {
    lines.push(`      - name: ${c.name}`, `        image: ${c.image ?? 'nginx:1.27'}`)
    if (c.privileged) lines.push('        securityContext:', '          privileged: true')
  }
  return `${lines.join('\n')}\n`
}

/** A block-style Pod. */
export function pod(name: string, options: { namespace?: string; hostNetwork?: boolean; containers?: ContainerSpec[] } = {}): string {
  const containers = options.containers ?? [{ name: 'app' }]
  const lines = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    ...(options.namespace ? [`  namespace: ${options.namespace}`] : []),
    'spec:',
    ...(options.hostNetwork ? ['  hostNetwork: true'] : []),
    '  containers:',
  ]
  for (const c of containers) {
    lines.push(`  - name: ${c.name}`, `    image: ${c.image ?? 'nginx:1.27'}`)
    if (c.privileged) lines.push('    securityContext:', '      privileged: true')
  }
  return `${lines.join('\n')}\n`
}

/** Joins documents with `---`. */
export function docs(...documents: string[]): string {
  return documents.map((d) => (d.endsWith('\n') ? d : `${d}\n`)).join('---\n')
}

// ---------------------------------------------------------------------------------------------
// The report schema

const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schema', 'report.schema.json'), 'utf8')) as object

/** Ajv's CommonJS default export is the class itself at run time; its typings put it under `default`. */
type AjvClass = typeof Ajv2020.default
const AjvConstructor: AjvClass = ((Ajv2020 as unknown as { default?: AjvClass }).default ?? Ajv2020) as AjvClass
const validator = new AjvConstructor({ allErrors: true }).compile(schema)

/** Validation errors of a JSON report against schema/report.schema.json, as readable strings ([] when valid). */
export function schemaErrors(report: unknown): string[] {
  if (validator(report)) return []
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
}
