import { main } from './cli/main.js'
import { enableWorkers, isEvaluationWorker, runEvaluationWorker } from './parallel.js'

if (isEvaluationWorker()) runEvaluationWorker()
else {
  enableWorkers(import.meta.url)
  process.exitCode = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
  })
}
