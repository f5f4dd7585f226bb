import { defineConfig } from 'vitest/config'

/**
 * `npm run test:interop`: real Kafka clients (kafkajs, @platformatic/kafka, kcat, Python, Go) driven
 * as separate processes against memkafka's wire server (test/interop; scripts/interop-install.sh
 * installs the clients). Its files end in .interop.ts so that the main suite never picks them up.
 * Two files at a time: each test runs a client process beside the server on 2 shared cores.
 */
export default defineConfig({
  test: {
    include: ['test/interop/**/*.interop.ts'],
    testTimeout: 120_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
  },
})
