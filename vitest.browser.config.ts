import { defineConfig } from 'vitest/config'

/**
 * `npm run test:browser`: the console's page driven in headless Chromium (test/console/browser),
 * kept out of `npm test` because a browser is slow to start and CI needs `apt-get install -y
 * chromium` first. The tests skip, loudly, when no Chromium is installed.
 */
export default defineConfig({
  test: {
    include: ['test/console/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    setupFiles: ['test/setup/fast-check.ts'],
  },
})
