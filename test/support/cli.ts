/** Runs the CLI in-process (`main`) or as the bundled `dist/cli.js`, capturing its output. */
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { main } from '../../src/cli/main.js'
import { PROJECT_ROOT } from './engine.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export async function runCli(argv: string[], cwd: string, options: { isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    isTTY: options.isTTY ?? false,
  })
  return { code, stdout, stderr }
}

export const DIST_CLI = join(PROJECT_ROOT, 'dist', 'cli.js')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

/** Rebuilds dist/ with scripts/bundle.mjs when it is missing or older than a source file. */
export function ensureBundle(): void {
  let built = 0
  try {
    built = statSync(DIST_CLI).mtimeMs
  } catch {
    built = 0
  }
  const sources = Math.max(newestMtime(join(PROJECT_ROOT, 'src')), statSync(join(PROJECT_ROOT, 'scripts', 'bundle.mjs')).mtimeMs)
  if (built >= sources) return
  const result = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`bundling failed:\n${result.stderr}`)
}

/** Runs `node dist/cli.js …` in `cwd`. */
export function runBundled(argv: string[], cwd: string): CliRun {
  const result = spawnSync(process.execPath, [DIST_CLI, ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '', NO_COLOR: '' },
  })
  if (result.error) throw result.error
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}
