/**
 * producer.sendBatch of 1000 records of 100 B, acks=-1, to a partition replicated on 3 brokers
 * (DESIGN.md target: >= 1.5 M msgs/s). acks=-1 resolves only once the high watermark has
 * passed the batch, so every iteration includes replication to both followers.
 */
import { Bench } from 'tinybench'
import { RawLog } from './baseline.js'
import { messages, topicFixture, type TopicFixture } from './fixtures.js'
import { completed, type BenchResult } from './result.js'

const batchSize = 1000
/** A fresh cluster after this many records, so the heap does not grow through the run. */
const recordsPerCluster = 500_000

export async function benchSendBatch(): Promise<BenchResult[]> {
  const batch = messages(batchSize)
  let fixture: TopicFixture = await topicFixture()
  let sent = 0
  const raw = new RawLog()

  const bench = new Bench({ time: 1500, warmupTime: 300 })
  bench.add(
    'memkafka',
    async () => {
      await fixture.producer.sendBatch({ topicMessages: [{ topic: fixture.topic, messages: batch }], acks: -1 })
      sent += batchSize
    },
    {
      beforeEach: async () => {
        if (sent < recordsPerCluster) return
        await fixture.close()
        fixture = await topicFixture()
        sent = 0
      },
    },
  )
  bench.add('baseline', async () => {
    await raw.append(batch)
  }, {
    beforeEach: () => {
      if (raw.records.length >= recordsPerCluster) raw.clear()
    },
  })
  await bench.run()
  await fixture.close()

  const perSecond = (name: string) => (batchSize * 1000) / completed(bench, name).latency.mean
  return [
    {
      name: 'sendBatch 1000 x 100 B, acks=-1, RF=3',
      value: perSecond('memkafka'),
      unit: 'msgs/s',
      target: 4_000_000,
      better: 'higher',
      baseline: perSecond('baseline'),
    },
  ]
}
