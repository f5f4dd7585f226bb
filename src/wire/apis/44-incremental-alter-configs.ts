/**
 * IncrementalAlterConfigs: v0-1.
 *
 * Behavior: SET / DELETE / APPEND / SUBTRACT on a topic's configs, validated per resource as
 * Kafka does (see src/cluster/api/incremental-alter-configs.ts); dynamic broker configs and
 * broker loggers are refused with a message saying memkafka lacks them.
 *
 * Version notes: v1 is flexible; nothing else changes.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const incrementalAlterConfigsApi: WireApi = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  async handle(request: WireMessage, ctx) {
    const resources = request.resources as { resourceType: number; resourceName: string; configs: { name: string; configOperation: number; value: string | null }[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'IncrementalAlterConfigs',
        resources: resources.map((r) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: r.configs.map((c) => ({ name: c.name, configOperation: c.configOperation, value: c.value })),
        })),
        validateOnly: request.validateOnly as boolean,
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      responses: response.responses.map((r) => ({ errorCode: r.errorCode, errorMessage: r.errorMessage, resourceType: r.resourceType, resourceName: r.resourceName })),
    }
  },
}
