/**
 * The wire server of a cluster: every broker opens each of the cluster's `listeners` (broker i
 * on port + i with one listener, or each on an ephemeral port when port is 0), speaking
 * Kafka's protocol to real clients; SSL and SASL_SSL listeners speak TLS first. The cluster does
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
import { BrokerListener, type ListenerTls } from './listener.js'
import { advertisedEndpoints, brokerListenerSpecs, ListenerConfigError, type BrokerListenerConfig, type ListenerSpec } from './broker-listeners.js'
import type { TlsSettings } from './tls/tls-config.js'
import { schemas } from './messages/index.js'
import type { ApiSchema } from './protocol/schema.js'
import { servedApis } from './served-apis.js'
import { stderrWireLogger, type WireLogger } from './wire-log.js'

export interface ListenOptions {
  /**
   * Broker i listens on port + i (with L listeners, its listener j on port + i * L + j); 0
   * (the default): each on an ephemeral port. The ports in `listeners` are not used: the
   * brokers of one cluster share its configs, and each needs its own ports.
   */
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
  /**
   * Broker id -> that broker's own `listeners` and `advertised.listeners` (Kafka's per-broker
   * configs; src/wire/broker-listeners.ts). A broker's own `listeners` bind exactly the ports
   * they name (0: ephemeral).
   */
  readonly brokers?: Readonly<Record<number, BrokerListenerConfig>>
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

export interface ListenerEndpoints {
  /** The listener name (PLAINTEXT, SSL, SASL_SSL, or a custom name mapped by listener.security.protocol.map). */
  readonly name: string
  readonly securityProtocol: string
  readonly brokers: readonly ListeningBroker[]
  /** "host:port" of every broker on this listener. */
  readonly bootstrapBrokers: string[]
}

export interface WireServer {
  /** "host:port" of every broker on the first listener, for a client's bootstrap list. */
  readonly bootstrapBrokers: string[]
  /** The brokers on the first listener. */
  readonly brokers: readonly ListeningBroker[]
  /** Every listener (`listeners`), each on its own port on every broker. */
  readonly listeners: readonly ListenerEndpoints[]
  /** The API versions it advertises (ApiVersions' list). */
  readonly supportedVersions: readonly { readonly apiKey: number; readonly minVersion: number; readonly maxVersion: number }[]
  /** The first listener's security protocol (listeners + listener.security.protocol.map). */
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
  // Every broker opens each of `listeners` (Kafka's config: NAME://host:port, the protocol by
  // listener.security.protocol.map), or its own (options.brokers); the cluster's first listener
  // is the one in-process clients use.
  const configured = cluster.config.listenerConfig().listeners
  const listenerSpecs: readonly ListenerSpec[] = configured.length > 0 ? configured : [{ name: 'PLAINTEXT', host: '', port: 9092, securityProtocol: 'PLAINTEXT' }]
  const perBroker = listenerSpecs.length
  const securityProtocol = listenerSpecs[0]!.securityProtocol
  const host = options.host ?? '127.0.0.1'
  const basePort = options.port ?? 0
  const lastOffset = cluster.brokers.length * perBroker - 1
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + lastOffset > 65535) {
    throw new RangeError(`port must be an integer from 0 to ${65535 - lastOffset} for ${cluster.brokers.length} brokers with ${perBroker} listener(s) each, got ${options.port}`)
  }
  const protocols = new Map(
    String(cluster.config.broker.get('listener.security.protocol.map')).split(',').filter((e) => e.includes(':')).map((e) => {
      const [name, protocol] = e.split(':') as [string, string]
      return [name.trim().toUpperCase(), protocol.trim().toUpperCase()] as const
    }),
  )
  for (const id of Object.keys(options.brokers ?? {})) {
    if (!cluster.brokers.some((b) => String(b.id) === id)) throw new ListenerConfigError(`listen: brokers.${id}: the cluster has no broker ${id}`)
  }
  /** Each broker's listeners (with the port it binds: its own, or derived from `port`) and advertised endpoints. */
  const brokerPlans = cluster.brokers.map((broker, i) => {
    const own = options.brokers?.[broker.id]
    const specs = own?.listeners !== undefined ? brokerListenerSpecs(own.listeners, (name) => protocols.get(name)) : listenerSpecs
    const ports = own?.listeners !== undefined ? specs.map((s) => s.port) : specs.map((_, j) => (basePort === 0 ? 0 : basePort + i * perBroker + j))
    const advertisedText = own?.['advertised.listeners'] ?? (cluster.config.broker.get('advertised.listeners') as string | null)
    if (own?.['advertised.listeners'] === undefined && advertisedText != null && cluster.brokers.length > 1) {
      throw new ListenerConfigError('advertised.listeners names one address per listener, so with several brokers each needs its own: listen({ brokers: { <id>: { \'advertised.listeners\': ... } } }) or memkafka serve --broker-config <id>:advertised.listeners=...')
    }
    const names = specs.map((l) => l.name).sort().join(', ')
    const clusterNames = listenerSpecs.map((l) => l.name).sort().join(', ')
    if (names !== clusterNames) {
      // Kafka allows it, and answers LISTENER_NOT_FOUND for the partitions such brokers lead: not modelled.
      throw new ListenerConfigError(`broker ${broker.id}'s listeners (${names}) must have the same names as the cluster's listeners (${clusterNames}): memkafka does not model a listener only some brokers have`)
    }
    return { broker, specs, ports, advertisedEndpoints: advertisedEndpoints(advertisedText, specs) }
  })
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

  // SSL and SASL_SSL: the key material of the ssl.* configs, or a self-signed CA made now,
  // shared by every TLS listener.
  let tls: ListenerTls | undefined
  let caPem: string | undefined
  const tlsProtocol = brokerPlans.flatMap((p) => p.specs).find((l) => l.securityProtocol === 'SSL' || l.securityProtocol === 'SASL_SSL')?.securityProtocol
  if (tlsProtocol !== undefined) {
    // node:tls and the certificate code load only for a TLS listener: a plaintext server starts without them.
    const [nodeTls, { tlsSettings }, { certificateSubjectRfc2253 }] = await Promise.all([import('node:tls'), import('./tls/tls-config.js'), import('./tls/x500-principal.js')])
    let settings: TlsSettings
    try {
      settings = tlsSettings(cluster, [advertisedHost, ...brokerPlans.flatMap((p) => [...p.advertisedEndpoints.values()].map((e) => e.host))])
      const options = {
        key: settings.key,
        cert: settings.cert,
        ...(settings.passphrase === undefined ? {} : { passphrase: settings.passphrase }),
        ...(settings.ca === undefined ? {} : { ca: settings.ca }),
      }
      // A key that does not match its certificate, a wrong passphrase, a PEM that does not parse: refused now.
      nodeTls.createSecureContext(options)
      tls = { options, clientAuth: settings.clientAuth, createServer: nodeTls.createServer, subjectOf: certificateSubjectRfc2253 }
    } catch (error) {
      throw new Error(`cannot listen: ${tlsProtocol} listener: ${(error as Error).message}`, { cause: error })
    }
    caPem = settings.generatedCaPem
  }

  // Kafka answers Metadata and FindCoordinator with the endpoints of the listener the request
  // came in on (the connection's listener name selects them): one address book per listener.
  const listenerNames = [...new Set(brokerPlans.flatMap((p) => p.specs.map((s) => s.name)))]
  const addresses = new Map<string, Map<number, AdvertisedAddress>>(listenerNames.map((name) => [name, new Map()]))
  const listeners = brokerPlans.flatMap(({ broker, specs, ports }) =>
    specs.map((spec, j) => {
      const book = addresses.get(spec.name)!
      const advertised = (brokerId: number): AdvertisedAddress | undefined => book.get(brokerId)
      const protocolTls = spec.securityProtocol === 'SSL' || spec.securityProtocol === 'SASL_SSL' ? tls : undefined
      const connectionOptions = { cluster, brokerId: broker.id, apis, supportedVersions, advertised, maxRequestBytes, log, asVersion, securityProtocol: spec.securityProtocol }
      return { spec, bindHost: spec.host !== '' && options.brokers?.[broker.id]?.listeners !== undefined ? spec.host : host, port: ports[j]!, listener: new BrokerListener(broker, connectionOptions, protocolTls) }
    }),
  )
  const opened = await Promise.allSettled(listeners.map(({ listener, bindHost, port }) => listener.listen(bindHost, port)))
  const failure = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failure) {
    await Promise.all(listeners.map(({ listener }) => listener.close()))
    throw failure.reason
  }
  const advertisedOf = (brokerId: number, name: string, boundPort: number): AdvertisedAddress =>
    brokerPlans.find((p) => p.broker.id === brokerId)!.advertisedEndpoints.get(name) ?? { host: advertisedHost, port: boundPort }
  for (const { spec, listener } of listeners) addresses.get(spec.name)!.set(listener.broker.id, advertisedOf(listener.broker.id, spec.name, listener.port))

  // A broker that stops, is cut off or restarts loses its connections; a stopped broker's port
  // closes until it starts again, and a running but unreachable one refuses new connections
  // (BrokerListener.syncWithBroker and accept).
  const unsubscribe = cluster.eventLog.subscribe((event) => {
    if (!brokerStateEvents.has(event.type)) return
    for (const { listener: l } of listeners) {
      if (!l.broker.reachable && l.openConnections > 0) l.dropConnections(`broker ${l.broker.id}: ${l.broker.unreachableReason ?? 'unreachable'}`)
      l.syncWithBroker()
    }
  })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    if (closing) return closing
    unsubscribe()
    removeCloseListener()
    closing = Promise.all(listeners.map(({ listener }) => listener.close())).then(() => undefined)
    return closing
  }
  const removeCloseListener = cluster.onClose(() => void close())

  const endpoints = listenerNames.map((name) => {
    const own = listeners.filter((l) => l.spec.name === name)
    const brokers = own.map(({ listener }) => ({ id: listener.broker.id, ...advertisedOf(listener.broker.id, name, listener.port) }))
    return { name, securityProtocol: own[0]!.spec.securityProtocol, brokers, bootstrapBrokers: brokers.map((b) => formatAddress(b.host, b.port)) }
  })
  for (const { spec, listener, bindHost } of listeners) {
    const a = advertisedOf(listener.broker.id, spec.name, listener.port)
    log({ level: 'info', message: `listening on ${formatAddress(bindHost, listener.port)} (${spec.name}, advertised as ${formatAddress(a.host, a.port)})`, brokerId: listener.broker.id })
  }
  // The first listener of the cluster's `listeners` (the in-process one), else the first there is.
  const first = endpoints.find((e) => e.name === listenerSpecs[0]!.name) ?? endpoints[0]!
  return {
    bootstrapBrokers: first.bootstrapBrokers,
    brokers: first.brokers,
    listeners: endpoints,
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
