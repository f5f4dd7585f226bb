/**
 * What the replication tests share: looking at a partition, following in-flight requests and
 * reading the timeline (topics come from test/support/cluster-harness.ts's createTopic).
 */
import type { Cluster, TimelineEvent } from '../../../src/index.js'
import type { Partition } from '../../../src/cluster/partition/partition.js'

export function partitionOf(cluster: Cluster, topic = 't'): Partition {
  return cluster.controller.topic(topic)!.partitions[0]!
}

export function stateOf(cluster: Cluster, topic = 't') {
  return cluster.describe().topics.find((t) => t.name === topic)!.partitions[0]!
}

/** Records an in-flight request's outcome without awaiting it. */
export function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

export function eventsOf<T extends TimelineEvent['type']>(cluster: Cluster, type: T): Extract<TimelineEvent, { type: T }>[] {
  return cluster.timeline({ types: [type] }) as Extract<TimelineEvent, { type: T }>[]
}
