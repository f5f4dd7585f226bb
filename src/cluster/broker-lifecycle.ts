/**
 * Broker faults and their consequences, as a KRaft cluster lives them: controlled shutdown,
 * crashes (noticed by the controller only when the broker's session expires), restarts,
 * network cuts and heals, and the controller's periodic preferred-leader election.
 */
import { KafkaError } from './error-codes.js'
import type { Clock, TimerHandle } from './clock.js'
import type { Broker } from './broker.js'
import type { ClusterConfig } from './cluster-config.js'
import type { Controller } from './controller.js'
import type { Partition } from './partition/partition.js'
import type { ReplicaManager } from './replication/replica-manager.js'
import type { Timeline } from './timeline.js'

/**
 * What the broker lifecycle uses of the cluster: its brokers and partitions, the controller's
 * fencing and elections, the replica manager's fetchers, the clock and the broker configs.
 * ClusterModel provides it; the lifecycle does not depend on ClusterModel itself (which creates it).
 */
export interface BrokerLifecycleContext {
  readonly brokers: readonly Broker[]
  readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>
  readonly eventLog: Pick<Timeline, 'record'>
  readonly controller: Pick<Controller, 'fenceBroker' | 'unfenceBroker' | 'electPreferredLeaders' | 'coordinators'>
  readonly replicaManager: Pick<ReplicaManager, 'followerStopsFetching' | 'scheduleLagCheck' | 'reconcileFollowers'>
  readonly config: Pick<ClusterConfig, 'brokerSessionTimeoutMs' | 'autoLeaderRebalanceEnable' | 'leaderImbalanceCheckIntervalMs'>
  broker(id: number): Broker | undefined
  allPartitions(): Partition[]
  /** Fails every request the broker has not answered yet: its connections are gone. */
  dropConnections(brokerId: number, reason: string): void
}

export class BrokerLifecycle {
  private readonly cluster: BrokerLifecycleContext
  /** Crashed or cut-off brokers whose session with the controller has not expired yet. */
  private readonly fenceTimers = new Map<number, TimerHandle>()
  private preferredElectionTimer: TimerHandle | undefined

  constructor(cluster: BrokerLifecycleContext) {
    this.cluster = cluster
  }

  requireBroker(id: number): Broker {
    const broker = this.cluster.broker(id)
    if (!broker) throw new KafkaError('BROKER_NOT_AVAILABLE', `There is no broker ${id} in this cluster (brokers: ${this.cluster.brokers.map((b) => b.id).join(', ')})`)
    return broker
  }

  stop(id: number, { crash = false, loseUnflushed = false }: { crash?: boolean; loseUnflushed?: boolean }): void {
    const broker = this.requireBroker(id)
    if (!broker.running) return
    if (loseUnflushed && !crash) throw new TypeError('loseUnflushed needs crash: true (a clean shutdown flushes everything)')
    const cluster = this.cluster
    if (!crash) {
      // Controlled shutdown: the controller moves leadership away while the broker still serves.
      this.fence(broker, 'controlled shutdown')
    }
    cluster.replicaManager.followerStopsFetching(id, cluster.allPartitions())
    broker.running = false
    cluster.dropConnections(id, 'the broker stopped')
    if (loseUnflushed) {
      for (const p of cluster.allPartitions()) {
        const replica = p.replica(id)
        if (!replica || replica.recoveryPoint >= replica.logEndOffset) continue
        const from = replica.logEndOffset
        // Kafka flushes a segment when it rolls; later records live in the page cache only.
        const to = Math.max(replica.recoveryPoint, replica.log.activeSegment.baseOffset)
        if (to < from) {
          replica.truncateTo(to)
          // A leader's high watermark lives in its memory: if this replica leads again, it starts
          // from its recovered log end (Partition.setLeader).
          cluster.eventLog.record({ type: 'truncated', topic: p.topic, partition: p.index, brokerId: id, from, to })
        }
      }
    }
    cluster.eventLog.record({ type: 'brokerStopped', brokerId: id, crash, lostUnflushed: loseUnflushed })
    broker.registering = false
    if (crash) this.fenceLater(broker, 'session expired after a crash')
    // Followers elsewhere can no longer fetch from it; leaders must notice laggards in time.
    for (const p of cluster.allPartitions()) if (p.replicas.includes(id)) cluster.replicaManager.scheduleLagCheck(p)
  }

  start(id: number): void {
    const broker = this.requireBroker(id)
    if (broker.running) return
    broker.running = true
    this.cluster.eventLog.record({ type: 'brokerStarted', brokerId: id })
    if (this.fenceTimers.has(id)) {
      // A new incarnation while the crashed one's session lasts: it registers once that expires.
      broker.registering = true
      return
    }
    if (!broker.isolated) this.unfence(broker)
  }

  isolate(id: number): void {
    const broker = this.requireBroker(id)
    if (broker.isolated) return
    broker.isolated = true
    this.cluster.dropConnections(id, 'the network to it was cut')
    this.cluster.replicaManager.followerStopsFetching(id, this.cluster.allPartitions())
    this.cluster.eventLog.record({ type: 'brokerIsolated', brokerId: id })
    if (broker.running) this.fenceLater(broker, 'session expired: cut off from the controller')
    for (const p of this.cluster.allPartitions()) if (p.replicas.includes(id)) this.cluster.replicaManager.scheduleLagCheck(p)
  }

  heal(): void {
    const healed = this.cluster.brokers.filter((b) => b.isolated)
    if (healed.length === 0) return
    for (const b of healed) b.isolated = false
    this.cluster.eventLog.record({ type: 'networkHealed', brokerIds: healed.map((b) => b.id) })
    // A broker still waiting out its old incarnation's session registers when that expires.
    for (const b of healed) if (b.running && !b.registering) this.unfence(b)
  }

  /** A broker back in touch with the controller: registered again if it was fenced, then its replicas follow. */
  private unfence(broker: Broker): void {
    const cluster = this.cluster
    cluster.clock.clearTimeout(this.fenceTimers.get(broker.id))
    this.fenceTimers.delete(broker.id)
    if (broker.fenced) {
      broker.fenced = false
      cluster.eventLog.record({ type: 'brokerUnfenced', brokerId: broker.id })
      cluster.controller.unfenceBroker(broker.id)
      // The coordinators it led before stay where they moved until the preferred leader election.
      if (cluster.controller.coordinators.displaced) this.schedulePreferredLeaderElection()
    } else {
      // Never fenced (back within its session): its followers reconcile and fetch again.
      for (const p of cluster.allPartitions()) if (p.replicas.includes(broker.id)) cluster.replicaManager.reconcileFollowers(p)
    }
  }

  private fence(broker: Broker, reason: string): void {
    if (broker.fenced) return
    broker.fenced = true
    this.cluster.eventLog.record({ type: 'brokerFenced', brokerId: broker.id, reason })
    this.cluster.controller.fenceBroker(broker.id)
  }

  /** The controller fences a broker that stopped heartbeating after broker.session.timeout.ms. */
  private fenceLater(broker: Broker, reason: string): void {
    if (broker.fenced || this.fenceTimers.has(broker.id)) return
    const timer = this.cluster.clock.setTimeout(() => {
      this.fenceTimers.delete(broker.id)
      if (!broker.reachable) this.fence(broker, reason)
      if (broker.registering) {
        broker.registering = false
        if (!broker.isolated) this.unfence(broker)
      }
    }, this.cluster.config.brokerSessionTimeoutMs())
    this.fenceTimers.set(broker.id, timer)
  }

  /**
   * auto.leader.rebalance.enable: the controller checks every
   * leader.imbalance.check.interval.seconds for partitions whose preferred replica is back in
   * sync and hands leadership back. Scheduled only while some partition could move.
   */
  schedulePreferredLeaderElection(): void {
    const cluster = this.cluster
    if (!cluster.config.autoLeaderRebalanceEnable() || this.preferredElectionTimer) return
    this.preferredElectionTimer = cluster.clock.setTimeout(() => {
      this.preferredElectionTimer = undefined
      cluster.controller.electPreferredLeaders()
    }, cluster.config.leaderImbalanceCheckIntervalMs())
  }

  close(): void {
    for (const t of this.fenceTimers.values()) this.cluster.clock.clearTimeout(t)
    this.fenceTimers.clear()
    this.cluster.clock.clearTimeout(this.preferredElectionTimer)
    this.preferredElectionTimer = undefined
  }
}
