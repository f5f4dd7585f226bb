/**
 * Where each broker listens and what it advertises, from Kafka's per-broker configs:
 * `listeners` (NAME://host:port, the protocol by listener.security.protocol.map) and
 * `advertised.listeners` (NAME://host:port: the address Metadata, FindCoordinator and
 * DescribeCluster give clients for that listener, when it differs from where the broker
 * binds, e.g. behind NAT or in a container).
 *
 * Each broker may have its own (`cluster.listen({ brokers: { 1: { listeners, 'advertised.listeners' } } })`,
 * `memkafka serve --broker-config 1:listeners=...`), as each Kafka broker has its own
 * server.properties; a broker without its own `listeners` uses the cluster's, on ports derived
 * from `port` (broker i's listener j on port + i * L + j). As in Kafka, every advertised
 * listener name must be one of the broker's listeners, and a client connected on listener X
 * is told about the brokers that have a listener X.
 */

export interface ListenerSpec {
  readonly name: string
  /** Where to bind ('' : the listen() host). */
  readonly host: string
  readonly port: number
  readonly securityProtocol: string
}

/** One broker's own configs, under Kafka's names. */
export interface BrokerListenerConfig {
  readonly listeners?: string
  readonly 'advertised.listeners'?: string
}

export class ListenerConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ListenerConfigError'
  }
}

const ENDPOINT = /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/

/** NAME://host:port,... (EndPoint.parse), each name once. */
export function parseEndpoints(config: string, text: string): { name: string; host: string; port: number }[] {
  const out: { name: string; host: string; port: number }[] = []
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const match = ENDPOINT.exec(item)
    if (!match) throw new ListenerConfigError(`${config}: invalid endpoint ${item}: expected NAME://host:port`)
    const port = Number(match[3])
    if (port > 65535) throw new ListenerConfigError(`${config}: invalid port in ${item}`)
    const name = match[1]!.toUpperCase()
    if (out.some((e) => e.name === name)) throw new ListenerConfigError(`${config} must contain distinct listener names: ${name} appears twice`)
    const host = match[2]!.startsWith('[') ? match[2]!.slice(1, -1) : match[2]!
    out.push({ name, host, port })
  }
  return out
}

/** A broker's listeners with their protocols. */
export function brokerListenerSpecs(text: string, protocolOf: (name: string) => string | undefined): ListenerSpec[] {
  const specs = parseEndpoints('listeners', text).map((e) => {
    const securityProtocol = protocolOf(e.name)
    if (securityProtocol === undefined) throw new ListenerConfigError(`No security protocol defined for listener ${e.name} (listener.security.protocol.map)`)
    return { ...e, securityProtocol }
  })
  if (specs.length === 0) throw new ListenerConfigError('listeners must name at least one listener')
  return specs
}

/** advertised.listeners: listener name -> the host:port clients are given. */
export function advertisedEndpoints(text: string | null | undefined, listeners: readonly ListenerSpec[]): Map<string, { host: string; port: number }> {
  const out = new Map<string, { host: string; port: number }>()
  if (text == null || text.trim() === '') return out
  for (const e of parseEndpoints('advertised.listeners', text)) {
    // KafkaConfig: "advertised.listeners listener names must be equal to or a subset of the ones defined in listeners".
    if (!listeners.some((l) => l.name === e.name)) {
      throw new ListenerConfigError(`advertised.listeners listener names must be equal to or a subset of the ones defined in listeners: ${e.name} is not in ${listeners.map((l) => l.name).join(', ')}`)
    }
    if (e.host === '' || e.port === 0) throw new ListenerConfigError(`advertised.listeners cannot use a wildcard host or port 0: ${e.name}://${e.host}:${e.port}`)
    out.set(e.name, { host: e.host, port: e.port })
  }
  return out
}
