/**
 * How the console reaches the cluster: through the request boundary, as any client does
 * (`send(brokerId, typedRequest)`), addressed to the broker a Kafka client would pick. The
 * console never edits the cluster's state itself; every change it makes is a request Kafka
 * would answer or a call of the control API (stopBroker, isolate, runCleaner, advance).
 */
import type { ClusterModel } from '../cluster/cluster-model.js'
import { CoordinatorType, OffsetSpec, IsolationLevel, type ApiName, type RequestOf, type ResponseOf } from '../cluster/api/messages.js'
import { ConsoleError, fromThrown, kafkaRefused } from './console-error.js'

/** What the console needs of a cluster: its model (read through describe() and the timeline). */
export type ConsoleCluster = ClusterModel

export async function send<K extends ApiName>(cluster: ConsoleCluster, brokerId: number, request: RequestOf<K> & { readonly api: K }): Promise<ResponseOf<K>> {
  try {
    return await cluster.send<K>(brokerId, request, { clientId: 'memkafka-console' })
  } catch (error) {
    throw fromThrown(error)
  }
}

/**
 * Where admin requests go: the controller when it can be reached (in KRaft any broker forwards
 * them to it), else any reachable broker, as the admin client's least-loaded node.
 */
export function adminBroker(cluster: ConsoleCluster): number {
  const description = cluster.describe()
  const controller = description.brokers.find((b) => b.id === description.controllerId && b.running && !b.isolated)
  const any = controller ?? description.brokers.find((b) => b.running && !b.isolated)
  if (!any) throw new ConsoleError(503, 'BROKER_NOT_AVAILABLE', 'No broker can be reached: every broker is stopped or isolated.')
  return any.id
}

/** The partition's leader, from metadata, or Kafka's error when it has none or does not exist. */
export function leaderOf(cluster: ConsoleCluster, topic: string, partition: number): number {
  const t = cluster.describe().topics.find((x) => x.name === topic)
  if (!t) throw new ConsoleError(422, 'UNKNOWN_TOPIC_OR_PARTITION', `The topic '${topic}' does not exist.`)
  const p = t.partitions[partition]
  if (!p) throw new ConsoleError(422, 'UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' has no partition ${partition} (it has ${t.partitions.length}).`)
  if (p.leader < 0) throw new ConsoleError(422, 'LEADER_NOT_AVAILABLE', `${topic}-${partition} is offline: no leader.`)
  return p.leader
}

/** ListOffsets for one partition at its leader: EARLIEST, LATEST or a timestamp. -1 when none. */
export async function listOffset(cluster: ConsoleCluster, topic: string, partition: number, timestamp: number): Promise<number> {
  const response = await send(cluster, leaderOf(cluster, topic, partition), {
    api: 'ListOffsets',
    isolationLevel: IsolationLevel.READ_UNCOMMITTED,
    topics: [{ name: topic, partitions: [{ index: partition, timestamp }] }],
  })
  const answer = response.topics[0]?.partitions[0]
  if (!answer) throw new ConsoleError(500, 'UNKNOWN_SERVER_ERROR', 'ListOffsets answered nothing')
  if (answer.errorCode !== 0) throw kafkaRefused(answer.errorCode)
  return answer.offset
}

export const earliest = (c: ConsoleCluster, t: string, p: number): Promise<number> => listOffset(c, t, p, OffsetSpec.EARLIEST)
export const latest = (c: ConsoleCluster, t: string, p: number): Promise<number> => listOffset(c, t, p, OffsetSpec.LATEST)

/** The group coordinator, found as a client finds it (FindCoordinator). */
export async function coordinatorOf(cluster: ConsoleCluster, groupId: string): Promise<number> {
  const response = await send(cluster, adminBroker(cluster), { api: 'FindCoordinator', key: groupId, keyType: CoordinatorType.GROUP })
  if (response.errorCode !== 0) throw kafkaRefused(response.errorCode, response.errorMessage)
  return response.nodeId
}
