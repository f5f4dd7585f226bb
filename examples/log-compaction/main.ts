/**
 * Concept 6: log compaction.
 *
 * A topic with cleanup.policy=compact keeps at least the latest record of every key instead
 * of everything for a while: older values of a key are removed by the log cleaner, and the
 * topic becomes a table that a new consumer can rebuild by reading from the start. Offsets
 * never change (the survivors keep theirs, with gaps between), the active segment is never
 * cleaned, and a record with a null value (a tombstone) deletes its key: it is kept for
 * delete.retention.ms after cleaning so that readers learn of the delete, then removed too.
 *
 *   npm run example -- log-compaction
 */
import type { Cluster } from '../../src/index.js'
import { defineExample, type ExampleContext } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'

const TOPIC = 'user-profiles'

export interface LogRecord {
  readonly offset: number
  readonly key: string
  /** null: a tombstone. */
  readonly value: string | null
}

export interface CompactionResult {
  readonly written: LogRecord[]
  readonly afterFirstPass: LogRecord[]
  readonly afterSecondPass: LogRecord[]
  /** What a consumer rebuilding the table from the start ends with. */
  readonly table: Record<string, string>
  readonly removedFirstPass: number
  readonly removedSecondPass: number
  readonly removedTombstones: number
}

const example = defineExample<CompactionResult>({
  name: 'log-compaction',
  title: 'Log compaction: the latest value per key',
  async run(ctx) {
    // The cleaner runs when this example says so (cluster.runCleaner()), not on its own schedule.
    const cluster = ctx.cluster({ brokers: 3, seed: 6, brokerConfig: { 'log.cleaner.enable': false } })
    const kafka = ctx.kafka(cluster, 'profiles')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC,
          numPartitions: 1,
          replicationFactor: 3,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            // A new segment every second, so there is something besides the active segment.
            { name: 'segment.ms', value: '1000' },
            // Clean as soon as anything is dirty (Kafka's default waits for 50%).
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            // A tombstone stays 10 s after the cleaner first saw it (Kafka's default: 24 h).
            { name: 'delete.retention.ms', value: '10000' },
          ],
        },
      ],
    })

    const written: LogRecord[] = []
    const update = async (key: string, value: string | null): Promise<void> => {
      const [r] = await producer.send({ topic: TOPIC, messages: [{ key, value }] })
      written.push({ offset: Number(r!.baseOffset), key, value })
    }

    // --- Updates -----------------------------------------------------------------------------------
    ctx.part('updates', 'Every update is appended, as in any topic')
    await update('user-1', 'email=ann@old.example')
    await update('user-2', 'email=bob@example.com')
    await update('user-3', 'email=cy@example.com')
    await cluster.advance(1_001)
    await update('user-1', 'email=ann@new.example')
    await update('user-2', 'email=bob@example.com city=Oslo')
    await update('user-3', null)
    await cluster.advance(1_001)
    await update('user-1', 'email=ann@new.example city=Lyon')
    await update('user-4', 'email=di@example.com')
    await cluster.advance(1_001)
    // This one starts a new segment: the active one, which the cleaner leaves alone.
    await update('user-2', 'email=bob@example.com city=Rome')
    ctx.log(`${written.length} updates to 4 users (user-3 deleted their account: a null value, a tombstone):`)
    for (const r of written) ctx.log(`  ${describe(r)}`)

    // --- The cleaner ----------------------------------------------------------------------------------
    ctx.part('compacted', 'The cleaner keeps the latest record of each key')
    const first = cluster.runCleaner().filter((r) => r.topic === TOPIC)
    const removedFirstPass = first[0]?.compactedRecords ?? 0
    const afterFirstPass = await readLog(ctx, cluster, 'reader-1')
    ctx.log(`cluster.runCleaner(): each replica's log lost ${removedFirstPass} records. Reading from the start:`)
    for (const r of afterFirstPass) ctx.log(`  ${describe(r)}`)
    const active = written.at(-1)!
    ctx.log('Offsets did not change: the gaps are where older values were.')
    ctx.log(`The last update, ${active.key} @ ${active.offset}, is in the active segment, which is never cleaned; the`)
    ctx.log(`cleaner only looks below it, so ${active.key}'s older value @ 4 survives this pass.`)
    ctx.log("user-3's tombstone stays, so that a reader that had user-3 learns it was deleted.")

    // --- Tombstones expire ---------------------------------------------------------------------------------
    ctx.part('tombstones', 'After delete.retention.ms the tombstone goes too')
    await cluster.advance(10_000)
    await update('user-4', 'email=di@example.com city=Kyiv')
    const second = cluster.runCleaner().filter((r) => r.topic === TOPIC)
    const removedSecondPass = second[0]?.compactedRecords ?? 0
    const removedTombstones = second[0]?.removedTombstones ?? 0
    const afterSecondPass = await readLog(ctx, cluster, 'reader-2')
    ctx.log(`10 s later, after one more update, the next pass removes ${removedSecondPass} record and ${removedTombstones} tombstone:`)
    for (const r of afterSecondPass) ctx.log(`  ${describe(r)}`)
    const table: Record<string, string> = {}
    for (const r of afterSecondPass) {
      if (r.value === null) delete table[r.key]
      else table[r.key] = r.value
    }
    ctx.log('A service rebuilding its user table from the topic (a null value deletes) ends with:')
    for (const [key, value] of Object.entries(table).sort()) ctx.log(`  ${key}: ${value}`)
    ctx.log('user-3 is gone entirely; every other user has its latest profile.')

    ctx.part('story', 'The story of the cleaner, and the partition now')
    ctx.story(cluster, { types: ['logCompacted'] })
    ctx.log()
    const p = cluster.describe().topics.find((t) => t.name === TOPIC)!.partitions[0]!
    ctx.log(`${TOPIC}-0: log start ${p.logStartOffset}, high watermark ${p.highWatermark}, log end ${p.logEndOffset}. Compaction never`)
    ctx.log(`moves the log start: a reader from offset 0 simply finds the next record, @ ${afterSecondPass[0]!.offset}. Of the`)
    ctx.log(`${p.logEndOffset} offsets written, ${afterSecondPass.length} records remain.`)

    return { written, afterFirstPass, afterSecondPass, table, removedFirstPass, removedSecondPass, removedTombstones }
  },
})

function describe(r: LogRecord): string {
  return `offset ${String(r.offset).padStart(2)}  ${r.key}  ${r.value ?? '(tombstone)'}`
}

/** Every record a new group reads from the start, tombstones included. */
async function readLog(ctx: ExampleContext, cluster: Cluster, groupId: string): Promise<LogRecord[]> {
  const consumer = ctx.kafka(cluster, groupId).consumer({ groupId })
  const records: LogRecord[] = []
  await consumer.connect()
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ message }) => void records.push({ offset: Number(message.offset), key: message.key!.toString(), value: message.value?.toString() ?? null }),
  })
  await cluster.settle()
  await consumer.disconnect()
  return records
}

export default example

await runIfMain(import.meta.url, example)
