/**
 * What the replication tests share: creating a topic with a manual assignment at the request
 * boundary, looking at a partition, following in-flight requests and reading the timeline.
 */
import { expect } from 'vitest'
import type { Cluster, TimelineEvent } from '../../../src/index.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import type { Partition } from '../../../src/cluster/partition/partition.js'

/** A one-partition topic on the given replicas (the first leads), created through any reachable broker. */
export async function createTopic(cluster: Cluster, name: string, configs: Record<string, string> = {}, replicas: number[] = [0, 1, 2]): Promise<void> {
  const response = await cluster.send(cluster.reachableBrokers()[0]!.id, {
    api: 'CreateTopics',
    topics: [
      {
        name,
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: replicas }],
        configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })),
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  })
  expect(response.topics[0]!.errorCode).toBe(ErrorCode.NONE)
}

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
