/**
 * Consumer-group throughput: 10 consumers in one group read 200 k pre-produced records of
 * 100 B from a 10-partition topic (RF 3), one partition each; once with eachBatch, once with
 * eachMessage. DESIGN.md sets targets only for one consumer (eachBatch >= 3 M msgs/s,
 * eachMessage >= 1 M msgs/s); a group shares one process and one event loop, so it should
 * reach the same figures, and this shows whether the per-member machinery (ten fetch loops,
 * ten sets of commits and heartbeats) costs more than one consumer's.
 *
 * Each sample is a new group. Its consumers are connected and subscribed before the clock
 * starts; run() is called on all ten back to back. The brokers' group.initial.rebalance.delay.ms
 * (20 ms here; Kafka's default 3000, memkafka's 0) lets all ten arrive before the first
 * generation, as Kafka's delay is meant to, so the group forms once instead of growing member
 * by member. The clock starts when the first member reports GROUP_JOIN (the delay and the
 * join are not part of the figure; `consume` and `rebalance` measure joins) and stops when the
 * handlers have seen every record. A settle afterwards (untimed) checks that no record was
 * delivered twice, which would mean a rebalance happened inside the sample. Each sample starts
 * after a full GC, as in `consume`.
 *
 * The baseline is the raw-JS loops of `consume`, ten of them at once over ten arrays, one
 * per partition.
 */
import { Bench, type FnReturnedObject } from 'tinybench'
import { Cluster, logLevel, type Consumer } from '../src/index.js'
import { RawLog, rawEachBatch, rawEachMessage, type RawRecord } from './baseline.js'
import { messages } from './fixtures.js'
import { fullGc } from './gc.js'
import { completed, type BenchResult } from './result.js'

const total = 200_000
const produceBatch = 1000
const members = 10
const partitions = 10
const topic = 'bench-group'

type Mode = 'eachBatch' | 'eachMessage'

export async function benchGroupConsume(): Promise<BenchResult[]> {
  const cluster = new Cluster({ brokers: 3, seed: 1, brokerConfig: { 'group.initial.rebalance.delay.ms': 20 } })
  const kafka = cluster.kafka({ clientId: 'bench', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }] })
  await admin.disconnect()
  const producer = kafka.producer({ allowAutoTopicCreation: false })
  await producer.connect()
  // Keyless records go round-robin over the partitions: 20 k each.
  const batch = messages(produceBatch)
  for (let sent = 0; sent < total; sent += produceBatch) {
    await producer.sendBatch({ topicMessages: [{ topic, messages: batch }], acks: -1 })
  }
  await producer.disconnect()
  const highWatermarks = cluster.describe().topics.find((t) => t.name === topic)!.partitions.map((p) => p.highWatermark)
  if (highWatermarks.reduce((sum, hw) => sum + Number(hw), 0) !== total) throw new Error(`produced ${highWatermarks.join(' + ')}, expected ${total}`)

  // The baseline's partitions: the same records, split the same way, one array each.
  const raw = new RawLog()
  for (let sent = 0; sent < total; sent += produceBatch) await raw.append(batch)
  const rawPartitions: RawRecord[][] = Array.from({ length: partitions }, () => [])
  raw.records.forEach((record, i) => rawPartitions[i % partitions]!.push(record))

  let groups = 0
  let running: Consumer[] = []
  const disconnect = async () => {
    const stopping = running
    running = []
    await Promise.all(stopping.map((c) => c.disconnect()))
  }

  /** Ten members of a new group read the whole topic; returns the time from the first join. */
  const readAll = async (mode: Mode): Promise<FnReturnedObject> => {
    const groupId = `bench-group-${mode}-${groups++}`
    const consumers = Array.from({ length: members }, () => kafka.consumer({ groupId }))
    running = consumers
    let seen = 0
    let startedAt: number | undefined
    let allSeen!: () => void
    const done = new Promise<void>((resolve) => {
      allSeen = resolve
    })
    for (const consumer of consumers) {
      await consumer.connect()
      await consumer.subscribe({ topics: [topic], fromBeginning: true })
      consumer.on(consumer.events.GROUP_JOIN, () => {
        startedAt ??= performance.now()
      })
    }
    await Promise.all(
      consumers.map((consumer) =>
        mode === 'eachBatch'
          ? consumer.run({
              eachBatch: async ({ batch }) => {
                for (const _message of batch.messages) seen++
                if (seen >= total) allSeen()
              },
            })
          : consumer.run({
              eachMessage: async () => {
                if (++seen >= total) allSeen()
              },
            }),
      ),
    )
    await done
    const elapsed = performance.now() - startedAt!

    // Untimed checks: one generation of ten members, one partition each, nothing read twice.
    await cluster.settle()
    const group = cluster.describe().groups.find((g) => g.groupId === groupId)!
    if (group.generationId !== 1 || group.members.length !== members || group.members.some((m) => m.assignment[topic]?.length !== 1)) {
      throw new Error(`group ${groupId}: generation ${group.generationId}, ${group.members.length} members`)
    }
    if (seen !== total) throw new Error(`${groupId} delivered ${seen} records for ${total}`)
    return { overriddenDuration: elapsed }
  }

  /** The baseline: one async loop per partition, all at once. */
  const rawAll = async (mode: Mode): Promise<void> => {
    let seen = 0
    await Promise.all(
      rawPartitions.map((records) =>
        mode === 'eachBatch'
          ? rawEachBatch(records, produceBatch, async (slice) => {
              for (const _record of slice) seen++
            })
          : rawEachMessage(records, async () => {
              seen++
            }),
      ),
    )
    if (seen !== total) throw new Error(`baseline saw ${seen} of ${total}`)
  }

  const bench = new Bench({ time: 0, iterations: 12, warmupTime: 0, warmupIterations: 3, signal: AbortSignal.timeout(60_000) })
  bench.add('eachBatch', () => readAll('eachBatch'), { beforeEach: fullGc, afterEach: disconnect })
  bench.add('eachMessage', () => readAll('eachMessage'), { beforeEach: fullGc, afterEach: disconnect })
  bench.add('baseline eachBatch', () => rawAll('eachBatch'))
  bench.add('baseline eachMessage', () => rawAll('eachMessage'))
  // The brokers' timers are unref'd (they never keep a test process alive), so while the only
  // thing pending is the initial rebalance delay, Node would think the run is over and exit.
  const keepAlive = setInterval(() => {}, 1000)
  try {
    await bench.run()
  } finally {
    clearInterval(keepAlive)
    await disconnect()
    await cluster.close()
  }

  const perSecond = (name: string) => (total * 1000) / completed(bench, name).latency.p50
  const shape = `${members} consumers, ${total / 1000}k x 100 B, ${partitions} partitions, join excluded`
  return [
    {
      name: `group eachBatch, ${shape}`,
      value: perSecond('eachBatch'),
      unit: 'msgs/s',
      target: 5_000_000,
      better: 'higher',
      baseline: perSecond('baseline eachBatch'),
    },
    {
      name: `group eachMessage, ${shape}`,
      value: perSecond('eachMessage'),
      unit: 'msgs/s',
      target: 2_000_000,
      better: 'higher',
      baseline: perSecond('baseline eachMessage'),
    },
  ]
}
