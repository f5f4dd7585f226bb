/**
 * The flexible versions (KIP-482) of the admin and transaction APIs, judged by
 * @platformatic/kafka 1.35's own per-version encoders and decoders (what it sends on Node 20):
 * its createRequest writes the request body, our codec decodes it, the mapping answers it
 * against a real cluster, our codec encodes the response and its parseResponse reads it
 * (throwing its ResponseError when a response carries an error code).
 */
import * as platformatic from '@platformatic/kafka'
import { describe, it, expect } from 'vitest'
import { settleMicrotasks } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { decodeMessage, encodeMessageToBuffer } from '../../../src/wire/protocol/codec.js'
import { Reader } from '../../../src/wire/protocol/reader.js'
import { apiOf, contextFor, createTopic, groupCoordinator, joinAndSync, newCluster } from './oracle.js'

type Cluster = ReturnType<typeof newCluster>

/** One exchange through platformatic's module `name` ("createTopicsV7"), called with `args`. */
async function viaPlatformatic(key: number, name: string, version: number, args: unknown[], cluster: Cluster, brokerId = 0): Promise<{ response: any; error: any }> {
  const module = (platformatic as any)[name]
  expect(module, `platformatic exports ${name}`).toBeDefined()
  const body: Buffer = module.createRequest(...args).buffer
  const { api, schema } = apiOf(key)
  const reader = new Reader(body)
  const decoded = decodeMessage(schema.request, version, reader)
  expect(reader.remaining(), `${name}: request bytes left after decoding`).toBe(0)
  const answer = await api.handle(decoded, contextFor(cluster, version, brokerId))
  const bytes = encodeMessageToBuffer(schema.response, version, answer!)
  try {
    return { response: module.parseResponse(1, key, version, platformatic.Reader.from(bytes)), error: undefined }
  } catch (error) {
    return { response: (error as any).response, error }
  }
}

describe('@platformatic/kafka 1.35 at the flexible versions of the admin APIs', () => {
  it('CreateTopics v7: topic id, partitions, replication factor and configs; TOPIC_ALREADY_EXISTS', async () => {
    const cluster = newCluster()
    const topics = [{ name: 'p7', numPartitions: 2, replicationFactor: 2, assignments: [], configs: [{ name: 'retention.ms', value: '1234' }] }]
    const { response, error } = await viaPlatformatic(19, 'createTopicsV7', 7, [topics, 1000, false], cluster)
    expect(error).toBeUndefined()
    const t = response.topics[0]
    expect(t).toMatchObject({ name: 'p7', topicId: cluster.controller.topic('p7')!.topicId, errorCode: 0, numPartitions: 2, replicationFactor: 2 })
    expect(t.configs.find((c: any) => c.name === 'retention.ms')).toEqual({ name: 'retention.ms', value: '1234', readOnly: false, configSource: 1, isSensitive: false })
    const again = await viaPlatformatic(19, 'createTopicsV7', 7, [topics, 1000, false], cluster)
    expect(again.response.topics[0].errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS)
  })

  it('DeleteTopics v6 by name and by id', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    await createTopic(cluster, 'b')
    const idOfB = cluster.controller.topic('b')!.topicId
    const { response, error } = await viaPlatformatic(20, 'deleteTopicsV6', 6, [[{ name: 'a', topicId: '00000000-0000-0000-0000-000000000000' }, { name: null, topicId: idOfB }], 1000], cluster)
    expect(error).toBeUndefined()
    expect(response.responses.map((r: any) => [r.name, r.errorCode])).toEqual([['a', 0], ['b', 0]])
    expect(cluster.controller.allTopics()).toEqual([])
  })

  it('DeleteRecords v2', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 'r')
    await cluster.send(0, { api: 'Produce', acks: -1, timeoutMs: 1000, topics: [{ name: 'r', partitions: [{ index: 0, records: [0, 1, 2].map((i) => ({ key: null, value: Buffer.from(String(i)), headers: [] })) }] }] })
    const { response, error } = await viaPlatformatic(21, 'deleteRecordsV2', 2, [[{ name: 'r', partitions: [{ partitionIndex: 0, offset: 2n }] }], 1000], cluster)
    expect(error).toBeUndefined()
    expect(response.topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, lowWatermark: 2n, errorCode: 0 })
  })

  it('DescribeConfigs v4 with synonyms and documentation; AlterConfigs v2; IncrementalAlterConfigs v1', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'c')
    const altered = await viaPlatformatic(33, 'alterConfigsV2', 2, [[{ resourceType: 2, resourceName: 'c', configs: [{ name: 'cleanup.policy', value: 'compact' }] }], false], cluster)
    expect(altered.error).toBeUndefined()
    const incremental = await viaPlatformatic(44, 'incrementalAlterConfigsV1', 1, [[{ resourceType: 2, resourceName: 'c', configs: [{ name: 'cleanup.policy', configOperation: 2, value: 'delete' }] }], false], cluster)
    expect(incremental.error).toBeUndefined()
    const { response, error } = await viaPlatformatic(32, 'describeConfigsV4', 4, [[{ resourceType: 2, resourceName: 'c', configurationKeys: ['cleanup.policy'] }], true, true], cluster)
    expect(error).toBeUndefined()
    const config = response.results[0].configs[0]
    expect(config).toMatchObject({ name: 'cleanup.policy', value: 'compact,delete', configSource: 1, configType: 7, documentation: expect.stringMatching(/\w/) })
    expect(config.synonyms[0]).toMatchObject({ name: 'cleanup.policy', value: 'compact,delete', source: 1 })
  })

  it('CreatePartitions v2-3 and DeleteGroups v2', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'g')
    for (const [version, count] of [[2, 2], [3, 3]] as const) {
      // An empty (not null) assignment list is refused as Kafka refuses it.
      const empty = await viaPlatformatic(37, `createPartitionsV${version}`, version, [[{ name: 'g', count, assignments: [] }], 1000, false], cluster)
      expect(empty.response.results[0].errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
      const { error } = await viaPlatformatic(37, `createPartitionsV${version}`, version, [[{ name: 'g', count, assignments: null }], 1000, false], cluster)
      expect(error).toBeUndefined()
      expect(cluster.controller.topic('g')!.partitions).toHaveLength(count)
    }
    const coordinator = groupCoordinator(cluster, 'idle')
    await cluster.send(coordinator, { api: 'OffsetCommit', groupId: 'idle', generationId: -1, memberId: '', topics: [{ name: 'g', partitions: [{ index: 0, committedOffset: 0, committedMetadata: null }] }] })
    const { response, error } = await viaPlatformatic(42, 'deleteGroupsV2', 2, [['idle']], cluster, coordinator)
    expect(error).toBeUndefined()
    expect(response.groups ?? response.results).toEqual([expect.objectContaining({ groupId: 'idle', errorCode: 0 })])
  })

  it('OffsetDelete v0 and DescribeCluster v0-1', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'o')
    const coordinator = groupCoordinator(cluster, 'og')
    await cluster.send(coordinator, { api: 'OffsetCommit', groupId: 'og', generationId: -1, memberId: '', topics: [{ name: 'o', partitions: [{ index: 0, committedOffset: 3, committedMetadata: null }] }] })
    const deleted = await viaPlatformatic(47, 'offsetDeleteV0', 0, ['og', [{ name: 'o', partitions: [{ partitionIndex: 0 }] }]], cluster, coordinator)
    expect(deleted.error).toBeUndefined()
    expect(deleted.response.topics[0].partitions[0]).toMatchObject({ partitionIndex: 0, errorCode: 0 })
    const v0 = await viaPlatformatic(60, 'describeClusterV0', 0, [false], cluster)
    expect(v0.error).toBeUndefined()
    expect(v0.response.brokers.map((b: any) => b.brokerId)).toEqual([0, 1, 2])
    const v1 = await viaPlatformatic(60, 'describeClusterV1', 1, [true, 1], cluster)
    expect(v1.error).toBeUndefined()
    expect(v1.response).toMatchObject({ clusterId: cluster.clusterId, controllerId: cluster.controller.controllerId })
  })
})

describe('@platformatic/kafka 1.35 at the flexible versions of the transaction APIs', () => {
  it('a transaction with KIP-447 offsets: InitProducerId v3-4, AddPartitionsToTxn v3, AddOffsetsToTxn v3, TxnOffsetCommit v3, EndTxn v3, then DescribeProducers / DescribeTransactions / ListTransactions v0', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'in')
    await createTopic(cluster, 'out')
    const member = await joinAndSync(cluster, 'eos', ['in'], { in: [0] })
    const id = 'pl-tx'
    const tc = cluster.coordinatorFor(id, 1)!
    const first = await viaPlatformatic(22, 'initProducerIdV3', 3, [id, 30_000, -1n, -1], cluster, tc)
    expect(first.error).toBeUndefined()
    const producerId: bigint = first.response.producerId
    const init = await viaPlatformatic(22, 'initProducerIdV4', 4, [id, 30_000, producerId, first.response.producerEpoch], cluster, tc)
    expect(init.error).toBeUndefined()
    const epoch: number = init.response.producerEpoch
    expect(epoch).toBe(first.response.producerEpoch + 1)

    const added = await viaPlatformatic(24, 'addPartitionsToTxnV3', 3, [[{ transactionalId: id, producerId, producerEpoch: epoch, topics: [{ name: 'out', partitions: [0] }] }]], cluster, tc)
    expect(added.error).toBeUndefined()
    const leader = cluster.controller.topic('out')!.partitions[0]!.leader
    await cluster.send(leader, { api: 'Produce', transactionalId: id, acks: -1, timeoutMs: 1000, topics: [{ name: 'out', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('x'), headers: [] }], producerId: Number(producerId), producerEpoch: epoch, baseSequence: 0, isTransactional: true }] }] })
    expect((await viaPlatformatic(25, 'addOffsetsToTxnV3', 3, [id, producerId, epoch, 'eos'], cluster, tc)).error).toBeUndefined()

    const offsets = (generationId: number) => [id, 'eos', producerId, epoch, generationId, member.memberId, null, [{ name: 'in', partitions: [{ partitionIndex: 0, committedOffset: 4n, committedLeaderEpoch: -1, committedMetadata: null }] }]]
    const zombie = await viaPlatformatic(28, 'txnOffsetCommitV3', 3, offsets(member.generationId + 1), cluster, groupCoordinator(cluster, 'eos'))
    expect(zombie.response.topics[0].partitions[0].errorCode).toBe(ErrorCode.ILLEGAL_GENERATION)
    const good = await viaPlatformatic(28, 'txnOffsetCommitV3', 3, offsets(member.generationId), cluster, groupCoordinator(cluster, 'eos'))
    expect(good.error).toBeUndefined()

    const producers = await viaPlatformatic(61, 'describeProducersV0', 0, [[{ name: 'out', partitionIndexes: [0] }]], cluster, leader)
    expect(producers.error).toBeUndefined()
    expect(producers.response.topics[0].partitions[0].activeProducers[0]).toMatchObject({ producerId, producerEpoch: epoch, lastSequence: 0, currentTxnStartOffset: 0n })
    const described = await viaPlatformatic(65, 'describeTransactionsV0', 0, [[id]], cluster, tc)
    expect(described.error).toBeUndefined()
    expect(described.response.transactionStates[0]).toMatchObject({ transactionalId: id, transactionState: 'Ongoing', producerId, producerEpoch: epoch, topics: [{ topic: 'out', partitions: [0] }] })
    const listed = await viaPlatformatic(66, 'listTransactionsV0', 0, [['Ongoing'], []], cluster, tc)
    expect(listed.error).toBeUndefined()
    expect(listed.response.transactionStates).toEqual([{ transactionalId: id, producerId, transactionState: 'Ongoing' }])

    const ended = await viaPlatformatic(26, 'endTxnV3', 3, [id, producerId, epoch, true], cluster, tc)
    expect(ended.error).toBeUndefined()
    await settleMicrotasks()
    const fetched = await cluster.send(groupCoordinator(cluster, 'eos'), { api: 'OffsetFetch', groupId: 'eos', topics: [{ name: 'in', partitionIndexes: [0] }] })
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(4)
  })
})
