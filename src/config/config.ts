import { Ajv, type ErrorObject } from 'ajv'
import { LineCounter, parseDocument } from 'yaml'
import { locate } from '../load/locate.js'
import { KUBERNETES_YAML, TO_JS } from '../load/yaml-dialect.js'
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
 * Reads and validates a configuration file. Should not throw: every problem comes back as an
 * error naming the key and its line. Rule ids are checked against `knownRules`.
 */
export function parseConfig(file: string, text: string, knownRules: ReadonlySet<string>): ConfigResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { ...KUBERNETES_YAML, lineCounter })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0] ?? e.message })),
    }
  }
  const value: unknown = doc.toJS(TO_JS) ?? {}
  const yaml = { text, lineCounter, documents: [doc] }
  const lineAt = (path: (string | number)[]): number => locate(yaml, 0, path).line

  validator ??= new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA)
  if (!validator(value)) {
    return { ok: false, errors: (validator.errors ?? []).map((e) => schemaError(file, e, lineAt)) }
  }
  const raw = value as RawConfig
  const unknown = Object.keys(raw.rules ?? {}).filter((id) => !knownRules.has(id))
  const badIgnores = (raw.ignore ?? []).flatMap((entry, i) =>
    (entry.rules ?? []).filter((id) => !knownRules.has(id)).map((id) => ({ id, i })),
  )
  const errors: ConfigError[] = [
    ...unknown.map((id) => ({ file, line: lineAt(['rules', id]), message: `rules: unknown rule "${id}"` })),
    ...badIgnores.map(({ id, i }) => ({ file, line: lineAt(['ignore', i, 'rules']), message: `ignore[${i}].rules: unknown rule "${id}"` })),
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
}

function schemaError(file: string, error: ErrorObject, lineAt: (path: (string | number)[]) => number): ConfigError {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
  const key = path.length === 0 ? '(top level)' : path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '')
  let message = `${key}: ${error.message ?? 'is invalid'}`
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty?: string }).additionalProperty)
    path.push(extra)
    message = `${path.length === 1 ? extra : `${key}.${extra}`}: unknown option`
  } else if (error.keyword === 'enum') {
    message = `${key}: must be one of ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')}`
  }
  return { file, line: lineAt(path), message }
}
