/**
 * `await producer.send()` of one 100-B record, acks=-1, RF=3, one after another (DESIGN.md
 * target: >= 100 k sends/s). This is the cost a test pays per produced message: partitioning,
 * the Produce request, replication to the followers, the high watermark, the response.
 */
import { Bench } from 'tinybench'
import { RawLog } from './baseline.js'
import { messages, topicFixture, type TopicFixture } from './fixtures.js'
import { completed, type BenchResult } from './result.js'

const recordsPerCluster = 500_000

export async function benchSingleSend(): Promise<BenchResult[]> {
  const one = messages(1)
  let fixture: TopicFixture = await topicFixture()
  let sent = 0
  const raw = new RawLog()

  const bench = new Bench({ time: 1500, warmupTime: 300 })
  bench.add(
    'memkafka',
    async () => {
      await fixture.producer.send({ topic: fixture.topic, messages: one, acks: -1 })
      sent++
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
    await raw.append(one)
  }, {
    beforeEach: () => {
      if (raw.records.length >= recordsPerCluster) raw.clear()
    },
  })
  await bench.run()
  await fixture.close()

  const perSecond = (name: string) => 1000 / completed(bench, name).latency.mean
  return [
    {
      name: 'await send() of 1 x 100 B, acks=-1, RF=3',
      value: perSecond('memkafka'),
      unit: 'sends/s',
      target: 150_000,
      better: 'higher',
      baseline: perSecond('baseline'),
    },
  ]
}
