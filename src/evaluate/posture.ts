import type { PssLevel } from '../model.js'
import type { RuleMeta } from '../rules/rule.js'

/**
 * The highest Pod Security Standards level a pod satisfies, from the PSS rules that fired on it.
 * Restricted runs every baseline check too (its replacements catch a superset), so any baseline
 * violation means privileged and any restricted-only one means baseline.
 */
export function postureOf(fired: readonly RuleMeta[]): PssLevel {
  if (fired.some((meta) => meta.pss?.level === 'baseline')) return 'privileged'
  if (fired.some((meta) => meta.pss?.level === 'restricted')) return 'baseline'
  return 'restricted'
}
