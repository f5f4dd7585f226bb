/**
 * Consumer throughput, eachBatch (DESIGN.md target: >= 3 M msgs/s) and eachMessage
 * (>= 1 M msgs/s). The topic (3 partitions, RF 3) is filled first; each sample is a new
 * group's consumer, timed from subscribe({ fromBeginning: true }) until its handler has seen
 * every record, so the group join and the first fetches are part of the figure. Both
 * handlers touch every message, as a real handler would. Each sample starts after a full GC
 * (untimed): reading 100 k records allocates tens of MB, and a collection landing inside one
 * sample but not another is most of the noise otherwise. The baselines allocate next to
 * nothing and are not given one (a collection before a 0.2 ms loop only makes it noisier).
 */
import { Bench, type FnReturnedObject } from 'tinybench'
import type { Consumer } from '../src/index.js'
import { RawLog, rawEachBatch, rawEachMessage } from './baseline.js'
import { messages, topicFixture } from './fixtures.js'
import { fullGc } from './gc.js'
import { completed, type BenchResult } from './result.js'

const total = 100_000
const produceBatch = 1000

export async function benchConsume(): Promise<BenchResult[]> {
  const fixture = await topicFixture({ partitions: 3 })
  const batch = messages(produceBatch)
  for (let sent = 0; sent < total; sent += produceBatch) {
    await fixture.producer.sendBatch({ topicMessages: [{ topic: fixture.topic, messages: batch }], acks: -1 })
  }
  const raw = new RawLog()
  for (let sent = 0; sent < total; sent += produceBatch) await raw.append(batch)

  let groups = 0
  let consumer: Consumer | undefined
  const disconnect = async () => {
    await consumer?.disconnect()
    consumer = undefined
  }

  /** One consumer of a new group reads the whole topic; returns the time that took. */
  const readAll = async (mode: 'eachBatch' | 'eachMessage'): Promise<FnReturnedObject> => {
    const current = fixture.kafka.consumer({ groupId: `bench-${mode}-${groups++}` })
    consumer = current
    await current.connect()
    let seen = 0
    let allSeen!: () => void
    const done = new Promise<void>((resolve) => {
      allSeen = resolve
    })
    const startedAt = performance.now()
    await current.subscribe({ topics: [fixture.topic], fromBeginning: true })
    if (mode === 'eachBatch') {
      await current.run({
        eachBatch: async ({ batch }) => {
          for (const _message of batch.messages) seen++
          if (seen >= total) allSeen()
        },
      })
    } else {
      await current.run({
        eachMessage: async () => {
          if (++seen >= total) allSeen()
        },
      })
    }
    await done
    const elapsed = performance.now() - startedAt
    return { overriddenDuration: elapsed, overriddenIterationCost: elapsed }
  }

  const bench = new Bench({ time: 0, iterations: 15, warmupTime: 0, warmupIterations: 5, signal: AbortSignal.timeout(60_000) })
  bench.add('eachBatch', () => readAll('eachBatch'), { beforeEach: fullGc, afterEach: disconnect })
  bench.add('eachMessage', () => readAll('eachMessage'), { beforeEach: fullGc, afterEach: disconnect })
  bench.add('baseline eachBatch', async () => {
    let seen = 0
    await rawEachBatch(raw.records, produceBatch, async (records) => {
      for (const _record of records) seen++
    })
    if (seen !== total) throw new Error(`baseline saw ${seen} of ${total}`)
  })
  bench.add('baseline eachMessage', async () => {
    let seen = 0
    await rawEachMessage(raw.records, async () => {
      seen++
    })
    if (seen !== total) throw new Error(`baseline saw ${seen} of ${total}`)
  })
  await bench.run()
  await disconnect()
  await fixture.close()

  const perSecond = (name: string) => (total * 1000) / completed(bench, name).latency.p50
  return [
    {
      name: `consumer eachBatch, ${total / 1000}k x 100 B, 3 partitions`,
      value: perSecond('eachBatch'),
      unit: 'msgs/s',
      target: 5_000_000,
      better: 'higher',
      baseline: perSecond('baseline eachBatch'),
    },
    {
      name: `consumer eachMessage, ${total / 1000}k x 100 B, 3 partitions`,
      value: perSecond('eachMessage'),
      unit: 'msgs/s',
      target: 2_000_000,
      better: 'higher',
      baseline: perSecond('baseline eachMessage'),
    },
  ]
}
