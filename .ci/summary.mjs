// Prints the test runners' own totals as the closing line CI reads: "N passed, N failed", summed
// over every JSON report given (the main suite's and the interop suite's). A report that is
// missing or unreadable counts as one failure: a run that never reported must not look green.
import { readFileSync } from 'node:fs'

const files = process.argv.length > 2 ? process.argv.slice(2) : ['test-results/vitest.json']
let passed = 0
let failed = 0
let skipped = 0
let unreadable = false
for (const file of files) {
  try {
    const results = JSON.parse(readFileSync(file, 'utf8'))
    passed += results.numPassedTests
    failed += results.numFailedTests
    skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0)
    // A file that failed to load (a syntax error, a missing import) has no failed test to count.
    if (results.numFailedTests === 0) failed += results.numFailedTestSuites ?? 0
  } catch (error) {
    failed += 1
    unreadable = true
    console.error(`could not read the test results in ${file}: ${error.message}`)
  }
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''))
if (unreadable) process.exit(1)
