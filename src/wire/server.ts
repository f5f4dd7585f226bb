/**
 * The wire server of a cluster: one listener per broker (broker i on port + i, or each on an
 * ephemeral port when port is 0), speaking Kafka's protocol to real clients. The cluster does
 * not know it exists: requests reach it through the request boundary (cluster.send), and the
 * server hears broker faults on the cluster's timeline to close a stopped or isolated broker's
 * sockets.
 */
import { hostname } from 'node:os'
import type { ClusterModel } from '../cluster/cluster-model.js'
import type { TimelineEvent } from '../cluster/timeline.js'
import type { AdvertisedAddress, WireApi } from './api.js'
import { wireApis } from './apis/index.js'
import { DEFAULT_MAX_REQUEST_BYTES } from './frame-decoder.js'
import { kafkaRelease } from './kafka-versions.js'
import { createSecureContext } from 'node:tls'
import { BrokerListener, type ListenerTls } from './listener.js'
import { tlsSettings, type TlsSettings } from './tls/tls-config.js'
import { schemas } from './messages/index.js'
import type { ApiSchema } from './protocol/schema.js'
import { servedApis } from './served-apis.js'
import { stderrWireLogger, type WireLogger } from './wire-log.js'

export interface ListenOptions {
  /** Broker i listens on port + i; 0 (the default): each broker on an ephemeral port. */
  readonly port?: number
  /** The address to bind. Default '127.0.0.1'. */
  readonly host?: string
  /** The host Metadata and FindCoordinator give clients. Default: `host` (this machine's name when host is a wildcard). */
  readonly advertisedHost?: string
  /** "X.Y": advertise only the API versions Kafka X.Y had (0.11 to 3.7). */
  readonly asVersion?: string
  /** socket.request.max.bytes: a larger request frame closes its connection. Default 100 MiB. */
  readonly maxRequestBytes?: number
  /** Where connection-level events go. Default: warnings and errors on stderr. */
  readonly log?: WireLogger
  /** The API mappings and schemas to serve (default: every one memkafka has); for tests. */
  readonly apis?: ReadonlyMap<number, WireApi>
  readonly schemas?: ReadonlyMap<number, ApiSchema>
}

export interface ListeningBroker {
  readonly id: number
  /** The advertised host. */
  readonly host: string
  readonly port: number
}

export interface WireServer {
  /** "host:port" of every broker, for a client's bootstrap list. */
  readonly bootstrapBrokers: string[]
  readonly brokers: readonly ListeningBroker[]
  /** The API versions it advertises (ApiVersions' list). */
  readonly supportedVersions: readonly { readonly apiKey: number; readonly minVersion: number; readonly maxVersion: number }[]
  /** The listeners' security protocol (listeners + listener.security.protocol.map). */
  readonly securityProtocol: string
  /**
   * SSL and SASL_SSL with no key store configured: the PEM certificate of the self-signed CA
   * that signed the brokers' certificate, for clients to trust (kafkajs `ssl: { ca: [caPem] }`,
   * librdkafka ssl.ca.location).
   */
  readonly caPem?: string
  /** Stops listening and closes every connection. */
  close(): Promise<void>
}

/** The timeline events after which some broker may have become unreachable. */
const brokerStateEvents = new Set<TimelineEvent['type']>(['brokerStopped', 'brokerIsolated', 'brokerStarted', 'brokerFenced', 'networkHealed'])

/** Opens one listener per broker of `cluster`; rejects (having closed what it opened) if any cannot listen. */
export async function listen(cluster: ClusterModel, options: ListenOptions = {}): Promise<WireServer> {
  if (cluster.isClosed) throw new Error('cannot listen: the cluster is closed')
  const securityProtocol = cluster.security.inProcessListener().securityProtocol
  const host = options.host ?? '127.0.0.1'
  const basePort = options.port ?? 0
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + cluster.brokers.length - 1 > 65535) {
    throw new RangeError(`port must be an integer from 0 to ${65536 - cluster.brokers.length} for ${cluster.brokers.length} brokers, got ${options.port}`)
  }
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1) throw new RangeError(`maxRequestBytes must be a positive integer, got ${maxRequestBytes}`)
  const advertisedHost = options.advertisedHost ?? (isWildcard(host) ? hostname() : host)
  const asVersion = options.asVersion === undefined ? undefined : kafkaRelease(options.asVersion)
  const userLog = options.log ?? stderrWireLogger
  // A logger that throws must not break a connection, a listener, or the cluster step it runs in.
  const log: WireLogger = (entry) => {
    try {
      userLog(entry)
    } catch {
      // Dropped: there is nowhere left to report it.
    }
  }
  const apis = servedApis(options.apis ?? wireApis, options.schemas ?? schemas, asVersion === undefined ? {} : { asVersion })
  const supportedVersions = [...apis.values()].map((s) => ({ apiKey: s.api.apiKey, minVersion: s.minVersion, maxVersion: s.maxVersion }))

  // SSL and SASL_SSL: the key material of the ssl.* configs, or a self-signed CA made now.
  let tls: ListenerTls | undefined
  let caPem: string | undefined
  if (securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL') {
    let settings: TlsSettings
    try {
      settings = tlsSettings(cluster, advertisedHost)
      const options = {
        key: settings.key,
        cert: settings.cert,
        ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
        ...(settings.ca === undefined ? {} : { ca: settings.ca }),
      }
      // A key that does not match its certificate, a wrong passphrase, a PEM that does not parse: refused now.
      createSecureContext(options)
      tls = { options, clientAuth: settings.clientAuth }
    } catch (error) {
      throw new Error(`cannot listen: ${securityProtocol} listener: ${(error as Error).message}`, { cause: error })
    }
    caPem = settings.generatedCaPem
  }

  const addresses = new Map<number, AdvertisedAddress>()
  const advertised = (brokerId: number): AdvertisedAddress | undefined => addresses.get(brokerId)
  const listeners = cluster.brokers.map(
    (broker) =>
      new BrokerListener(broker, { cluster, brokerId: broker.id, apis, supportedVersions, advertised, maxRequestBytes, log, asVersion, securityProtocol }, tls),
  )
  const opened = await Promise.allSettled(listeners.map((l, i) => l.listen(host, basePort === 0 ? 0 : basePort + i)))
  const failure = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failure) {
    await Promise.all(listeners.map((l) => l.close()))
    throw failure.reason
  }
  for (const l of listeners) addresses.set(l.broker.id, { host: advertisedHost, port: l.port })

  // A broker that stops, is cut off or restarts loses its connections; its listener refuses
  // new ones while it is unreachable (BrokerListener.accept).
  const unsubscribe = cluster.eventLog.subscribe((event) => {
    if (!brokerStateEvents.has(event.type)) return
    for (const l of listeners) if (!l.broker.reachable && l.openConnections > 0) l.dropConnections(`broker ${l.broker.id}: ${l.broker.unreachableReason ?? 'unreachable'}`)
  })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    if (closing) return closing
    unsubscribe()
    removeCloseListener()
    closing = Promise.all(listeners.map((l) => l.close())).then(() => undefined)
    return closing
  }
  const removeCloseListener = cluster.onClose(() => void close())

  const brokers = listeners.map((l) => ({ id: l.broker.id, host: advertisedHost, port: l.port }))
  for (const b of brokers) log({ level: 'info', message: `listening on ${formatAddress(host, b.port)} (advertised as ${formatAddress(b.host, b.port)})`, brokerId: b.id })
  return {
    bootstrapBrokers: brokers.map((b) => formatAddress(b.host, b.port)),
    brokers,
    supportedVersions,
    securityProtocol,
    ...(caPem === undefined ? {} : { caPem }),
    close,
  }
}

function isWildcard(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || host === '[::]'
}

/** "host:port", with an IPv6 literal in brackets. */
function formatAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`
}
