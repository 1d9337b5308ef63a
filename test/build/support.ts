/**
 * Helpers for the rendering tests: fixture trees, the pipeline over two revisions (plain
 * directories or two commits), and the real tools. Not a test file itself.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { type Config, DEFAULT_CONFIG } from '../../src/config/config.js'
import type { HelmChartSetting } from '../../src/load/build/helm.js'
import type { RenderOptions } from '../../src/load/build/render.js'
import { findKustomize, onPath } from '../../src/load/build/tools.js'
import type { ComparedFinding, Report } from '../../src/model.js'
import { RULES } from '../../src/rules/index.js'
import { runTrees, type Tree } from '../helpers/revisions.js'
import { PROJECT_ROOT, TWO_RULES } from '../support/engine.js'

export type { Tree }

export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures')

/** Every file under a fixture folder, as a tree, optionally moved under `prefix/`. */
export function fixtureTree(folder: string, prefix = ''): Tree {
  const root = join(FIXTURES, folder)
  const tree: Tree = {}
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else tree[`${prefix}${relative(root, full).split(sep).join('/')}`] = readFileSync(full, 'utf8')
    }
  }
  walk(root)
  return tree
}

/** The tree with `find` replaced by `replace` in one file (which must contain it). */
export function edit(tree: Tree, path: string, find: string, replace: string): Tree {
  const text = tree[path]
  if (text === undefined) throw new Error(`no file ${path} in the tree`)
  if (!text.includes(find)) throw new Error(`${path} does not contain ${JSON.stringify(find)}`)
  return { ...tree, [path]: text.replace(find, replace) }
}

export interface RenderDiffOptions {
  via: 'dirs' | 'git'
  /** `two` (pss-privileged and pss-host-namespaces, exact counts) by default */
  rules?: 'two' | 'all'
  helm?: HelmChartSetting[]
  /** the base revision's `helm.charts`, when its configuration said otherwise */
  baseHelm?: HelmChartSetting[]
  render?: RenderOptions
  config?: Partial<Config>
}

/** Runs the whole engine on two revisions (null base: a scan of the head). */
export async function renderDiff(base: Tree | null, head: Tree, options: RenderDiffOptions): Promise<Report> {
  const config: Config = { ...DEFAULT_CONFIG, ...options.config, helm: { charts: options.helm ?? [] } }
  const common = {
    failOn: 'high' as const,
    config,
    ...(options.baseHelm ? { baseConfig: { ...config, helm: { charts: options.baseHelm } } } : {}),
    ...(options.rules === 'all' ? { evaluation: { rules: RULES } } : { evaluation: { rules: TWO_RULES } }),
    ...(options.render ? { render: options.render } : {}),
  }
  return runTrees(base, head, options.via, common)
}

/** `status ruleId file:line namespace/name`, sorted. */
export function placed(findings: readonly ComparedFinding[]): string[] {
  return findings.map((f) => `${f.status} ${f.ruleId} ${f.file}:${f.line} ${f.resource.namespace ?? ''}/${f.resource.name}`).sort()
}

/** The 1-based line of the first line of `file` in `tree` that contains `text`. */
export function lineOf(tree: Tree, file: string, text: string): number {
  const index = (tree[file] ?? '').split('\n').findIndex((line) => line.includes(text))
  if (index < 0) throw new Error(`${file} has no line with ${JSON.stringify(text)}`)
  return index + 1
}

/** Whether Kustomize (standalone or in kubectl) is on this machine. */
export const KUSTOMIZE = findKustomize()

/**
 * The helm binary: on PATH, else the one `.ci/run` builds into `$(go env GOPATH)/bin`. Found there,
 * it is handed to the engine through `$KUBE_RATCHET_HELM`. Null when neither exists.
 */
export const HELM: string | null = (() => {
  const fromEnv = process.env.KUBE_RATCHET_HELM
  if (fromEnv && existsSync(fromEnv)) return fromEnv
  const found = onPath('helm') ?? goBinHelm()
  if (found) process.env.KUBE_RATCHET_HELM = found
  return found
})()

function goBinHelm(): string | null {
  try {
    const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const candidate = join(gopath.split(':')[0] ?? '', 'bin', 'helm')
    return gopath !== '' && existsSync(candidate) ? candidate : null
  } catch {
    return null
  }
}

/**
 * Why the Helm tests cannot run, or null when they can. CI builds helm (`.ci/run`) and sets
 * KUBE_RATCHET_REQUIRE_HELM, so there a missing helm fails instead of skipping.
 */
export function helmMissing(): string | null {
  if (HELM) return null
  const message = 'helm is neither on PATH nor in $(go env GOPATH)/bin: build it with .ci/run (go install helm.sh/helm/v3/cmd/helm@v3.16.4)'
  if (process.env.KUBE_RATCHET_REQUIRE_HELM === '1') throw new Error(message)
  console.warn(`skipping the Helm rendering tests: ${message}`)
  return message
}
