/**
 * cluster.describe(): a plain-data snapshot of the whole cluster, for assertions and views.
 */
import type { Broker } from './broker.js'
import type { Clock } from './clock.js'
import type { ClusterConfig } from './cluster-config.js'
import type { Controller } from './controller.js'
import type { GroupCoordinator } from './group/group-coordinator.js'
import type { TransactionCoordinator } from './txn/transaction-coordinator.js'
import type { ScramMechanism } from './security/scram-credential.js'
import { readAssignment } from './metadata/consumer-protocol.js'

/**
 * What describe() reads of the cluster: brokers, topics, groups, transactions, listeners, users
 * and ACLs. ClusterModel provides it; describe does not depend on ClusterModel itself (which
 * calls it).
 */
export interface DescribeSource {
  readonly clusterId: string
  readonly clock: Pick<Clock, 'now'>
  readonly brokers: readonly Broker[]
  readonly controller: Pick<Controller, 'controllerId' | 'allTopics' | 'topic'>
  readonly groups: Pick<GroupCoordinator, 'snapshot'>
  readonly transactions: Pick<TransactionCoordinator, 'snapshot'>
  readonly config: Pick<ClusterConfig, 'listenerConfig' | 'authorizerConfig'>
  /** The part of ClusterSecurity describe() shows. */
  readonly security: { users(): UserDescription[]; describeAcls(): string[] }
  isBrokerAlive(id: number): boolean
  coordinatorFor(key: string, keyType: number): number | undefined
}

export interface BrokerDescription {
  readonly id: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
  /** Counted live by the controller (not fenced). */
  readonly alive: boolean
  /** The process runs. */
  readonly running: boolean
  /** Cut off the network by cluster.isolate(). */
  readonly isolated: boolean
  readonly isController: boolean
}

export interface PartitionDescription {
  readonly partition: number
  readonly leader: number
  readonly leaderEpoch: number
  readonly replicas: number[]
  readonly isr: number[]
  readonly offlineReplicas: number[]
  readonly logStartOffset: number
  readonly lastStableOffset: number
  readonly highWatermark: number
  readonly logEndOffset: number
  /** Each assigned replica's own view: its log end, its high watermark, whether it is in sync. */
  readonly replicaStates: ReplicaDescription[]
  /** Unclean elections this partition went through (committed data may have been lost). */
  readonly uncleanElections: number
  /** Transactions open on the partition: they hold the LSO at their first offset. */
  readonly openTransactions: { producerId: number; firstOffset: number }[]
}

export interface TransactionDescription {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly state: string
  readonly partitions: { topic: string; partition: number }[]
  readonly groups: string[]
  readonly timeoutMs: number
  readonly coordinator: number | null
}

export interface ReplicaDescription {
  readonly brokerId: number
  readonly logStartOffset: number
  readonly highWatermark: number
  readonly logEndOffset: number
  readonly inSync: boolean
  readonly isLeader: boolean
}

export interface TopicDescription {
  readonly name: string
  readonly topicId: string
  readonly internal: boolean
  /** Dynamic (overridden) topic configs only. */
  readonly configs: Record<string, string>
  readonly partitions: PartitionDescription[]
}

export interface GroupMemberDescription {
  readonly memberId: string
  readonly clientId: string
  readonly clientHost: string
  /** Partitions owned, by topic, as the leader assigned them. */
  readonly assignment: Record<string, number[]>
}

export interface GroupOffsetDescription {
  readonly topic: string
  readonly partition: number
  readonly committedOffset: number
  readonly metadata: string | null
  /** The partition's high watermark now; -1 when the topic is gone. */
  readonly highWatermark: number
  /** highWatermark - committedOffset (never negative); null when the topic is gone. */
  readonly lag: number | null
}

export interface GroupDescription {
  readonly groupId: string
  readonly state: string
  readonly generationId: number
  readonly protocolType: string | null
  readonly protocol: string | null
  readonly leader: string | null
  readonly coordinator: number | null
  readonly members: GroupMemberDescription[]
  readonly offsets: GroupOffsetDescription[]
}

export interface ClusterDescription {
  readonly clusterId: string
  readonly controllerId: number
  readonly time: number
  readonly brokers: BrokerDescription[]
  readonly topics: TopicDescription[]
  readonly groups: GroupDescription[]
  readonly transactions: TransactionDescription[]
  /** Listeners, users and ACLs; present once security is in use (an authorizer, users, or a non-PLAINTEXT listener). */
  readonly security?: SecurityDescription
}

/** A user the brokers authenticate, and which of its credentials they hold (never the secrets). */
export interface UserDescription {
  readonly name: string
  readonly plain: boolean
  readonly scram: { readonly mechanism: ScramMechanism; readonly iterations: number }[]
}

export interface SecurityDescription {
  readonly listeners: { readonly name: string; readonly securityProtocol: string; readonly port: number }[]
  readonly saslMechanisms: string[]
  readonly authorizer: boolean
  readonly superUsers: string[]
  readonly users: UserDescription[]
  /** One readable line per ACL ("User:alice ALLOW READ from host * on TOPIC orders (LITERAL)"). */
  readonly acls: string[]
}

export function describeCluster(cluster: DescribeSource): ClusterDescription {
  const controllerId = cluster.controller.controllerId
  const topics = cluster.controller
    .allTopics()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (t): TopicDescription => ({
        name: t.name,
        topicId: t.topicId,
        internal: t.isInternal,
        configs: Object.fromEntries(t.configs),
        partitions: t.partitions.map((p) => ({
          partition: p.index,
          leader: p.leader,
          leaderEpoch: p.leaderEpoch,
          replicas: [...p.replicas],
          isr: [...p.isr],
          offlineReplicas: p.replicas.filter((id) => !cluster.isBrokerAlive(id)),
          logStartOffset: p.logStartOffset,
          lastStableOffset: p.lastStableOffset,
          highWatermark: p.highWatermark,
          logEndOffset: p.logEndOffset,
          replicaStates: p.allReplicas().map((r) => ({
            brokerId: r.brokerId,
            logStartOffset: r.log.logStartOffset,
            highWatermark: r.brokerId === p.leader ? p.highWatermark : r.highWatermark,
            logEndOffset: r.logEndOffset,
            inSync: p.isr.includes(r.brokerId),
            isLeader: r.brokerId === p.leader,
          })),
          uncleanElections: p.uncleanElections,
          openTransactions: p.leaderReplica.producerState.openTransactions(),
        })),
      }),
    )
  const groups = cluster.groups
    .snapshot()
    .sort((a, b) => a.groupId.localeCompare(b.groupId))
    .map(
      (g): GroupDescription => ({
        groupId: g.groupId,
        state: g.state,
        generationId: g.generationId,
        protocolType: g.protocolType,
        protocol: g.protocolName,
        leader: g.leaderId,
        coordinator: cluster.coordinatorFor(g.groupId, 0) ?? null,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: readAssignment(m.assignment),
        })),
        offsets: g.offsets
          .map((o) => {
            const partition = cluster.controller.topic(o.topic)?.partitions[o.partition]
            const highWatermark = partition ? partition.highWatermark : -1
            return {
              topic: o.topic,
              partition: o.partition,
              committedOffset: o.offset,
              metadata: o.metadata,
              highWatermark,
              lag: partition ? Math.max(0, highWatermark - o.offset) : null,
            }
          })
          .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
      }),
    )
  return {
    clusterId: cluster.clusterId,
    controllerId,
    time: cluster.clock.now(),
    brokers: cluster.brokers.map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: b.rack,
      alive: b.alive,
      running: b.running,
      isolated: b.isolated,
      isController: b.id === controllerId,
    })),
    topics,
    groups,
    transactions: cluster.transactions
      .snapshot()
      .sort((a, b) => a.transactionalId.localeCompare(b.transactionalId))
      .map((t) => ({ ...t, coordinator: cluster.coordinatorFor(t.transactionalId, 1) ?? null })),
    ...securityOf(cluster),
  }
}

function securityOf(cluster: DescribeSource): { security?: SecurityDescription } {
  const { listeners, saslMechanisms } = cluster.config.listenerConfig()
  const authorizer = cluster.config.authorizerConfig()
  const users = cluster.security.users()
  const plaintextOnly = listeners.every((l) => l.securityProtocol === 'PLAINTEXT')
  if (!authorizer.enabled && users.length === 0 && plaintextOnly) return {}
  return {
    security: {
      listeners: listeners.map((l) => ({ name: l.name, securityProtocol: l.securityProtocol, port: l.port })),
      saslMechanisms: [...saslMechanisms],
      authorizer: authorizer.enabled,
      superUsers: authorizer.superUsers,
      users,
      acls: cluster.security.describeAcls(),
    },
  }
}
