/**
 * The fuzz harness: seeded mutations of real manifests pushed through the whole engine (load →
 * extract → evaluate → compare → fix → render), checked against the invariants every input must
 * keep. No vitest import: `scripts/fuzz.mjs` bundles this file for long runs.
 *
 * One case is a pure function of its seed: `runCase(seed)` replays it exactly.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { isMap, isScalar, type Node, parseAllDocuments, Scalar, visit } from 'yaml'
import { DirectorySource } from '../../src/load/dir-source.js'
import type { Report, ReportedFinding } from '../../src/model.js'
import { runPipeline } from '../../src/pipeline.js'
import { applyReplacements } from '../../src/render/fix/replacements.js'
import { renderJson } from '../../src/render/json.js'
import { renderText } from '../../src/render/text.js'
import { Random } from '../helpers/random.js'

// ---------------------------------------------------------------------------------------------
// Seeds: the PSS conformance data and the corpus of real repositories

export interface SeedFile {
  path: string
  text: string
}

let seedFiles: SeedFile[] | undefined

/** Every fixture manifest under 40 KB, in a stable order. */
export function fixtures(projectRoot: string): SeedFile[] {
  if (seedFiles) return seedFiles
  const root = join(projectRoot, 'test', 'fixtures')
  const found: SeedFile[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name)
      const info = statSync(full)
      if (info.isDirectory()) walk(full)
      else if (/\.(ya?ml|json)$/.test(name) && info.size < 40_000) {
        found.push({ path: relative(root, full), text: readFileSync(full, 'utf8') })
      }
    }
  }
  walk(root)
  seedFiles = found
  return found
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** A fake credential in a known format: it must never appear in any output. */
export const FAKE_TOKEN = `ghp_${'Fz9Q'.repeat(9)}`
export const FAKE_AWS_KEY = `AKIA${'Q7'.repeat(8)}`

const SECURITY_EDITS: readonly [string[], unknown][] = [
  [['securityContext', 'privileged'], true],
  [['securityContext', 'allowPrivilegeEscalation'], true],
  [['securityContext', 'runAsUser'], 0],
  [['securityContext', 'runAsNonRoot'], false],
  [['securityContext', 'capabilities', 'add'], ['SYS_ADMIN', 'NET_RAW']],
  [['securityContext', 'readOnlyRootFilesystem'], false],
  [['securityContext', 'procMount'], 'Unmasked'],
  [['securityContext', 'seccompProfile', 'type'], 'Unconfined'],
  [['image'], 'nginx:latest'],
  [['image'], 'nginx'],
  [['ports'], [{ containerPort: 80, hostPort: 80 }]],
  [['env'], [{ name: 'API_TOKEN', value: FAKE_TOKEN }]],
  [['env'], [{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }]],
  [['resources'], null],
]

const POD_EDITS: readonly [string[], unknown][] = [
  [['hostNetwork'], true],
  [['hostPID'], true],
  [['hostIPC'], true],
  [['volumes'], [{ name: 'host', hostPath: { path: '/' } }]],
  [['securityContext', 'sysctls'], [{ name: 'kernel.msgmax', value: '1' }]],
  [['automountServiceAccountToken'], true],
  [['securityContext'], []],
  [['containers'], 'x'],
  [['containers'], [7]],
  [['initContainers'], {}],
]

/** Values of the wrong type, and awkward values of the right one. */
const ODD_VALUES: readonly unknown[] = [
  'x',
  '',
  5,
  -1,
  0.5,
  true,
  null,
  [],
  {},
  [1, [2, [3]]],
  { a: { b: { c: 1 } } },
  '{{ .Values.x }}',
  'ÿ\u202e\u0000\u001b[31m',
  '<img src=x onerror=alert(1)>',
  '@everyone',
  '```\n# injected',
  '::error::forged',
  FAKE_TOKEN,
  FAKE_AWS_KEY,
  '9'.repeat(400),
  'y',
]

type Mutation = (text: string, random: Random) => string

const TEXT_MUTATIONS: Record<string, Mutation> = {
  byteFlip: (text, r) => {
    const bytes = Buffer.from(text, 'utf8')
    if (bytes.length === 0) return text
    const interesting = [0x00, 0xff, 0xc3, 0x09, 0x0a, 0x0d, 0x3a, 0x2d, 0x5b, 0x7b, 0x26, 0x2a, 0x22, 0x27, 0x20, 0x23, 0x7c, 0x3e]
    for (let i = 0, n = 1 + r.int(4); i < n; i++) bytes[r.int(bytes.length)] = r.chance(0.6) ? r.pick(interesting) : r.int(256)
    return decodeLossless(bytes)
  },
  truncate: (text, r) => text.slice(0, r.int(text.length + 1)),
  duplicateLine: (text, r) => {
    const lines = text.split('\n')
    const i = r.int(lines.length)
    lines.splice(i, 0, lines[i] ?? '')
    return lines.join('\n')
  },
  deleteLine: (text, r) => {
    const lines = text.split('\n')
    lines.splice(r.int(lines.length), 1)
    return lines.join('\n')
  },
  swapLines: (text, r) => {
    const lines = text.split('\n')
    const a = r.int(lines.length)
    const b = r.int(lines.length)
    ;[lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? '']
    return lines.join('\n')
  },
  reindent: (text, r) => {
    const lines = text.split('\n')
    const i = r.int(lines.length)
    lines[i] = r.pick(['\t', ' ', '  ', '', '\t  ']) + (lines[i] ?? '').replace(/^ {0,2}/, '')
    return lines.join('\n')
  },
  crlf: (text) => text.replace(/\r?\n/g, '\r\n'),
  bom: (text) => `\uFEFF${text}`,
  invalidUtf8: (text, r) => {
    const at = r.int(text.length + 1)
    return `${text.slice(0, at)}\udcff${text.slice(at)}`
  },
  multiDocument: (text, r) => Array.from({ length: 2 + r.int(3) }, () => text).join(r.pick(['\n---\n', '---\n', '\n...\n---\n'])),
  deepNest: (text, r) => {
    const depth = r.pick([50, 99, 100, 101, 150, 2000])
    const open = r.pick(['[', '{a: '])
    const close = open === '[' ? ']' : '}'
    return `${text}\n---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: deep}\ndata: {x: ${open.repeat(depth)}1${close.repeat(r.chance(0.8) ? depth : 0)}}\n`
  },
  aliasBomb: (text, r) => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 2 + r.int(8); i++) levels.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`)
    return `${text}\n---\n${levels.join('\n')}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n`
  },
  hugeString: (text, r) => text.replace(/(name|image): ([^\n]*)/, (_m, key: string) => `${key}: ${'a'.repeat(10_000 + r.int(200_000))}`),
  nul: (text, r) => {
    const at = r.int(text.length + 1)
    return `${text.slice(0, at)}\u0000${text.slice(at)}`
  },
  template: (text, r) => {
    const lines = text.split('\n')
    lines.splice(r.int(lines.length), 0, r.pick(['{{- if .Values.x }}', '  image: {{ .Values.image }}', 'x: "{{ y }}"']))
    return lines.join('\n')
  },
}

/** Bytes as text where every byte ≥ 0x80 is a lone surrogate (\udc80–\udcff), which `toBytes` turns back into that byte. */
function decodeLossless(bytes: Buffer): string {
  let out = ''
  for (const byte of bytes) out += byte < 0x80 ? String.fromCharCode(byte) : String.fromCharCode(0xdc00 + byte)
  return out
}

/** Text to bytes, where \udc80–\udcff stand for raw bytes 0x80–0xff (so byte flips can make invalid UTF-8). */
function toBytes(text: string): Buffer {
  if (!/[\udc00-\udcff]/.test(text)) return Buffer.from(text, 'utf8')
  const parts: Buffer[] = []
  let run = ''
  for (const char of text) {
    const code = char.charCodeAt(0)
    if (char.length === 1 && code >= 0xdc00 && code <= 0xdcff) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([code - 0xdc00]))
      run = ''
    } else run += char
  }
  parts.push(Buffer.from(run, 'utf8'))
  return Buffer.concat(parts)
}

/** Structural mutations: parse, edit the documents' nodes, print again (null when the text does not parse). */
function structural(text: string, r: Random): string | null {
  const docs = parseAllDocuments(text, { logLevel: 'silent' })
  if (!Array.isArray(docs) || docs.length === 0 || docs.some((d) => d.errors.length > 0)) return null
  const doc = r.pick(docs)
  const kind = r.pick(['security', 'pod', 'swapType', 'deleteKey', 'duplicateKey', 'anchor', 'credential', 'wrap'] as const)
  try {
    const podSpecs = podSpecPaths(doc.toJS({ maxAliasCount: 100 }))
    if ((kind === 'security' || kind === 'pod') && podSpecs.length > 0) {
      const spec = r.pick(podSpecs)
      if (kind === 'pod') {
        const [path, value] = r.pick(POD_EDITS)
        doc.setIn([...spec.path, ...path], doc.createNode(value))
      } else {
        const container = r.int(Math.max(spec.containers, 1))
        const [path, value] = r.pick(SECURITY_EDITS)
        doc.setIn([...spec.path, 'containers', container, ...path], doc.createNode(value))
      }
    } else {
      const nodes: { parent: Node; key: unknown; node: Node }[] = []
      visit(doc, {
        Pair(_key, pair, path) {
          const parent = path[path.length - 1]
          if (isMap(parent) && pair.value && typeof pair.value === 'object' && 'range' in pair.value) {
            nodes.push({ parent: parent as Node, key: isScalar(pair.key) ? pair.key.value : pair.key, node: pair.value as Node })
          }
        },
      })
      if (nodes.length === 0) return null
      const target = r.pick(nodes)
      const map = target.parent
      if (!isMap(map)) return null
      if (kind === 'deleteKey') map.delete(target.key)
      else if (kind === 'duplicateKey') {
        // the printer refuses duplicate keys: add one that prints as the same text
        map.items.push(doc.createPair(String(target.key), 'dup'))
      } else if (kind === 'anchor') {
        const anchored = target.node
        anchored.anchor = `a${r.int(1000)}`
        const other = r.pick(nodes)
        if (other.node !== anchored && isMap(other.parent)) other.parent.set(other.key, doc.createAlias(anchored as never, anchored.anchor))
      } else if (kind === 'credential') {
        map.set(target.key, new Scalar(r.chance(0.5) ? FAKE_TOKEN : `prefix ${FAKE_TOKEN} suffix`))
      } else if (kind === 'wrap') {
        let value: unknown = 1
        for (let i = 0, n = r.pick([3, 60, 99, 120]); i < n; i++) value = [value]
        map.set(target.key, doc.createNode(value))
      } else {
        map.set(target.key, doc.createNode(r.pick(ODD_VALUES)))
      }
    }
    return docs.map((d) => d.toString({ lineWidth: 0 })).join('')
  } catch {
    return null
  }
}

/** Where the pod specs are in a document (any map with a `containers` list), and how many containers each has. */
function podSpecPaths(value: unknown): { path: (string | number)[]; containers: number }[] {
  const found: { path: (string | number)[]; containers: number }[] = []
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (path.length > 12 || v === null || typeof v !== 'object') return
    if (!Array.isArray(v) && Array.isArray((v as Record<string, unknown>).containers)) {
      found.push({ path, containers: ((v as Record<string, unknown>).containers as unknown[]).length })
    }
    for (const [key, child] of Object.entries(v)) walk(child, [...path, Array.isArray(v) ? Number(key) : key])
  }
  walk(value, [])
  return found
}

/** Some random mutations of a text: structural ones where it parses, textual ones anywhere. */
export function mutate(text: string, r: Random): { text: string; applied: string[] } {
  const applied: string[] = []
  let current = text
  for (let i = 0, n = 1 + r.int(3); i < n; i++) {
    if (r.chance(0.55)) {
      const next = structural(current, r)
      if (next !== null) {
        current = next
        applied.push('structural')
        continue
      }
    }
    const name = r.pick(Object.keys(TEXT_MUTATIONS))
    current = (TEXT_MUTATIONS[name] as Mutation)(current, r)
    applied.push(name)
  }
  return { text: current, applied }
}

// ---------------------------------------------------------------------------------------------
// Running a case

export interface CaseResult {
  seed: number
  /** what the case was made of, to read a failure without replaying it */
  description: string
  failures: string[]
  findings: number
  fixesVerified: number
}

export interface CaseOptions {
  projectRoot: string
  /** how many offered fixes to verify by re-running the whole pipeline (each is a full run) */
  fixesToVerify?: number
}

/**
 * One case: a base revision of 1–3 fixture files and a head where some are mutated (others
 * deleted, renamed or left alone), compared with scope `changed`.
 */
export async function runCase(seed: number, options: CaseOptions): Promise<CaseResult> {
  const r = new Random(seed)
  const seeds = fixtures(options.projectRoot)
  const base: Record<string, string> = {}
  const head: Record<string, string> = {}
  const notes: string[] = []
  for (let i = 0, n = 1 + r.int(3); i < n; i++) {
    const file = r.pick(seeds)
    const name = `m${i}-${file.path.replace(/[^A-Za-z0-9.]+/g, '-').slice(-40)}`
    base[name] = file.text
    const fate = r.float()
    if (fate < 0.8) {
      const mutated = mutate(file.text, r)
      head[name] = mutated.text
      notes.push(`${file.path}: ${mutated.applied.join('+')}`)
    } else if (fate < 0.88) {
      notes.push(`${file.path}: deleted`)
    } else if (fate < 0.95) {
      head[`renamed-${name}`] = file.text
      notes.push(`${file.path}: renamed`)
    } else {
      head[name] = file.text
      notes.push(`${file.path}: unchanged`)
    }
  }
  const result: CaseResult = { seed, description: notes.join('; '), failures: [], findings: 0, fixesVerified: 0 }
  const root = mkdtempSync(join(tmpdir(), 'kube-ratchet-fuzz-'))
  try {
    const baseDir = join(root, 'base')
    writeCase(baseDir, base)
    const headDir = join(root, 'head')
    writeCase(headDir, head)
    const report = await check(baseDir, headDir, { ...base, ...head }, result.failures)
    if (!report) return result
    result.findings = report.findings.length
    const fixed = report.findings.filter((f) => f.status === 'new' && f.fix)
    for (let i = 0; i < Math.min(options.fixesToVerify ?? 2, fixed.length); i++) {
      const finding = fixed[r.int(fixed.length)] as ReportedFinding
      await verifyFix(finding, report, baseDir, head, Object.keys({ ...base, ...head }), join(root, `fixed-${i}`), result.failures)
      result.fixesVerified++
    }
  } catch (error) {
    result.failures.push(`harness: ${describe(error)}`)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return result
}

function writeCase(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), toBytes(text))
  }
}

/** Runs the pipeline and both renderers, checking every invariant; null when the run itself failed. */
async function check(baseDir: string, headDir: string, files: Record<string, string>, failures: string[]): Promise<Report | null> {
  let report: Report
  try {
    report = await runPipeline({
      base: new DirectorySource(baseDir, { ref: 'base', sha: null }),
      head: new DirectorySource(headDir, { ref: 'head', sha: null }),
      scope: 'changed',
      failOn: 'high',
    })
  } catch (error) {
    failures.push(`runPipeline threw: ${describe(error)}`)
    return null
  }
  const known = new Set(Object.keys(files))
  for (const e of report.errors) {
    if (!known.has(e.file)) failures.push(`error names no file of the case: ${JSON.stringify(e)}`)
    if (e.line !== null && !(Number.isInteger(e.line) && e.line >= 1)) failures.push(`error line is not ≥ 1 or null: ${JSON.stringify(e)}`)
    if (e.message.trim() === '') failures.push(`error without a message: ${JSON.stringify(e)}`)
  }
  for (const s of report.skipped) if (!known.has(s.file)) failures.push(`skip names no file of the case: ${JSON.stringify(s)}`)
  for (const f of [...report.findings, ...report.suppressed]) {
    if (!known.has(f.file)) failures.push(`finding names no file of the case: ${f.ruleId} ${f.file}`)
    if (!(f.line >= 1 && f.endLine >= f.line)) failures.push(`finding has lines ${f.line}-${f.endLine}: ${f.ruleId} ${f.file}`)
  }
  let text = ''
  let json = ''
  try {
    text = renderText(report, { color: false })
    json = renderJson(report)
    JSON.parse(json)
  } catch (error) {
    failures.push(`rendering threw: ${describe(error)}`)
  }
  for (const [name, output] of [['text', text], ['json', json]] as const) {
    for (const token of [FAKE_TOKEN, FAKE_AWS_KEY]) {
      const at = output.indexOf(token)
      if (at >= 0) {
        const context = output.slice(Math.max(0, at - 120), at + token.length + 40).replaceAll(token, '<TOKEN>')
        failures.push(`the ${name} output holds a credential: …${JSON.stringify(context)}…`)
      }
    }
    const control = name === 'text' ? /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.exec(text) : null
    if (control) failures.push(`the text output holds a control character: …${JSON.stringify(text.slice(Math.max(0, control.index - 80), control.index + 20))}…`)
    if (name === 'text' && text.split('\n').some((line) => line.trimStart().startsWith('::'))) failures.push('a text output line is a workflow command')
  }
  return report
}

/**
 * A fix, applied through its line replacements, must leave a head where the whole pipeline finds
 * its finding once less, and nothing that was not there before (no finding, no error in the file).
 */
async function verifyFix(
  finding: ReportedFinding,
  before: Report,
  baseDir: string,
  head: Record<string, string>,
  known: readonly string[],
  fixedDir: string,
  failures: string[],
): Promise<void> {
  const original = head[finding.file]
  const label = `fix of ${finding.ruleId} at ${finding.file}:${finding.line} (${finding.fix?.description ?? ''})`
  if (original === undefined || !finding.fix) return
  const originalText = toBytes(original).toString('utf8')
  const edited = applyReplacements(originalText, finding.fix.replacements)
  writeCase(fixedDir, { ...head, [finding.file]: edited })
  const after = await check(baseDir, fixedDir, Object.fromEntries(known.map((k) => [k, ''])), failures)
  if (!after) {
    failures.push(`${label}: the run after the fix failed`)
    return
  }
  const counts = (report: Report): Map<string, number> => {
    const map = new Map<string, number>()
    for (const f of [...report.findings, ...report.suppressed]) {
      if (f.status !== 'fixed') map.set(f.fingerprint, (map.get(f.fingerprint) ?? 0) + 1)
    }
    return map
  }
  const was = counts(before)
  const is = counts(after)
  if ((is.get(finding.fingerprint) ?? 0) >= (was.get(finding.fingerprint) ?? 0)) failures.push(`${label}: the finding is still there`)
  for (const [fingerprint, count] of is) {
    if (count > (was.get(fingerprint) ?? 0)) {
      const added = after.findings.find((f) => f.fingerprint === fingerprint)
      failures.push(`${label}: it adds ${added?.ruleId ?? fingerprint} at ${added?.file}:${added?.line}`)
    }
  }
  const errorsIn = (report: Report): number => report.errors.filter((e) => e.revision === 'head' && e.file === finding.file).length
  if (errorsIn(after) > errorsIn(before)) failures.push(`${label}: it adds an error to the file`)
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 6).join(' | ') : String(error)
}

/** Runs `count` cases from `firstSeed` on; calls `onResult` after each. */
export async function runCases(
  firstSeed: number,
  count: number,
  options: CaseOptions,
  onResult?: (result: CaseResult, index: number) => void,
): Promise<CaseResult[]> {
  const failed: CaseResult[] = []
  for (let i = 0; i < count; i++) {
    const result = await runCase((firstSeed + i) >>> 0, options)
    if (result.failures.length > 0) failed.push(result)
    onResult?.(result, i)
  }
  return failed
}
