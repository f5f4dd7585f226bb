/**
 * Exactly-once properties over generated histories (fast-check, ManualClock, seeded clusters):
 *
 * 1. Idempotence (KAFKA-SEMANTICS.md invariant 9): however a producer's batches are retried —
 *    repeated, delayed past newer batches, after failures the broker did or did not act on —
 *    no batch is ever written twice and every answer names the batch's one offset.
 * 2. Consume-transform-produce in transactions (invariant 14): a processor reads `in`, writes
 *    each record to `out` and commits its consumer offsets in the same transaction. Processors
 *    crash at any point of a transaction and are replaced (same transactionalId, same group),
 *    transactions are aborted and redone, brokers stop and restart; once the pipeline has
 *    caught up, `out` read with read_committed equals `in` exactly: same records, same order,
 *    none twice, none missing.
 *
 * A failing run prints fast-check's seed and path; the cluster's seed is part of the input.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Cluster, ManualClock, logLevel, type Consumer, type KafkaMessage, type Producer } from '../../../src/index.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'

// -------------------------------------------------------------------------------------------
// Shared

async function newCluster(seed: number, brokerConfig: Record<string, string | number> = {}) {
  const cluster = new Cluster({ brokers: 3, seed, clock: new ManualClock(0), brokerConfig })
  const admin = cluster.kafka({ clientId: 'admin', logLevel: logLevel.NOTHING }).admin()
  await admin.connect()
  await admin.createTopics({
    topics: ['t', 'in', 'out'].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] })),
  })
  await admin.disconnect()
  return cluster
}

/** Steps virtual time until `condition` holds; throws with `describe()` after `maxMs`. */
async function until(cluster: Cluster, condition: () => boolean, what: () => string, stepMs = 100, maxMs = 600_000): Promise<void> {
  for (let waited = 0; !condition(); waited += stepMs) {
    if (waited > maxMs) throw new Error(`not reached after ${maxMs} ms of virtual time: ${what()}\n${cluster.format()}`)
    await cluster.advance(stepMs)
  }
}

/** Steps virtual time until the promise settles. */
async function drive<T>(cluster: Cluster, promise: Promise<T>, stepMs = 50): Promise<T> {
  let done = false
  const watched = promise.finally(() => (done = true))
  watched.catch(() => {})
  await until(cluster, () => done, () => 'a request still pending', stepMs)
  return watched
}

/** The values of t-0 / in-0 / out-0 in the current leader's log, data records only, with offsets. */
function logOf(cluster: Cluster, topic: string): { offset: number; value: string }[] {
  const p = cluster.controller.topic(topic)!.partitions[0]!
  return p.log.read(0, p.logEndOffset, Number.MAX_SAFE_INTEGER).flatMap((batch) =>
    batch.isControl ? [] : Array.from({ length: batch.count }, (_, i) => ({ offset: batch.offsetAt(i), value: batch.valueAt(i)!.toString() })),
  )
}

// -------------------------------------------------------------------------------------------
// 1. Idempotence

describe('idempotence', () => {
  /**
   * At the request boundary: batches B0..Bn-1 of one producer, each first sent in order; any
   * of them may be sent again later, after newer ones (a retry that was delayed). A repeat of
   * one of the last five batches appended is answered with its original offset; an older one
   * is refused (OUT_OF_ORDER_SEQUENCE_NUMBER); nothing is ever appended twice.
   */
  it('repeated and delayed batches at the broker: one copy each, the original offset in every answer', async () => {
    const batches = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 10 })
    const repeats = fc.array(fc.record({ batch: fc.nat(), delay: fc.integer({ min: 0, max: 80 }) }), { maxLength: 12 })
    await fc.assert(
      fc.asyncProperty(batches, repeats, fc.integer({ min: 1, max: 1_000 }), async (sizes, extra, seed) => {
        const cluster = await newCluster(seed)
        try {
          const init = await cluster.send(0, { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 60_000 })
          const leader = cluster.controller.topic('t')!.partitions[0]!.leader
          let sequence = 0
          const specs = sizes.map((size, i) => {
            const spec = { index: i, baseSequence: sequence, values: Array.from({ length: size }, (_, j) => `b${i}.${j}`) }
            sequence += size
            return spec
          })
          // Arrival order: first attempts at 10 ms apart, repeats `delay` ms after their first.
          const arrivals = [
            ...specs.map((s) => ({ at: s.index * 10, spec: s, repeat: false })),
            ...extra.map((e) => {
              const spec = specs[e.batch % specs.length]!
              return { at: spec.index * 10 + 1 + e.delay, spec, repeat: true }
            }),
          ].sort((a, b) => a.at - b.at || Number(a.repeat) - Number(b.repeat))
          const appended: number[] = [] // batch indexes, in log order
          const offsetOf = new Map<number, number>()
          let logEnd = 0
          for (const arrival of arrivals) {
            const response = (
              await cluster.send(leader, {
                api: 'Produce',
                acks: -1,
                timeoutMs: 1_000,
                topics: [
                  {
                    name: 't',
                    partitions: [
                      {
                        index: 0,
                        producerId: init.producerId,
                        producerEpoch: init.producerEpoch,
                        baseSequence: arrival.spec.baseSequence,
                        records: arrival.spec.values.map((v) => ({ key: null, value: Buffer.from(v) })),
                      },
                    ],
                  },
                ],
              })
            ).topics[0]!.partitions[0]!
            const i = arrival.spec.index
            if (!offsetOf.has(i)) {
              expect(response).toMatchObject({ errorCode: 0, baseOffset: logEnd })
              offsetOf.set(i, logEnd)
              appended.push(i)
              logEnd += arrival.spec.values.length
            } else if (appended.slice(-5).includes(i)) {
              expect(response).toMatchObject({ errorCode: 0, baseOffset: offsetOf.get(i) })
            } else {
              expect(response.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)
            }
          }
          expect(logOf(cluster, 't').map((r) => r.value)).toEqual(specs.flatMap((s) => s.values))
        } finally {
          await cluster.close()
        }
      }),
      { numRuns: 60 },
    )
  })

  type Fault = 'none' | 'refused' | 'disconnect' | 'timedOutAfterAppend' | 'isrShrankAfterAppend' | 'leaderCrash'
  const fault: fc.Arbitrary<Fault> = fc.constantFrom('none', 'refused', 'disconnect', 'timedOutAfterAppend', 'isrShrankAfterAppend', 'leaderCrash')

  /**
   * Through kafkajs's producer: each send meets a fault the producer must retry through —
   * refused before the append, the connection dropped, appended but timed out, appended but the
   * ISR shrank, the leader crashing mid-request with its followers part-way. The topic ends
   * with every message exactly once, in send order, at the offsets the sends reported.
   */
  it('a kafkajs idempotent producer retrying through faults writes every message once', async () => {
    const send = fc.record({ count: fc.integer({ min: 1, max: 4 }), fault, lagMs: fc.integer({ min: 0, max: 40 }), crashAfterMs: fc.integer({ min: 0, max: 60 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(send, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 1_000 }), async (sends, seed) => {
        const cluster = await newCluster(seed)
        try {
          // Patient retries: a hard-crashed leader is replaced only after its session expires.
          const producer = cluster.kafka({ clientId: 'idem', logLevel: logLevel.NOTHING }).producer({ idempotent: true, retry: { retries: 100 } })
          await producer.connect()
          const expected: string[] = []
          const reported = new Map<string, number>()
          let n = 0
          for (const s of sends) {
            const values = Array.from({ length: s.count }, () => `m${n++}`)
            expected.push(...values)
            const partition = cluster.controller.topic('t')!.partitions[0]!
            const leader = partition.leader
            const followers = partition.replicas.filter((id) => id !== leader)
            let sending: Promise<unknown>
            switch (s.fault) {
              case 'none':
                sending = producer.send({ topic: 't', messages: values.map((value) => ({ value })) })
                break
              case 'refused':
                cluster.intercept('Produce', () => ({ error: 'NOT_LEADER_OR_FOLLOWER' }), { times: 1 })
                sending = producer.send({ topic: 't', messages: values.map((value) => ({ value })) })
                break
              case 'disconnect':
                cluster.intercept('Produce', () => ({ disconnect: true }), { times: 1 })
                sending = producer.send({ topic: 't', messages: values.map((value) => ({ value })) })
                break
              case 'timedOutAfterAppend': {
                for (const id of followers) cluster.pauseReplication(id)
                sending = producer.send({ topic: 't', timeout: 100, messages: values.map((value) => ({ value })) })
                sending.catch(() => {})
                await cluster.advance(100)
                for (const id of followers) cluster.resumeReplication(id)
                break
              }
              case 'isrShrankAfterAppend': {
                for (const id of followers) cluster.pauseReplication(id)
                sending = producer.send({ topic: 't', messages: values.map((value) => ({ value })) })
                sending.catch(() => {})
                await cluster.advance(0)
                for (const id of followers) cluster.stopBroker(id)
                await cluster.advance(200)
                for (const id of followers) cluster.startBroker(id)
                for (const id of followers) cluster.resumeReplication(id)
                break
              }
              case 'leaderCrash': {
                for (const id of followers) cluster.delayReplication(id, s.lagMs)
                sending = producer.send({ topic: 't', messages: values.map((value) => ({ value })) })
                sending.catch(() => {})
                await cluster.advance(s.crashAfterMs)
                cluster.stopBroker(leader, { crash: true })
                await cluster.advance(500)
                cluster.startBroker(leader)
                for (const id of followers) cluster.delayReplication(id, 0)
                break
              }
            }
            const results = (await drive(cluster, sending)) as { baseOffset?: string }[]
            reported.set(values[0]!, Number(results[0]!.baseOffset))
          }
          // Everyone back in sync before reading the log.
          await until(cluster, () => cluster.describe().topics.find((t) => t.name === 't')!.partitions[0]!.isr.length === 3, () => 'ISR not restored')
          const log = logOf(cluster, 't')
          expect(log.map((r) => r.value)).toEqual(expected)
          for (const [first, offset] of reported) expect(log.find((r) => r.value === first)!.offset).toBe(offset)
          cluster.checkInvariants()
          await producer.disconnect()
        } finally {
          await cluster.close()
        }
      }),
      { numRuns: 40 },
    )
  })
})

// -------------------------------------------------------------------------------------------
// 2. Consume-transform-produce

const HEARTBEAT = 500
const SESSION = 6_000 // group.min.session.timeout.ms
const GROUP = 'processor'
const TRANSACTIONAL_ID = 'processor-tx'

/** Where a processor dies: at once, or at a point of its next transaction. */
type CrashPoint = 'now' | 'afterSend' | 'afterOffsets'

type Role = 'in' | 'out' | 'transaction' | 'group' | 'any'

type Step =
  | { kind: 'produce'; count: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'crash'; at: CrashPoint }
  | { kind: 'abortNext' }
  /** Stops a broker: the leader of `in` or `out`, the coordinator of the transaction or the group, or any. */
  | { kind: 'stopBroker'; role: Role; which: number; crash: boolean }
  | { kind: 'startBroker' }
  /** Dead processors that a successor has fenced come back to life (see resumeZombies). */
  | { kind: 'resumeZombies' }
  /** The followers of `in` or `out` fetch late, so its leader can die with writes (or markers) not yet replicated. */
  | { kind: 'slowFollowers'; topic: 'in' | 'out'; ms: number }

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('produce' as const), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('crash' as const), at: fc.constantFrom<CrashPoint>('now', 'afterSend', 'afterOffsets') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'abortNext' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('stopBroker' as const), role: fc.constantFrom<Role>('in', 'out', 'transaction', 'group', 'any'), which: fc.integer({ min: 0, max: 2 }), crash: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'startBroker' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'resumeZombies' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('slowFollowers' as const), topic: fc.constantFrom<'in' | 'out'>('in', 'out'), ms: fc.integer({ min: 0, max: 2_000 }) }) },
)

interface Options {
  /** One transaction per batch (eachBatch) or per message (eachMessage). */
  readonly perBatch: boolean
  /** Begin (and end) an empty transaction before joining, fencing any predecessor at once. */
  readonly fenceFirst: boolean
  readonly transactionTimeout: number
}

interface Processor {
  readonly name: string
  readonly consumer: Consumer
  readonly producer: Producer
  /** Its process is gone: every request it makes from now on hangs (until resumeZombies). */
  dead: boolean
  /** Its first producer.transaction() resolved: it holds a producer id and epoch. */
  initialized: boolean
  resumed: boolean
  crashAt: Exclude<CrashPoint, 'now'> | undefined
}

class AbortedOnPurpose extends Error {}

class Pipeline {
  readonly cluster: Cluster
  private readonly source: Producer
  private readonly options: Options
  readonly inputs: string[] = []
  readonly processors: Processor[] = []
  private abortNext = false
  private down: number | undefined
  /** Why processors died, for the failure report. */
  readonly deaths: string[] = []
  /** Resumed zombies shutting down. */
  private readonly stopping: Promise<void>[] = []

  private constructor(cluster: Cluster, source: Producer, options: Options) {
    this.cluster = cluster
    this.source = source
    this.options = options
  }

  static async create(seed: number, options: Options): Promise<Pipeline> {
    const cluster = await newCluster(seed, { 'transaction.max.timeout.ms': 900_000 })
    // A hard-crashed leader is replaced only after broker.session.timeout.ms: the source keeps
    // retrying that long (kafkajs's test-time retry gives up after about 9 s of back-off).
    const source = cluster.kafka({ clientId: 'source', logLevel: logLevel.NOTHING }).producer({ idempotent: true, retry: { retries: 100 } })
    await source.connect()
    const pipeline = new Pipeline(cluster, source, options)
    await pipeline.startProcessor()
    return pipeline
  }

  get current(): Processor {
    return this.processors[this.processors.length - 1]!
  }

  async startProcessor(): Promise<void> {
    const name = `p${this.processors.length}`
    const kafka = this.cluster.kafka({ clientId: name, logLevel: logLevel.NOTHING })
    const producer = kafka.producer({ transactionalId: TRANSACTIONAL_ID, idempotent: true, maxInFlightRequests: 1, transactionTimeout: this.options.transactionTimeout })
    const consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: HEARTBEAT, sessionTimeout: SESSION, rebalanceTimeout: SESSION })
    const processor: Processor = { name, consumer, producer, dead: false, initialized: false, resumed: false, crashAt: undefined }
    this.processors.push(processor)
    try {
      await drive(this.cluster, producer.connect())
      if (this.options.fenceFirst) {
        const txn = await drive(this.cluster, producer.transaction())
        processor.initialized = true
        await txn.abort()
      }
      await drive(this.cluster, consumer.connect())
      await drive(this.cluster, consumer.subscribe({ topics: ['in'], fromBeginning: true }))
    } catch (error) {
      // A broker failure while starting: this process gives up; the next step replaces it.
      this.kill(processor, `start failed: ${(error as Error).message}`)
      return
    }
    const run = this.options.perBatch
      ? consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => this.transform(processor, batch.topic, batch.partition, batch.messages, Number(batch.lastOffset()) + 1),
        })
      : consumer.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => this.transform(processor, topic, partition, [message], Number(message.offset) + 1),
        })
    run.catch((error: unknown) => this.kill(processor, `run failed: ${(error as Error).message}`))
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) this.kill(processor, `consumer crashed for good: ${event.payload.error.message}`)
    })
  }

  /** One transaction: the records to `out`, the consumer's next offset to the group, commit. */
  private async transform(p: Processor, topic: string, partition: number, messages: KafkaMessage[], nextOffset: number): Promise<void> {
    const txn = await p.producer.transaction()
    p.initialized = true
    try {
      await txn.send({ topic: 'out', messages: messages.map((m) => ({ key: m.key, value: m.value })) })
      if (p.crashAt === 'afterSend') this.kill(p, 'crashed after send')
      await txn.sendOffsets({ consumerGroupId: GROUP, topics: [{ topic, partitions: [{ partition, offset: String(nextOffset) }] }] })
      if (p.crashAt === 'afterOffsets') this.kill(p, 'crashed after sendOffsets')
      if (this.abortNext) {
        this.abortNext = false
        await txn.abort()
        // The consumer redelivers what the handler failed on: an abort itself rewinds nothing.
        throw new AbortedOnPurpose('aborted on purpose')
      }
      await txn.commit()
    } catch (error) {
      if (error instanceof AbortedOnPurpose) throw error
      // Anything else (fenced, a coordinator gone, retries exhausted) leaves the producer
      // unusable, as in kafkajs: the process is replaced.
      this.kill(p, `transaction failed: ${(error as Error).message}`)
      throw error
    }
  }

  /** The process dies: its client hangs for good (nothing it has not sent yet is ever sent). */
  kill(p: Processor, why: string): void {
    if (p.dead) return
    p.dead = true
    this.deaths.push(`${p.name}: ${why}`)
    this.cluster.pauseClient(p.name)
  }

  async produce(count: number): Promise<void> {
    const values = Array.from({ length: count }, (_, i) => `in-${this.inputs.length + i}`)
    this.inputs.push(...values)
    await drive(this.cluster, this.source.send({ topic: 'in', messages: values.map((value) => ({ key: value, value })) }))
  }

  async step(step: Step): Promise<void> {
    switch (step.kind) {
      case 'produce':
        return this.produce(step.count)
      case 'advance':
        return this.cluster.advance(step.ms)
      case 'crash':
        if (step.at === 'now') this.kill(this.current, 'crashed')
        else this.current.crashAt = step.at
        return
      case 'abortNext':
        this.abortNext = true
        return
      case 'stopBroker': {
        // At most one broker out of sync at a time: the last one stopped is back and caught up
        // first, so with RF=3 and min.insync.replicas=2 every partition keeps a leader.
        if (this.down !== undefined) {
          this.cluster.startBroker(this.down)
          this.down = undefined
          // A broker restarted within its old session registers only when that session
          // expires (until then it serves nothing): wait for every broker to be reachable too.
          await until(
            this.cluster,
            () => this.cluster.brokers.every((b) => b.reachable) && this.cluster.describe().topics.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length)),
            () => 'ISR not restored',
          )
        }
        const d = this.cluster.describe()
        const leaderOf = (topic: string) => d.topics.find((t) => t.name === topic)!.partitions[0]!.leader
        const target =
          step.role === 'in' || step.role === 'out'
            ? leaderOf(step.role)
            : step.role === 'transaction'
              ? (d.transactions.find((t) => t.transactionalId === TRANSACTIONAL_ID)?.coordinator ?? step.which)
              : step.role === 'group'
                ? (d.groups.find((g) => g.groupId === GROUP)?.coordinator ?? step.which)
                : step.which
        this.down = target < 0 ? step.which : target
        this.cluster.stopBroker(this.down, { crash: step.crash })
        return
      }
      case 'startBroker':
        if (this.down !== undefined) this.cluster.startBroker(this.down)
        this.down = undefined
        return
      case 'resumeZombies':
        return this.resumeZombies()
      case 'slowFollowers': {
        const partition = this.cluster.describe().topics.find((t) => t.name === step.topic)!.partitions[0]!
        for (const id of partition.replicas) if (id !== partition.leader) this.cluster.delayReplication(id, step.ms)
        return
      }
    }
  }

  /**
   * A dead processor resumes: the requests its process had not sent go now (a late
   * send, sendOffsets or commit of its old epoch), then it shuts down. Only processors that a
   * successor has fenced (a later processor's InitProducerId bumped the epoch) are resumed:
   * kafkajs's TxnOffsetCommit (v0) carries no consumer generation, so Kafka cannot fence a
   * zombie by generation (KIP-447), only by transactionalId. A zombie whose own InitProducerId
   * was still unsent would, on resuming, fence its successor instead and redo stale work; that
   * is the pre-KIP-447 hazard, kept out of this property on purpose.
   */
  async resumeZombies(): Promise<void> {
    this.processors.forEach((z, i) => {
      if (!z.dead || z.resumed || !z.initialized) return
      if (!this.processors.slice(i + 1).some((p) => p.initialized)) return
      z.resumed = true
      this.stopping.push(z.consumer.disconnect().catch(() => {}))
      this.cluster.resumeClient(z.name)
    })
  }

  /** A dead processor is replaced before the next step, as a supervisor would. */
  async superviseAfter(): Promise<void> {
    if (this.current.dead) await this.startProcessor()
  }

  /** Every input consumed and committed, no transaction open, the processor alive. */
  caughtUp(): boolean {
    if (this.current.dead) return false
    const d = this.cluster.describe()
    const committed = d.groups.find((g) => g.groupId === GROUP)?.offsets.find((o) => o.topic === 'in')?.committedOffset ?? 0
    const txn = d.transactions.find((t) => t.transactionalId === TRANSACTIONAL_ID)
    const open = txn !== undefined && (txn.state === 'Ongoing' || txn.state.startsWith('Prepare'))
    return committed === this.inputs.length && !open
  }

  async finish(): Promise<void> {
    if (this.down !== undefined) this.cluster.startBroker(this.down)
    this.down = undefined
    this.abortNext = false
    for (const id of [0, 1, 2]) this.cluster.delayReplication(id, 0)
    for (let round = 0; !this.caughtUp(); round++) {
      if (round > 3_000) throw new Error(`the pipeline never caught up; deaths: ${this.deaths.slice(0, 10).join('; ')}\n${this.cluster.format()}`)
      await this.superviseAfter()
      await this.resumeZombies()
      await this.cluster.advance(200)
    }
  }

  /** What a fresh read_committed consumer reads from `out`, once it is caught up to the LSO. */
  async readOutput(readUncommitted = false): Promise<string[]> {
    const groupId = `reader-${readUncommitted}`
    const reader = this.cluster.kafka({ clientId: groupId, logLevel: logLevel.NOTHING }).consumer({ groupId, readUncommitted, heartbeatInterval: HEARTBEAT })
    const got: string[] = []
    await drive(this.cluster, reader.connect())
    await drive(this.cluster, reader.subscribe({ topics: ['out'], fromBeginning: true }))
    void reader.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) })
    const partition = () => this.cluster.describe().topics.find((t) => t.name === 'out')!.partitions[0]!
    const end = () => (readUncommitted ? partition().highWatermark : partition().lastStableOffset)
    // The reader's group commits after each batch; with nothing to read it commits nothing.
    const position = () => this.cluster.describe().groups.find((g) => g.groupId === groupId)?.offsets[0]?.committedOffset ?? 0
    await until(this.cluster, () => position() === end(), () => `reader at ${position()}, end ${end()}`)
    await drive(this.cluster, reader.disconnect())
    return got
  }

  async close(): Promise<void> {
    await this.cluster.close()
  }
}

describe('consume-transform-produce in transactions', () => {
  it('with processor crashes and restarts, aborts and broker failures, out (read_committed) equals in exactly', async () => {
    const options = fc.record({ perBatch: fc.boolean(), fenceFirst: fc.boolean(), transactionTimeout: fc.constantFrom(60_000, 8_000) })
    const startedAt = performance.now()
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 20 }), options, fc.integer({ min: 1, max: 1_000 }), async (steps, opts, seed) => {
        const pipeline = await Pipeline.create(seed, opts)
        try {
          for (const step of steps) {
            await pipeline.step(step)
            await pipeline.superviseAfter()
          }
          // Nothing is produced after the last step on purpose: more transactions of the same
          // producer id would paper over a transaction left open on a partition.
          if (pipeline.inputs.length === 0) await pipeline.produce(1)
          await pipeline.finish()
          const output = await pipeline.readOutput()
          expect(output, `deaths: ${pipeline.deaths.join('; ')}`).toEqual(pipeline.inputs)
          pipeline.cluster.checkInvariants()
        } finally {
          await pipeline.close()
        }
      }),
      {
        numRuns: 200,
        interruptAfterTimeLimit: 45_000,
        examples: [
          // Found by this property: the COMMIT marker, appended to out's leader while its
          // followers lag, is truncated away when that leader shuts down; the coordinator had
          // already completed the transaction, so out's new leader keeps it open for ever (the
          // LSO never passes in-0) although the group's offset moved on. Kafka writes markers
          // with acks=all and retries them on the new leader (TransactionMarkerChannelManager).
          [
            [
              { kind: 'slowFollowers', topic: 'in', ms: 17 },
              { kind: 'produce', count: 1 },
              { kind: 'stopBroker', role: 'in', which: 0, crash: false },
              { kind: 'crash', at: 'now' },
            ],
            { perBatch: false, fenceFirst: false, transactionTimeout: 60_000 },
            1,
          ],
          // Found by this property in CI: with followers slowed, the COMMIT markers wait for
          // replication; a new processor that read the group's offsets in between read the old
          // ones and processed in-0 again. The offsets take their marker on __consumer_offsets,
          // not on the data partitions, so they are applied when the commit is decided.
          [
            [
              { kind: 'slowFollowers', topic: 'in', ms: 206 },
              { kind: 'stopBroker', role: 'in', which: 0, crash: false },
              { kind: 'produce', count: 1 },
              { kind: 'advance', ms: 95 },
              { kind: 'startBroker' },
              { kind: 'produce', count: 1 },
            ],
            { perBatch: false, fenceFirst: false, transactionTimeout: 60_000 },
            3,
          ],
        ],
      },
    )
    expect(performance.now() - startedAt).toBeLessThan(60_000)
  }, 70_000)
})
