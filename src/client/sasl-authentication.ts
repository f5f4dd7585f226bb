/**
 * The kafkajs `ssl` and `sasl` options against the cluster's in-process listener (the first of
 * the brokers' `listeners`), with what kafkajs reports against a real broker:
 * - TLS on one side only: the connection fails (KafkaJSConnectionError);
 * - `sasl` against a listener without SASL: the broker answers SaslHandshake with
 *   ILLEGAL_SASL_STATE (KafkaApis.handleSaslHandshakeRequest), which kafkajs throws;
 * - no `sasl` against a SASL listener: the broker closes the connection at the first request
 *   that is not ApiVersions or SaslHandshake (KafkaJSConnectionError);
 * - a mechanism the broker has not enabled: UNSUPPORTED_SASL_MECHANISM from the handshake;
 * - wrong credentials: KafkaJSSASLAuthenticationError with kafkajs's prefix and the broker's
 *   SaslAuthenticate error message.
 * In-process there are no certificates: `ssl` only has to be there for an SSL listener.
 */
import type { ClusterModel } from '../cluster/cluster-model.js'
import { IN_PROCESS_HOST } from '../cluster/security/cluster-security.js'
import { KafkaJSConnectionClosedError, KafkaJSConnectionError, KafkaJSNotImplemented, KafkaJSSASLAuthenticationError } from './errors.js'
import { createErrorFromCode } from './protocol-error-table.js'

export interface SaslConfig {
  readonly mechanism?: string
  readonly username?: string
  readonly password?: string
  readonly authenticationProvider?: unknown
  readonly oauthBearerProvider?: unknown
}

/** kafkajs's message prefix for each mechanism's failures. */
function failurePrefix(mechanism: string): string {
  if (mechanism === 'SCRAM-SHA-256') return 'SASL SCRAM SHA256 authentication failed'
  if (mechanism === 'SCRAM-SHA-512') return 'SASL SCRAM SHA512 authentication failed'
  return `SASL ${mechanism} authentication failed`
}

/** Authenticates a client's connection; returns its principal (undefined: ANONYMOUS). */
export async function authenticateInProcess(model: ClusterModel, brokerId: number, ssl: unknown, sasl: unknown): Promise<string | undefined> {
  const listener = model.security.inProcessListener()
  const broker = model.broker(brokerId)?.address ?? `${brokerId}`
  const tlsListener = listener.securityProtocol === 'SSL' || listener.securityProtocol === 'SASL_SSL'
  const wantsTls = ssl !== undefined && ssl !== null && ssl !== false
  if (wantsTls && !tlsListener) {
    throw new KafkaJSConnectionError('Connection error: Client network socket disconnected before secure TLS connection was established', { broker })
  }
  if (!wantsTls && tlsListener) {
    throw new KafkaJSConnectionError(`Connection error: the broker closed the connection: listener ${listener.name} expects a TLS handshake (${listener.securityProtocol})`, { broker })
  }
  const saslListener = listener.securityProtocol === 'SASL_PLAINTEXT' || listener.securityProtocol === 'SASL_SSL'
  if (!sasl) {
    if (saslListener) throw new KafkaJSConnectionError(`Connection error: Closed connection (listener ${listener.name} expects SASL authentication first)`, { broker })
    return undefined
  }
  const config = sasl as SaslConfig
  const mechanism = String(config.mechanism ?? '').toUpperCase()
  if (!saslListener) throw createErrorFromCode(34)
  if (mechanism === 'PLAIN' && (config.username == null || config.password == null)) throw new KafkaJSSASLAuthenticationError('SASL Plain: Invalid username or password')
  if (mechanism.startsWith('SCRAM') && (config.username == null || config.password == null)) {
    throw new KafkaJSSASLAuthenticationError(`SASL SCRAM ${mechanism === 'SCRAM-SHA-512' ? 'SHA512' : 'SHA256'}: Invalid username or password`)
  }
  if (mechanism === 'OAUTHBEARER' && config.authenticationProvider === undefined) return authenticateOAuthBearer(model, brokerId, broker, listener.saslMechanisms, config)
  if (config.authenticationProvider !== undefined || mechanism === 'AWS') {
    if (!listener.saslMechanisms.includes(mechanism)) throw createErrorFromCode(33)
    throw new KafkaJSNotImplemented(`memkafka does not implement the SASL mechanism ${mechanism} in-process`)
  }
  const result = model.security.authenticate(brokerId, IN_PROCESS_HOST, mechanism, String(config.username), String(config.password))
  if ('principal' in result) return result.principal
  if (result.errorCode === 33) throw createErrorFromCode(33)
  throw new KafkaJSSASLAuthenticationError(`${failurePrefix(mechanism)}: ${result.errorMessage}`)
}

/**
 * kafkajs's OAUTHBEARER authenticator (saslAuthenticator/oauthBearer.js) against the broker's
 * OAuthBearerSaslServer: the handshake first (UNSUPPORTED_SASL_MECHANISM when the listener has
 * not enabled it), then kafkajs's own checks of the provider and its token, then the message
 * kafkajs builds (`n,<authzid>,^Aauth=Bearer <token>^A<extensions>^A^A`, with kafkajs's stray
 * quote before `a=` when an authorizationIdentity is given) evaluated by the broker. kafkajs
 * does not read the broker's answer: an invalid token's JSON error challenge passes for
 * success, and the broker then closes the connection at the first request, which is still
 * expected to be a SaslAuthenticate (KafkaJSConnectionError).
 */
async function authenticateOAuthBearer(model: ClusterModel, brokerId: number, broker: string, enabled: readonly string[], config: SaslConfig): Promise<string> {
  if (!enabled.includes('OAUTHBEARER')) throw createErrorFromCode(33)
  const provider = config.oauthBearerProvider as (() => Promise<{ value?: string | null; extensions?: Record<string, unknown> }>) | null | undefined
  if (provider == null) throw new KafkaJSSASLAuthenticationError('SASL OAUTHBEARER: Missing OAuth bearer token provider')
  const token = await provider()
  if (token.value == null) throw new KafkaJSSASLAuthenticationError('SASL OAUTHBEARER: Invalid OAuth bearer token')
  const identity = (config as { authorizationIdentity?: string | null }).authorizationIdentity
  const authzid = identity == null ? '' : `"a=${identity}`
  const extensions = Object.entries(token.extensions ?? {}).map(([k, v]) => `${k}=${String(v)}`).join('\u0001')
  const message = `n,${authzid},\u0001auth=Bearer ${token.value}${extensions.length > 0 ? `\u0001${extensions}` : ''}\u0001\u0001`
  const result = model.security.evaluateInProcess(brokerId, IN_PROCESS_HOST, 'OAUTHBEARER', Buffer.from(message, 'utf8'))
  if ('principal' in result) return result.principal
  if ('challenge' in result) {
    // The broker's error challenge ({"status":"invalid_token"}) goes unread; kafkajs's next request is Metadata.
    const reason = 'Unexpected Kafka request of type Metadata during SASL authentication'
    model.security.recordAuthenticationFailure(brokerId, IN_PROCESS_HOST, 'OAUTHBEARER', reason)
    const [host, port] = broker.split(':')
    throw new KafkaJSConnectionClosedError(`Closed connection (${reason}; the broker had answered the token with ${result.challenge.toString('utf8')})`, { host, port: Number(port) })
  }
  if (result.errorCode === 33) throw createErrorFromCode(33)
  throw new KafkaJSSASLAuthenticationError(`SASL OAUTHBEARER authentication failed: ${result.errorMessage}`)
}
