/**
 * One Kafka API as the wire server answers it: the versions memkafka serves and the mapping
 * between the decoded message (src/wire/messages/, Kafka's field names in lowerCamelCase) and
 * the cluster's typed request boundary (src/cluster/api/messages.ts). Each file under
 * src/wire/apis/ exports one WireApi; no Kafka semantics live there, only the translation
 * (per-version shapes, defaults, which fields a version carries).
 */
import type { ClusterModel, RequestSource } from '../cluster/cluster-model.js'
import type { WireMessage } from './protocol/schema.js'
import type { SaslSession } from './sasl/sasl-session.js'

export interface AdvertisedAddress {
  readonly host: string
  readonly port: number
}

/** What a handler knows of the request it answers and the connection it came on. */
export interface WireContext {
  readonly cluster: ClusterModel
  /** The broker whose listener took the connection. */
  readonly brokerId: number
  readonly apiVersion: number
  /** The request header's client id (null when the client sent none). */
  readonly clientId: string | null
  /** The peer's address, as Kafka reports a member's client host ("/127.0.0.1"). */
  readonly clientHost: string
  /** Passed to cluster.send so that pauseClient(clientId) holds this client's requests. */
  readonly source: RequestSource
  /** Where a broker listens on the wire (Metadata, FindCoordinator and DescribeCluster advertise it). */
  advertised(brokerId: number): AdvertisedAddress | undefined
  /** Aborted when the connection closes: ends long polls and joins early. */
  readonly signal: AbortSignal
  /** The API versions this server advertises, after any --as-version cap (for ApiVersions). */
  readonly supportedVersions: readonly { readonly apiKey: number; readonly minVersion: number; readonly maxVersion: number }[]
  /** The connection's SASL state on a SASL listener (src/wire/sasl); undefined on a listener without SASL. */
  readonly sasl?: SaslSession | undefined
  /** The Kafka release the server poses as ("2.4", from --as-version); undefined: Kafka 3.7, as memkafka models it. */
  readonly asVersion?: string
}

export interface WireApi {
  readonly apiKey: number
  /** Kafka's API name ("Produce"). */
  readonly name: string
  /** The versions memkafka serves and advertises (Kafka 3.7's range), before any --as-version cap. */
  readonly minVersion: number
  readonly maxVersion: number
  /**
   * Answers one decoded request at ctx.apiVersion. Returns the response message, or undefined
   * when Kafka sends none (Produce with acks=0). A request Kafka refuses is answered with the
   * error response Kafka builds for it (AbstractRequest.getErrorResponse); throwing closes the
   * connection, which Kafka does only where it cannot answer (a failed acks=0 produce, a
   * broker going away).
   */
  handle(request: WireMessage, ctx: WireContext): WireMessage | undefined | Promise<WireMessage | undefined>
}
