/**
 * ApiVersions (key 18), v0-3: the APIs this server answers and the version range of each, so a
 * client picks versions both sides speak. Answered by the wire layer itself, as Kafka's network
 * layer does (KafkaApis.handleApiVersionsRequest); it reaches no broker state.
 *
 * v1 adds ThrottleTimeMs. v3 (KIP-511) is flexible, its request carries the client software's
 * name and version, and its response the feature flags (KIP-584) as tagged fields.
 *
 * An ApiVersions request at a version the server does not know is not decoded: the connection
 * answers it with `unsupportedVersionResponse`, encoded as v0 (RequestContext.apiVersion uses v0
 * for it), carrying UNSUPPORTED_VERSION and ApiVersions' own range so that the client retries
 * within it (KIP-511; librdkafka reads that range, kafkajs steps down on its own).
 */
import type { WireApi, WireContext } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

const API_VERSIONS = 18
const UNSUPPORTED_VERSION = 35
const INVALID_REQUEST = 42

/**
 * Kafka's check of ClientSoftwareName and ClientSoftwareVersion (ApiVersionsRequest.isValid,
 * KIP-511): letters, digits, '-' and '.', starting and ending with a letter or digit.
 */
const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/

/**
 * metadata.version, the one feature a Kafka 3.7 KRaft broker reports: it supports levels 1
 * (MINIMUM_KRAFT_VERSION, 3.0-IV1) to 19 (3.7-IV4, 3.7's LATEST_PRODUCTION), and a cluster
 * formatted by 3.7 has it finalized at 19. memkafka's features never change, so their epoch
 * stays 0.
 */
const METADATA_VERSION = { name: 'metadata.version', minVersion: 1, maxVersion: 19 }
const FINALIZED_FEATURES_EPOCH = 0

export const apiVersionsApi: WireApi = {
  apiKey: API_VERSIONS,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  handle(request: WireMessage, ctx: WireContext): WireMessage {
    if (ctx.apiVersion >= 3) {
      const name = request.clientSoftwareName
      const version = request.clientSoftwareVersion
      if (typeof name !== 'string' || typeof version !== 'string' || !SOFTWARE_PATTERN.test(name) || !SOFTWARE_PATTERN.test(version)) {
        // ApiVersionsRequest.getErrorResponse: the error alone, no API list.
        return { errorCode: INVALID_REQUEST, apiKeys: [], throttleTimeMs: 0 }
      }
    }
    const response: Record<string, unknown> = {
      errorCode: 0,
      apiKeys: ctx.supportedVersions.map((v) => ({ apiKey: v.apiKey, minVersion: v.minVersion, maxVersion: v.maxVersion })),
      throttleTimeMs: 0,
    }
    // The features are a KRaft broker's; posing as an older release (--as-version), memkafka
    // reports none, as those releases' brokers (ZooKeeper mode) had none finalized.
    if (ctx.asVersion === undefined || ctx.asVersion === '3.7') {
      response.supportedFeatures = [METADATA_VERSION]
      response.finalizedFeaturesEpoch = FINALIZED_FEATURES_EPOCH
      response.finalizedFeatures = [{ name: METADATA_VERSION.name, maxVersionLevel: METADATA_VERSION.maxVersion, minVersionLevel: METADATA_VERSION.maxVersion }]
    }
    return response
  },
}

/** The v0 answer to an ApiVersions request at a version outside `range` (see the file comment). */
export function unsupportedVersionResponse(range: { readonly minVersion: number; readonly maxVersion: number }): WireMessage {
  return { errorCode: UNSUPPORTED_VERSION, apiKeys: [{ apiKey: API_VERSIONS, minVersion: range.minVersion, maxVersion: range.maxVersion }] }
}
