/**
 * `npm run test:long` also runs docs/testing.md's example (test/testing/docs-example.test.ts),
 * whose property takes fast-check's default number of runs: here 2000 of them, from another
 * fixed seed than the suite's. Properties that name their own seed and runs are unaffected.
 */
import fc from 'fast-check'

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 2, numRuns: 2_000 })
