/**
 * IncrementalAlterConfigs (API key 44, KIP-339): SET, DELETE, APPEND and SUBTRACT on a topic's
 * configs, each resource validated and applied on its own (all of its operations or none).
 *
 * Kafka's checks, in Kafka's order (ConfigAdminManager.preprocess, then
 * ZkAdminManager.incrementalAlterConfigs with prepareIncrementalConfigs):
 * - a resource named twice in one request: INVALID_REQUEST for both;
 * - a config named twice in one resource: INVALID_REQUEST;
 * - a null value for any operation but DELETE: INVALID_REQUEST;
 * - APPEND / SUBTRACT on a config that is not a LIST: INVALID_CONFIG; they start from the
 *   topic's override, else the config's Kafka default (not the broker's value);
 * - the resulting set is validated as AlterConfigs validates it (INVALID_CONFIG, ...).
 * Dynamic broker configs and broker loggers are not modelled: they are refused with a message
 * saying so (static broker configs are given to `new Cluster({ brokerConfig })`).
 */
import { ErrorCode, KafkaError } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import { topicConfigDefinition } from '../config/topic-configs.js'
import { ConfigOperation, ConfigResourceType, type IncrementalAlterConfigsRequest, type IncrementalAlterConfigsResponse } from './messages.js'

type Resource = IncrementalAlterConfigsRequest['resources'][number]

export function handleIncrementalAlterConfigs(cluster: BrokerContext, brokerId: number, request: IncrementalAlterConfigsRequest): IncrementalAlterConfigsResponse {
  const seen = new Map<string, number>()
  for (const r of request.resources) seen.set(`${r.resourceType}:${r.resourceName}`, (seen.get(`${r.resourceType}:${r.resourceName}`) ?? 0) + 1)
  return {
    responses: request.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName }
      const fail = (errorCode: number, errorMessage: string) => ({ ...base, errorCode, errorMessage })
      if ((seen.get(`${r.resourceType}:${r.resourceName}`) ?? 0) > 1) return fail(ErrorCode.INVALID_REQUEST, 'Each resource must appear at most once.')
      const names = r.configs.map((c) => c.name)
      if (new Set(names).size !== names.length) return fail(ErrorCode.INVALID_REQUEST, 'Error due to duplicate config keys')
      const nullUpdates = r.configs.filter((c) => c.configOperation !== ConfigOperation.DELETE && c.value === null).map((c) => c.name)
      if (nullUpdates.length > 0) return fail(ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nullUpdates.join(', ')}`)
      // KRaft's ConfigurationControlManager: an operation id AlterConfigOp.OpType does not define.
      const badOperation = r.configs.find((c) => !Object.values(ConfigOperation).includes(c.configOperation as never))
      if (badOperation) return fail(ErrorCode.INVALID_REQUEST, `Unknown operation type ${badOperation.configOperation}`)
      switch (r.resourceType) {
        case ConfigResourceType.TOPIC:
          try {
            alterTopic(cluster, r, request.validateOnly)
            return { ...base, errorCode: ErrorCode.NONE, errorMessage: null }
          } catch (error) {
            if (!(error instanceof KafkaError)) throw error
            return fail(error.errorCode, error.message)
          }
        case ConfigResourceType.BROKER:
          if (r.resourceName !== '' && r.resourceName !== String(brokerId)) {
            return fail(ErrorCode.INVALID_REQUEST, `Unexpected broker id, expected ${brokerId}, but received ${r.resourceName}`)
          }
          return fail(ErrorCode.INVALID_REQUEST, 'memkafka does not implement dynamic broker configs yet; pass them to new Cluster({ brokerConfig })')
        case ConfigResourceType.BROKER_LOGGER:
          return fail(ErrorCode.INVALID_REQUEST, 'memkafka does not model broker loggers (BROKER_LOGGER resources)')
        default:
          return fail(ErrorCode.INVALID_REQUEST, `Unknown resource type ${r.resourceType}`)
      }
    }),
  }
}

/** prepareIncrementalConfigs over the topic's overrides, then the AlterConfigs replacement. */
function alterTopic(cluster: BrokerContext, resource: Resource, validateOnly: boolean): void {
  if (resource.resourceName === '') throw new KafkaError('INVALID_REQUEST', 'Default topic resources are not allowed.')
  const topic = cluster.controller.topic(resource.resourceName)
  if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${resource.resourceName}' does not exist.`)
  const overrides = new Map(topic.configs)
  for (const op of resource.configs) {
    switch (op.configOperation) {
      case ConfigOperation.SET:
        overrides.set(op.name, op.value!)
        break
      case ConfigOperation.DELETE:
        overrides.delete(op.name)
        break
      case ConfigOperation.APPEND:
      case ConfigOperation.SUBTRACT: {
        const verb = op.configOperation === ConfigOperation.APPEND ? 'append' : 'subtract'
        const definition = topicConfigDefinition(op.name)
        if (!definition) throw new KafkaError('INVALID_CONFIG', `Unknown topic config name: ${op.name}`)
        if (definition.type !== 'LIST') throw new KafkaError('INVALID_CONFIG', `Config value ${verb} is not allowed for config key: ${op.name}`)
        const current = (overrides.get(op.name) ?? definition.default ?? '').split(',').filter((v) => v !== '')
        const given = op.value!.split(',')
        const next = verb === 'append' ? [...current, ...given.filter((v) => !current.includes(v))] : current.filter((v) => !given.includes(v))
        overrides.set(op.name, next.join(','))
        break
      }
    }
  }
  cluster.controller.alterTopicConfigs(resource.resourceName, [...overrides].map(([name, value]) => ({ name, value })), validateOnly)
}
