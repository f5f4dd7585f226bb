import { defineConfig } from 'vitest/config'

/** `npm run test:long`: the long seeded simulations under test/long, kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    testTimeout: 600_000,
    pool: 'threads',
    setupFiles: ['test/setup/fast-check.ts'],
    passWithNoTests: true,
  },
})
