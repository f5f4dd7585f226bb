/**
 * AlterConfigs: v0-2 (the non-incremental form: the given set replaces the resource's dynamic
 * configs).
 *
 * Behavior: topic configs are validated and replaced (or only validated with ValidateOnly);
 * dynamic broker configs are refused by the cluster with a message saying memkafka lacks them.
 *
 * Version notes: v1 changes nothing on the wire; v2 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const alterConfigsApi: WireApi = {
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: WireMessage, ctx) {
    const resources = request.resources as { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'AlterConfigs',
        resources: resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, configs: r.configs.map((c) => ({ name: c.name, value: c.value })) })),
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
