/**
 * The public Cluster: the in-process cluster model plus the ways kafkajs code reaches it,
 * `cluster.kafka(config)` and the drop-in registry behind `new Kafka({ brokers })`.
 */
import { ClusterModel, type ClusterOptions } from '../cluster/cluster-model.js'
import { Kafka, bindConfig, setDefaultClusterResolver, type KafkaConfig } from './kafka.js'
import { startConsole, type ConsoleOptions, type WebConsole } from '../console/console-server.js'
import { KafkaJSNonRetriableError } from './errors.js'
import { clearRegistry, findCluster, registerCluster, registeredAddresses, registeredClusters, setUnknownAddressPolicy, unknownAddressPolicy, unregisterCluster, type UnknownAddressPolicy } from './registry.js'
import { listen, type ListenOptions, type WireServer } from '../wire/server.js'

export class Cluster extends ClusterModel {
  private readonly wireServers = new Set<WireServer>()

  constructor(options: ClusterOptions = {}) {
    super(options)
    registerCluster(this, this.bootstrapBrokers)
  }

  /** A kafkajs `Kafka` bound to this cluster; `brokers` may be left out. */
  kafka(config: KafkaConfig = {}): Kafka {
    return new Kafka(bindConfig({ ...config, brokers: config.brokers ?? this.bootstrapBrokers }, this))
  }

  /**
   * Serves this cluster over Kafka's wire protocol to real clients: broker i listens on
   * port + i (port 0, the default: each on an ephemeral port). Closing the cluster closes it.
   */
  async listen(options: ListenOptions = {}): Promise<WireServer> {
    const server = await listen(this, options)
    const close = server.close
    const tracked: WireServer = {
      ...server,
      close: () => {
        this.wireServers.delete(tracked)
        return close()
      },
    }
    this.wireServers.add(tracked)
    return tracked
  }

  /** A live web console of this cluster (see docs/console.md): `ui.url`, `ui.close()`. Binds to localhost unless given `host`. */
  console(options: ConsoleOptions = {}): Promise<WebConsole> {
    return startConsole(this, options)
  }

  override async close(): Promise<void> {
    unregisterCluster(this)
    const servers = [...this.wireServers]
    await super.close()
    // super.close() already asked each to close (onClose); this waits until their sockets are gone.
    await Promise.all(servers.map((s) => s.close()))
  }

  /** Forgets every registered cluster (closing them), for isolation between tests. */
  static async resetAll(): Promise<void> {
    const clusters = registeredClusters()
    clearRegistry()
    await Promise.all(clusters.map((c) => c.close()))
  }

  /**
   * What `new Kafka({ brokers })` does at addresses where no cluster is registered while other
   * clusters are: 'warn' (the default) creates a new cluster there and emits a process warning
   * naming the registered addresses; 'error' throws instead. (With no cluster registered at all
   * it creates one silently: that is the zero-setup drop-in.) Shared by every loaded copy of
   * memkafka, like the registry.
   */
  static get onUnknownAddress(): UnknownAddressPolicy {
    return unknownAddressPolicy()
  }

  static set onUnknownAddress(policy: UnknownAddressPolicy) {
    if (policy !== 'warn' && policy !== 'error') throw new TypeError(`Cluster.onUnknownAddress must be 'warn' or 'error', got ${String(policy)}`)
    setUnknownAddressPolicy(policy)
  }
}

/** `new Kafka({ brokers })` with no bound cluster: the one registered there, or a new default one. */
setDefaultClusterResolver((brokers) => {
  const found = findCluster(brokers)
  if (found) return found
  const registered = registeredAddresses()
  if (registered.length > 0) {
    const message = `memkafka: no cluster is registered at ${brokers.join(', ')}; clusters are registered at ${registered.join(', ')}`
    if (unknownAddressPolicy() === 'error') throw new KafkaJSNonRetriableError(`${message} (Cluster.onUnknownAddress is 'error')`)
    process.emitWarning(`${message}. A new, separate cluster was created there; pass one of the registered addresses, or use cluster.kafka(). (Set Cluster.onUnknownAddress = 'error' to throw instead.)`, { type: 'MemkafkaWarning', code: 'MEMKAFKA_UNKNOWN_ADDRESS' })
  }
  const ports = brokers.map((b) => Number(b.split(':').pop()))
  const basePort = Number.isInteger(ports[0]) ? ports[0]! : 9092
  const host = brokers[0]?.split(':')[0] || 'localhost'
  const cluster = new Cluster({ brokers: Math.max(1, brokers.length), basePort, host })
  registerCluster(cluster, brokers)
  return cluster
})
