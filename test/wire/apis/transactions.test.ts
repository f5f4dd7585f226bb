/**
 * The transaction APIs on the wire: InitProducerId (22), AddPartitionsToTxn (24),
 * AddOffsetsToTxn (25), EndTxn (26) and TxnOffsetCommit (28). A whole transaction (produce,
 * offsets, commit or abort) runs at each version kafkajs implements through its own encoders
 * and decoders, and at the later ones through our codec; then KIP-447's zombie fencing.
 */
import { describe, it, expect } from 'vitest'
import { settleMicrotasks } from '../../../src/cluster/clock.js'
import type { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { createTopic, groupCoordinator, joinAndSync, newCluster, viaCodec, viaKafkajs } from './oracle.js'

const txnCoordinator = (cluster: ClusterModel, id: string) => cluster.coordinatorFor(id, 1)!

async function produceTransactional(cluster: ClusterModel, producerId: number, producerEpoch: number, transactionalId: string, topic: string, value: string) {
  const leader = cluster.controller.topic(topic)!.partitions[0]!.leader
  const response = await cluster.send(leader, {
    api: 'Produce',
    transactionalId,
    acks: -1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: 0, records: [{ key: null, value: Buffer.from(value), headers: [] }], producerId, producerEpoch, baseSequence: 0, isTransactional: true }] }],
  })
  return response.topics[0]!.partitions[0]!.errorCode
}

async function committedOffset(cluster: ClusterModel, groupId: string, topic: string): Promise<number> {
  const response = await cluster.send(groupCoordinator(cluster, groupId), { api: 'OffsetFetch', groupId, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: false })
  return response.topics[0]!.partitions[0]!.committedOffset
}

function stateOf(cluster: ClusterModel, id: string) {
  return cluster.transactions.snapshot().find((t) => t.transactionalId === id)
}

describe('a transaction through kafkajs 2.2.4 request versions', () => {
  for (const version of [0, 1]) {
    for (const commit of [true, false]) {
      it(`v${version}: init, add partitions, produce, add offsets, commit offsets, ${commit ? 'commit' : 'abort'}`, async () => {
        const cluster = newCluster()
        await createTopic(cluster, 'out')
        await createTopic(cluster, 'in')
        const id = `tx-${version}-${commit}`
        const tc = txnCoordinator(cluster, id)
        const init = await viaKafkajs(22, 'initProducerId', version, { transactionalId: id, transactionTimeout: 30_000 }, cluster, tc)
        expect(init.error).toBeUndefined()
        // kafkajs decodes int64 as a string.
        const producerId = Number(init.data.producerId)
        const producerEpoch = init.data.producerEpoch as number
        expect(producerEpoch).toBe(0)
        const ids = { transactionalId: id, producerId, producerEpoch }

        const added = await viaKafkajs(24, 'addPartitionsToTxn', version, { ...ids, topics: [{ topic: 'out', partitions: [0] }] }, cluster, tc)
        expect(added.error).toBeUndefined()
        expect(await produceTransactional(cluster, producerId, producerEpoch, id, 'out', 'v')).toBe(0)
        expect((await viaKafkajs(25, 'addOffsetsToTxn', version, { ...ids, groupId: 'g' }, cluster, tc)).error).toBeUndefined()
        const offsets = await viaKafkajs(28, 'txnOffsetCommit', version, { ...ids, groupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '7', metadata: null }] }] }, cluster, groupCoordinator(cluster, 'g'))
        expect(offsets.error).toBeUndefined()
        // kafkajs sends no generation or member id below v3: the coordinator takes it as from outside the group.
        expect(offsets.decoded).toMatchObject({ generationId: -1, memberId: '', groupInstanceId: null })
        expect(await committedOffset(cluster, 'g', 'in')).toBe(-1)

        const ended = await viaKafkajs(26, 'endTxn', version, { ...ids, transactionResult: commit }, cluster, tc)
        expect(ended.error).toBeUndefined()
        await settleMicrotasks()
        expect(stateOf(cluster, id)?.state).toBe(commit ? 'CompleteCommit' : 'CompleteAbort')
        expect(await committedOffset(cluster, 'g', 'in')).toBe(commit ? 7 : -1)
      })
    }

    it(`v${version}: a fenced producer gets INVALID_PRODUCER_EPOCH, another broker NOT_COORDINATOR`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'out')
      const id = `fenced-${version}`
      const tc = txnCoordinator(cluster, id)
      const first = (await viaKafkajs(22, 'initProducerId', version, { transactionalId: id, transactionTimeout: 30_000 }, cluster, tc)).data
      const second = (await viaKafkajs(22, 'initProducerId', version, { transactionalId: id, transactionTimeout: 30_000 }, cluster, tc)).data
      expect(second.producerEpoch).toBe(first.producerEpoch + 1)
      const stale = { transactionalId: id, producerId: first.producerId, producerEpoch: first.producerEpoch }
      expect((await viaKafkajs(24, 'addPartitionsToTxn', version, { ...stale, topics: [{ topic: 'out', partitions: [0] }] }, cluster, tc)).error?.type).toBe('INVALID_PRODUCER_EPOCH')
      expect((await viaKafkajs(25, 'addOffsetsToTxn', version, { ...stale, groupId: 'g' }, cluster, tc)).error?.type).toBe('INVALID_PRODUCER_EPOCH')
      expect((await viaKafkajs(26, 'endTxn', version, { ...stale, transactionResult: true }, cluster, tc)).error?.type).toBe('INVALID_PRODUCER_EPOCH')
      const elsewhere = (tc + 1) % 3
      // kafkajs names error 16 by its old name.
      expect((await viaKafkajs(22, 'initProducerId', version, { transactionalId: id, transactionTimeout: 30_000 }, cluster, elsewhere)).error?.type).toBe('NOT_COORDINATOR_FOR_GROUP')
    })
  }

  it('v0-1: an idempotent producer (null transactional id) gets an id from any broker', async () => {
    const cluster = newCluster()
    for (const version of [0, 1]) {
      for (const broker of [0, 1, 2]) {
        const init = await viaKafkajs(22, 'initProducerId', version, { transactionalId: null, transactionTimeout: 30_000 }, cluster, broker)
        expect(init.error).toBeUndefined()
        expect(Number(init.data.producerId)).toBeGreaterThanOrEqual(0)
      }
    }
  })
})

describe('a transaction through our codec at the versions kafkajs lacks', () => {
  for (const version of [2, 3]) {
    it(`v${version} (InitProducerId v${version + 1}, AddPartitionsToTxn v${version}): commit, and PRODUCER_FENCED for a stale epoch (KIP-588)`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'out')
      await createTopic(cluster, 'in')
      const id = `codec-${version}`
      const tc = txnCoordinator(cluster, id)
      const init = await viaCodec(22, version + 1, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
      expect(init.errorCode).toBe(0)
      const producerId = init.producerId as number
      const producerEpoch = init.producerEpoch as number
      const added = await viaCodec(24, version, { v3AndBelowTransactionalId: id, v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: [{ name: 'out', partitions: [0] }] }, cluster, tc)
      expect(added.resultsByTopicV3AndBelow).toEqual([{ name: 'out', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }] }])
      expect(await produceTransactional(cluster, producerId, producerEpoch, id, 'out', 'v')).toBe(0)
      expect((await viaCodec(25, version, { transactionalId: id, producerId, producerEpoch, groupId: 'g' }, cluster, tc)).errorCode).toBe(0)
      const offsets = await viaCodec(28, version, { transactionalId: id, groupId: 'g', producerId, producerEpoch, topics: [{ name: 'in', partitions: [{ partitionIndex: 0, committedOffset: 3, committedLeaderEpoch: -1, committedMetadata: 'm' }] }] }, cluster, groupCoordinator(cluster, 'g'))
      expect(offsets.topics).toEqual([{ name: 'in', partitions: [{ partitionIndex: 0, errorCode: 0 }] }])
      expect((await viaCodec(26, version, { transactionalId: id, producerId, producerEpoch: producerEpoch + 1, committed: true }, cluster, tc)).errorCode).toBe(ErrorCode.PRODUCER_FENCED)
      expect((await viaCodec(26, version, { transactionalId: id, producerId, producerEpoch, committed: true }, cluster, tc)).errorCode).toBe(0)
      await settleMicrotasks()
      expect(await committedOffset(cluster, 'g', 'in')).toBe(3)
    })
  }

  it('InitProducerId v4 answers a concurrent new instance as Kafka does, and v3 below-KIP-588 codes stay', async () => {
    const cluster = newCluster()
    const id = 'init-v4'
    const tc = txnCoordinator(cluster, id)
    const first = await viaCodec(22, 4, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
    const again = await viaCodec(22, 4, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
    expect(again).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: (first.producerEpoch as number) + 1 })
    const badTimeout = await viaCodec(22, 3, { transactionalId: id, transactionTimeoutMs: 0, producerId: -1, producerEpoch: -1 }, cluster, tc)
    expect(badTimeout.errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
  })

  it('AddPartitionsToTxn v4 (KIP-890): batched transactions, and VerifyOnly checks without adding', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 'out', { partitions: 2 })
    const init = async (id: string) => viaCodec(22, 4, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster)
    const a = await init('a')
    const b = await init('b')
    const add = await viaCodec(24, 4, {
      transactions: [
        { transactionalId: 'a', producerId: a.producerId, producerEpoch: a.producerEpoch, verifyOnly: false, topics: [{ name: 'out', partitions: [0] }] },
        { transactionalId: 'b', producerId: b.producerId, producerEpoch: (b.producerEpoch as number) + 3, verifyOnly: false, topics: [{ name: 'out', partitions: [1] }] },
      ],
    }, cluster)
    expect(add.errorCode).toBe(0)
    expect(add.resultsByTransaction).toEqual([
      { transactionalId: 'a', topicResults: [{ name: 'out', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }] }] },
      { transactionalId: 'b', topicResults: [{ name: 'out', resultsByPartition: [{ partitionIndex: 1, partitionErrorCode: ErrorCode.PRODUCER_FENCED }] }] },
    ])
    const verify = await viaCodec(24, 4, { transactions: [{ transactionalId: 'a', producerId: a.producerId, producerEpoch: a.producerEpoch, verifyOnly: true, topics: [{ name: 'out', partitions: [0, 1] }] }] }, cluster)
    expect((verify.resultsByTransaction as any[])[0].topicResults[0].resultsByPartition).toEqual([
      { partitionIndex: 0, partitionErrorCode: 0 },
      { partitionIndex: 1, partitionErrorCode: ErrorCode.INVALID_TXN_STATE },
    ])
    expect(stateOf(cluster, 'a')!.partitions).toEqual([{ topic: 'out', partition: 0 }])
  })
})

describe('KIP-447: TxnOffsetCommit v3 carries the consumer generation and the coordinator refuses a zombie', () => {
  async function setup() {
    const cluster = newCluster()
    await createTopic(cluster, 'in')
    await createTopic(cluster, 'out')
    const consumer = await joinAndSync(cluster, 'g', ['in'], { in: [0] })
    const id = 'eos'
    const tc = txnCoordinator(cluster, id)
    const init = await viaCodec(22, 4, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
    const producer = { transactionalId: id, producerId: init.producerId as number, producerEpoch: init.producerEpoch as number }
    const begin = async () => {
      await viaCodec(24, 3, { v3AndBelowTransactionalId: id, v3AndBelowProducerId: producer.producerId, v3AndBelowProducerEpoch: producer.producerEpoch, v3AndBelowTopics: [{ name: 'out', partitions: [0] }] }, cluster, tc)
      expect(await produceTransactional(cluster, producer.producerId, producer.producerEpoch, id, 'out', 'x')).toBe(0)
      expect((await viaCodec(25, 3, { ...producer, groupId: 'g' }, cluster, tc)).errorCode).toBe(0)
    }
    const sendOffsets = async (offset: number, member: { generationId: number; memberId: string; groupInstanceId?: string | null }) => {
      const response = await viaCodec(28, 3, { ...producer, groupId: 'g', groupInstanceId: null, ...member, topics: [{ name: 'in', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }] }, cluster, groupCoordinator(cluster, 'g'))
      return (response.topics as any[])[0].partitions[0].errorCode as number
    }
    const end = async (committed: boolean) => {
      expect((await viaCodec(26, 3, { ...producer, committed }, cluster, tc)).errorCode).toBe(0)
      await settleMicrotasks()
    }
    return { cluster, consumer, begin, sendOffsets, end }
  }

  it('a stale generation is ILLEGAL_GENERATION; the transaction aborts and the group keeps its offsets; the current generation commits', async () => {
    const { cluster, consumer, begin, sendOffsets, end } = await setup()
    await begin()
    // The group moves on (a rebalance) while this producer still holds generation 1's offsets.
    const rejoined = await joinAndSync(cluster, 'g', ['in'], { in: [0] }, consumer.memberId)
    expect(rejoined.generationId).toBe(consumer.generationId + 1)
    expect(await sendOffsets(5, { generationId: consumer.generationId, memberId: consumer.memberId })).toBe(ErrorCode.ILLEGAL_GENERATION)
    await end(false)
    expect(await committedOffset(cluster, 'g', 'in')).toBe(-1)

    await begin()
    expect(await sendOffsets(6, { generationId: rejoined.generationId, memberId: rejoined.memberId })).toBe(0)
    await end(true)
    expect(await committedOffset(cluster, 'g', 'in')).toBe(6)
  })

  it('an unknown member is UNKNOWN_MEMBER_ID, and offsets from outside a live group (generation -1) pass as below v3', async () => {
    const { cluster, consumer, begin, sendOffsets, end } = await setup()
    await begin()
    expect(await sendOffsets(5, { generationId: consumer.generationId, memberId: 'zombie-1' })).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(await sendOffsets(5, { generationId: -1, memberId: '' })).toBe(0)
    await end(true)
    expect(await committedOffset(cluster, 'g', 'in')).toBe(5)
  })

  it('a static member replaced by a new instance: the old member id is FENCED_INSTANCE_ID', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'in')
    await createTopic(cluster, 'out')
    const old = await joinAndSync(cluster, 'static', ['in'], { in: [0] }, '', 'instance-1')
    const replacement = await joinAndSync(cluster, 'static', ['in'], { in: [0] }, '', 'instance-1')
    expect(replacement.memberId).not.toBe(old.memberId)
    const id = 'eos-static'
    const tc = txnCoordinator(cluster, id)
    const init = await viaCodec(22, 4, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
    const producer = { transactionalId: id, producerId: init.producerId, producerEpoch: init.producerEpoch }
    expect((await viaCodec(25, 3, { ...producer, groupId: 'static' }, cluster, tc)).errorCode).toBe(0)
    const commit = (memberId: string, generationId: number) =>
      viaCodec(28, 3, { ...producer, groupId: 'static', generationId, memberId, groupInstanceId: 'instance-1', topics: [{ name: 'in', partitions: [{ partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: null }] }] }, cluster, groupCoordinator(cluster, 'static'))
    expect(((await commit(old.memberId, replacement.generationId)).topics as any[])[0].partitions[0].errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID)
    expect(((await commit(replacement.memberId, replacement.generationId)).topics as any[])[0].partitions[0].errorCode).toBe(0)
  })
})

describe('KIP-360: InitProducerId v3+ with the producer\'s current id and epoch', () => {
  it('bumps the epoch for the current epoch, answers a lost-answer retry unbumped, fences anything else', async () => {
    const cluster = newCluster()
    const id = 'kip-360'
    const tc = txnCoordinator(cluster, id)
    const init = (producerId: number, producerEpoch: number, version = 4) => viaCodec(22, version, { transactionalId: id, transactionTimeoutMs: 30_000, producerId, producerEpoch }, cluster, tc)
    const first = await init(-1, -1)
    const producerId = first.producerId as number
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(await init(producerId, 0)).toMatchObject({ errorCode: 0, producerId, producerEpoch: 1 })
    // The same request again (its answer was lost): epoch 0 is the one before the bump.
    expect(await init(producerId, 0)).toMatchObject({ errorCode: 0, producerId, producerEpoch: 1 })
    expect(await init(producerId, 7)).toMatchObject({ errorCode: ErrorCode.PRODUCER_FENCED })
    expect(await init(producerId + 100, 1)).toMatchObject({ errorCode: ErrorCode.PRODUCER_FENCED })
    // v3 predates KIP-588: the same refusal is INVALID_PRODUCER_EPOCH.
    expect(await init(producerId + 100, 1, 3)).toMatchObject({ errorCode: ErrorCode.INVALID_PRODUCER_EPOCH })
    expect(stateOf(cluster, id)).toMatchObject({ producerId, producerEpoch: 1 })
  })
})

describe('TxnOffsetCommit for partitions that do not exist', () => {
  it('answers UNKNOWN_TOPIC_OR_PARTITION for them and stages the rest (KafkaApis checks the metadata first)', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'in')
    const id = 'unknown-parts'
    const tc = txnCoordinator(cluster, id)
    const init = await viaCodec(22, 4, { transactionalId: id, transactionTimeoutMs: 30_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
    const producer = { transactionalId: id, producerId: init.producerId as number, producerEpoch: init.producerEpoch as number }
    expect((await viaCodec(25, 3, { ...producer, groupId: 'g' }, cluster, tc)).errorCode).toBe(0)
    const partition = (partitionIndex: number, committedOffset: number) => ({ partitionIndex, committedOffset, committedLeaderEpoch: -1, committedMetadata: null })
    const response = await viaCodec(28, 3, { ...producer, groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, topics: [{ name: 'in', partitions: [partition(0, 8), partition(4, 1)] }, { name: 'ghost', partitions: [partition(0, 1)] }] }, cluster, groupCoordinator(cluster, 'g'))
    expect(response.topics).toEqual([
      { name: 'in', partitions: [{ partitionIndex: 4, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }, { partitionIndex: 0, errorCode: 0 }] },
      { name: 'ghost', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    ])
    expect((await viaCodec(26, 3, { ...producer, committed: true }, cluster, tc)).errorCode).toBe(0)
    await settleMicrotasks()
    expect(await committedOffset(cluster, 'g', 'in')).toBe(8)
  })
})

describe('InitProducerId at every version past kafkajs (v2 flexible, v3-4 KIP-360 fields)', () => {
  for (const version of [2, 3, 4]) {
    it(`v${version}: an idempotent producer from any broker, a transactional one from its coordinator only`, async () => {
      const cluster = newCluster()
      const ids = new Set<number>()
      for (const broker of [0, 1, 2]) {
        const idempotent = await viaCodec(22, version, { transactionalId: null, transactionTimeoutMs: 1000, producerId: -1, producerEpoch: -1 }, cluster, broker)
        expect(idempotent).toMatchObject({ errorCode: 0, producerEpoch: 0 })
        ids.add(idempotent.producerId as number)
      }
      expect(ids.size).toBe(3)
      const tc = txnCoordinator(cluster, 'v-tx')
      expect(await viaCodec(22, version, { transactionalId: 'v-tx', transactionTimeoutMs: 1000, producerId: -1, producerEpoch: -1 }, cluster, tc)).toMatchObject({ errorCode: 0, producerEpoch: 0 })
      expect((await viaCodec(22, version, { transactionalId: 'v-tx', transactionTimeoutMs: 1000, producerId: -1, producerEpoch: -1 }, cluster, (tc + 1) % 3)).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
    })
  }
})
