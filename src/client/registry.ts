/**
 * The drop-in registry: which in-process cluster answers at which broker address, so that
 * `new Kafka({ brokers: ['localhost:9092'] })` in code that knows nothing of memkafka finds the
 * cluster a test created (or creates one with defaults). The one deliberate process-wide state
 * in memkafka; Cluster.resetAll() empties it.
 *
 * It lives on globalThis under a Symbol.for key, not in this module: a process can load memkafka
 * more than once (its ESM and CJS builds; memkafka under its own name and as an alias for
 * kafkajs), and every copy must see the same clusters, or a test's `new Cluster()` never sees the
 * traffic of a library that loaded the other copy. The key carries REGISTRY_VERSION, the version
 * of what copies share through it (the registry's shape and ClusterModel's methods the client
 * calls); a copy that shares differently uses another key and so never drives a cluster it does
 * not understand.
 */
import type { ClusterModel } from '../cluster/cluster-model.js'

const REGISTRY_VERSION = 1
const REGISTRY_KEY = Symbol.for(`memkafka.registry.v${REGISTRY_VERSION}`)

/** What an address with no cluster does when other clusters are registered. */
export type UnknownAddressPolicy = 'warn' | 'error'

interface Registry {
  readonly byAddress: Map<string, ClusterModel>
  unknownAddress: UnknownAddressPolicy
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry }
  holder[REGISTRY_KEY] ??= { byAddress: new Map(), unknownAddress: 'warn' }
  return holder[REGISTRY_KEY]
}

export function registerCluster(cluster: ClusterModel, addresses: readonly string[]): void {
  for (const address of addresses) registry().byAddress.set(normalize(address), cluster)
}

export function unregisterCluster(cluster: ClusterModel): void {
  const { byAddress } = registry()
  for (const [address, registered] of byAddress) if (registered === cluster) byAddress.delete(address)
}

export function findCluster(addresses: readonly string[]): ClusterModel | undefined {
  for (const address of addresses) {
    const cluster = registry().byAddress.get(normalize(address))
    if (cluster && !cluster.isClosed) return cluster
  }
  return undefined
}

export function registeredClusters(): ClusterModel[] {
  return [...new Set(registry().byAddress.values())]
}

/** The addresses of open registered clusters, for messages. */
export function registeredAddresses(): string[] {
  return [...registry().byAddress].filter(([, cluster]) => !cluster.isClosed).map(([address]) => address)
}

export function clearRegistry(): void {
  registry().byAddress.clear()
}

export function unknownAddressPolicy(): UnknownAddressPolicy {
  return registry().unknownAddress
}

export function setUnknownAddressPolicy(policy: UnknownAddressPolicy): void {
  registry().unknownAddress = policy
}

function normalize(address: string): string {
  const trimmed = address.trim().replace(/^[a-z]+:\/\//i, '')
  return trimmed.replace(/^127\.0\.0\.1:/, 'localhost:')
}
