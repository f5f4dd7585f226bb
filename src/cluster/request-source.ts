/**
 * Who sends a request, as the broker knows it from the connection and the request header
 * (Kafka's RequestContext: the header's clientId, the session's principal, the client address).
 * Its own file so that what reads it (the authorizer's session) need not import ClusterModel.
 */
export interface RequestSource {
  readonly clientId: string
  /**
   * A consumer's long poll: it does not count as a pending request (the consumer, a
   * SettleParticipant, says itself whether it still waits for anything).
   */
  readonly background?: boolean
  /** The authenticated principal ("User:alice"); absent: User:ANONYMOUS, as on a PLAINTEXT listener. */
  readonly principal?: string
  /** The client's IP address (for ACL host matching); absent: an in-process client, 127.0.0.1. */
  readonly clientHost?: string
  /**
   * The cluster's own operator (memkafka serve creating its --topic list): allowed everything,
   * as Kafka's tooling is when it runs with a super user's credentials. No client can set it.
   */
  readonly operator?: boolean
}
