import { run } from './main.js'
import { enableWorkers, isEvaluationWorker, runEvaluationWorker } from './parallel.js'

if (isEvaluationWorker()) runEvaluationWorker()
else {
  enableWorkers(import.meta.url)
  await run()
}
