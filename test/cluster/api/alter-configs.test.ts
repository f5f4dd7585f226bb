/**
 * AlterConfigs (API key 33, the non-incremental one) at the request boundary: the given set
 * replaces a topic's overrides, refusals change nothing, and the new values govern the next
 * request (LogConfig is swapped on the partition's log at once).
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ConfigResourceType, ConfigSource, type AlterConfigsResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

const entries = (configs: Record<string, string | null>): { name: string; value: string | null }[] =>
  Object.entries(configs).map(([name, value]) => ({ name, value }))

async function alterTopic(cluster: ClusterModel, name: string, configs: Record<string, string | null>, validateOnly = false): Promise<AlterConfigsResponse['responses'][number]> {
  const response = await cluster.send(0, {
    api: 'AlterConfigs',
    resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configs: entries(configs) }],
    validateOnly,
  })
  expect(response.responses).toHaveLength(1)
  return response.responses[0]!
}

function overrides(cluster: ClusterModel, name: string): Record<string, string> {
  return cluster.describe().topics.find((t) => t.name === name)!.configs
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

function produceBytes(cluster: ClusterModel, topic: string, valueBytes: number) {
  const leader = cluster.controller.topic(topic)!.partitions[0]!.leader
  return cluster.send(leader, {
    api: 'Produce',
    acks: 1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: 0, records: [{ key: null, value: Buffer.alloc(valueBytes, 1) }] }] }],
  })
}

describe('AlterConfigs', () => {
  it('sets overrides that DescribeConfigs then reports as DYNAMIC_TOPIC_CONFIG', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    expect(await alterTopic(cluster, 't', { 'retention.ms': '1000' })).toEqual({
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      resourceType: ConfigResourceType.TOPIC,
      resourceName: 't',
    })
    const described = await cluster.send(2, {
      api: 'DescribeConfigs',
      resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: 't', configurationKeys: ['retention.ms'] }],
      includeSynonyms: false,
    })
    expect(described.results[0]!.configs[0]).toMatchObject({ value: '1000', configSource: ConfigSource.DYNAMIC_TOPIC_CONFIG, isDefault: false })
    expect(cluster.timeline({ types: ['configsAltered'] })).toMatchObject([
      { resourceType: 'topic', resourceName: 't', configs: { 'retention.ms': '1000' } },
    ])
  })

  it('replaces the whole override set: a config left out goes back to its default', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { configs: { 'retention.ms': '1000', 'cleanup.policy': 'compact' } })
    await alterTopic(cluster, 't', { 'segment.bytes': '100000' })
    expect(overrides(cluster, 't')).toEqual({ 'segment.bytes': '100000' })
    await alterTopic(cluster, 't', {})
    expect(overrides(cluster, 't')).toEqual({})
  })

  it('refuses a null value, a config named twice and a resource named twice with INVALID_REQUEST (ConfigAdminManager.preprocess)', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { configs: { 'retention.ms': '1000' } })
    const before = state(cluster)
    expect(await alterTopic(cluster, 't', { 'retention.ms': null })).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Null value not supported for : retention.ms' })
    const send = (resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[]) =>
      cluster.send(0, { api: 'AlterConfigs', resources, validateOnly: false })
    const dupKey = await send([{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '1' }, { name: 'retention.ms', value: '2' }] }])
    expect(dupKey.responses[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' })
    const twice = await send([{ resourceType: 2, resourceName: 't', configs: [] }, { resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '5' }] }])
    expect(twice.responses.map((r) => r.errorCode)).toEqual([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST])
    expect(state(cluster)).toEqual(before)
  })

  it.each([
    ['an unknown name', { 'no.such.config': '1' }, 'no.such.config'],
    ['a bad value', { 'retention.ms': 'soon' }, 'retention.ms'],
    ['a value out of range', { 'min.insync.replicas': '0' }, 'min.insync.replicas'],
  ])('refuses %s with INVALID_CONFIG naming it, and keeps the old overrides', async (_what, configs, named) => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { configs: { 'retention.ms': '1000' } })
    const before = state(cluster)
    const result = await alterTopic(cluster, 't', { 'segment.bytes': '100000', ...configs })
    expect(result.errorCode).toBe(ErrorCode.INVALID_CONFIG)
    expect(result.errorMessage).toContain(named)
    expect(state(cluster)).toEqual(before)
    expect(cluster.timeline({ types: ['configsAltered'] })).toEqual([])
  })

  it('validateOnly checks but changes nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { configs: { 'retention.ms': '1000' } })
    const before = state(cluster)
    expect((await alterTopic(cluster, 't', { 'retention.ms': '2000' }, true)).errorCode).toBe(ErrorCode.NONE)
    expect((await alterTopic(cluster, 't', { 'retention.ms': 'x' }, true)).errorCode).toBe(ErrorCode.INVALID_CONFIG)
    expect(state(cluster)).toEqual(before)
    expect(cluster.timeline({ types: ['configsAltered'] })).toEqual([])
  })

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a missing topic and creates nothing', async () => {
    const cluster = newCluster()
    const before = state(cluster)
    expect((await alterTopic(cluster, 'missing', { 'retention.ms': '1' })).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect((await alterTopic(cluster, 'missing', { 'retention.ms': '1' }, true)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(state(cluster)).toEqual(before)
  })

  it('refuses broker resources (dynamic broker configs are not modelled) with INVALID_REQUEST', async () => {
    const cluster = newCluster()
    const response = await cluster.send(0, {
      api: 'AlterConfigs',
      resources: [{ resourceType: ConfigResourceType.BROKER, resourceName: '0', configs: entries({ 'message.max.bytes': '10' }) }],
      validateOnly: false,
    })
    expect(response.responses[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST)
    expect(response.responses[0]!.errorMessage).toEqual(expect.any(String))
  })

  it('a lowered max.message.bytes refuses the next Produce with MESSAGE_TOO_LARGE; raising it accepts it', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    expect((await produceBytes(cluster, 't', 500)).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
    await alterTopic(cluster, 't', { 'max.message.bytes': '200' })
    const refused = await produceBytes(cluster, 't', 500)
    expect(refused.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE)
    expect(cluster.describe().topics[0]!.partitions[0]!.logEndOffset).toBe(1)
    await alterTopic(cluster, 't', { 'max.message.bytes': '2000' })
    expect((await produceBytes(cluster, 't', 500)).topics[0]!.partitions[0]!).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
  })

  it('a new cleanup.policy=compact makes keyless records INVALID_RECORD on the next Produce', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    await alterTopic(cluster, 't', { 'cleanup.policy': 'compact' })
    expect((await produceBytes(cluster, 't', 10)).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INVALID_RECORD)
  })
})
