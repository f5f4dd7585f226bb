/**
 * Every Kafka message schema the wire server knows, by API key: one hand-written table per API
 * in this folder (NN-kebab-name.ts, NN = the API key), so the listing reads as the coverage table.
 */
import type { ApiSchema } from '../protocol/schema.js'

// One import line per API, in key order.
import { produce } from './00-produce.js'
import { fetch } from './01-fetch.js'
import { metadata } from './03-metadata.js'
import { apiVersions } from './18-api-versions.js'

export const schemas: ReadonlyMap<number, ApiSchema> = new Map<number, ApiSchema>(
  ([
    // One entry per API, in key order.
    produce,
    fetch,
    metadata,
    apiVersions,
  ] as ApiSchema[]).map((schema) => [schema.apiKey, schema]),
)
