/**
 * The public Cluster: the in-process cluster model plus the ways kafkajs code reaches it,
 * `cluster.kafka(config)` and the drop-in registry behind `new Kafka({ brokers })`.
 */
import { ClusterModel, type ClusterOptions } from '../cluster/cluster-model.js'
import { Kafka, bindConfig, setDefaultClusterResolver, type KafkaConfig } from './kafka.js'
import { startConsole, type ConsoleOptions, type WebConsole } from '../console/console-server.js'
import { clearRegistry, findCluster, registerCluster, registeredClusters, unregisterCluster } from './registry.js'
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
}

/** `new Kafka({ brokers })` with no bound cluster: the one registered there, or a new default one. */
setDefaultClusterResolver((brokers) => {
  const found = findCluster(brokers)
  if (found) return found
  const ports = brokers.map((b) => Number(b.split(':').pop()))
  const basePort = Number.isInteger(ports[0]) ? ports[0]! : 9092
  const host = brokers[0]?.split(':')[0] || 'localhost'
  const cluster = new Cluster({ brokers: Math.max(1, brokers.length), basePort, host })
  registerCluster(cluster, brokers)
  return cluster
})
