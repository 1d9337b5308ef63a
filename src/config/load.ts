import { readFile } from 'node:fs/promises'
import type { RevisionSource } from '../load/source.js'
import { SUPPRESSION_ADDED } from '../evaluate/added-suppressions.js'
import { RULES } from '../rules/index.js'
import { type Config, type ConfigError, parseConfig } from './config.js'

export const DEFAULT_CONFIG_PATH = '.github/kube-ratchet.yml'
export const DEFAULT_CONFIG_PATHS = [DEFAULT_CONFIG_PATH, '.github/kube-ratchet.yaml']

/** Every rule a configuration may name: the rules, and the engine's own `suppression-added`. */
export const RULE_IDS: ReadonlySet<string> = new Set([...RULES.map((r) => r.meta.id), SUPPRESSION_ADDED.id])

/** The largest configuration file read from a revision. */
const MAX_CONFIG_BYTES = 1024 * 1024

/** A configuration that cannot be used: the run must stop and say where. */
export class ConfigFileError extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => `${e.file}${e.line === null ? '' : `:${e.line}`}: ${e.message}`).join('\n'))
  }
}

/** The configuration a revision holds at one of `paths`, or null when it holds none. */
export async function configFromRevision(source: RevisionSource, paths: readonly string[] = DEFAULT_CONFIG_PATHS): Promise<Config | null> {
  const entries = await source.list()
  const entry = paths.flatMap((path) => entries.filter((e) => e.path === path && e.kind === 'file'))[0]
  if (!entry) return null
  // a pull request can make this file as large as it likes: it is never loaded past 1 MB
  const [content] = await source.read([entry], { maxFileBytes: MAX_CONFIG_BYTES })
  if (!content) return null
  if (content.tooLarge !== undefined || content.bytes.length > MAX_CONFIG_BYTES || (entry.size ?? 0) > MAX_CONFIG_BYTES) {
    throw new ConfigFileError([{ file: entry.path, line: null, message: 'larger than 1 MB: not a configuration file' }])
  }
  return checked(parseConfig(entry.path, content.bytes.toString('utf8'), RULE_IDS))
}

/** A configuration file named on the command line or as an action input. */
export async function configFromFile(path: string, shownAs = path): Promise<Config> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new ConfigFileError([{ file: shownAs, line: null, message: 'cannot read the configuration file' }])
  }
  return checked(parseConfig(shownAs, text, RULE_IDS))
}

function checked(result: ReturnType<typeof parseConfig>): Config {
  if (!result.ok) throw new ConfigFileError(result.errors)
  return result.config
}
