/**
 * IncrementalAlterConfigs (44), OffsetDelete (47), DescribeProducers (61),
 * DescribeTransactions (65) and ListTransactions (66) on the wire. kafkajs 2.2.4 implements
 * none of them, so each version goes through our codec both ways against a real cluster.
 */
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { createTopic, groupCoordinator, joinAndSync, newCluster, versions, viaCodec } from './oracle.js'

describe('IncrementalAlterConfigs (44)', () => {
  for (const version of versions(44)) {
    it(`v${version}: APPEND to a list config and SET another; an APPEND to a non-list config is INVALID_CONFIG`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const response = await viaCodec(44, version, {
        resources: [
          { resourceType: 2, resourceName: 't', configs: [{ name: 'cleanup.policy', configOperation: 2, value: 'compact' }, { name: 'retention.ms', configOperation: 0, value: '100' }] },
          { resourceType: 2, resourceName: 'nope', configs: [] },
        ],
        validateOnly: false,
      }, cluster)
      expect(response.responses).toEqual([
        { errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' },
        { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: expect.any(String), resourceType: 2, resourceName: 'nope' },
      ])
      expect(Object.fromEntries(cluster.controller.topic('t')!.configs)).toEqual({ 'cleanup.policy': 'delete,compact', 'retention.ms': '100' })
      const refused = await viaCodec(44, version, { resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', configOperation: 2, value: '1' }] }], validateOnly: false }, cluster)
      expect((refused.responses as any[])[0].errorCode).toBe(ErrorCode.INVALID_CONFIG)
    })
  }
})

describe('OffsetDelete (47)', () => {
  it('v0: a live consumer group keeps its subscribed topics\' offsets; a group error comes alone', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'mine')
    await createTopic(cluster, 'old')
    const coordinator = groupCoordinator(cluster, 'g')
    await cluster.send(coordinator, { api: 'OffsetCommit', groupId: 'g', generationId: -1, memberId: '', topics: [{ name: 'mine', partitions: [{ index: 0, committedOffset: 1, committedMetadata: null }] }, { name: 'old', partitions: [{ index: 0, committedOffset: 2, committedMetadata: null }] }] })
    await joinAndSync(cluster, 'g', ['mine'], { mine: [0] })
    const response = await viaCodec(47, 0, { groupId: 'g', topics: [{ name: 'mine', partitions: [{ partitionIndex: 0 }] }, { name: 'old', partitions: [{ partitionIndex: 0 }] }] }, cluster, coordinator)
    expect(response).toEqual({
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [
        { name: 'mine', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'old', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
      ],
    })
    const unknown = await viaCodec(47, 0, { groupId: 'unknown-group', topics: [{ name: 'old', partitions: [{ partitionIndex: 0 }] }] }, cluster, groupCoordinator(cluster, 'unknown-group'))
    expect(unknown).toEqual({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, throttleTimeMs: 0, topics: [] })
  })
})

describe('DescribeProducers (61), DescribeTransactions (65), ListTransactions (66)', () => {
  it('v0: an open transaction seen by its partition leader and by its coordinator', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const tc = cluster.coordinatorFor('tx', 1)!
    const init = await viaCodec(22, 4, { transactionalId: 'tx', transactionTimeoutMs: 20_000, producerId: -1, producerEpoch: -1 }, cluster, tc)
    const producerId = init.producerId as number
    await viaCodec(24, 3, { v3AndBelowTransactionalId: 'tx', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [{ name: 't', partitions: [0] }] }, cluster, tc)
    const leader = cluster.controller.topic('t')!.partitions[0]!.leader
    const produced = await cluster.send(leader, { api: 'Produce', transactionalId: 'tx', acks: -1, timeoutMs: 1000, topics: [{ name: 't', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('x'), headers: [], timestamp: 5 }], producerId, producerEpoch: 0, baseSequence: 0, isTransactional: true }] }] })
    expect(produced.topics[0]!.partitions[0]!.errorCode).toBe(0)

    const producers = await viaCodec(61, 0, { topics: [{ name: 't', partitionIndexes: [0] }] }, cluster, leader)
    expect(producers.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, errorMessage: null, activeProducers: [{ producerId, producerEpoch: 0, lastSequence: 0, lastTimestamp: 5, coordinatorEpoch: -1, currentTxnStartOffset: 0 }] }] }])

    const described = await viaCodec(65, 0, { transactionalIds: ['tx'] }, cluster, tc)
    expect(described.transactionStates).toEqual([{ errorCode: 0, transactionalId: 'tx', transactionState: 'Ongoing', transactionTimeoutMs: 20_000, transactionStartTimeMs: cluster.clock.now(), producerId, producerEpoch: 0, topics: [{ topic: 't', partitions: [0] }] }])

    const listed = await viaCodec(66, 0, { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [] }, cluster, tc)
    expect(listed).toEqual({ throttleTimeMs: 0, errorCode: 0, unknownStateFilters: ['Bogus'], transactionStates: [{ transactionalId: 'tx', producerId, transactionState: 'Ongoing' }] })
  })
})
