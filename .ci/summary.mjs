// Prints the test runner's own totals as the closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test-results/vitest.json'
try {
  const results = JSON.parse(readFileSync(file, 'utf8'))
  const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0)
  const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : '')
  console.log(line)
} catch (error) {
  console.log(`0 passed, 1 failed`)
  console.error(`could not read the test results in ${file}: ${error.message}`)
  process.exit(1)
}
