/**
 * Metadata (3), ListOffsets (2) and OffsetForLeaderEpoch (23) on the wire, through kafkajs's
 * per-version encoders and decoders where kafkajs has the version, else our codec.
 */
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ZERO_UUID } from '../../../src/wire/protocol/reader.js'
import { createTopic, newCluster, versions, viaCodec, viaKafkajs } from './oracle.js'

type Cluster = ReturnType<typeof newCluster>

async function produce(cluster: Cluster, topic: string, values: number, timestamp0: number): Promise<void> {
  const leader = cluster.controller.topic(topic)!.partitions[0]!.leader
  const records = Array.from({ length: values }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), timestamp: timestamp0 + i * 10 }))
  const r = await cluster.send(leader, { api: 'Produce', acks: -1, timeoutMs: 1000, topics: [{ name: topic, partitions: [{ index: 0, records }] }] })
  expect(r.topics[0]!.partitions[0]!.errorCode).toBe(0)
}

describe('Metadata (3)', () => {
  for (const version of versions(3).filter((v) => v <= 6)) {
    it(`v${version} through kafkajs: brokers at their advertised addresses, ${version === 0 ? 'an empty list is every topic' : 'the topics asked for'}`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'a', { partitions: 2, replicationFactor: 3 })
      await createTopic(cluster, 'b')
      const answer = await viaKafkajs(3, 'metadata', version, { topics: version === 0 ? [] : ['a'] }, cluster)
      expect(answer.error).toBeUndefined()
      expect(answer.data.brokers.map((b: any) => [b.nodeId, b.host, b.port])).toEqual([0, 1, 2].map((id) => [id, 'localhost', 19092 + id]))
      const names = answer.data.topicMetadata.map((t: any) => t.topic).sort()
      expect(names).toEqual(version === 0 ? ['a', 'b'] : ['a'])
      const a = answer.data.topicMetadata.find((t: any) => t.topic === 'a')
      const model = cluster.controller.topic('a')!
      expect(a.partitionMetadata.map((p: any) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual(model.partitions.map((p) => [p.index, p.leader, [...p.replicas], [...p.isr]]))
      if (version >= 1) expect(answer.data.controllerId).toBe(cluster.controller.controllerId)
      if (version >= 2) expect(answer.data.clusterId).toBe(cluster.clusterId)
    })
  }

  it('v1-6 through kafkajs: a missing topic is created when allowed (always below v4), else UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const cluster = newCluster()
    const created = await viaKafkajs(3, 'metadata', 3, { topics: ['auto3'] }, cluster)
    expect(created.data.topicMetadata[0]).toMatchObject({ topic: 'auto3', topicErrorCode: 0 })
    const refused = await viaKafkajs(3, 'metadata', 4, { topics: ['no-auto'], allowAutoTopicCreation: false }, cluster)
    expect(refused.error?.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    expect(cluster.controller.topic('no-auto')).toBeUndefined()
  })

  for (const version of versions(3, 7)) {
    it(`v${version} through our codec: leader epochs, topic ids from v10, authorized operations only when asked`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'a', { replicationFactor: 3 })
      const request = (asked: boolean) => ({ topics: [{ name: 'a', topicId: ZERO_UUID }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: asked && version >= 8 && version <= 10, includeTopicAuthorizedOperations: asked && version >= 8 })
      const plain = await viaCodec(3, version, request(false), cluster)
      const topic = (plain.topics as any[])[0]
      expect(topic.partitions[0].leaderEpoch).toBe(cluster.controller.topic('a')!.partitions[0]!.leaderEpoch)
      expect(topic.topicId).toBe(version >= 10 ? cluster.controller.topic('a')!.topicId : ZERO_UUID)
      expect(topic.topicAuthorizedOperations).toBe(-2147483648)
      const asked = await viaCodec(3, version, request(true), cluster)
      // No authorizer: every operation a topic (READ..ALTER_CONFIGS) or the cluster supports.
      expect((asked.topics as any[])[0].topicAuthorizedOperations).toBe(version >= 8 ? 3576 : -2147483648)
      if (version >= 8 && version <= 10) expect(asked.clusterAuthorizedOperations).toBe(8096)
      const all = await viaCodec(3, version, { topics: null, allowAutoTopicCreation: true }, cluster)
      expect((all.topics as any[]).map((t) => t.name)).toEqual(['a'])
    })
  }

  it('v12 names topics by id; an unknown id is UNKNOWN_TOPIC_ID; below v12 an id is an INVALID_REQUEST answer', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'a')
    const id = cluster.controller.topic('a')!.topicId
    const unknown = '0000000a-0000-0000-0000-000000000001'
    const r = await viaCodec(3, 12, { topics: [{ topicId: id, name: null }, { topicId: unknown, name: null }], allowAutoTopicCreation: true }, cluster)
    expect((r.topics as any[]).map((t) => [t.name, t.topicId, t.errorCode])).toEqual([
      ['a', id, 0],
      [null, unknown, ErrorCode.UNKNOWN_TOPIC_ID],
    ])
    expect(cluster.controller.topicNames()).toEqual(['a'])
    const invalid = await viaCodec(3, 11, { topics: [{ topicId: id, name: 'a' }, { topicId: unknown, name: 'b' }], allowAutoTopicCreation: true }, cluster)
    expect((invalid.topics as any[]).map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
      ['a', ErrorCode.INVALID_REQUEST, 0],
      ['b', ErrorCode.INVALID_REQUEST, 0],
    ])
    expect(invalid.brokers).toEqual([])
    expect(cluster.controller.topicNames()).toEqual(['a'])
  })
})

describe('ListOffsets (2)', () => {
  it('v0-3 through kafkajs: earliest, latest, by timestamp; v0 as a list of offsets', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    await produce(cluster, 't', 5, 1000)
    for (const version of [0, 1, 2, 3]) {
      const ask = async (timestamp: number) => {
        const r = await viaKafkajs(2, 'listOffsets', version, { replicaId: -1, isolationLevel: 0, topics: [{ topic: 't', partitions: [{ partition: 0, timestamp }] }] }, cluster)
        expect(r.error).toBeUndefined()
        const p = r.data.responses[0].partitions[0]
        return version === 0 ? p.offsets : p.offset
      }
      expect(await ask(-1)).toEqual(version === 0 ? ['5'] : '5')
      expect(await ask(-2)).toEqual(version === 0 ? ['0'] : '0')
      expect(await ask(1025)).toEqual(version === 0 ? ['3'] : '3')
      expect(await ask(99_999)).toEqual(version === 0 ? [] : '-1')
    }
  })

  for (const version of versions(2, 4)) {
    it(`v${version} through our codec: leader epochs, fencing by the current epoch${version >= 7 ? ', max timestamp (-3)' : ''}${version >= 8 ? ', earliest local (-4)' : ''}`, async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't')
      await produce(cluster, 't', 3, 1000)
      const epoch = cluster.controller.topic('t')!.partitions[0]!.leaderEpoch
      const ask = async (timestamp: number, currentLeaderEpoch = -1) =>
        ((await viaCodec(2, version, { replicaId: -1, isolationLevel: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch, timestamp }] }] }, cluster)).topics as any[])[0].partitions[0]
      expect(await ask(-1)).toMatchObject({ errorCode: 0, offset: 3, timestamp: -1, leaderEpoch: epoch })
      expect(await ask(1010)).toMatchObject({ errorCode: 0, offset: 1, timestamp: 1010, leaderEpoch: epoch })
      expect((await ask(-1, epoch + 1)).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH)
      if (version >= 7) expect(await ask(-3)).toMatchObject({ offset: 2, timestamp: 1020 })
      if (version >= 8) expect(await ask(-4)).toMatchObject({ offset: 0 })
    })
  }
})

describe('OffsetForLeaderEpoch (23)', () => {
  for (const version of versions(23)) {
    it(`v${version} through our codec: the end offset of the current epoch is the log end; an unknown partition fails alone`, async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't')
      await produce(cluster, 't', 4, 1000)
      const epoch = cluster.controller.topic('t')!.partitions[0]!.leaderEpoch
      const r = await viaCodec(23, version, { replicaId: -1, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: epoch, leaderEpoch: epoch }, { partition: 7, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] }, cluster)
      const [known, missing] = (r.topics as any[])[0].partitions
      expect(known).toMatchObject({ errorCode: 0, partition: 0, endOffset: 4, leaderEpoch: version >= 1 ? epoch : -1 })
      expect(missing).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partition: 7, endOffset: -1 })
    })
  }
})
