/**
 * A connection's SASL state on a SASL listener, as Kafka's SaslServerAuthenticator keeps it:
 * - before the handshake only ApiVersions and SaslHandshake are answered; any other request
 *   closes the connection ("Unexpected Kafka request of type ... during SASL handshake");
 * - SaslHandshake v1 names the mechanism, then SaslAuthenticate requests carry the tokens
 *   (KIP-152); SaslHandshake v0 is followed by raw size-prefixed tokens instead (kafka-python,
 *   sarama < 1.0, librdkafka without SaslAuthenticate);
 * - an unsupported mechanism is answered UNSUPPORTED_SASL_MECHANISM and the connection closes;
 * - a failed exchange is answered SASL_AUTHENTICATION_FAILED with the broker's message (raw
 *   tokens: no answer), logged as the broker logs it, put on the timeline, and closed;
 * - once complete, every request carries the principal.
 */
import type { ClusterModel } from '../../cluster/cluster-model.js'
import { ErrorCode } from '../../cluster/error-codes.js'
import { createSaslServer, type SaslServer } from '../../cluster/security/sasl-server.js'

const API_VERSIONS = 18
const SASL_HANDSHAKE = 17
const SASL_AUTHENTICATE = 36

type State = 'handshake' | 'authenticate' | 'rawToken' | 'complete' | 'failed'

export class SaslSession {
  private state: State = 'handshake'
  private server: SaslServer | undefined
  /** "User:alice" once authenticated. */
  principal: string | undefined
  /** Set when the connection must close once the current response is sent. */
  closeReason: string | undefined
  /**
   * KIP-368: when connections.max.reauth.ms > 0, the session expires that long after it was
   * authenticated (cluster clock); a request other than a re-authentication after that closes
   * the connection, as Kafka's SaslServerAuthenticator/KafkaChannel do.
   */
  private expiresAt: number | undefined
  /** While re-authenticating: the principal and mechanism the new exchange must keep. */
  private reauthenticating: { readonly principal: string; readonly mechanism: string } | undefined

  constructor(
    private readonly cluster: ClusterModel,
    private readonly brokerId: number,
    /** The peer's address, without Kafka's leading slash. */
    private readonly host: string,
  ) {}

  get expectsRawToken(): boolean {
    return this.state === 'rawToken'
  }

  /** Why a request may not be handled in this state (the connection then closes), or undefined. */
  refusal(apiKey: number, name: string): string | undefined {
    if (this.state === 'complete') {
      if (apiKey === SASL_HANDSHAKE) {
        // KIP-368 re-authentication: a new handshake on an authenticated connection, allowed
        // when the broker gave the session a lifetime.
        if (this.expiresAt === undefined) return 'Unexpected SaslHandshake request: the connection is already authenticated (connections.max.reauth.ms is 0)'
        this.reauthenticating = { principal: this.principal!, mechanism: this.server!.mechanism }
        this.state = 'handshake'
        return undefined
      }
      if (this.expiresAt !== undefined && this.cluster.clock.now() > this.expiresAt) {
        return `the SASL session expired (connections.max.reauth.ms) before ${name}: the client did not re-authenticate`
      }
      return undefined
    }
    if (this.state === 'handshake' && (apiKey === API_VERSIONS || apiKey === SASL_HANDSHAKE)) return undefined
    if (this.state === 'authenticate' && apiKey === SASL_AUTHENTICATE) return undefined
    const reason = `Unexpected Kafka request of type ${name} during SASL ${this.state === 'handshake' ? 'handshake' : 'authentication'}`
    // An IllegalSaslStateException: the broker logs it as a failed authentication.
    if (this.state === 'handshake' || this.state === 'authenticate') this.fail(this.server?.mechanism ?? 'UNKNOWN', reason)
    return reason
  }

  enabledMechanisms(): string[] {
    return [...this.cluster.config.listenerConfig().saslMechanisms]
  }

  handshake(mechanism: string, version: number): { errorCode: number; mechanisms: string[] } {
    const mechanisms = this.enabledMechanisms()
    if (this.reauthenticating !== undefined && mechanism !== this.reauthenticating.mechanism) {
      // SaslServerAuthenticator.reauthenticate: the mechanism may not change.
      this.state = 'failed'
      this.closeReason = `SASL mechanism must be the same during re-authentication (was ${this.reauthenticating.mechanism}, got ${mechanism})`
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms }
    }
    const server = mechanisms.includes(mechanism) ? createSaslServer(mechanism, this.cluster.security) : undefined
    if (!server) {
      this.state = 'failed'
      this.closeReason = `Unsupported SASL mechanism ${mechanism}`
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms }
    }
    this.server = server
    this.state = version === 0 ? 'rawToken' : 'authenticate'
    return { errorCode: 0, mechanisms }
  }

  /** One SaslAuthenticate token. */
  authenticate(token: Buffer): { errorCode: number; errorMessage: string | null; authBytes: Buffer; sessionLifetimeMs: number } {
    const step = this.step(token)
    if ('failed' in step) return { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: step.failed, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 }
    if (this.state !== 'complete') return { errorCode: 0, errorMessage: null, authBytes: step.challenge, sessionLifetimeMs: 0 }
    return { errorCode: 0, errorMessage: null, authBytes: step.challenge, sessionLifetimeMs: this.startSession(step.credentialExpiresAt) }
  }

  /**
   * KIP-368 (SaslServerAuthenticator.calcCompletionTimesAndReturnSessionLifetimeMs): the session
   * lasts connections.max.reauth.ms (0, Kafka's default: for ever), and no longer than the
   * credential itself (an OAUTHBEARER token's exp), which limits it even when that config is 0.
   */
  private startSession(credentialExpiresAt: number | undefined): number {
    const now = this.cluster.clock.now()
    const maxReauthMs = this.cluster.config.broker.get('connections.max.reauth.ms') as number
    let lifetimeMs = 0
    if (credentialExpiresAt !== undefined) lifetimeMs = Math.max(0, maxReauthMs > 0 ? Math.min(credentialExpiresAt - now, maxReauthMs) : credentialExpiresAt - now)
    else if (maxReauthMs > 0) lifetimeMs = maxReauthMs
    this.expiresAt = credentialExpiresAt !== undefined || maxReauthMs > 0 ? now + lifetimeMs : undefined
    return lifetimeMs
  }

  /** One raw token after SaslHandshake v0: the framed answer, or undefined (then closeReason is set). */
  rawToken(token: Buffer): Buffer[] | undefined {
    const step = this.step(token)
    if ('failed' in step) return undefined
    // A v0 client cannot learn the lifetime nor re-authenticate; its session expires all the same (KIP-368).
    if (this.state === 'complete') this.startSession(step.credentialExpiresAt)
    const size = Buffer.alloc(4)
    size.writeInt32BE(step.challenge.length)
    return [size, step.challenge]
  }

  private step(token: Buffer): { challenge: Buffer; credentialExpiresAt?: number | undefined } | { failed: string } {
    if (!this.server) return this.fail('UNKNOWN', 'SASL token before a handshake')
    const step = this.server.evaluate(token)
    if ('failed' in step) return this.fail(this.server.mechanism, step.failed)
    if (step.done) {
      const before = this.reauthenticating
      this.reauthenticating = undefined
      if (before !== undefined && before.principal !== step.principal) {
        return this.fail(this.server.mechanism, `Cannot change principals during re-authentication from ${before.principal}: ${step.principal}`)
      }
      this.principal = step.principal
      this.state = 'complete'
      return { challenge: step.challenge, credentialExpiresAt: step.credentialExpiresAt }
    }
    return { challenge: step.challenge }
  }

  private fail(mechanism: string, reason: string): { failed: string } {
    this.state = 'failed'
    this.closeReason = `Failed authentication with /${this.host} (${reason})`
    this.cluster.security.recordAuthenticationFailure(this.brokerId, this.host, mechanism, reason)
    return { failed: reason }
  }
}

/** The session for a new connection: undefined on a listener without SASL. */
export function saslSessionFor(cluster: ClusterModel, brokerId: number, host: string, protocol: string): SaslSession | undefined {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? new SaslSession(cluster, brokerId, host) : undefined
}
