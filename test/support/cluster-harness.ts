/**
 * A ManualClock cluster with topics and live consumer-group members, made through the request
 * boundary as a client would make them: shared by the cluster tests (test/cluster, the
 * request-boundary tests in test/cluster/api among them) and the wire mapping tests (test/wire/apis).
 */
import { expect } from 'vitest'
import { ClusterModel, type ClusterOptions } from '../../src/cluster/cluster-model.js'
import { ManualClock } from '../../src/cluster/clock.js'

export function newCluster(options: ClusterOptions = {}): ClusterModel {
  return new ClusterModel({ brokers: 3, seed: 1, clock: new ManualClock(0), ...options })
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeInt16BE(n)
  return b
}
function int32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
function str(s: string): Buffer {
  return Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)])
}
/** ConsumerProtocol's subscription, as a consumer writes it. */
export function subscription(topics: string[]): Buffer {
  return Buffer.concat([int16(0), int32(topics.length), ...topics.map(str), int32(0)])
}
/** ConsumerProtocol's assignment. */
export function assignment(byTopic: Record<string, number[]>): Buffer {
  const entries = Object.entries(byTopic)
  return Buffer.concat([int16(0), int32(entries.length), ...entries.flatMap(([t, ps]) => [str(t), int32(ps.length), ...ps.map(int32)]), int32(0)])
}

export function groupCoordinator(cluster: ClusterModel, groupId: string): number {
  return cluster.coordinatorFor(groupId, 0)!
}

/**
 * A consumer joins (KIP-394: MEMBER_ID_REQUIRED, then again with its id) and syncs as the
 * group's leader, taking `assigned`. `memberId` rejoins an existing member (a new generation).
 */
export async function joinAndSync(
  cluster: ClusterModel,
  groupId: string,
  topics: string[],
  assigned: Record<string, number[]>,
  memberId = '',
  groupInstanceId: string | null = null,
): Promise<{ coordinator: number; memberId: string; generationId: number }> {
  const coordinator = groupCoordinator(cluster, groupId)
  const join = (id: string) =>
    cluster.send(coordinator, {
      api: 'JoinGroup',
      groupId,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      memberId: id,
      groupInstanceId,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: subscription(topics) }],
      clientId: 'app',
      clientHost: '/127.0.0.1',
    })
  let joined = await join(memberId)
  if (joined.errorCode === 79 /* MEMBER_ID_REQUIRED */) joined = await join(joined.memberId)
  expect(joined.errorCode).toBe(0)
  const synced = await cluster.send(coordinator, {
    api: 'SyncGroup',
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId: joined.memberId, assignment: assignment(assigned) }],
  })
  expect(synced.errorCode).toBe(0)
  return { coordinator, memberId: joined.memberId, generationId: joined.generationId }
}

/**
 * A topic's shape for createTopic: `partitions` x `replicationFactor` placed by the controller, or
 * a manual assignment, `replicas[i]` being partition i's replicas (the first leads).
 */
export interface TopicSpec {
  /** numPartitions; 1 when not given. */
  readonly partitions?: number
  /** 1 when not given. */
  readonly replicationFactor?: number
  /** A manual assignment; replaces `partitions` and `replicationFactor`. */
  readonly replicas?: readonly (readonly number[])[]
  readonly configs?: Readonly<Record<string, string>>
}

/** Creates a topic at the request boundary, through the first reachable broker, and expects it to succeed. */
export async function createTopic(cluster: ClusterModel, name: string, spec: TopicSpec = {}): Promise<void> {
  const manual = spec.replicas !== undefined
  const response = await cluster.send(cluster.reachableBrokers()[0]!.id, {
    api: 'CreateTopics',
    topics: [
      {
        name,
        numPartitions: manual ? -1 : (spec.partitions ?? 1),
        replicationFactor: manual ? -1 : (spec.replicationFactor ?? 1),
        assignments: (spec.replicas ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds: [...brokerIds] })),
        configs: Object.entries(spec.configs ?? {}).map(([configName, value]) => ({ name: configName, value })),
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  })
  expect(response.topics[0]!.errorCode).toBe(0)
}
