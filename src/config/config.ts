import { Ajv, type ErrorObject } from 'ajv'
import { LineCounter, parseDocument } from 'yaml'
import { locate } from '../load/locate.js'
import { TO_JS } from '../load/yaml-dialect.js'
import type { HelmChartSetting } from '../load/build/helm.js'
import type { PssLevel, Severity } from '../model.js'
import { CONFIG_SCHEMA } from './schema.js'

export interface IgnoreEntry {
  /** rule ids; empty for every rule */
  rules: string[]
  kind: string | null
  namespace: string | null
  /** a glob over object names */
  name: string | null
  container: string | null
  reason: string
  /** YYYY-MM-DD; the entry stops working after that day */
  expires: string | null
  /** 1-based line of the entry in the config file */
  line: number
}

export interface PodTemplateEntry {
  apiVersion: string
  kind: string
  path: string[]
}

/** The validated configuration, every option filled in. */
export interface Config {
  /** the file it came from, or null for the defaults */
  file: string | null
  include: string[]
  exclude: string[]
  failOn: Severity | 'none'
  mode: 'regressions' | 'all'
  level: PssLevel
  namespaceLevels: Record<string, PssLevel>
  rules: Record<string, Severity | 'off'>
  podTemplates: PodTemplateEntry[]
  ignore: IgnoreEntry[]
  compat: ('kube-linter' | 'checkov' | 'polaris')[]
  sandboxRuntimeClasses: string[]
  /** Helm charts rendered with settings of their own: values files per environment, namespace, release name */
  helm: { charts: HelmChartSetting[] }
  /** building Kustomize overlays and rendering Helm charts (docs/rendering.md) */
  render: { enabled: boolean; timeoutSeconds: number }
  /** input limits (docs/security.md): larger files, and files past the budget, are skipped and reported */
  limits: { maxFileBytes: number; maxTotalBytes: number }
}

export const DEFAULT_CONFIG: Config = {
  file: null,
  include: ['**/*.yaml', '**/*.yml', '**/*.json'],
  exclude: ['.github/**', 'node_modules/**', 'vendor/**'],
  failOn: 'high',
  mode: 'regressions',
  level: 'restricted',
  namespaceLevels: {},
  rules: {},
  podTemplates: [],
  ignore: [],
  compat: [],
  sandboxRuntimeClasses: [],
  helm: { charts: [] },
  render: { enabled: true, timeoutSeconds: 60 },
  limits: { maxFileBytes: 5 * 1024 * 1024, maxTotalBytes: 200 * 1024 * 1024 },
}

/** A mistake in the configuration, with the line that holds it. */
export interface ConfigError {
  file: string
  line: number | null
  message: string
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: ConfigError[] }

let validator: ReturnType<Ajv['compile']> | undefined

/**
 * The configuration is not a Kubernetes manifest: it is read as YAML 1.2, where `off`, `no` and
 * `2027-01-31` are plain strings (YAML 1.1 would turn `pss-privileged: off` into `false`).
 */
const CONFIG_YAML = { version: '1.2', merge: true, logLevel: 'silent' } as const

/**
 * Reads and validates a configuration file. Should not throw: every problem comes back as an
 * error naming the key and its line. Rule ids are checked against `knownRules`.
 */
export function parseConfig(file: string, text: string, knownRules: ReadonlySet<string>): ConfigResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { ...CONFIG_YAML, lineCounter })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: yamlMessage(e.message) })),
    }
  }
  let value: unknown
  try {
    value = doc.toJS(TO_JS) ?? {}
  } catch (error) {
    return { ok: false, errors: [{ file, line: null, message: error instanceof Error ? error.message : String(error) }] }
  }
  const yaml = { text, lineCounter, documents: [doc] }
  const lineAt = (path: (string | number)[]): number => locate(yaml, 0, path).line

  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(CONFIG_SCHEMA)
  if (!validator(value)) {
    const errors = (validator.errors ?? []).map((e) => schemaError(file, e, lineAt))
    // `allErrors` can report one mistake twice (an enum inside oneOf, say): keep each message once.
    return { ok: false, errors: errors.filter((e, i) => errors.findIndex((o) => o.line === e.line && o.message === e.message) === i) }
  }
  const raw = value as RawConfig
  const unknownRule = (id: string): string => {
    const near = closest(id, [...knownRules])
    return `unknown rule "${id}"${near ? ` (did you mean "${near}"?)` : ''}`
  }
  const errors: ConfigError[] = [
    ...Object.keys(raw.rules ?? {})
      .filter((id) => !knownRules.has(id))
      .map((id) => ({ file, line: lineAt(['rules', id]), message: `rules: ${unknownRule(id)}` })),
    ...(raw.ignore ?? []).flatMap((entry, i) => [
      ...(entry.rules ?? []).flatMap((id, j) =>
        knownRules.has(id) ? [] : [{ file, line: lineAt(['ignore', i, 'rules', j]), message: `ignore[${i}].rules: ${unknownRule(id)}` }],
      ),
      ...(entry.expires !== undefined && !isCalendarDate(entry.expires)
        ? [{ file, line: lineAt(['ignore', i, 'expires']), message: `ignore[${i}].expires: "${entry.expires}" is not a date (YYYY-MM-DD)` }]
        : []),
    ]),
  ]
  if (errors.length > 0) return { ok: false, errors }

  return {
    ok: true,
    config: {
      file,
      include: raw.include ?? DEFAULT_CONFIG.include,
      exclude: raw.exclude ?? DEFAULT_CONFIG.exclude,
      failOn: raw.failOn ?? DEFAULT_CONFIG.failOn,
      mode: raw.mode ?? DEFAULT_CONFIG.mode,
      level: raw.level ?? DEFAULT_CONFIG.level,
      namespaceLevels: Object.fromEntries(
        Object.entries(raw.namespaces ?? {}).flatMap(([ns, v]) => (v.level ? [[ns, v.level]] : [])),
      ),
      rules: raw.rules ?? {},
      podTemplates: (raw.podTemplates ?? []).map((t) => ({ apiVersion: t.apiVersion, kind: t.kind, path: t.path.split('.') })),
      ignore: (raw.ignore ?? []).map((entry, i) => ({
        rules: entry.rules ?? [],
        kind: entry.kind ?? null,
        namespace: entry.namespace ?? null,
        name: entry.name ?? null,
        container: entry.container ?? null,
        reason: entry.reason.trim(),
        expires: entry.expires ?? null,
        line: lineAt(['ignore', i]),
      })),
      compat: raw.compat ?? [],
      sandboxRuntimeClasses: raw.sandboxRuntimeClasses ?? [],
      helm: {
        charts: (raw.helm?.charts ?? []).map((c) => ({
          path: c.path,
          values: c.values ?? [],
          namespace: c.namespace ?? null,
          releaseName: c.releaseName ?? null,
        })),
      },
      render: {
        enabled: raw.render?.enabled ?? DEFAULT_CONFIG.render.enabled,
        timeoutSeconds: raw.render?.timeoutSeconds ?? DEFAULT_CONFIG.render.timeoutSeconds,
      },
      limits: {
        maxFileBytes: raw.limits?.maxFileBytes ?? DEFAULT_CONFIG.limits.maxFileBytes,
        maxTotalBytes: raw.limits?.maxTotalBytes ?? DEFAULT_CONFIG.limits.maxTotalBytes,
      },
    },
  }
}

interface RawConfig {
  include?: string[]
  exclude?: string[]
  failOn?: Severity | 'none'
  mode?: 'regressions' | 'all'
  level?: PssLevel
  namespaces?: Record<string, { level?: PssLevel }>
  rules?: Record<string, Severity | 'off'>
  podTemplates?: { apiVersion: string; kind: string; path: string }[]
  ignore?: { rules?: string[]; kind?: string; namespace?: string; name?: string; container?: string; reason: string; expires?: string }[]
  compat?: Config['compat']
  sandboxRuntimeClasses?: string[]
  helm?: { charts?: { path: string; values?: string[]; namespace?: string; releaseName?: string }[] }
  render?: { enabled?: boolean; timeoutSeconds?: number }
  limits?: { maxFileBytes?: number; maxTotalBytes?: number }
}

/** What a value must be, in the words of the configuration's documentation. */
const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'a map of keys to values',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
}

/** Readable words for the schema's patterns. */
const PATTERN_WORDS: Record<string, string> = {
  expires: 'a date as YYYY-MM-DD',
  path: 'a dotted field path such as spec.template',
  namespace: 'a lowercase DNS label such as web-prod',
  releaseName: 'a lowercase DNS label such as web-prod',
}

function schemaError(file: string, error: ErrorObject, lineAt: (path: (string | number)[]) => number): ConfigError {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
  const keyOf = (p: (string | number)[]): string =>
    p.length === 0 ? '(top level)' : p.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '')
  const key = keyOf(path)
  const params = error.params as Record<string, unknown>
  let message = `${key}: ${error.message ?? 'is invalid'}`
  if (error.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty)
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {})
    const near = closest(extra, known)
    path.push(extra)
    message = `${keyOf(path)}: unknown option${near ? ` (did you mean "${near}"?)` : ''}`
  } else if (error.keyword === 'required') {
    const missing = String(params.missingProperty)
    message = `${keyOf(path)}: needs "${missing}"${missing === 'reason' ? ' (every suppression states its reason)' : ''}`
  } else if (error.keyword === 'enum') {
    message = `${key}: must be one of ${((params.allowedValues as unknown[] | undefined) ?? []).join(', ')}`
  } else if (error.keyword === 'type') {
    message = `${key}: must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`
  } else if (error.keyword === 'pattern') {
    const last = path[path.length - 1]
    const words = typeof last === 'string' ? PATTERN_WORDS[last] : undefined
    if (words) message = `${key}: must be ${words}`
  } else if (error.keyword === 'minLength') {
    message = `${key}: must not be empty`
  }
  return { file, line: lineAt(path), message }
}

/** The parser's message without its own position and excerpt: the error names the line already. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message
  return first.replace(/ at line \d+, column \d+:?$/, '')
}

/** A real day of the calendar, YYYY-MM-DD. */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** The candidate nearest to `word` by edit distance, when it is near enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
