import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config.js'
import { blobIdOf, type FileContent } from '../../src/load/source.js'
import { enableWorkers, evaluateInParallel } from '../../src/parallel.js'
import { podText, restrictedSpec } from '../helpers/pods.js'

// The bundled CLI's worker path is tested end to end in bundle.test.ts. Here: a worker that cannot
// start (or dies) makes parallel evaluation give up cleanly, so the caller evaluates on one thread.

const dir = mkdtempSync(join(tmpdir(), 'kube-ratchet-parallel-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('gives up, without hanging, when a worker dies', async () => {
  const broken = join(dir, 'broken-worker.mjs')
  writeFileSync(broken, "throw new Error('this worker cannot start')\n")
  enableWorkers(pathToFileURL(broken).href)
  // 300 files of about 1 KB: several batches, so some go to the worker
  const contents: FileContent[] = Array.from({ length: 300 }, (_, i) => {
    const bytes = Buffer.from(podText(restrictedSpec(), { name: `p${i}`, annotations: { note: 'x'.repeat(1000) } }), 'utf8')
    return { path: `pod-${i}.yaml`, blobId: blobIdOf(bytes), bytes }
  })
  await expect(evaluateInParallel('head', contents, DEFAULT_CONFIG)).resolves.toBeNull()
})
