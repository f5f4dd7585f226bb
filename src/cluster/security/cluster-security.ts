/**
 * The cluster's security state: the authorizer with its ACLs, and the users the brokers
 * authenticate (PLAIN passwords as a JAAS PlainLoginModule lists them, SCRAM credentials as
 * AlterUserScramCredentials stores them, KIP-554). Both doors (the in-process facade and the
 * wire server) authenticate against these and send the principal with every request.
 */
import type { Clock } from '../clock.js'
import type { ClusterConfig } from '../cluster-config.js'
import type { Random } from '../random.js'
import type { RequestSource } from '../request-source.js'
import type { UserDescription } from '../describe.js'
import type { ApiName, RequestOf, ResponseOf } from '../api/messages.js'
import { ANONYMOUS_PRINCIPAL, StandardAuthorizer, type Session } from './standard-authorizer.js'
import { allowedWhole, authorizeAndHandle, type AuthorizationClusterContext, type Next } from './request-authorization.js'
import { ScramMechanisms, scramCredential, scramSaltedPasswordMatches, type ScramCredential, type ScramMechanism } from './scram-credential.js'
import { formatBinding } from './acl.js'
import { createSaslServer } from './sasl-server.js'
import { ErrorCode } from '../error-codes.js'
import { jaasSettings, type JaasSettings, type OAuthBearerValidatorOptions } from './jaas-config.js'

/** The client address an in-process client has: it runs in this process. */
export const IN_PROCESS_HOST = '127.0.0.1'

/**
 * What the security state uses of the cluster: the broker configs it is set by, the clock
 * tokens are checked against, the seeded random source salts come from, and what the
 * authorization checks read. ClusterModel provides it; ClusterSecurity does not depend on
 * ClusterModel itself (which creates it).
 */
export interface ClusterSecurityContext extends AuthorizationClusterContext {
  readonly clock: Pick<Clock, 'now'>
  readonly random: Pick<Random, 'hex'>
  readonly config: Pick<ClusterConfig, 'authorizerConfig' | 'listenerConfig' | 'broker' | 'autoCreateTopicsEnable'>
}

export class ClusterSecurity {
  readonly authorizer: StandardAuthorizer
  private readonly plainPasswords = new Map<string, string>()
  private readonly scram = new Map<string, Map<ScramMechanism, ScramCredential>>()

  /** authorizer.class.name, super.users and allow.everyone.if.no.acl.found are static broker configs: read once. */
  private settings: ReturnType<ClusterConfig['authorizerConfig']> | undefined

  constructor(private readonly cluster: ClusterSecurityContext) {
    this.authorizer = new StandardAuthorizer(() => this.authorizerSettings())
  }

  private authorizerSettings(): ReturnType<ClusterConfig['authorizerConfig']> {
    return (this.settings ??= this.cluster.config.authorizerConfig())
  }

  /** Whether an authorizer is configured (authorizer.class.name); without one, every request is allowed. */
  get authorizationEnabled(): boolean {
    return this.authorizerSettings().enabled
  }

  /**
   * Whether the request goes to its handler as it is, with nothing to check or filter: no
   * authorizer, the cluster's operator, or a Produce or consumer Fetch of allowed topics only
   * (the request boundary's hot path; anything else goes through handle()).
   */
  allowsWhole(request: RequestOf<ApiName>, from: RequestSource | undefined): boolean {
    if (!this.authorizerSettings().enabled || from?.operator === true) return true
    return allowedWhole(this.authorizer, sessionOf(from), request)
  }

  /** Answers a request as the broker would for this principal: authorized first when an authorizer is configured. */
  handle<K extends ApiName>(request: RequestOf<K> & { readonly api: K }, from: RequestSource | undefined, next: Next): Promise<ResponseOf<K>> {
    if (!this.authorizerSettings().enabled || from?.operator === true) return next(request)
    return authorizeAndHandle<K>({ cluster: this.cluster, authorizer: this.authorizer, session: sessionOf(from) }, request, next)
  }

  // -------------------------------------------------------------------------------------------
  // Users

  /** A user with a PLAIN password and SCRAM-SHA-256/512 credentials (4096 iterations, Kafka's default minimum). */
  createUser(name: string, password: string, iterations = 4096): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('createUser: the user name must be a non-empty string')
    if (typeof password !== 'string' || password === '') throw new TypeError('createUser: the password must be a non-empty string')
    this.plainPasswords.set(name, password)
    for (const mechanism of ScramMechanisms) this.setScramCredential(name, mechanism, scramCredential(mechanism, password, this.salt(), iterations))
    this.cluster.eventLog.record({ type: 'userChanged', user: name, change: 'created (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)' })
  }

  /** A PLAIN user only, as listed in a listener's JAAS config (user_alice="secret"). */
  setPlainPassword(name: string, password: string): void {
    this.plainPasswords.set(name, password)
  }

  setScramCredential(name: string, mechanism: ScramMechanism, credential: ScramCredential): void {
    let byMechanism = this.scram.get(name)
    if (!byMechanism) this.scram.set(name, (byMechanism = new Map()))
    byMechanism.set(mechanism, credential)
  }

  /** Removes one SCRAM credential; false when there was none. */
  deleteScramCredential(name: string, mechanism: ScramMechanism): boolean {
    const byMechanism = this.scram.get(name)
    if (!byMechanism?.delete(mechanism)) return false
    if (byMechanism.size === 0) this.scram.delete(name)
    return true
  }

  scramCredential(name: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.scram.get(name)?.get(mechanism)
  }

  scramUsers(): string[] {
    return [...this.scram.keys()]
  }

  /** PLAIN: the JAAS user's password must match exactly (PlainServerCallbackHandler); users of sasl.jaas.config's PlainLoginModule too. */
  checkPlain(name: string, password: string): boolean {
    const expected = this.plainPasswords.get(name) ?? this.jaas().plainUsers.get(name)
    return expected !== undefined && expected === password
  }

  /** The OAUTHBEARER unsecured validator's options (sasl.jaas.config's OAuthBearerLoginModule, else Kafka's defaults). */
  oauthBearerOptions(): OAuthBearerValidatorOptions {
    return this.jaas().oauthBearer
  }

  /** The cluster clock's now, against which tokens are validated. */
  now(): number {
    return this.cluster.clock.now()
  }

  /** sasl.jaas.config is a static broker config: read once. */
  private jaas(): JaasSettings {
    return (this.jaasCache ??= jaasSettings(this.cluster.config.broker.get('sasl.jaas.config') as string | null))
  }
  private jaasCache: JaasSettings | undefined

  /**
   * SCRAM proves knowledge of the salted password; in-process the facade, holding the password,
   * derives it with the stored salt and iterations and compares the stored key, which is what a
   * successful exchange establishes.
   */
  checkScramPassword(name: string, mechanism: ScramMechanism, password: string): boolean {
    const credential = this.scramCredential(name, mechanism)
    return credential !== undefined && scramSaltedPasswordMatches(mechanism, credential, password)
  }

  /**
   * The listener in-process clients connect to: the first of `listeners`, with its security
   * protocol and the SASL mechanisms enabled on the broker.
   */
  inProcessListener(): { name: string; securityProtocol: string; saslMechanisms: string[] } {
    const { listeners, saslMechanisms } = this.cluster.config.listenerConfig()
    const first = listeners[0] ?? { name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT' }
    return { name: first.name, securityProtocol: first.securityProtocol, saslMechanisms: [...saslMechanisms] }
  }

  /**
   * One SASL authentication as the broker's SaslServerAuthenticator completes it, for a client
   * that holds the password (the in-process door): the principal, or Kafka's error with the
   * message its SaslAuthenticate response carries. A failure is on the timeline, as the broker
   * logs it ("Failed authentication with /127.0.0.1 (...)").
   */
  authenticate(brokerId: number, host: string, mechanism: string, username: string, password: string): { principal: string } | { errorCode: number; errorMessage: string } {
    const enabled = this.cluster.config.listenerConfig().saslMechanisms
    if (!enabled.includes(mechanism)) {
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: `Unsupported SASL mechanism ${mechanism}` }
    }
    let ok: boolean
    let failure: string
    if (mechanism === 'PLAIN') {
      ok = this.checkPlain(username, password)
      // PlainSaslServer throws SaslAuthenticationException with this message; it reaches the client.
      failure = 'Authentication failed: Invalid username or password'
    } else if (mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') {
      ok = this.checkScramPassword(username, mechanism, password)
      // ScramSaslServer throws a plain SaslException; SaslServerAuthenticator answers with this text.
      failure = `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`
    } else {
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: `memkafka does not implement the SASL mechanism ${mechanism}` }
    }
    if (ok) return { principal: `User:${username}` }
    this.recordAuthenticationFailure(brokerId, host, mechanism, failure)
    return { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: failure }
  }

  /**
   * One token of a SASL exchange for the in-process door, through the same SaslServer the wire
   * uses (OAUTHBEARER: the client's message carries its token): the principal, a challenge the
   * exchange continues with, or the failure message (on the timeline, as the broker logs it).
   */
  evaluateInProcess(brokerId: number, host: string, mechanism: string, token: Buffer): { principal: string; credentialExpiresAt?: number | undefined } | { challenge: Buffer } | { errorCode: number; errorMessage: string } {
    const server = this.cluster.config.listenerConfig().saslMechanisms.includes(mechanism) ? createSaslServer(mechanism, this) : undefined
    if (!server) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: `Unsupported SASL mechanism ${mechanism}` }
    const step = server.evaluate(token)
    if ('failed' in step) {
      this.recordAuthenticationFailure(brokerId, host, mechanism, step.failed)
      return { errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: step.failed }
    }
    return step.done ? { principal: step.principal, credentialExpiresAt: step.credentialExpiresAt } : { challenge: step.challenge }
  }

  recordAuthenticationFailure(brokerId: number, host: string, mechanism: string, reason: string): void {
    this.cluster.eventLog.record({ type: 'authenticationFailed', brokerId, host, mechanism, reason })
  }

  users(): UserDescription[] {
    const names = [...new Set([...this.plainPasswords.keys(), ...this.scram.keys()])].sort()
    return names.map((name) => ({
      name,
      plain: this.plainPasswords.has(name),
      scram: [...(this.scram.get(name)?.entries() ?? [])].map(([mechanism, c]) => ({ mechanism, iterations: c.iterations })),
    }))
  }

  /** The ACLs as readable lines, for format(). */
  describeAcls(): string[] {
    return this.authorizer.acls().map(formatBinding)
  }

  /** A 16-byte salt from the cluster's seeded random source, so runs with a seed are reproducible. */
  private salt(): Buffer {
    return Buffer.from(this.cluster.random.hex(32), 'hex')
  }
}

/** The session a request carries: its principal and address; in-process and PLAINTEXT clients are ANONYMOUS. */
export function sessionOf(from: RequestSource | undefined): Session {
  return { principal: from?.principal ?? ANONYMOUS_PRINCIPAL, host: from?.clientHost ?? IN_PROCESS_HOST }
}
