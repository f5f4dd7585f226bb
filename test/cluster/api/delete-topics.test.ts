/**
 * DeleteTopics (API key 20) at the request boundary (ControllerApis.deleteTopics): a topic and
 * its data go away, a parked fetch on it wakes, and refusals change nothing.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { settleMicrotasks } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { DeleteTopicsResponse, FetchResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

function deleteTopics(cluster: ClusterModel, topicNames: string[], brokerId = 0): Promise<DeleteTopicsResponse> {
  return cluster.send(brokerId, { api: 'DeleteTopics', topicNames, timeoutMs: 1000 })
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

function leaderOf(cluster: ClusterModel, topic: string, partition = 0): number {
  return cluster.controller.topic(topic)!.partitions[partition]!.leader
}

describe('DeleteTopics', () => {
  it('removes the topic: Metadata no longer knows it and a topicDeleted event is recorded', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'gone', { partitions: 2 })
    await createTopic(cluster, 'kept')
    const response = await deleteTopics(cluster, ['gone'])
    expect(response.responses).toEqual([{ name: 'gone', errorCode: ErrorCode.NONE, errorMessage: null }])
    expect(cluster.describe().topics.map((t) => t.name)).toEqual(['kept'])
    const metadata = await cluster.send(0, { api: 'Metadata', topics: ['gone'], allowAutoTopicCreation: false })
    expect(metadata.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(cluster.timeline({ types: ['topicDeleted'] })).toMatchObject([{ type: 'topicDeleted', topic: 'gone' }])
  })

  it('lets the name be created again, empty', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'again')
    const leader = leaderOf(cluster, 'again')
    await cluster.send(leader, {
      api: 'Produce',
      acks: 1,
      timeoutMs: 1000,
      topics: [{ name: 'again', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('v') }] }] }],
    })
    await deleteTopics(cluster, ['again'])
    await createTopic(cluster, 'again')
    expect(cluster.describe().topics[0]!.partitions[0]).toMatchObject({ logStartOffset: 0, highWatermark: 0, logEndOffset: 0 })
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist, and changes nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'kept')
    const before = state(cluster)
    const response = await deleteTopics(cluster, ['missing'])
    expect(response.responses).toMatchObject([{ name: 'missing', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }])
    expect(state(cluster)).toEqual(before)
  })

  it('answers each name on its own', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    const response = await deleteTopics(cluster, ['missing', 'a'])
    expect(response.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['a', ErrorCode.NONE],
    ])
  })

  it('answers TOPIC_DELETION_DISABLED when delete.topic.enable=false, and keeps the topic', async () => {
    const cluster = newCluster({ brokerConfig: { 'delete.topic.enable': false } })
    await createTopic(cluster, 'stays')
    const before = state(cluster)
    const response = await deleteTopics(cluster, ['stays'])
    expect(response.responses).toMatchObject([{ name: 'stays', errorCode: ErrorCode.TOPIC_DELETION_DISABLED }])
    expect(state(cluster)).toEqual(before)
  })

  it('wakes a fetch parked on the deleted topic with UNKNOWN_TOPIC_OR_PARTITION, without the clock moving', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'parked')
    const leader = leaderOf(cluster, 'parked')
    let answer: FetchResponse | undefined
    void cluster
      .send(leader, {
        api: 'Fetch',
        maxWaitMs: 60_000,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        topics: [{ name: 'parked', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
      })
      .then((r) => (answer = r))
    await settleMicrotasks()
    expect(answer).toBeUndefined()
    await deleteTopics(cluster, ['parked'])
    await settleMicrotasks()
    expect(answer).toBeDefined()
    expect(answer!.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(cluster.clock.now()).toBe(0)
  })

  it("drops the groups' committed offsets for the topic", async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'offsets')
    await createTopic(cluster, 'other')
    const groupId = 'g'
    const coordinator = cluster.coordinatorFor(groupId, 0)!
    const commit = await cluster.send(coordinator, {
      api: 'OffsetCommit',
      groupId,
      generationId: -1,
      memberId: '',
      topics: [
        { name: 'offsets', partitions: [{ index: 0, committedOffset: 0, committedMetadata: null }] },
        { name: 'other', partitions: [{ index: 0, committedOffset: 0, committedMetadata: null }] },
      ],
    })
    expect(commit.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))).toEqual([ErrorCode.NONE, ErrorCode.NONE])
    await deleteTopics(cluster, ['offsets'])
    const fetched = await cluster.send(coordinator, { api: 'OffsetFetch', groupId, topics: null })
    expect(fetched.topics.map((t) => t.name)).toEqual(['other'])
  })

  // ControllerApis.deleteTopics: a name given twice gets one INVALID_REQUEST "Duplicate topic
  // name." and is removed from the names to delete, so nothing is deleted.
  it('answers INVALID_REQUEST for a name given twice and deletes nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'twice')
    const before = state(cluster)
    const response = await deleteTopics(cluster, ['twice', 'twice'])
    expect(response.responses.map((r) => [r.name, r.errorCode])).toEqual([['twice', ErrorCode.INVALID_REQUEST]])
    expect(state(cluster)).toEqual(before)
  })
})
