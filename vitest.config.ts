import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['test/long/**', 'test/console/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'threads',
    setupFiles: ['test/setup/fast-check.ts'],
  },
})
