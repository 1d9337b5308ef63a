// The README's rules table, generated from the rules' metadata so it cannot drift from the code.
// `npm run docs` rewrites the block; test/docs/readme.test.ts fails while it is stale.
import { RULES } from '../src/rules/index.js'
import type { RuleMeta } from '../src/rules/rule.js'

export { RULES }

export const RULES_START = '<!-- rules:start -->'
export const RULES_END = '<!-- rules:end -->'

/** One Markdown row per rule, in the order reports list them. */
export function rulesTable(rules: readonly { meta: RuleMeta }[]): string {
  const rows = rules.map(({ meta }) =>
    [
      `[\`${meta.id}\`](docs/rules/${meta.id}.md)`,
      meta.pss ? `\`${meta.pss.check}\`` : '–',
      meta.pss?.level ?? '–',
      meta.severity,
      cell(meta.title),
    ].join(' | '),
  )
  return [
    '| Rule | PSS check | Level | Severity | Title |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n')
}

/** The text between the markers, without the newlines that frame it; null when the markers are missing. */
export function rulesBlock(readme: string): string | null {
  const start = readme.indexOf(RULES_START)
  const end = readme.indexOf(RULES_END)
  if (start < 0 || end < start) return null
  return readme.slice(start + RULES_START.length, end).replace(/^\n+|\n+$/g, '')
}

/** The README with the block between the markers replaced by `table`. */
export function withRulesTable(readme: string, table: string): string {
  const start = readme.indexOf(RULES_START)
  const end = readme.indexOf(RULES_END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${RULES_START} … ${RULES_END} block`)
  return `${readme.slice(0, start + RULES_START.length)}\n${table}\n${readme.slice(end)}`
}

/** A table cell: pipes would split it, newlines would end the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}
