import type { Config } from '../config/config.js'
import { BUILTIN_POD_TEMPLATES, type PodTemplateTable } from '../extract/pod-template.js'
import { groupOf } from '../extract/identity.js'
import { RULES } from '../rules/index.js'
import type { Rule } from '../rules/rule.js'
import {
  DEFAULT_SANDBOX_RUNTIME_CLASSES,
  runtimeClassRemoved,
  runtimeClassRemovedRule,
} from '../rules/workload/runtime-class-removed.js'
import type { EvaluationOptions } from './evaluate.js'

/** The rules and pod template locations a configuration asks for: the same in every thread. */
export function evaluationOptions(config: Config): EvaluationOptions {
  return { rules: configuredRules(config), podTemplates: podTemplateTable(config), compat: config.compat }
}

/** The rules, with options from the configuration applied (sandbox runtime classes). */
function configuredRules(config: Config): readonly Rule[] {
  if (config.sandboxRuntimeClasses.length === 0) return RULES
  const sandboxes = [...DEFAULT_SANDBOX_RUNTIME_CLASSES, ...config.sandboxRuntimeClasses]
  return RULES.map((rule) => (rule.meta.id === runtimeClassRemoved.meta.id ? runtimeClassRemovedRule(sandboxes) : rule))
}

/** The built-in pod template locations plus the CRDs the configuration names. */
function podTemplateTable(config: Config): PodTemplateTable {
  if (config.podTemplates.length === 0) return BUILTIN_POD_TEMPLATES
  const table = new Map(BUILTIN_POD_TEMPLATES)
  for (const entry of config.podTemplates) {
    // The configured path ends at the template (`spec.template`); the table stores the same.
    table.set(`${groupOf(entry.apiVersion)}/${entry.kind}`, entry.path)
  }
  return table
}
