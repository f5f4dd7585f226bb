/**
 * DescribeConfigs (32), AlterConfigs (33), DeleteGroups (42) and DescribeCluster (60) on the
 * wire, through kafkajs's encoders and decoders where it has the version, else our codec.
 */
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { createTopic, groupCoordinator, joinAndSync, newCluster, versions, viaCodec, viaKafkajs } from './oracle.js'

const TOPIC = 2
const BROKER = 4

describe('DescribeConfigs (32)', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version} through kafkajs: a topic's override and defaults, synonyms from v1 when asked`, async () => {
      const cluster = newCluster({ brokerConfig: { 'log.retention.hours': 24 } as never })
      await cluster.send(0, { api: 'CreateTopics', topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }], timeoutMs: 1000, validateOnly: false })
      const result = await viaKafkajs(32, 'describeConfigs', version, { resources: [{ type: TOPIC, name: 't', configNames: ['cleanup.policy', 'segment.bytes'] }], includeSynonyms: true }, cluster)
      expect(result.error).toBeUndefined()
      const entries = result.data.resources[0].configEntries
      expect(entries.map((e: { configName: string }) => e.configName)).toEqual(['cleanup.policy', 'segment.bytes'])
      const [policy, segment] = entries
      expect(policy).toMatchObject({ configValue: 'compact', isDefault: false, readOnly: false })
      expect(segment).toMatchObject({ configValue: '1073741824', isDefault: true })
      if (version >= 1) {
        expect(policy.configSource).toBe(1) // DYNAMIC_TOPIC_CONFIG
        expect(policy.configSynonyms[0]).toEqual({ configName: 'cleanup.policy', configValue: 'compact', configSource: 1 })
        expect(segment.configSource).toBe(5) // DEFAULT_CONFIG
      }
    })
  }

  it('v0-2 through kafkajs: an unknown topic is UNKNOWN_TOPIC_OR_PARTITION, another broker INVALID_REQUEST', async () => {
    const cluster = newCluster()
    for (const version of [0, 1, 2]) {
      const missing = await viaKafkajs(32, 'describeConfigs', version, { resources: [{ type: TOPIC, name: 'nope' }] }, cluster)
      expect(missing.error?.type).toBe('UNKNOWN_TOPIC_OR_PARTITION')
      const elsewhere = await viaKafkajs(32, 'describeConfigs', version, { resources: [{ type: BROKER, name: '2' }] }, cluster, 0)
      expect(elsewhere.error?.type).toBe('INVALID_REQUEST')
      const own = await viaKafkajs(32, 'describeConfigs', version, { resources: [{ type: BROKER, name: '0', configNames: ['num.partitions'] }] }, cluster, 0)
      expect(own.data.resources[0].configEntries).toEqual([expect.objectContaining({ configName: 'num.partitions', configValue: '1' })])
    }
  })

  for (const version of versions(32, 3)) {
    it(`v${version} through our codec: config types, and documentation only when asked for`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const ask = (includeDocumentation: boolean) =>
        viaCodec(32, version, { resources: [{ resourceType: TOPIC, resourceName: 't', configurationKeys: ['cleanup.policy', 'retention.ms', 'unclean.leader.election.enable'] }], includeSynonyms: false, includeDocumentation }, cluster)
      const plain = ((await ask(false)).results as any[])[0].configs as any[]
      expect(plain.map((c) => [c.name, c.configType, c.documentation])).toEqual([
        ['cleanup.policy', 7, null], // LIST
        ['retention.ms', 5, null], // LONG
        ['unclean.leader.election.enable', 1, null], // BOOLEAN
      ])
      const documented = ((await ask(true)).results as any[])[0].configs as any[]
      for (const c of documented) expect(c.documentation).toEqual(expect.stringMatching(/\w/))
    })
  }
})

describe('AlterConfigs (33)', () => {
  for (const version of [0, 1]) {
    it(`v${version} through kafkajs replaces a topic's overrides, refuses a bad value and leaves the topic as it was`, async () => {
      const cluster = newCluster()
      await cluster.send(0, { api: 'CreateTopics', topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }], timeoutMs: 1000, validateOnly: false })
      const ok = await viaKafkajs(33, 'alterConfigs', version, { resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: '5000' }] }] }, cluster)
      expect(ok.error).toBeUndefined()
      expect([...cluster.controller.topic('t')!.configs]).toEqual([['retention.ms', '5000']])
      const bad = await viaKafkajs(33, 'alterConfigs', version, { resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }, cluster)
      expect(bad.error?.type).toBe('INVALID_CONFIG')
      const dry = await viaKafkajs(33, 'alterConfigs', version, { resources: [{ type: TOPIC, name: 't', configEntries: [{ name: 'retention.ms', value: '1' }] }], validateOnly: true }, cluster)
      expect(dry.error).toBeUndefined()
      expect([...cluster.controller.topic('t')!.configs]).toEqual([['retention.ms', '5000']])
    })
  }

  it('v2 through our codec', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const response = await viaCodec(33, 2, { resources: [{ resourceType: TOPIC, resourceName: 't', configs: [{ name: 'max.message.bytes', value: '2048' }] }, { resourceType: TOPIC, resourceName: 'nope', configs: [] }], validateOnly: false }, cluster)
    expect((response.responses as any[]).map((r) => [r.resourceName, r.errorCode])).toEqual([['t', 0], ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]])
    expect(cluster.controller.topic('t')!.configs.get('max.message.bytes')).toBe('2048')
  })
})

describe('DeleteGroups (42)', () => {
  async function setup() {
    const cluster = newCluster()
    await createTopic(cluster, 'in')
    const coordinator = groupCoordinator(cluster, 'idle')
    const commit = await cluster.send(coordinator, { api: 'OffsetCommit', groupId: 'idle', generationId: -1, memberId: '', topics: [{ name: 'in', partitions: [{ index: 0, committedOffset: 0, committedMetadata: null }] }] })
    expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(0)
    const live = await joinAndSync(cluster, 'busy', ['in'], { in: [0] })
    return { cluster, coordinator, live }
  }

  for (const version of versions(42)) {
    it(`v${version}: deletes an empty group, refuses a live one (NON_EMPTY_GROUP) and an unknown one (GROUP_ID_NOT_FOUND)`, async () => {
      const { cluster, coordinator, live } = await setup()
      const groups = ['idle', 'busy', 'never']
      const results =
        version <= 1
          ? (await viaKafkajs(42, 'deleteGroups', version, groups, cluster, coordinator)).data.results
          : ((await viaCodec(42, version, { groupsNames: groups }, cluster, coordinator)).results as any[])
      const byGroup = Object.fromEntries(results.map((r: { groupId: string; errorCode: number }) => [r.groupId, r.errorCode]))
      // 'busy' may live on another coordinator; then the answer is NOT_COORDINATOR.
      expect(byGroup.idle).toBe(ErrorCode.NONE)
      expect(byGroup.busy).toBe(live.coordinator === coordinator ? ErrorCode.NON_EMPTY_GROUP : ErrorCode.NOT_COORDINATOR)
      expect(byGroup.never).toBe(groupCoordinator(cluster, 'never') === coordinator ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.NOT_COORDINATOR)
      const fetched = await cluster.send(coordinator, { api: 'OffsetFetch', groupId: 'idle', topics: [{ name: 'in', partitionIndexes: [0] }] })
      expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(-1)
    })
  }
})

describe('DescribeCluster (60)', () => {
  for (const version of versions(60)) {
    it(`v${version}: the live brokers at their advertised addresses, the controller, and the cluster operations when asked`, async () => {
      const cluster = newCluster()
      const plain = await viaCodec(60, version, { includeClusterAuthorizedOperations: false, endpointType: 1 }, cluster)
      expect(plain).toMatchObject({ errorCode: 0, errorMessage: null, clusterId: cluster.clusterId, controllerId: cluster.controller.controllerId, clusterAuthorizedOperations: -2147483648 })
      expect(plain.brokers).toEqual([0, 1, 2].map((id) => ({ brokerId: id, host: 'localhost', port: 19092 + id, rack: null })))
      const withOps = await viaCodec(60, version, { includeClusterAuthorizedOperations: true, endpointType: 1 }, cluster)
      // CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE
      expect(withOps.clusterAuthorizedOperations).toBe([5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0))
    })
  }

  it('v1 refuses the controller endpoint type (MISMATCHED_ENDPOINT_TYPE) and an unknown one', async () => {
    const cluster = newCluster()
    expect((await viaCodec(60, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 }, cluster)).errorCode).toBe(ErrorCode.MISMATCHED_ENDPOINT_TYPE)
    expect((await viaCodec(60, 1, { includeClusterAuthorizedOperations: false, endpointType: 7 }, cluster)).errorCode).toBe(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE)
  })
})
