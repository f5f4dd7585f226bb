/**
 * confluent-kafka-go 0.11.6 (librdkafka 2.0.2), Debian's only Go build of it: the seed's own producer
 * and consumer programs (test/interop/go/seed-*), which hard-code localhost:9092 and topic my-topic.
 * memkafka listens on 9092 for them. The seed producer hands Produce a nil delivery channel and never
 * reads Events(), so its Flush(15 * 1000) always waits the full 15 s.
 */
import { expect } from 'vitest'
import { goDriver, runDriver } from './support/driver.js'
import { describeClient, server } from './support/scenarios.js'

describeClient('confluent-kafka-go', {
  command: [],
  headers: false,
  overrides: {
    async 'produce-consume'() {
      const mk = await server(1, 9092)
      // The seed's program prints through log.Printf (stderr) and exits 0 after Flush.
      const produced = await runDriver([goDriver('seed-producer')], { env: {}, timeoutMs: 40_000, plain: true })
      expect(produced.log.some((l) => l.includes('Produced message: Hello Kafka!'))).toBe(true)
      const p = mk.cluster.describe().topics.find((t) => t.name === 'my-topic')!.partitions[0]!
      expect(p.highWatermark).toBe(1)
      const consumed = await runDriver([goDriver('seed-consumer')], {
        env: {},
        timeoutMs: 40_000,
        plain: true,
        stopWhen: (line) => line.includes('Received message: Hello Kafka!'),
      })
      expect(consumed.log.some((l) => l.includes('Received message: Hello Kafka!'))).toBe(true)
      expect(consumed.log.filter((l) => l.includes('Error while consuming'))).toEqual([])
      // The seed's consumer joined my-group (auto-commit may not have run before it was stopped).
      expect(mk.cluster.describe().groups.some((g) => g.groupId === 'my-group')).toBe(true)
      mk.cluster.checkInvariants()
    },
  },
})
