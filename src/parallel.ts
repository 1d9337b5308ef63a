import { availableParallelism } from 'node:os'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import type { Config } from './config/config.js'
import type { FileContent } from './load/source.js'
import type { Revision } from './model.js'
import { renderFileFixes } from './render/fix/fixes.js'
import type { EvaluationOptions } from './evaluate/evaluate.js'
import { evaluationOptions } from './evaluate/options.js'
import { evaluateRevision, type RevisionEvaluation } from './evaluate/revision.js'

/** Below this many files, starting threads costs more than it saves. */
const MIN_FILES = 256
/**
 * Files are handed out in batches of about this many bytes, each to the next idle thread: results
 * come back while the rest is still evaluated (the main thread takes them in as they arrive, not
 * all at the end), no thread idles while another has a long tail, and no worker holds its whole
 * share's results at once. Towards the end batches shrink to a share of what is left, down to
 * MIN_BATCH_BYTES, so that the threads finish together.
 */
const BATCH_BYTES = 128 * 1024
const MIN_BATCH_BYTES = 16 * 1024
const WORKER_KIND = 'kube-ratchet-evaluate'

interface WorkerSetup {
  kind: typeof WORKER_KIND
  revision: Revision
  config: Config
}

interface Batch {
  index: number
  contents: FileContent[]
}

interface BatchResult {
  index: number
  result: RevisionEvaluation
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
  return !isMainThread && (workerData as Partial<WorkerSetup> | null)?.kind === WORKER_KIND
}

/** Evaluates each batch of files it is sent (rendering their fixes) and sends the result back. */
export function runEvaluationWorker(): void {
  const setup = workerData as WorkerSetup
  const options = evaluationOptions(setup.config)
  parentPort?.on('message', (batch: Batch) => {
    // the bytes arrive as plain Uint8Arrays: viewed as Buffers where they are, not copied again
    const contents = batch.contents.map((c) => ({ ...c, bytes: Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength) }))
    parentPort?.postMessage({ index: batch.index, result: evaluateBatch(setup.revision, contents, options) } satisfies BatchResult)
  })
}

/** One batch's files evaluated, with the fixes of their findings rendered while each file is parsed. */
function evaluateBatch(revision: Revision, contents: readonly FileContent[], options: EvaluationOptions): RevisionEvaluation {
  return evaluateRevision(revision, contents, new Map(), options, (yaml, evaluation) =>
    renderFileFixes(yaml, evaluation.objects, { evaluation: options }),
  )
}

/**
 * Evaluates a revision's files with their fixes, spread over the machine's cores when there are
 * enough of them and workers are enabled: one worker per core but this one, which takes batches
 * too (its results need no copying, and one thread fewer holds a heap). Null when it should all
 * run on this thread instead. The result lists files in the order given, as one thread would.
 */
export async function evaluateInParallel(
  revision: Revision,
  contents: readonly FileContent[],
  config: Config,
): Promise<RevisionEvaluation | null> {
  const threads = Math.min(4, availableParallelism())
  if (!entry || threads < 2 || contents.length < MIN_FILES) return null
  const batches = batchesOf(contents, threads)
  const results: RevisionEvaluation[] = []
  let next = 0
  const setup: WorkerSetup = { kind: WORKER_KIND, revision, config }
  const workers: Worker[] = []
  let stopped = false
  // between its own batches, this thread hands the workers theirs
  const serveHere = async (): Promise<void> => {
    const options = evaluationOptions(config)
    for (let batch = batches[next]; batch && !stopped; batch = batches[next]) {
      results[next++] = evaluateBatch(revision, batch, options)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const serve = (url: URL): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(url, { workerData: setup })
      workers.push(worker)
      let outstanding = 0
      const sendNext = (): void => {
        const batch = batches[next]
        if (!batch) {
          if (outstanding === 0) resolve()
          return
        }
        outstanding++
        worker.postMessage({ index: next++, contents: batch } satisfies Batch)
      }
      worker.on('message', ({ index, result }: BatchResult) => {
        results[index] = result
        outstanding--
        sendNext()
      })
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`evaluation worker exited with ${code}`)))
      // two batches in hand: a worker never waits for this thread to finish a batch of its own
      sendNext()
      sendNext()
    })
  try {
    const workerCount = Math.min(threads, batches.length) - 1
    await Promise.all([...Array.from({ length: workerCount }, () => serve(entry as URL)), serveHere()])
  } catch {
    return null
  } finally {
    stopped = true
    for (const worker of workers) void worker.terminate()
  }
  return {
    objects: results.flatMap((r) => r.objects),
    errors: results.flatMap((r) => r.errors),
    skipped: results.flatMap((r) => r.skipped),
    files: results.reduce((sum, r) => sum + r.files, 0),
  }
}

/**
 * Runs of consecutive files of about BATCH_BYTES each, then smaller: a quarter of what is left per
 * thread (a larger file makes a batch of its own).
 */
function batchesOf(contents: readonly FileContent[], threads: number): FileContent[][] {
  const sizeFor = (left: number): number => Math.min(BATCH_BYTES, Math.max(MIN_BATCH_BYTES, left / (4 * threads)))
  let left = contents.reduce((sum, content) => sum + content.bytes.length, 0)
  let size = sizeFor(left)
  const batches: FileContent[][] = []
  let batch: FileContent[] = []
  let bytes = 0
  for (const content of contents) {
    batch.push(content)
    bytes += content.bytes.length
    if (bytes >= size) {
      batches.push(batch)
      left -= bytes
      size = sizeFor(left)
      batch = []
      bytes = 0
    }
  }
  if (batch.length > 0) batches.push(batch)
  return batches
}
