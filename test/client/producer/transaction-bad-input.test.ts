/**
 * transaction.sendOffsets with offsets it must refuse: kafkajs 2.2.4 is the oracle where kafkajs
 * validates (its Long.fromValue, which encodes every INT64, throws), Kafka's broker rules where
 * the broker does (KafkaApis answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not
 * exist). A refused call leaves cluster.describe() as it was, and no offset is ever committed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import { Cluster, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, ManualClock, logLevel } from '../../../src/index.js'

const require = createRequire(import.meta.url)
const kafkajsLong = require('kafkajs/src/utils/long') as { fromValue(value: unknown): unknown }

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start() {
  const cluster = new Cluster({ brokers: 3, seed: 2, clock: new ManualClock(1_000) })
  const kafka = cluster.kafka({ clientId: 'txn', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic: 'in', numPartitions: 1, replicationFactor: 3 }] })
  const producer = kafka.producer({ transactionalId: 'tx', idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 1, maxRetryTime: 1 } })
  await producer.connect()
  cleanups.push(async () => {
    await producer.disconnect()
    await admin.disconnect()
    await cluster.close()
  })
  return { cluster, admin, producer }
}

function snapshot(cluster: Cluster): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

function kafkajsRefusal(offset: unknown): { name: string; message: string } {
  try {
    kafkajsLong.fromValue(offset)
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message }
  }
  throw new Error(`kafkajs encodes ${String(offset)}`)
}

describe('transaction.sendOffsets', () => {
  for (const offset of ['abc', '1.5', '', 1.5, null, {}]) {
    it(`an offset kafkajs cannot encode (${JSON.stringify(offset)}): kafkajs's error, nothing changed, nothing committed`, async () => {
      const { cluster, admin, producer } = await start()
      const transaction = await producer.transaction()
      const before = snapshot(cluster)
      const error = await transaction.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: offset as never }] }] }).then(
        () => undefined,
        (e: unknown) => e as Error,
      )
      expect(error, 'the call should have been refused').toBeDefined()
      expect({ name: error!.name, message: error!.message }).toEqual(kafkajsRefusal(offset))
      expect(snapshot(cluster)).toEqual(before)
      await transaction.commit()
      expect(await admin.fetchOffsets({ groupId: 'g', topics: ['in'] })).toEqual([{ topic: 'in', partitions: [{ partition: 0, offset: '-1', metadata: null }] }])
    })
  }

  // kafkajs retries UNKNOWN_TOPIC_OR_PARTITION on TxnOffsetCommit (COMMIT_RETRIABLE_PROTOCOL_ERRORS)
  // until its retries run out.
  async function refusedAfterRetries(cluster: Cluster, act: Promise<unknown>): Promise<KafkaJSNumberOfRetriesExceeded> {
    const outcome = act.then(() => undefined, (e: unknown) => e)
    await cluster.advance(1_000)
    const error = (await outcome) as KafkaJSNumberOfRetriesExceeded
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded)
    expect(error.cause).toBeInstanceOf(KafkaJSProtocolError)
    expect((error.cause as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    return error
  }

  it('a partition that does not exist: UNKNOWN_TOPIC_OR_PARTITION from the group coordinator, nothing committed', async () => {
    const { cluster, admin, producer } = await start()
    const transaction = await producer.transaction()
    await refusedAfterRetries(cluster, transaction.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 7, offset: '3' }] }] }))
    await transaction.abort()
    const offsets = await admin.fetchOffsets({ groupId: 'g', topics: ['in'] })
    expect(offsets[0]!.partitions).toEqual([{ partition: 0, offset: '-1', metadata: null }])
  })

  it('an existing partition beside one that does not exist: the existing one is committed with the transaction', async () => {
    const { cluster, admin, producer } = await start()
    const transaction = await producer.transaction()
    await refusedAfterRetries(cluster, transaction.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '5' }, { partition: 7, offset: '3' }] }] }))
    await transaction.commit()
    const offsets = await admin.fetchOffsets({ groupId: 'g', topics: ['in'] })
    expect(offsets[0]!.partitions).toEqual([{ partition: 0, offset: '5', metadata: null }])
  })
})
