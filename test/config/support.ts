/**
 * Helpers for the configuration and suppression tests: configurations from YAML text, and the
 * whole engine run over two trees (plain directories or two commits of one git repository) with a
 * configuration. Not a test file itself.
 */
import { expect } from 'vitest'
import { type Config, parseConfig } from '../../src/config/config.js'
import { RULE_IDS } from '../../src/config/load.js'
import type { ComparedFinding, Report } from '../../src/model.js'
import { runTrees, type Tree } from '../helpers/revisions.js'

export const CONFIG_FILE = '.github/kube-ratchet.yml'

/** A valid configuration from YAML text; fails the test when it is not valid. */
export function configOf(text: string, file = CONFIG_FILE): Config {
  const result = parseConfig(file, text, RULE_IDS)
  if (!result.ok) expect.fail(`configuration should be valid: ${JSON.stringify(result.errors)}`)
  return result.config
}

/** The errors of an invalid configuration as `line: message`; fails the test when it is valid. */
export function errorsOf(text: string): string[] {
  const result = parseConfig(CONFIG_FILE, text, RULE_IDS)
  if (result.ok) expect.fail('configuration should be invalid')
  return result.errors.map((e) => `${e.line ?? '-'}: ${e.message}`)
}

export interface RunOptions {
  /** the head's configuration as YAML text (default: none, the defaults) */
  config?: string
  /** the base's configuration as YAML text, to report what the head weakened */
  baseConfig?: string
  via?: 'dirs' | 'git'
  today?: string
  baseline?: ReadonlySet<string>
}

/** Runs the engine on two trees with a configuration, the way `kube-ratchet diff` does. */
export async function run(base: Tree | null, head: Tree, options: RunOptions = {}): Promise<Report> {
  const config = options.config === undefined ? undefined : configOf(options.config)
  const baseConfig = options.baseConfig === undefined ? undefined : configOf(options.baseConfig)
  const settings = { failOn: config?.failOn ?? 'high', config, baseConfig, today: options.today ?? '2026-06-15', baseline: options.baseline }
  return runTrees(base, head, options.via ?? 'dirs', settings)
}

/** `status ruleId file:line name[/container]` of some findings, sorted. */
export function lines(findings: readonly ComparedFinding[], ruleIds?: readonly string[]): string[] {
  return findings
    .filter((f) => !ruleIds || ruleIds.includes(f.ruleId))
    .map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line} ${f.resource.name}${f.container ? `/${f.container}` : ''}`)
    .sort()
}

/** The rule ids of some findings, sorted and without repeats. */
export function ruleIds(findings: readonly ComparedFinding[]): string[] {
  return [...new Set(findings.map((f) => f.ruleId))].sort()
}

/** Builds a block-style manifest from lines, so line numbers in expectations can be counted. */
export function yaml(...textLines: string[]): string {
  return `${textLines.join('\n')}\n`
}

/**
 * A Deployment with numbered lines (1-based):
 *
 *  1 apiVersion: apps/v1
 *  2 kind: Deployment
 *  3 metadata:
 *  4   name: <name>
 *  5   namespace: <namespace>
 *  6   annotations: {…}            (only with `annotations`; then every line below moves by the
 *                                   number of annotations + 1)
 *  6 spec:
 *  7   template:
 *  8     metadata:
 *  9       annotations: {…}        (only with `podAnnotations`, same shift)
 *  9     spec:
 * 10       hostNetwork: true
 * 11       containers:
 * 12       - name: app
 * 13         image: nginx:1.27
 * 14         securityContext:
 * 15           privileged: true
 * 16       - name: sidecar
 * 17         image: nginx:1.27
 * 18         securityContext:
 * 19           privileged: true
 */
export function workload(
  name: string,
  options: { namespace?: string; annotations?: Record<string, string>; podAnnotations?: Record<string, string>; kind?: string } = {},
): string {
  const annotate = (indent: string, entries: Record<string, string> | undefined): string[] =>
    entries ? [`${indent}annotations:`, ...Object.entries(entries).map(([k, v]) => `${indent}  ${k}: ${JSON.stringify(v)}`)] : []
  return yaml(
    'apiVersion: apps/v1',
    `kind: ${options.kind ?? 'Deployment'}`,
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${options.namespace ?? 'shop'}`,
    ...annotate('  ', options.annotations),
    'spec:',
    '  template:',
    '    metadata:',
    ...annotate('      ', options.podAnnotations),
    '    spec:',
    '      hostNetwork: true',
    '      containers:',
    '      - name: app',
    '        image: nginx:1.27',
    '        securityContext:',
    '          privileged: true',
    '      - name: sidecar',
    '        image: nginx:1.27',
    '        securityContext:',
    '          privileged: true',
  )
}

/** A Deployment whose only PSS findings are restricted ones (it runs as root, keeps capabilities…). */
export function restrictedOnly(name: string, namespace: string): string {
  return yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: app',
    '        image: nginx:1.27',
  )
}

export function namespace(name: string, enforce?: string): string {
  return yaml(
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    `  name: ${name}`,
    ...(enforce ? ['  labels:', `    pod-security.kubernetes.io/enforce: ${enforce}`] : []),
  )
}

export const PSS_BASELINE_IDS = ['pss-privileged', 'pss-host-namespaces']
export const PSS_RESTRICTED_IDS = [
  'pss-allow-privilege-escalation',
  'pss-capabilities-restricted',
  'pss-run-as-non-root',
  'pss-seccomp-profile-restricted',
]
