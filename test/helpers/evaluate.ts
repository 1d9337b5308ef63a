import { type EvaluatedObject, evaluateFile } from '../../src/evaluate/evaluate.js'
import { isStructural } from '../../src/extract/structure.js'
import { parseManifestFile } from '../../src/load/parse.js'
import type { Finding } from '../../src/model.js'
import { RULES } from '../../src/rules/index.js'
import type { Rule } from '../../src/rules/rule.js'

export { PSS_RULES } from '../../src/rules/index.js'

/**
 * Parses manifest text the way the tool reads a file and evaluates it; any parse problem fails the
 * test. Fields of the wrong type (reported, but the object is still evaluated) do not: rule tests
 * use them on purpose.
 */
export function evaluateObjects(
  text: string,
  rules: readonly Rule[] = RULES,
  file = 'manifest.yaml',
): EvaluatedObject[] {
  const outcome = parseManifestFile(file, Buffer.from(text, 'utf8'))
  if (outcome.kind !== 'parsed') throw new Error(`${file} was skipped: ${outcome.reason}`)
  const { objects, problems } = evaluateFile(file, outcome.yaml, { rules })
  const all = [...outcome.problems, ...problems.filter((p) => !isStructural(p))]
  if (all.length > 0) throw new Error(`${file}: ${all.map((p) => `${p.line ?? '-'}: ${p.message}`).join('; ')}`)
  return objects
}

/** Every finding in the text, in evaluation order. */
export function evaluateYaml(text: string, rules: readonly Rule[] = RULES): Finding[] {
  return evaluateObjects(text, rules).flatMap((object) => object.findings)
}

/** The fields rule tests assert on. */
export interface FindingSummary {
  ruleId: string
  message: string
  path: string
  container: string | null
  line: number
}

export function summarize(finding: Finding): FindingSummary {
  const { ruleId, message, path, container, line } = finding
  return { ruleId, message, path, container, line }
}

/** What one rule reports for the text, summarized. */
export function findingsOf(rule: Rule, text: string): FindingSummary[] {
  return evaluateYaml(text, [rule]).map(summarize)
}

/**
 * Manifest text from an indented template literal: the first line break and the common
 * indentation are removed, so line numbers in tests count from the literal's first line.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '')
  const lines = raw.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0)
  const common = Math.min(...indents)
  return lines.map((line) => line.slice(common)).join('\n')
}
