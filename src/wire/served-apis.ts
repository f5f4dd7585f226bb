/**
 * What the wire server answers and advertises in ApiVersions: each API that has both a mapping
 * (src/wire/apis/) and a schema table (src/wire/messages/), over the versions both cover,
 * capped by --as-version to what that Kafka release had. An API outside this map is unknown
 * to the server: a request for it closes the connection, as Kafka does for a key it lacks.
 */
import type { WireApi } from './api.js'
import type { ApiSchema } from './protocol/schema.js'
import { parseVersions } from './protocol/versions.js'
import { maxVersionsOf } from './kafka-versions.js'

export interface ServedApi {
  readonly api: WireApi
  readonly schema: ApiSchema
  readonly minVersion: number
  readonly maxVersion: number
}

export interface ServedApisOptions {
  /** "X.Y": advertise no more than Kafka X.Y did (throws UnknownKafkaVersionError for a release it does not know). */
  readonly asVersion?: string
}

/** The served APIs by key, in key order. */
export function servedApis(
  apis: ReadonlyMap<number, WireApi>,
  schemas: ReadonlyMap<number, ApiSchema>,
  options: ServedApisOptions = {},
): ReadonlyMap<number, ServedApi> {
  const caps = options.asVersion === undefined ? undefined : maxVersionsOf(options.asVersion)
  const served = new Map<number, ServedApi>()
  for (const key of [...apis.keys()].sort((a, b) => a - b)) {
    const api = apis.get(key)!
    const schema = schemas.get(key)
    if (!schema) continue
    const request = parseVersions(schema.request.validVersions)
    const response = parseVersions(schema.response.validVersions)
    const minVersion = Math.max(api.minVersion, request.min, response.min)
    let maxVersion = Math.min(api.maxVersion, request.max, response.max)
    if (caps) {
      const cap = caps.get(key)
      if (cap === undefined) continue
      maxVersion = Math.min(maxVersion, cap)
    }
    if (maxVersion < minVersion) continue
    served.set(key, { api, schema, minVersion, maxVersion })
  }
  return served
}
