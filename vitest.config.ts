import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // src/testing imports memkafka by its package name; in this repository that is src/index.ts.
  resolve: { alias: [{ find: /^memkafka$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['test/long/**', 'test/console/browser/**', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'threads',
    setupFiles: ['test/setup/fast-check.ts'],
  },
})
