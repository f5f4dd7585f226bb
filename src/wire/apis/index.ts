/**
 * Every API the wire server answers: one file per Kafka API in this folder (NN-kebab-name.ts,
 * NN = the API key), each mapping the decoded message to the cluster's request boundary.
 */
import type { WireApi } from '../api.js'

// One import line per API, in key order.
import { apiVersionsApi } from './18-api-versions.js'

export const wireApis: ReadonlyMap<number, WireApi> = new Map<number, WireApi>(
  ([
    // One entry per API, in key order.
    apiVersionsApi,
  ] as WireApi[]).map((api) => [api.apiKey, api]),
)
