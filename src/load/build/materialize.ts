import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FileContent } from '../source.js'
import { dirOf, joinRepo } from './paths.js'

/** A revision's files written out for a rendering tool, and removed afterwards. */
export interface Materialized {
  /** the directory that stands for the repository's root */
  root: string
  /** a private directory for the tools' home, caches and plugins (never inside `root`) */
  home: string
  remove(): Promise<void>
}

/**
 * Writes blobs into a fresh temporary directory, at their repository paths. Only regular files
 * are written (the listing's symlinks and submodules never reach here), paths that would climb
 * out are dropped, and `rewrite` may change a file on the way (Kustomize's build metadata).
 * The user's working tree is never used: a tool sees exactly the revision's content.
 */
export async function materialize(files: readonly FileContent[], rewrite: (file: FileContent) => Buffer = (f) => f.bytes): Promise<Materialized> {
  const top = await mkdtemp(join(tmpdir(), 'kube-ratchet-render-'))
  const root = join(top, 'repo')
  const home = join(top, 'home')
  try {
    await mkdir(root, { mode: 0o700 })
    await mkdir(home, { mode: 0o700 })
    const byPath = new Map(files.map((f) => [f.path, f]))
    const safe = [...byPath.values()].filter((f) => f.path !== '' && joinRepo('', f.path) === f.path)
    const dirs = new Set(safe.map((f) => dirOf(f.path)).filter((d) => d !== ''))
    await Promise.all([...dirs].map((d) => mkdir(join(root, d), { recursive: true, mode: 0o700 })))
    await Promise.all(safe.map((f) => writeFile(join(root, f.path), rewrite(f), { mode: 0o600, flag: 'wx' })))
  } catch (error) {
    await rm(top, { recursive: true, force: true })
    throw error
  }
  return { root, home, remove: () => rm(top, { recursive: true, force: true }) }
}
