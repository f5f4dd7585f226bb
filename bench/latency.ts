/**
 * Produce -> eachMessage latency on the wall clock (DESIGN.md target: p50 <= 50 µs). A running
 * consumer waits on the topic; each sample sends one record (acks=-1, RF=3) and measures, with
 * performance.now(), from just before send() to the moment eachMessage is called with it.
 * This is the delay a test sees between producing and its consumer reacting: no polling
 * interval, only the work in between.
 */
import { Bench, type FnReturnedObject } from 'tinybench'
import { RawQueue } from './baseline.js'
import { messages, topicFixture } from './fixtures.js'
import { completed, type BenchResult } from './result.js'

interface InFlight {
  readonly sentAt: number
  readonly delivered: (ms: number) => void
}

export async function benchLatency(): Promise<BenchResult[]> {
  const fixture = await topicFixture()
  const one = messages(1)

  let inFlight: InFlight | undefined
  const arrived = () => {
    const at = performance.now()
    const current = inFlight
    inFlight = undefined
    current?.delivered(at - current.sentAt)
  }
  /** Starts the clock and returns the promise of the delivery delay, in ms. */
  const expectDelivery = () =>
    new Promise<number>((delivered) => {
      inFlight = { sentAt: performance.now(), delivered }
    })

  const consumer = fixture.kafka.consumer({ groupId: 'bench-latency' })
  await consumer.connect()
  await consumer.subscribe({ topics: [fixture.topic], fromBeginning: true })
  await consumer.run({
    eachMessage: async () => {
      arrived()
    },
  })
  // The group is joined and the consumer is parked on an empty partition.
  await fixture.cluster.settle()

  const queue = new RawQueue()
  let reading = true
  const reader = (async () => {
    while (reading) {
      await queue.next()
      arrived()
    }
  })()

  const bench = new Bench({ time: 1500, warmupTime: 300, signal: AbortSignal.timeout(30_000) })
  // The sample is the delivery delay; the time budget is charged the whole iteration (the
  // send's acknowledgement included), so each task runs for about `time` of wall clock.
  bench.add('memkafka', async (): Promise<FnReturnedObject> => {
    const startedAt = performance.now()
    const delivery = expectDelivery()
    await fixture.producer.send({ topic: fixture.topic, messages: one, acks: -1 })
    const overriddenDuration = await delivery
    return { overriddenDuration, overriddenIterationCost: performance.now() - startedAt }
  })
  bench.add('baseline', async (): Promise<FnReturnedObject> => {
    const startedAt = performance.now()
    const delivery = expectDelivery()
    queue.append(one[0]!)
    const overriddenDuration = await delivery
    return { overriddenDuration, overriddenIterationCost: performance.now() - startedAt }
  })
  await bench.run()

  reading = false
  queue.append(one[0]!)
  await reader
  await consumer.disconnect()
  await fixture.close()

  const memkafka = completed(bench, 'memkafka').latency
  const baseline = completed(bench, 'baseline').latency
  return [
    { name: 'produce -> eachMessage latency p50', value: memkafka.p50 * 1000, unit: 'µs', target: 25, better: 'lower', baseline: baseline.p50 * 1000 },
    { name: 'produce -> eachMessage latency p99', value: memkafka.p99 * 1000, unit: 'µs', target: 200, better: 'lower', baseline: baseline.p99 * 1000 },
  ]
}
