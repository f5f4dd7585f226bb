/**
 * IncrementalAlterConfigs (API key 44) at the request boundary: SET / DELETE / APPEND /
 * SUBTRACT on a topic's overrides with Kafka's checks, each resource all-or-nothing.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ConfigOperation, ConfigResourceType, type IncrementalAlterConfigsRequest } from '../../../src/cluster/api/messages.js'

const { SET, DELETE, APPEND, SUBTRACT } = ConfigOperation
const TOPIC = ConfigResourceType.TOPIC

async function setup(configs: { name: string; value: string }[] = []) {
  const cluster = new ClusterModel({ brokers: 1, seed: 1, clock: new ManualClock(0) })
  const created = await cluster.send(0, { api: 'CreateTopics', topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs }], timeoutMs: 1000, validateOnly: false })
  expect(created.topics[0]!.errorCode).toBe(0)
  const alter = async (ops: { name: string; configOperation: number; value: string | null }[], options: { validateOnly?: boolean; resources?: IncrementalAlterConfigsRequest['resources'] } = {}) => {
    const response = await cluster.send(0, {
      api: 'IncrementalAlterConfigs',
      resources: options.resources ?? [{ resourceType: TOPIC, resourceName: 't', configs: ops }],
      validateOnly: options.validateOnly ?? false,
    })
    return response.responses
  }
  const overrides = () => Object.fromEntries(cluster.controller.topic('t')!.configs)
  return { cluster, alter, overrides }
}

describe('IncrementalAlterConfigs', () => {
  it('SET and DELETE change only the named overrides (unlike AlterConfigs, which replaces them all)', async () => {
    const { alter, overrides } = await setup([{ name: 'retention.ms', value: '1000' }, { name: 'segment.ms', value: '60000' }])
    expect(await alter([{ name: 'max.message.bytes', configOperation: SET, value: '2048' }, { name: 'segment.ms', configOperation: DELETE, value: null }])).toEqual([
      { resourceType: TOPIC, resourceName: 't', errorCode: 0, errorMessage: null },
    ])
    expect(overrides()).toEqual({ 'retention.ms': '1000', 'max.message.bytes': '2048' })
  })

  it('APPEND and SUBTRACT work on LIST configs, starting from Kafka\'s default', async () => {
    const { alter, overrides } = await setup()
    // cleanup.policy's default is "delete".
    expect((await alter([{ name: 'cleanup.policy', configOperation: APPEND, value: 'compact' }]))[0]!.errorCode).toBe(0)
    expect(overrides()['cleanup.policy']).toBe('delete,compact')
    expect((await alter([{ name: 'cleanup.policy', configOperation: APPEND, value: 'compact' }]))[0]!.errorCode).toBe(0)
    expect(overrides()['cleanup.policy']).toBe('delete,compact')
    expect((await alter([{ name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' }]))[0]!.errorCode).toBe(0)
    expect(overrides()['cleanup.policy']).toBe('compact')
  })

  it('refuses APPEND / SUBTRACT on a non-list config, and leaves the topic as it was', async () => {
    const { alter, overrides } = await setup([{ name: 'retention.ms', value: '1000' }])
    const [r] = await alter([{ name: 'retention.ms', configOperation: APPEND, value: '5' }])
    expect(r).toMatchObject({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: 'Config value append is not allowed for config key: retention.ms' })
    const [s] = await alter([{ name: 'retention.ms', configOperation: SET, value: '7' }, { name: 'segment.bytes', configOperation: SUBTRACT, value: '1' }])
    expect(s!.errorCode).toBe(ErrorCode.INVALID_CONFIG)
    expect(overrides()).toEqual({ 'retention.ms': '1000' })
  })

  it('INVALID_REQUEST for duplicate keys, a null value outside DELETE, a resource named twice, an unknown operation', async () => {
    const { alter, overrides } = await setup()
    expect((await alter([{ name: 'retention.ms', configOperation: SET, value: '1' }, { name: 'retention.ms', configOperation: DELETE, value: null }]))[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' })
    expect((await alter([{ name: 'retention.ms', configOperation: SET, value: null }]))[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Null value not supported for : retention.ms' })
    expect((await alter([{ name: 'retention.ms', configOperation: 9, value: '1' }]))[0]!.errorCode).toBe(ErrorCode.INVALID_REQUEST)
    const twice = await alter([], { resources: [{ resourceType: TOPIC, resourceName: 't', configs: [] }, { resourceType: TOPIC, resourceName: 't', configs: [{ name: 'retention.ms', configOperation: SET, value: '1' }] }] })
    expect(twice.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
      [ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.'],
    ])
    expect(overrides()).toEqual({})
  })

  it('validates the resulting values (INVALID_CONFIG), an unknown topic, validateOnly; broker configs are refused as not modelled', async () => {
    const { alter, overrides } = await setup()
    expect((await alter([{ name: 'retention.ms', configOperation: SET, value: 'soon' }]))[0]!.errorCode).toBe(ErrorCode.INVALID_CONFIG)
    expect((await alter([{ name: 'no.such.config', configOperation: SET, value: '1' }]))[0]!.errorCode).toBe(ErrorCode.INVALID_CONFIG)
    expect((await alter([], { resources: [{ resourceType: TOPIC, resourceName: 'nope', configs: [] }] }))[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect((await alter([{ name: 'retention.ms', configOperation: SET, value: '5' }], { validateOnly: true }))[0]!.errorCode).toBe(0)
    expect(overrides()).toEqual({})
    const broker = await alter([], { resources: [{ resourceType: ConfigResourceType.BROKER, resourceName: '0', configs: [{ name: 'log.cleaner.threads', configOperation: SET, value: '2' }] }] })
    expect(broker[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: expect.stringContaining('memkafka does not implement dynamic broker configs') })
  })
})
