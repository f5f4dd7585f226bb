/**
 * read_committed consumers (kafkajs's default, readUncommitted: false): records of aborted
 * transactions are dropped using the Fetch response's aborted-transaction list and the ABORT
 * markers in the log (kafkajs's filterAbortedMessages, the Java Fetcher), control records are
 * never delivered, and the consumer's position still moves past everything it skipped.
 * readUncommitted: true sees aborted records, never markers. (KAFKA-SEMANTICS.md "Watermarks and
 * reads", invariants 7 and 11.)
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, logLevel, type Consumer, type Producer } from '../../../src/index.js'
import { abortedBatchFilter, filterAbortedBatches } from '../../../src/client/consumer/aborted-transactions.js'
import { toBatch } from '../../../src/client/consumer/batch.js'
import { endTransactionMarker } from '../../../src/cluster/log/control-record.js'
import { RecordBatch, TimestampType } from '../../../src/cluster/log/record-batch.js'

// -------------------------------------------------------------------------------------------
// The filter over hand-built batches

/** A log under construction: batches at consecutive offsets. */
class LogBuilder {
  readonly batches: RecordBatch[] = []
  private next = 0

  data(producerId: number, values: string[], isTransactional = true): this {
    this.push(values.map((v) => ({ key: null, value: Buffer.from(v) })), producerId, isTransactional, false)
    return this
  }

  plain(values: string[]): this {
    this.push(values.map((v) => ({ key: null, value: Buffer.from(v) })), -1, false, false)
    return this
  }

  marker(producerId: number, type: 'COMMIT' | 'ABORT'): this {
    this.push([endTransactionMarker(type, 0)], producerId, true, true)
    return this
  }

  private push(records: { key: Uint8Array | null; value: Uint8Array | null }[], producerId: number, isTransactional: boolean, isControl: boolean): void {
    const batch = RecordBatch.fromRecords({
      baseOffset: this.next,
      records,
      partitionLeaderEpoch: 0,
      timestampType: TimestampType.CreateTime,
      now: 0,
      producer: producerId >= 0 ? { producerId, producerEpoch: 0, baseSequence: isControl ? -1 : 0, isTransactional } : undefined,
      isControl,
    })
    this.batches.push(batch)
    this.next = batch.lastOffset + 1
  }
}

const valuesOf = (batches: RecordBatch[]): string[] =>
  batches.filter((b) => !b.isControl).flatMap((b) => Array.from({ length: b.count }, (_, i) => b.valueAt(i)!.toString()))

describe('abortedBatchFilter', () => {
  it('keeps everything when there is no aborted transaction (read_uncommitted answers null)', () => {
    const log = new LogBuilder().data(1, ['a']).marker(1, 'ABORT').plain(['p'])
    expect(valuesOf(filterAbortedBatches(log.batches, null))).toEqual(['a', 'p'])
    expect(valuesOf(filterAbortedBatches(log.batches, []))).toEqual(['a', 'p'])
  })

  it('drops an aborted transaction from its first offset to its ABORT marker, and nothing of other producers', () => {
    // 0 p1:a  1 p2:b  2 plain  3 p1:c  4 ABORT(p1)  5 p1:d  6 COMMIT(p1)  7 COMMIT(p2)
    const log = new LogBuilder().data(1, ['a']).data(2, ['b']).plain(['p']).data(1, ['c']).marker(1, 'ABORT').data(1, ['d']).marker(1, 'COMMIT').marker(2, 'COMMIT')
    expect(valuesOf(filterAbortedBatches(log.batches, [{ producerId: 1, firstOffset: 0 }]))).toEqual(['b', 'p', 'd'])
  })

  it('the same producer aborting twice in one fetch: each ABORT marker ends one aborted transaction', () => {
    // 0 a  1 ABORT  2 b  3 COMMIT  4 c  5 ABORT  6 d  7 COMMIT
    const log = new LogBuilder().data(1, ['a']).marker(1, 'ABORT').data(1, ['b']).marker(1, 'COMMIT').data(1, ['c']).marker(1, 'ABORT').data(1, ['d']).marker(1, 'COMMIT')
    const aborted = [
      { producerId: 1, firstOffset: 4 },
      { producerId: 1, firstOffset: 0 },
    ] // any order: the filter sorts them
    expect(valuesOf(filterAbortedBatches(log.batches, aborted))).toEqual(['b', 'd'])
  })

  it('a non-transactional batch of the same producer id is never dropped', () => {
    const log = new LogBuilder().data(1, ['t']).data(1, ['idempotent'], false).marker(1, 'ABORT')
    expect(valuesOf(filterAbortedBatches(log.batches, [{ producerId: 1, firstOffset: 0 }]))).toEqual(['idempotent'])
  })

  it('an aborted transaction that began before the fetched range is dropped from where the fetch starts', () => {
    const log = new LogBuilder().data(1, ['early']).data(2, ['other']).data(1, ['late']).marker(1, 'ABORT').marker(2, 'COMMIT')
    // A fetch from offset 2 gets the batches from there, and the transaction starting at 0.
    const fetched = log.batches.filter((b) => b.lastOffset >= 2)
    expect(valuesOf(filterAbortedBatches(fetched, [{ producerId: 1, firstOffset: 0 }]))).toEqual([])
  })

  it('is stateful: fed in order, it answers per batch', () => {
    const log = new LogBuilder().data(7, ['x']).marker(7, 'ABORT').data(7, ['y'])
    const isAborted = abortedBatchFilter([{ producerId: 7, firstOffset: 0 }])
    expect(log.batches.map((b) => isAborted(b))).toEqual([true, false, false])
  })
})

describe('toBatch with aborted transactions', () => {
  it('skips aborted records and markers, and its lastOffset covers them so the position moves past', () => {
    const log = new LogBuilder().plain(['p']).data(1, ['a', 'b']).marker(1, 'ABORT')
    const batch = toBatch('t', 0, 4, log.batches, 0, [{ producerId: 1, firstOffset: 1 }])
    expect(batch.messages.map((m) => [m.offset, m.value!.toString()])).toEqual([['0', 'p']])
    expect(batch.lastOffset()).toBe('3')
    const onlyAborted = toBatch('t', 0, 4, log.batches, 1, [{ producerId: 1, firstOffset: 1 }])
    expect(onlyAborted.isEmpty()).toBe(true)
    expect(onlyAborted.isEmptyDueToFiltering()).toBe(true)
    expect(onlyAborted.lastOffset()).toBe('3')
  })

  it('without the list (read_uncommitted) it keeps aborted records but still drops markers', () => {
    const log = new LogBuilder().data(1, ['a']).marker(1, 'ABORT')
    const batch = toBatch('t', 0, 2, log.batches, 0, null)
    expect(batch.messages.map((m) => m.value!.toString())).toEqual(['a'])
    expect(batch.messages.every((m) => !m.isControlRecord)).toBe(true)
  })
})

// -------------------------------------------------------------------------------------------
// Consumers against the cluster

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(seed = 5) {
  const cluster = new Cluster({ brokers: 3, seed })
  const kafka = cluster.kafka({ clientId: 'rc', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1, replicationFactor: 3 }] })
  const clients: (Producer | Consumer)[] = []
  cleanups.push(async () => {
    for (const c of clients.reverse()) await c.disconnect().catch(() => {})
    await admin.disconnect()
    await cluster.close()
  })
  const producer = async (config: { transactionalId?: string } = {}) => {
    const p = kafka.producer(config)
    clients.push(p)
    await p.connect()
    return p
  }
  let groups = 0
  /** What a fresh group reads (eachBatch), as delivered: each batch's offsets and its lastOffset. */
  const read = async (readUncommitted: boolean) => {
    const c = kafka.consumer({ groupId: `g${groups++}`, readUncommitted })
    clients.push(c)
    const values: string[] = []
    const offsets: number[] = []
    const lastOffsets: string[] = []
    await c.connect()
    await c.subscribe({ topics: ['t'], fromBeginning: true })
    await c.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          values.push(m.value!.toString())
          offsets.push(Number(m.offset))
        }
        lastOffsets.push(batch.lastOffset())
      },
    })
    await cluster.settle()
    const [committed] = await admin.fetchOffsets({ groupId: `g${groups - 1}`, topics: ['t'] })
    await c.disconnect()
    return { values, offsets, lastOffsets, committed: committed!.partitions[0]!.offset }
  }
  return { cluster, kafka, producer, read }
}

describe('read_committed consumers', () => {
  it('interleaved transactions: only committed and plain records, in offset order; read_uncommitted sees all but markers', async () => {
    const { producer, read } = await start()
    const plain = await producer()
    const p1 = await producer({ transactionalId: 'p1' })
    const p2 = await producer({ transactionalId: 'p2' })
    const t1 = await p1.transaction()
    const t2 = await p2.transaction()
    await t1.send({ topic: 't', messages: [{ value: 'p1-a' }] }) // 0
    await t2.send({ topic: 't', messages: [{ value: 'p2-a' }] }) // 1
    await plain.send({ topic: 't', messages: [{ value: 'plain' }] }) // 2
    await t1.send({ topic: 't', messages: [{ value: 'p1-b' }] }) // 3
    await t1.abort() // 4 ABORT
    await t2.send({ topic: 't', messages: [{ value: 'p2-b' }] }) // 5
    await t2.commit() // 6 COMMIT
    const committed = await read(false)
    expect(committed.values).toEqual(['p2-a', 'plain', 'p2-b'])
    expect(committed.offsets).toEqual([1, 2, 5])
    expect(committed.committed).toBe('7')
    const uncommitted = await read(true)
    expect(uncommitted.values).toEqual(['p1-a', 'p2-a', 'plain', 'p1-b', 'p2-b'])
    expect(uncommitted.offsets).toEqual([0, 1, 2, 3, 5])
    expect(uncommitted.committed).toBe('7')
  })

  it('a fetch holding only an aborted transaction delivers nothing, yet the group commits past it', async () => {
    const { producer, read } = await start()
    const p = await producer({ transactionalId: 'tx' })
    const txn = await p.transaction()
    await txn.send({ topic: 't', messages: [{ value: 'gone' }, { value: 'gone too' }] })
    await txn.abort()
    const result = await read(false)
    expect(result.values).toEqual([])
    expect(result.committed).toBe('3')
  })

  /**
   * Invariant 11 (no aborted read) over random histories: several transactional producers and
   * a plain one write to one partition in any interleaving, each transaction ends in commit or
   * abort; a read_committed consumer then sees exactly the committed and plain records, in
   * offset order, and read_uncommitted sees every data record, never a marker.
   */
  it('for any interleaving of transactions, read_committed sees exactly the committed and plain records', async () => {
    type Step = { kind: 'send'; who: number; count: number } | { kind: 'end'; who: number; commit: boolean }
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), who: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), who: fc.integer({ min: 1, max: 3 }), commit: fc.boolean() }) },
    )
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1_000 }), async (steps, seed) => {
        const { producer, read } = await start(seed)
        // 0 is the plain producer; 1..3 are transactional.
        const producers = [await producer(), await producer({ transactionalId: 'a' }), await producer({ transactionalId: 'b' }), await producer({ transactionalId: 'c' })]
        const open = new Map<number, { txn: Awaited<ReturnType<Producer['transaction']>>; values: string[] }>()
        const visible: string[] = []
        const all: string[] = []
        let n = 0
        const end = async (who: number, commit: boolean) => {
          const current = open.get(who)
          if (!current) return
          open.delete(who)
          if (commit) await current.txn.commit()
          else await current.txn.abort()
          if (commit) visible.push(...current.values)
        }
        // Data becomes visible in offset order; a transaction's records are visible only when it
        // commits, so the expected read_committed order is recovered from the log order below.
        const committedValues = new Set<string>()
        for (const s of steps) {
          if (s.kind === 'send') {
            const values = Array.from({ length: s.count }, () => `v${n++}`)
            all.push(...values)
            if (s.who === 0) {
              await producers[0]!.send({ topic: 't', messages: values.map((value) => ({ value })) })
              values.forEach((v) => committedValues.add(v))
              continue
            }
            let current = open.get(s.who)
            if (!current) open.set(s.who, (current = { txn: await producers[s.who]!.transaction(), values: [] }))
            await current.txn.send({ topic: 't', messages: values.map((value) => ({ value })) })
            current.values.push(...values)
          } else {
            await end(s.who, s.commit)
          }
        }
        for (const who of [...open.keys()]) await end(who, who % 2 === 0)
        visible.forEach((v) => committedValues.add(v))
        const committedRead = await read(false)
        const uncommittedRead = await read(true)
        expect(uncommittedRead.values).toEqual(all)
        expect(committedRead.values).toEqual(all.filter((v) => committedValues.has(v)))
        for (const r of [committedRead, uncommittedRead]) {
          expect([...r.offsets].sort((a, b) => a - b)).toEqual(r.offsets)
        }
        await cleanups.pop()!()
      }),
      { numRuns: 25 },
    )
  })
})
