import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * `npm run test:long`: the long seeded simulations under test/long, kept out of `npm test`, and
 * docs/testing.md's example with 2000 runs instead of the suite's 100.
 */
export default defineConfig({
  // src/testing imports memkafka by its package name; in this repository that is src/index.ts.
  resolve: { alias: [{ find: /^memkafka$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
  test: {
    include: ['test/long/**/*.test.ts', 'test/testing/docs-example.test.ts'],
    testTimeout: 600_000,
    pool: 'threads',
    setupFiles: ['test/setup/fast-check.ts', 'test/setup/long-fast-check.ts'],
    passWithNoTests: true,
  },
})
