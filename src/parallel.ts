import { availableParallelism } from 'node:os'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import type { Config } from './config/config.js'
import type { FileContent } from './load/source.js'
import type { Revision } from './model.js'
import { renderFileFixes } from './render/fix/fixes.js'
import { evaluationOptions } from './evaluate/options.js'
import { evaluateRevision, type RevisionEvaluation } from './evaluate/revision.js'

/** Below this many files, starting threads costs more than it saves. */
const MIN_FILES = 256
const WORKER_KIND = 'kube-ratchet-evaluate'

interface Job {
  kind: typeof WORKER_KIND
  revision: Revision
  contents: FileContent[]
  config: Config
}

let entry: URL | undefined

/**
 * Lets evaluation run on several cores: `url` is the bundled entry file, which must call
 * `runEvaluationWorker()` when started as a worker. Without it (tests running the sources),
 * everything runs on the main thread.
 */
export function enableWorkers(url: string): void {
  entry = new URL(url)
}

export function isEvaluationWorker(): boolean {
  return !isMainThread && (workerData as Partial<Job> | null)?.kind === WORKER_KIND
}

/** Evaluates a job's files (rendering their fixes) and sends the result back. */
export function runEvaluationWorker(): void {
  const job = workerData as Job
  const options = evaluationOptions(job.config)
  // the bytes arrive as plain Uint8Arrays: viewed as Buffers where they are, not copied again
  const contents = job.contents.map((c) => ({ ...c, bytes: Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength) }))
  const result = evaluateRevision(job.revision, contents, new Map(), options, (yaml, evaluation) =>
    renderFileFixes(yaml, evaluation.objects, { evaluation: options }),
  )
  parentPort?.postMessage(result)
}

/**
 * Evaluates a revision's files with their fixes, split over the machine's cores when there are
 * enough of them and workers are enabled; null when it should run on this thread instead.
 * Files keep their order: each worker takes a contiguous run of them.
 */
export async function evaluateInParallel(
  revision: Revision,
  contents: readonly FileContent[],
  config: Config,
): Promise<RevisionEvaluation | null> {
  const threads = Math.min(4, availableParallelism())
  if (!entry || threads < 2 || contents.length < MIN_FILES) return null
  const chunks = split(contents, threads)
  try {
    const results = await Promise.all(chunks.map((chunk) => runJob(entry as URL, { kind: WORKER_KIND, revision, contents: chunk, config })))
    return {
      objects: results.flatMap((r) => r.objects),
      errors: results.flatMap((r) => r.errors),
      skipped: results.flatMap((r) => r.skipped),
      files: results.reduce((sum, r) => sum + r.files, 0),
    }
  } catch {
    return null
  }
}

function runJob(url: URL, job: Job): Promise<RevisionEvaluation> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: job })
    worker.once('message', (result: RevisionEvaluation) => {
      resolve(result)
      void worker.terminate()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`evaluation worker exited with ${code}`))
    })
  })
}

/** Contiguous runs of about equal size in bytes. */
function split(contents: readonly FileContent[], parts: number): FileContent[][] {
  const total = contents.reduce((sum, c) => sum + c.bytes.length, 0)
  const chunks: FileContent[][] = [[]]
  let size = 0
  for (const content of contents) {
    if (size >= (total / parts) * chunks.length && chunks.length < parts) chunks.push([])
    ;(chunks[chunks.length - 1] as FileContent[]).push(content)
    size += content.bytes.length
  }
  return chunks
}
