/**
 * DescribeConfigs (API key 32) at the request boundary: a topic's effective configs with their
 * sources (ConfigHelper.createTopicConfigEntry), and a broker's.
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ConfigResourceType, ConfigSource, type DescribeConfigsResponse, type DescribedConfig } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

async function describeTopic(cluster: ClusterModel, name: string, keys: string[] | null = null, includeSynonyms = false): Promise<DescribeConfigsResponse['results'][number]> {
  const response = await cluster.send(0, {
    api: 'DescribeConfigs',
    resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configurationKeys: keys }],
    includeSynonyms,
  })
  expect(response.results).toHaveLength(1)
  return response.results[0]!
}

function byName(configs: DescribedConfig[], name: string): DescribedConfig {
  const found = configs.find((c) => c.name === name)
  if (!found) throw new Error(`no config ${name}`)
  return found
}

describe('DescribeConfigs', () => {
  describe('a topic', () => {
    it("lists every topic config, sorted by name, at Kafka's defaults", async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const result = await describeTopic(cluster, 't')
      expect(result).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null, resourceType: ConfigResourceType.TOPIC, resourceName: 't' })
      const names = result.configs.map((c) => c.name)
      expect(names).toEqual([...names].sort())
      expect(names).toEqual(expect.arrayContaining(['cleanup.policy', 'max.message.bytes', 'min.insync.replicas', 'retention.ms', 'segment.bytes']))
      expect(byName(result.configs, 'cleanup.policy')).toMatchObject({ value: 'delete', isDefault: true, configSource: ConfigSource.DEFAULT_CONFIG, readOnly: false, isSensitive: false })
      expect(byName(result.configs, 'retention.ms')).toMatchObject({ value: '604800000', isDefault: true, configSource: ConfigSource.DEFAULT_CONFIG })
      expect(byName(result.configs, 'max.message.bytes')).toMatchObject({ value: '1048588', configSource: ConfigSource.DEFAULT_CONFIG })
    })

    it('answers only the keys asked for', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const result = await describeTopic(cluster, 't', ['retention.ms', 'cleanup.policy'])
      expect(result.configs.map((c) => c.name)).toEqual(['cleanup.policy', 'retention.ms'])
    })

    it('reports an override with source DYNAMIC_TOPIC_CONFIG and isDefault false', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { configs: { 'retention.ms': '60000', 'cleanup.policy': 'compact' } })
      const result = await describeTopic(cluster, 't', ['retention.ms', 'cleanup.policy', 'segment.bytes'])
      expect(byName(result.configs, 'retention.ms')).toMatchObject({ value: '60000', isDefault: false, configSource: ConfigSource.DYNAMIC_TOPIC_CONFIG })
      expect(byName(result.configs, 'cleanup.policy')).toMatchObject({ value: 'compact', isDefault: false, configSource: ConfigSource.DYNAMIC_TOPIC_CONFIG })
      expect(byName(result.configs, 'segment.bytes')).toMatchObject({ isDefault: true, configSource: ConfigSource.DEFAULT_CONFIG })
    })

    it('reports a value inherited from a static broker config with source STATIC_BROKER_CONFIG', async () => {
      const cluster = newCluster({ brokerConfig: { 'log.retention.ms': 5000 } })
      await createTopic(cluster, 't')
      const result = await describeTopic(cluster, 't', ['retention.ms'])
      expect(result.configs[0]).toMatchObject({ name: 'retention.ms', value: '5000', isDefault: false, configSource: ConfigSource.STATIC_BROKER_CONFIG })
    })

    it('lists synonyms, most specific first, only when asked to', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { configs: { 'segment.bytes': '1000' } })
      const without = await describeTopic(cluster, 't', ['segment.bytes'], false)
      expect(without.configs[0]!.synonyms).toEqual([])
      const withSynonyms = await describeTopic(cluster, 't', ['segment.bytes'], true)
      expect(withSynonyms.configs[0]!.synonyms).toEqual([
        { name: 'segment.bytes', value: '1000', source: ConfigSource.DYNAMIC_TOPIC_CONFIG },
        { name: 'log.segment.bytes', value: '1073741824', source: ConfigSource.DEFAULT_CONFIG },
      ])
    })

    it('answers UNKNOWN_TOPIC_OR_PARTITION with no configs for a missing topic', async () => {
      const cluster = newCluster()
      const result = await describeTopic(cluster, 'missing')
      expect(result).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, resourceName: 'missing', configs: [] })
    })

    it('answers each resource on its own', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 'a')
      const response = await cluster.send(1, {
        api: 'DescribeConfigs',
        resources: [
          { resourceType: ConfigResourceType.TOPIC, resourceName: 'missing', configurationKeys: null },
          { resourceType: ConfigResourceType.TOPIC, resourceName: 'a', configurationKeys: ['retention.ms'] },
        ],
        includeSynonyms: false,
      })
      expect(response.results.map((r) => [r.resourceName, r.errorCode, r.configs.length])).toEqual([
        ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0],
        ['a', ErrorCode.NONE, 1],
      ])
    })
  })

  describe('a broker', () => {
    it('lists its static configs (memkafka defaults included) as STATIC_BROKER_CONFIG and the rest as DEFAULT_CONFIG', async () => {
      const cluster = newCluster({ brokerConfig: { 'num.partitions': 6 } })
      const response = await cluster.send(0, {
        api: 'DescribeConfigs',
        resources: [{ resourceType: ConfigResourceType.BROKER, resourceName: '0', configurationKeys: ['num.partitions', 'group.initial.rebalance.delay.ms', 'delete.topic.enable'] }],
        includeSynonyms: false,
      })
      const result = response.results[0]!
      expect(result.errorCode).toBe(ErrorCode.NONE)
      expect(byName(result.configs, 'num.partitions')).toMatchObject({ value: '6', configSource: ConfigSource.STATIC_BROKER_CONFIG, isDefault: false })
      expect(byName(result.configs, 'group.initial.rebalance.delay.ms')).toMatchObject({ value: '0', configSource: ConfigSource.STATIC_BROKER_CONFIG })
      expect(byName(result.configs, 'delete.topic.enable')).toMatchObject({ value: 'true', configSource: ConfigSource.DEFAULT_CONFIG, isDefault: true })
    })

    it('answers INVALID_REQUEST for a broker id that is not in the cluster', async () => {
      const cluster = newCluster()
      const response = await cluster.send(0, {
        api: 'DescribeConfigs',
        resources: [{ resourceType: ConfigResourceType.BROKER, resourceName: '42', configurationKeys: null }],
        includeSynonyms: false,
      })
      expect(response.results[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, configs: [] })
    })
  })
})
