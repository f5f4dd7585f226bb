/**
 * CreateTopics (19), DeleteTopics (20), DeleteRecords (21) and CreatePartitions (37) on the wire:
 * every version kafkajs 2.2.4 implements through its own encoders and decoders, the later ones
 * through our codec, each against a real cluster.
 */
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ZERO_UUID } from '../../../src/wire/protocol/reader.js'
import { newCluster, versions, viaCodec, viaKafkajs } from './oracle.js'

describe('CreateTopics (19)', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`v${version} through kafkajs creates topics and answers TOPIC_ALREADY_EXISTS / INVALID_PARTITIONS per topic`, async () => {
      const cluster = newCluster()
      const ok = await viaKafkajs(19, 'createTopics', version, { topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], timeout: 1000 }, cluster)
      expect(ok.error).toBeUndefined()
      expect(ok.decoded.topics).toEqual([expect.objectContaining({ name: 'orders', numPartitions: 3, replicationFactor: 2 })])
      const topic = cluster.controller.topic('orders')!
      expect(topic.partitions).toHaveLength(3)
      expect(topic.replicationFactor).toBe(2)
      expect(topic.configs.get('cleanup.policy')).toBe('compact')

      const refused = await viaKafkajs(19, 'createTopics', version, { topics: [{ topic: 'orders', numPartitions: 1, replicationFactor: 1 }, { topic: 'empty', numPartitions: 0, replicationFactor: 1 }], timeout: 1000 }, cluster)
      expect(refused.error?.name).toBe('KafkaJSAggregateError')
      const causes = refused.error.errors.map((e: { topic: string; type: string }) => [e.topic, e.type]).sort()
      expect(causes).toEqual([['empty', 'INVALID_PARTITIONS'], ['orders', 'TOPIC_ALREADY_EXISTS']])
      if (version >= 1) {
        const messages = refused.data.topicErrors.map((t: { errorMessage: string }) => t.errorMessage)
        expect(messages.every((m: string) => m.length > 0)).toBe(true)
      }
      expect(cluster.controller.topic('empty')).toBeUndefined()
    })
  }

  for (const version of [1, 2, 3]) {
    it(`v${version} validateOnly checks without creating`, async () => {
      const cluster = newCluster()
      const result = await viaKafkajs(19, 'createTopics', version, { topics: [{ topic: 'dry', numPartitions: 2, replicationFactor: 1 }], validateOnly: true, timeout: 1000 }, cluster)
      expect(result.error).toBeUndefined()
      expect(cluster.controller.topic('dry')).toBeUndefined()
    })
  }

  it('v0 ignores validateOnly, which it cannot carry', async () => {
    const cluster = newCluster()
    await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'real', numPartitions: 1, replicationFactor: 1 }], validateOnly: true }, cluster)
    expect(cluster.controller.topic('real')).toBeDefined()
  })

  for (const version of versions(19, 4)) {
    it(`v${version} through our codec: broker defaults for -1, and from v5 the partitions, replication factor and configs of the new topic`, async () => {
      const cluster = newCluster()
      const response = await viaCodec(19, version, {
        topics: [
          { name: 'defaults', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] },
          { name: 'bad', numPartitions: 1, replicationFactor: 4, assignments: [], configs: [] },
        ],
        timeoutMs: 1000,
        validateOnly: false,
      }, cluster)
      const [created, bad] = response.topics as Record<string, any>[]
      expect(created!.errorCode).toBe(ErrorCode.NONE)
      expect(bad!.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR)
      const topic = cluster.controller.topic('defaults')!
      expect(topic.partitions.length).toBeGreaterThan(0)
      if (version >= 5) {
        expect(created!.numPartitions).toBe(topic.partitions.length)
        expect(created!.replicationFactor).toBe(topic.replicationFactor)
        const retention = created!.configs.find((c: { name: string }) => c.name === 'retention.ms')
        expect(retention).toEqual({ name: 'retention.ms', value: '1000', readOnly: false, configSource: 1, isSensitive: false })
        expect(bad!.configs).toBeNull()
        expect(bad!.numPartitions).toBe(-1)
      }
      expect(created!.topicId).toBe(version >= 7 ? topic.topicId : ZERO_UUID)
    })
  }
})

describe('DeleteTopics (20)', () => {
  for (const version of [0, 1]) {
    it(`v${version} through kafkajs deletes topics and answers UNKNOWN_TOPIC_OR_PARTITION`, async () => {
      const cluster = newCluster()
      await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'gone', numPartitions: 1, replicationFactor: 1 }] }, cluster)
      const ok = await viaKafkajs(20, 'deleteTopics', version, { topics: ['gone'], timeout: 1000 }, cluster)
      expect(ok.error).toBeUndefined()
      expect(cluster.controller.topic('gone')).toBeUndefined()
      const missing = await viaKafkajs(20, 'deleteTopics', version, { topics: ['gone'], timeout: 1000 }, cluster)
      expect(missing.error?.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
    })
  }

  for (const version of versions(20, 2)) {
    it(`v${version} through our codec${version >= 6 ? ', naming topics by name or by id' : ''}`, async () => {
      const cluster = newCluster()
      await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'a', numPartitions: 1, replicationFactor: 1 }, { topic: 'b', numPartitions: 1, replicationFactor: 1 }] }, cluster)
      const idOfB = cluster.controller.topic('b')!.topicId
      const idOfA = cluster.controller.topic('a')!.topicId
      if (version < 6) {
        const response = await viaCodec(20, version, { topicNames: ['a', 'nope'], timeoutMs: 1000 }, cluster)
        expect((response.responses as any[]).map((r) => [r.name, r.errorCode])).toEqual([['a', 0], ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]])
        if (version >= 5) expect((response.responses as any[])[1].errorMessage).toEqual(expect.any(String))
        expect(cluster.controller.topic('a')).toBeUndefined()
        return
      }
      const unknownId = '0f0f0f0f-0000-4000-8000-000000000001'
      const response = await viaCodec(20, version, {
        topics: [{ name: 'a', topicId: ZERO_UUID }, { name: null, topicId: idOfB }, { name: null, topicId: unknownId }, { name: 'a', topicId: idOfB }],
        timeoutMs: 1000,
      }, cluster)
      expect((response.responses as any[]).map((r) => [r.name, r.topicId, r.errorCode])).toEqual([
        [null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID],
        ['a', idOfB, ErrorCode.INVALID_REQUEST],
        ['a', idOfA, 0],
        ['b', idOfB, 0],
      ])
      expect(cluster.controller.allTopics().map((t) => t.name)).toEqual([])
    })
  }

  it('v6: neither name nor id, an id given twice, and a name given twice are each refused once with INVALID_REQUEST', async () => {
    const cluster = newCluster()
    await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'a', numPartitions: 1, replicationFactor: 1 }, { topic: 'b', numPartitions: 1, replicationFactor: 1 }] }, cluster)
    const idOfB = cluster.controller.topic('b')!.topicId
    const response = await viaCodec(20, 6, {
      topics: [{ name: null, topicId: ZERO_UUID }, { name: null, topicId: idOfB }, { name: null, topicId: idOfB }, { name: 'a', topicId: ZERO_UUID }, { name: 'a', topicId: ZERO_UUID }],
      timeoutMs: 1000,
    }, cluster)
    expect((response.responses as any[]).map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      [null, ErrorCode.INVALID_REQUEST, 'Neither topic name nor id were specified.'],
      [null, ErrorCode.INVALID_REQUEST, 'Duplicate topic id.'],
      ['a', ErrorCode.INVALID_REQUEST, 'Duplicate topic name.'],
    ])
    expect(cluster.controller.allTopics().map((t) => t.name).sort()).toEqual(['a', 'b'])
  })

  it('v1 through kafkajs: a name given twice is answered once, and the topic stays', async () => {
    const cluster = newCluster()
    await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'twice', numPartitions: 1, replicationFactor: 1 }] }, cluster)
    const result = await viaKafkajs(20, 'deleteTopics', 1, { topics: ['twice', 'twice'], timeout: 1000 }, cluster)
    expect(result.data.topicErrors).toEqual([{ topic: 'twice', errorCode: ErrorCode.INVALID_REQUEST }])
    expect(cluster.controller.topic('twice')).toBeDefined()
  })
})

describe('DeleteRecords (21)', () => {
  async function topicWithRecords(count: number) {
    const cluster = newCluster({ brokers: 1 })
    await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'log', numPartitions: 1, replicationFactor: 1 }] }, cluster)
    const response = await cluster.send(0, { api: 'Produce', acks: -1, timeoutMs: 1000, topics: [{ name: 'log', partitions: [{ index: 0, records: Array.from({ length: count }, (_, i) => ({ key: null, value: Buffer.from(String(i)), headers: [], timestamp: 0 })) as never }] }] })
    expect(response.topics[0]!.partitions[0]!.errorCode).toBe(0)
    return cluster
  }

  for (const version of [0, 1]) {
    it(`v${version} through kafkajs moves the low watermark and refuses an offset past the high watermark`, async () => {
      const cluster = await topicWithRecords(5)
      const ok = await viaKafkajs(21, 'deleteRecords', version, { topics: [{ topic: 'log', partitions: [{ partition: 0, offset: 3 }] }] }, cluster)
      expect(ok.error).toBeUndefined()
      expect(ok.data.topics[0].partitions[0]).toMatchObject({ partition: 0, errorCode: 0 })
      expect(Number(ok.data.topics[0].partitions[0].lowWatermark)).toBe(3)
      expect(cluster.controller.topic('log')!.partitions[0]!.logStartOffset).toBe(3)
      const past = await viaKafkajs(21, 'deleteRecords', version, { topics: [{ topic: 'log', partitions: [{ partition: 0, offset: 9 }] }] }, cluster)
      expect(past.error?.name).toBe('KafkaJSDeleteTopicRecordsError')
      expect(past.error.partitions[0].error.type).toBe('OFFSET_OUT_OF_RANGE')
      expect(cluster.controller.topic('log')!.partitions[0]!.logStartOffset).toBe(3)
    })
  }

  it('v1 through kafkajs: a compacted topic refuses with POLICY_VIOLATION', async () => {
    const cluster = newCluster({ brokers: 1 })
    await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'compacted', numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] }, cluster)
    const refused = await viaKafkajs(21, 'deleteRecords', 1, { topics: [{ topic: 'compacted', partitions: [{ partition: 0, offset: 0 }] }] }, cluster)
    expect(refused.error.partitions[0].error.type).toBe('POLICY_VIOLATION')
  })

  it('v2 through our codec: -1 deletes up to the high watermark', async () => {
    const cluster = await topicWithRecords(4)
    const response = await viaCodec(21, 2, { topics: [{ name: 'log', partitions: [{ partitionIndex: 0, offset: -1 }] }], timeoutMs: 1000 }, cluster)
    expect(response.topics).toEqual([{ name: 'log', partitions: [{ partitionIndex: 0, lowWatermark: 4, errorCode: 0 }] }])
  })
})

describe('CreatePartitions (37)', () => {
  for (const version of [0, 1]) {
    it(`v${version} through kafkajs adds partitions and answers INVALID_PARTITIONS for a lower count`, async () => {
      const cluster = newCluster()
      await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'grow', numPartitions: 2, replicationFactor: 2 }] }, cluster)
      const ok = await viaKafkajs(37, 'createPartitions', version, { topicPartitions: [{ topic: 'grow', count: 4 }], timeout: 1000 }, cluster)
      expect(ok.error).toBeUndefined()
      expect(cluster.controller.topic('grow')!.partitions).toHaveLength(4)
      const lower = await viaKafkajs(37, 'createPartitions', version, { topicPartitions: [{ topic: 'grow', count: 3 }], timeout: 1000 }, cluster)
      expect(lower.error?.errors?.[0]?.type ?? lower.error?.type).toBe('INVALID_PARTITIONS')
      const assigned = await viaKafkajs(37, 'createPartitions', version, { topicPartitions: [{ topic: 'grow', count: 5, assignments: [[2, 1]] }], timeout: 1000 }, cluster)
      expect(assigned.error).toBeUndefined()
      expect(cluster.controller.topic('grow')!.partitions[4]!.replicas).toEqual([2, 1])
    })
  }

  for (const version of versions(37, 2)) {
    it(`v${version} through our codec: validateOnly and a wrong assignment count`, async () => {
      const cluster = newCluster()
      await viaKafkajs(19, 'createTopics', 0, { topics: [{ topic: 'grow', numPartitions: 1, replicationFactor: 1 }] }, cluster)
      const dry = await viaCodec(37, version, { topics: [{ name: 'grow', count: 3, assignments: null }], timeoutMs: 1000, validateOnly: true }, cluster)
      expect(dry.results).toEqual([{ name: 'grow', errorCode: 0, errorMessage: null }])
      expect(cluster.controller.topic('grow')!.partitions).toHaveLength(1)
      const wrong = await viaCodec(37, version, { topics: [{ name: 'grow', count: 3, assignments: [{ brokerIds: [0] }] }], timeoutMs: 1000, validateOnly: false }, cluster)
      expect((wrong.results as any[])[0].errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
      expect(cluster.controller.topic('grow')!.partitions).toHaveLength(1)
    })
  }
})
