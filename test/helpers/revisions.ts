import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { DirectorySource } from '../../src/load/dir-source.js'
import { resolveRevisions } from '../../src/load/resolve.js'
import type { Report } from '../../src/model.js'
import { type PipelineInput, runPipeline } from '../../src/pipeline.js'
import type { Rule } from '../../src/rules/rule.js'
import { git, writeFiles } from '../support/engine.js'

/** Files of one revision: repository-relative path → content. */
export type Tree = Record<string, string>

const made: string[] = []
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'kube-ratchet-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

export function writeTree(root: string, tree: Tree): void {
  writeFiles(root, tree)
}

/** Runs git with a fixed identity and no signing, so tests never depend on the machine's config. */
export function gitIn(repo: string, ...args: string[]): string {
  return git(repo, ...args).trim()
}

/**
 * A repository whose `main` holds `base` and whose `feature` branch holds `head` (files absent
 * from `head` are deleted there). Returns the repository's directory.
 */
export function gitRepo(base: Tree, head: Tree): string {
  const repo = tempDir('kube-ratchet-git-')
  gitIn(repo, 'init', '-q')
  writeTree(repo, base)
  gitIn(repo, 'add', '-A')
  gitIn(repo, 'commit', '-q', '--allow-empty', '-m', 'base')
  gitIn(repo, 'checkout', '-q', '-b', 'feature')
  for (const path of Object.keys(base)) if (!(path in head)) rmSync(join(repo, path))
  writeTree(repo, head)
  gitIn(repo, 'add', '-A')
  gitIn(repo, 'commit', '-q', '--allow-empty', '-m', 'head')
  return repo
}

/** What a run over trees takes besides the revisions themselves. */
export type RunSettings = Omit<PipelineInput, 'base' | 'head' | 'scope'>

/**
 * Runs the whole engine on two trees, as `kube-ratchet diff` does: two plain directories (`dirs`)
 * or two commits of one repository (`git`, main..feature). A null base is a scan of the head.
 */
export async function runTrees(base: Tree | null, head: Tree, via: 'dirs' | 'git', settings: RunSettings): Promise<Report> {
  if (base === null) {
    const headDir = tempDir()
    writeTree(headDir, head)
    return runPipeline({ ...settings, base: null, head: new DirectorySource(headDir, { ref: headDir, sha: null }), scope: 'all' })
  }
  if (via === 'dirs') {
    const baseDir = tempDir()
    const headDir = tempDir()
    writeTree(baseDir, base)
    writeTree(headDir, head)
    return runPipeline({
      ...settings,
      base: new DirectorySource(baseDir, { ref: baseDir, sha: null }),
      head: new DirectorySource(headDir, { ref: headDir, sha: null }),
      scope: 'changed',
    })
  }
  const repo = gitRepo(base, head)
  const revisions = await resolveRevisions(repo, repo, 'main', 'feature')
  return runPipeline({ ...settings, ...revisions, scope: 'changed' })
}

export interface DiffOptions {
  /** `dirs`: two plain directories; `git`: two commits of one repository (main..feature) */
  via: 'dirs' | 'git'
  rules?: readonly Rule[]
}

/** Runs the whole engine on two revisions, as `kube-ratchet diff` does. */
export function diffTrees(base: Tree, head: Tree, options: DiffOptions): Promise<Report> {
  return runTrees(base, head, options.via, { failOn: 'high', evaluation: options.rules ? { rules: options.rules } : undefined })
}
