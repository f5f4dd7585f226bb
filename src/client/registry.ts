/**
 * The drop-in registry: which in-process cluster answers at which broker address, so that
 * `new Kafka({ brokers: ['localhost:9092'] })` in code that knows nothing of memkafka finds the
 * cluster a test created (or creates one with defaults). The one deliberate module-level
 * state in memkafka; Cluster.resetAll() empties it.
 */
import type { ClusterModel } from '../cluster/cluster-model.js'

const byAddress = new Map<string, ClusterModel>()

export function registerCluster(cluster: ClusterModel, addresses: readonly string[]): void {
  for (const address of addresses) byAddress.set(normalize(address), cluster)
}

export function unregisterCluster(cluster: ClusterModel): void {
  for (const [address, registered] of byAddress) if (registered === cluster) byAddress.delete(address)
}

export function findCluster(addresses: readonly string[]): ClusterModel | undefined {
  for (const address of addresses) {
    const cluster = byAddress.get(normalize(address))
    if (cluster && !cluster.isClosed) return cluster
  }
  return undefined
}

export function registeredClusters(): ClusterModel[] {
  return [...new Set(byAddress.values())]
}

export function clearRegistry(): void {
  byAddress.clear()
}

function normalize(address: string): string {
  const trimmed = address.trim().replace(/^[a-z]+:\/\//i, '')
  return trimmed.replace(/^127\.0\.0\.1:/, 'localhost:')
}
