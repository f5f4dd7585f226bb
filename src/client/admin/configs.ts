/**
 * The admin's configs (kafkajs's admin describeConfigs, alterConfigs): DescribeConfigs and
 * AlterConfigs, to the controller for topic configs and to the broker itself for its own.
 */
import { KafkaJSNonRetriableError } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { NOT_CONTROLLER, refreshMetadata, retryOn, type AdminContext } from './admin-context.js'
import type { AlterConfigResponse, ConfigEntries, DescribeConfigResponse, IResourceConfig, ResourceConfigQuery } from './admin-types.js'
import { ConfigResourceTypes, ConfigSource } from './enums.js'

/**
 * Describes topic configs (asked of the controller) and broker configs (asked of the broker
 * itself, as Kafka requires). Resolves `{ resources }`: kafkajs 2.2.4 declares a
 * `throttleTime` too, but never sets it.
 */
export async function describeConfigs(
  context: AdminContext,
  { resources, includeSynonyms }: { resources: ResourceConfigQuery[]; includeSynonyms?: boolean },
): Promise<DescribeConfigResponse> {
  validateResources(resources)
  const invalidConfigs = resources.find((r) => !Array.isArray(r.configNames) && r.configNames != null)
  if (invalidConfigs) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource configNames ${invalidConfigs.configNames}: ${JSON.stringify(invalidConfigs)}`,
    )
  }

  const { client } = context
  return retryOn(context, [NOT_CONTROLLER], 'describe configs', async () => {
    await refreshMetadata(context)
    const results = await requestPerBroker(context, resources, async (brokerId, group) => {
      const response = await client.request(brokerId, {
        api: 'DescribeConfigs',
        resources: group.map((r) => ({
          resourceType: r.type,
          resourceName: r.name,
          // An empty list is written as a null array: every config.
          configurationKeys: r.configNames && r.configNames.length > 0 ? r.configNames : null,
        })),
        includeSynonyms: Boolean(includeSynonyms),
      })
      return response.results
    })
    return {
      resources: results.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage as string,
        resourceType: r.resourceType as ConfigResourceTypes,
        resourceName: r.resourceName,
        configEntries: r.configs.map(
          (c): ConfigEntries => ({
            configName: c.name,
            configValue: c.value as string,
            readOnly: c.readOnly,
            // kafkajs derives isDefault from the source (DescribeConfigs v1+).
            isDefault: c.configSource === ConfigSource.DEFAULT_CONFIG,
            configSource: c.configSource as ConfigSource,
            isSensitive: c.isSensitive,
            configSynonyms: c.synonyms.map((s) => ({ configName: s.name, configValue: s.value as string, configSource: s.source as ConfigSource })),
          }),
        ),
      })),
    } as unknown as DescribeConfigResponse
  })
}

/**
 * Sets configs (AlterConfigs, not incremental: the entries given replace the resource's
 * dynamic configs). Resolves `{ resources: [{ errorCode, errorMessage, resourceType,
 * resourceName }] }`.
 */
export async function alterConfigs(context: AdminContext, { validateOnly, resources }: { validateOnly?: boolean; resources: IResourceConfig[] }): Promise<AlterConfigResponse> {
  validateResources(resources)
  const invalidConfigs = resources.find((r) => !Array.isArray(r.configEntries))
  if (invalidConfigs) {
    throw new KafkaJSNonRetriableError(
      `Invalid resource configEntries ${invalidConfigs.configEntries}: ${JSON.stringify(invalidConfigs)}`,
    )
  }
  const invalidConfigValue = resources.find((r) => r.configEntries.some((e) => typeof e.name !== 'string' || typeof e.value !== 'string'))
  if (invalidConfigValue) {
    throw new KafkaJSNonRetriableError(`Invalid resource config value: ${JSON.stringify(invalidConfigValue)}`)
  }

  const { client } = context
  return retryOn(context, [NOT_CONTROLLER], 'alter configs', async () => {
    await refreshMetadata(context)
    const results = await requestPerBroker(context, resources, async (brokerId, group) => {
      const response = await client.request(brokerId, {
        api: 'AlterConfigs',
        resources: group.map((r) => ({
          resourceType: r.type,
          resourceName: r.name,
          configs: r.configEntries.map(({ name, value }) => ({ name, value })),
        })),
        validateOnly: Boolean(validateOnly),
      })
      return response.responses
    })
    return {
      resources: results.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        resourceType: r.resourceType as ConfigResourceTypes,
        resourceName: r.resourceName,
      })),
    }
  })
}

/**
 * One request per broker the resources belong to (groupResourcesByBroker), sent together; an
 * answer's first failing resource throws its error, as kafkajs's decoders throw it. The
 * results come in the order of the groups.
 */
async function requestPerBroker<R extends { type: number; name: string }, A extends { readonly errorCode: number }>(
  context: AdminContext,
  resources: readonly R[],
  send: (brokerId: number, group: R[]) => Promise<readonly A[]>,
): Promise<A[]> {
  const byBroker = await groupResourcesByBroker(context, resources)
  const answers = await Promise.all(
    [...byBroker].map(async ([brokerId, group]) => {
      const results = await send(brokerId, group)
      const failed = results.find((r) => r.errorCode !== 0)
      if (failed) throw createErrorFromCode(failed.errorCode)
      return results
    }),
  )
  return answers.flat()
}

/**
 * kafkajs's groupResourcesByBroker: broker and broker-logger configs are only answered by
 * the broker they belong to (the resource name is its id); every other resource goes to the
 * controller. Groups keep the order in which their broker first appears.
 */
async function groupResourcesByBroker<R extends { type: number; name: string }>({ client }: AdminContext, resources: readonly R[]): Promise<Map<number, R[]>> {
  const controller = client.controllerId
  const groups = new Map<number, R[]>()
  for (const resource of resources) {
    const isBrokerConfig = resource.type === ConfigResourceTypes.BROKER || resource.type === ConfigResourceTypes.BROKER_LOGGER
    const brokerId = isBrokerConfig ? await client.findBroker(String(resource.name)) : controller
    groups.set(brokerId, [...(groups.get(brokerId) ?? []), resource])
  }
  return groups
}

/** The checks describeConfigs and alterConfigs share (kafkajs repeats them in each). */
function validateResources(resources: ReadonlyArray<{ type: number; name: string }>): void {
  if (!resources || !Array.isArray(resources)) {
    throw new KafkaJSNonRetriableError(`Invalid resources array ${resources}`)
  }
  if (resources.length === 0) {
    throw new KafkaJSNonRetriableError('Resources array cannot be empty')
  }
  const validTypes: readonly number[] = Object.values(ConfigResourceTypes)
  const invalidType = resources.find((r) => !validTypes.includes(r.type))
  if (invalidType) {
    throw new KafkaJSNonRetriableError(`Invalid resource type ${invalidType.type}: ${JSON.stringify(invalidType)}`)
  }
  const invalidName = resources.find((r) => !r.name || typeof r.name !== 'string')
  if (invalidName) {
    throw new KafkaJSNonRetriableError(`Invalid resource name ${invalidName.name}: ${JSON.stringify(invalidName)}`)
  }
}
