import { defineConfig } from 'vitest/config'

/**
 * `npm run test:long`: the long seeded simulations under test/long, kept out of `npm test`, and
 * docs/testing.md's example with 2000 runs instead of the suite's 100.
 */
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts', 'test/testing/docs-example.test.ts'],
    testTimeout: 600_000,
    pool: 'threads',
    setupFiles: ['test/setup/fast-check.ts', 'test/setup/long-fast-check.ts'],
    passWithNoTests: true,
  },
})
