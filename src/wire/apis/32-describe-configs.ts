/**
 * DescribeConfigs: v0-4.
 *
 * Behavior: a topic's effective configs with their sources, or the answering broker's own
 * (resource name = its id, or "" for the cluster default).
 *
 * Version notes:
 * - v0 answers IsDefault; v1 replaces it with ConfigSource and adds synonyms (filled only when
 *   IncludeSynonyms is set).
 * - v2 changes nothing on the wire.
 * - v3 adds each config's type and, when IncludeDocumentation is set, its documentation.
 * - v4 is flexible.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const describeConfigsApi: WireApi = {
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: WireMessage, ctx) {
    const resources = request.resources as { resourceType: number; resourceName: string; configurationKeys: string[] | null }[]
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'DescribeConfigs',
        resources: resources.map((r) => ({ resourceType: r.resourceType, resourceName: r.resourceName, configurationKeys: r.configurationKeys })),
        includeSynonyms: ctx.apiVersion >= 1 && (request.includeSynonyms as boolean),
        includeDocumentation: ctx.apiVersion >= 3 && (request.includeDocumentation as boolean),
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      results: response.results.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        configs: r.configs.map((c) => ({
          name: c.name,
          value: c.value,
          readOnly: c.readOnly,
          // Only v0 carries IsDefault (v1+ says it with ConfigSource).
          isDefault: ctx.apiVersion === 0 ? c.isDefault : false,
          configSource: c.configSource,
          isSensitive: c.isSensitive,
          synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source })),
          configType: c.configType ?? 0,
          documentation: c.documentation ?? null,
        })),
      })),
    }
  },
}
