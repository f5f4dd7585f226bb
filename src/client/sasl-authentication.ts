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

interface Authenticated {
  readonly principal: string
  /** When the credential itself expires (an OAUTHBEARER token's exp), cluster clock ms. */
  readonly credentialExpiresAt?: number | undefined
}

/** Authenticates a client's connection; returns its principal (undefined: ANONYMOUS). */
export async function authenticateInProcess(model: ClusterModel, brokerId: number, ssl: unknown, sasl: unknown): Promise<Authenticated | undefined> {
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
  if ('principal' in result) return { principal: result.principal }
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
async function authenticateOAuthBearer(model: ClusterModel, brokerId: number, broker: string, enabled: readonly string[], config: SaslConfig): Promise<Authenticated> {
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
  if ('principal' in result) return { principal: result.principal, credentialExpiresAt: result.credentialExpiresAt }
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

/**
 * A client's authenticated session, re-authenticated as kafkajs 2.2.4 does it (KIP-368,
 * network/connection.js): the broker gives the session a lifetime (connections.max.reauth.ms,
 * no longer than an OAUTHBEARER token's exp; SaslAuthenticate v1's SessionLifetimeMs), and
 * before a request, once `reauthenticationThreshold` (default 10 s) or less of it is left,
 * kafkajs runs the whole SASL exchange again on the same connection: the provider gives a new
 * OAUTHBEARER token, a changed password or deleted user fails it, and the principal may not
 * change. Time is the cluster's clock.
 */
export class InProcessSession {
  principal: string | undefined
  private authenticatedAt = 0
  private lifetimeMs = 0
  private pending: Promise<void> | undefined

  constructor(
    private readonly model: ClusterModel,
    private readonly brokerId: () => number,
    private readonly ssl: unknown,
    private readonly sasl: unknown,
    private readonly reauthenticationThreshold = 10_000,
  ) {}

  async authenticate(): Promise<void> {
    const result = await authenticateInProcess(this.model, this.brokerId(), this.ssl, this.sasl)
    const now = this.model.clock.now()
    if (this.principal !== undefined && result !== undefined && result.principal !== this.principal) {
      // SaslServerAuthenticator.ReauthInfo.ensurePrincipalUnchanged.
      const reason = `Cannot change principals during re-authentication from ${this.principal}: ${result.principal}`
      this.model.security.recordAuthenticationFailure(this.brokerId(), IN_PROCESS_HOST, String((this.sasl as SaslConfig).mechanism ?? '').toUpperCase(), reason)
      throw new KafkaJSSASLAuthenticationError(`${failurePrefix(String((this.sasl as SaslConfig).mechanism ?? '').toUpperCase())}: ${reason}`)
    }
    this.principal = result?.principal
    this.authenticatedAt = now
    // SaslServerAuthenticator.calcCompletionTimesAndReturnSessionLifetimeMs.
    const maxReauthMs = this.model.config.broker.get('connections.max.reauth.ms') as number
    const expiresAt = result?.credentialExpiresAt
    if (result === undefined) this.lifetimeMs = 0
    else if (expiresAt !== undefined) this.lifetimeMs = Math.max(0, maxReauthMs > 0 ? Math.min(expiresAt - now, maxReauthMs) : expiresAt - now)
    else this.lifetimeMs = maxReauthMs > 0 ? maxReauthMs : 0
  }

  /** A re-authentication, when kafkajs would run one before the next request; else undefined (no cost on the hot path). */
  reauthenticateIfDue(): Promise<void> | undefined {
    if (this.lifetimeMs === 0) return undefined
    if (this.pending) return this.pending
    if (this.model.clock.now() - this.authenticatedAt + this.reauthenticationThreshold < this.lifetimeMs) return undefined
    this.pending = this.authenticate().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }
}
