/**
 * The controller (KRaft's active controller): the owner of cluster metadata. It creates and
 * deletes topics, adds partitions, places replicas, changes topic configs and elects leaders.
 * Brokers forward administrative requests here, as KRaft brokers forward to the controller.
 */
import { KafkaError } from './error-codes.js'
import type { Random } from './random.js'
import type { Broker } from './broker.js'
import { Partition } from './partition/partition.js'
import { Topic, type TopicSettings } from './metadata/topic.js'
import type { Timeline } from './timeline.js'
import type { CreatableTopic } from './api/messages.js'
import { CoordinatorPlacement } from './coordinator-placement.js'

/** What the controller needs from the cluster around it. */
export interface ControllerContext {
  readonly random: Random
  readonly timeline: Timeline
  now(): number
  brokers(): readonly Broker[]
  isBrokerAlive(id: number): boolean
  /** num.partitions and default.replication.factor */
  defaultPartitions(): number
  defaultReplicationFactor(): number
  validateTopicName(name: string, existing: Iterable<string>): KafkaError | undefined
  /** Validates topic config overrides (INVALID_CONFIG naming the offender). */
  validateTopicConfigs(configs: readonly { name: string; value: string | null }[]): KafkaError | undefined
  resolveTopicSettings(overrides: ReadonlyMap<string, string>): TopicSettings
  assignReplicas(partitions: number, replicationFactor: number, firstPartition: number): number[][]
  validateManualAssignment(assignment: readonly (readonly number[])[], replicationFactor: number | undefined): KafkaError | undefined
  isInternalTopic(name: string): boolean
  onTopicDeleted(topic: Topic): void
  onPartitionsAdded(topic: Topic): void
  /** A partition has a new leader (or none): followers reconcile their logs with it. */
  onLeaderChanged(partition: Partition): void
  /** Replaces a partition's ISR (recorded on the timeline; the HW follows). */
  setIsr(partition: Partition, isr: number[], reason: string): void
  /** offsets.topic.num.partitions (keyType 0) or transaction.state.log.num.partitions (keyType 1). */
  coordinatorPartitions(keyType: number): number
}

export class Controller {
  private readonly topics = new Map<string, Topic>()
  private readonly ctx: ControllerContext
  /** The leaders of __consumer_offsets' and __transaction_state's partitions: the coordinators. */
  readonly coordinators: CoordinatorPlacement

  constructor(ctx: ControllerContext) {
    this.ctx = ctx
    this.coordinators = new CoordinatorPlacement({
      brokers: () => ctx.brokers(),
      isBrokerAlive: (id) => ctx.isBrokerAlive(id),
      partitionCount: (keyType) => ctx.coordinatorPartitions(keyType),
    })
  }

  /** In KRaft the active controller is a controller node; brokers report it as the first live broker. */
  get controllerId(): number {
    return this.ctx.brokers().find((b) => this.ctx.isBrokerAlive(b.id))?.id ?? -1
  }

  topic(name: string): Topic | undefined {
    return this.topics.get(name)
  }

  topicNames(): string[] {
    return [...this.topics.keys()]
  }

  allTopics(): Topic[] {
    return [...this.topics.values()]
  }

  /**
   * Checks a CreateTopics entry and returns the resolved plan without changing anything
   * (validateOnly uses this alone), or throws the KafkaError Kafka would answer with.
   */
  planTopic(spec: CreatableTopic): { assignment: number[][]; configs: Map<string, string> } {
    const nameError = this.ctx.validateTopicName(spec.name, this.topics.keys())
    if (nameError) throw nameError
    if (this.topics.has(spec.name)) throw new KafkaError('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' already exists.`)
    const configError = this.ctx.validateTopicConfigs(spec.configs)
    if (configError) throw configError
    const configs = new Map<string, string>()
    for (const c of spec.configs) if (c.value !== null) configs.set(c.name, c.value)
    if (spec.assignments.length > 0) {
      // Kafka: a manual assignment excludes numPartitions and replicationFactor.
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1) {
        throw new KafkaError('INVALID_REQUEST', 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.')
      }
      const sorted = [...spec.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex)
      sorted.forEach((a, i) => {
        if (a.partitionIndex !== i) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'Partitions should be a consecutive 0-based integer sequence')
      })
      const assignment = sorted.map((a) => [...a.brokerIds])
      const error = this.ctx.validateManualAssignment(assignment, undefined)
      if (error) throw error
      return { assignment, configs }
    }
    const partitions = spec.numPartitions === -1 ? this.ctx.defaultPartitions() : spec.numPartitions
    const replicationFactor = spec.replicationFactor === -1 ? this.ctx.defaultReplicationFactor() : spec.replicationFactor
    // ReplicationControlManager.createTopic checks the replication factor first.
    if (!Number.isInteger(replicationFactor) || replicationFactor <= 0) {
      throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.')
    }
    if (!Number.isInteger(partitions) || partitions <= 0) {
      throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.')
    }
    return { assignment: this.ctx.assignReplicas(partitions, replicationFactor, 0), configs }
  }

  createTopic(spec: CreatableTopic): Topic {
    const plan = this.planTopic(spec)
    const now = this.ctx.now()
    const partitions = plan.assignment.map((replicas, index) => this.newPartition(spec.name, index, replicas, now))
    const topic = new Topic({
      name: spec.name,
      topicId: this.ctx.random.uuid(),
      isInternal: this.ctx.isInternalTopic(spec.name),
      partitions,
      configs: plan.configs,
      settings: this.ctx.resolveTopicSettings(plan.configs),
    })
    this.topics.set(spec.name, topic)
    this.ctx.timeline.record({
      type: 'topicCreated',
      topic: spec.name,
      partitions: partitions.length,
      replicationFactor: plan.assignment[0]?.length ?? 0,
      configs: Object.fromEntries(plan.configs),
    })
    for (const p of partitions) this.recordElection(p, 'topic created')
    // The followers start fetching from their new leader at once (Kafka's makeFollower), so an
    // idle partition's followers are in step with it, not lagging since its creation.
    for (const p of partitions) this.ctx.onLeaderChanged(p)
    return topic
  }

  private newPartition(topic: string, index: number, replicas: number[], now: number): Partition {
    const partition = new Partition(topic, index, replicas, now)
    // Only replicas on live brokers are in sync; the leader is the first live replica.
    partition.isr = replicas.filter((id) => this.ctx.isBrokerAlive(id))
    partition.setLeader(partition.isr[0] ?? -1, 0)
    return partition
  }

  private recordElection(p: Partition, reason: string): void {
    if (p.leader === -1) {
      this.ctx.timeline.record({ type: 'partitionOffline', topic: p.topic, partition: p.index, leaderEpoch: p.leaderEpoch, isr: [...p.isr], reason })
      return
    }
    this.ctx.timeline.record({ type: 'leaderElected', topic: p.topic, partition: p.index, leader: p.leader, leaderEpoch: p.leaderEpoch, reason })
  }

  // -------------------------------------------------------------------------------------------
  // Elections (KRaft's ReplicationControlManager)

  /**
   * A broker is fenced: its controlled shutdown, or its session with the controller expired
   * (a crash, a network cut). It leaves every ISR it is in, unless it is the last member (KRaft
   * keeps the last ISR member, so the partition can come back clean when it returns), and the
   * partitions it led elect a new leader.
   */
  fenceBroker(id: number): void {
    for (const topic of this.topics.values()) {
      for (const p of topic.partitions) {
        if (!p.replicas.includes(id)) continue
        if (p.isr.includes(id) && p.isr.length > 1) this.ctx.setIsr(p, p.isr.filter((r) => r !== id), `broker ${id} fenced`)
        if (p.leader === id) this.electLeader(p, topic, `leader ${id} fenced`)
      }
    }
    this.coordinators.brokerFenced(id)
  }

  /** A broker registers again: offline partitions it can lead elect it; elsewhere it follows. */
  unfenceBroker(id: number): void {
    for (const topic of this.topics.values()) {
      for (const p of topic.partitions) {
        if (!p.replicas.includes(id)) continue
        if (p.leader === -1) this.electLeader(p, topic, `broker ${id} returned`)
        else this.ctx.onLeaderChanged(p)
      }
    }
    this.coordinators.brokerReturned()
  }

  /**
   * Clean election: the first replica in assignment order that is in the ISR and live. With
   * none, the partition goes offline, unless unclean.leader.election.enable lets an out-of-sync
   * live replica lead, which may lose committed data (and says so on the timeline).
   * Every election bumps the leader epoch.
   */
  electLeader(p: Partition, topic: Topic, reason: string): void {
    const alive = (id: number): boolean => this.ctx.isBrokerAlive(id)
    const clean = p.replicas.find((id) => p.isr.includes(id) && alive(id))
    if (clean !== undefined) {
      p.setLeader(clean, p.leaderEpoch + 1)
      this.recordElection(p, reason)
    } else {
      const unclean = topic.settings.uncleanLeaderElectionEnable ? p.replicas.find(alive) : undefined
      if (unclean !== undefined) {
        // setLeader brings the high watermark down to the new leader's log end if it is below.
        p.setLeader(unclean, p.leaderEpoch + 1)
        p.uncleanElections++
        this.ctx.setIsr(p, [unclean], `unclean election of ${unclean}`)
        this.recordElection(p, `${reason}; unclean election: ${unclean} was not in the ISR`)
      } else {
        // Already offline with still no eligible replica: KRaft writes no change (same epoch).
        if (p.leader === -1) return
        p.setLeader(-1, p.leaderEpoch + 1)
        this.recordElection(p, `${reason}; no live in-sync replica`)
      }
    }
    p.wake()
    this.ctx.onLeaderChanged(p)
  }

  /**
   * Preferred leader election (auto.leader.rebalance.enable): partitions whose first assigned
   * replica is live and in sync but not leading move leadership back to it.
   */
  electPreferredLeaders(): Partition[] {
    const moved: Partition[] = []
    for (const topic of this.topics.values()) {
      for (const p of topic.partitions) {
        const preferred = p.replicas[0]
        if (preferred === undefined || p.leader === preferred || !p.isr.includes(preferred) || !this.ctx.isBrokerAlive(preferred)) continue
        p.setLeader(preferred, p.leaderEpoch + 1)
        this.recordElection(p, 'preferred leader election')
        p.wake()
        this.ctx.onLeaderChanged(p)
        moved.push(p)
      }
    }
    this.coordinators.electPreferred()
    return moved
  }

  deleteTopic(name: string): void {
    const topic = this.topics.get(name)
    if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition.`)
    this.topics.delete(name)
    for (const p of topic.partitions) p.wake()
    this.ctx.timeline.record({ type: 'topicDeleted', topic: name })
    this.ctx.onTopicDeleted(topic)
  }

  /** Checks a CreatePartitions entry; returns the new partitions' replicas without applying them. */
  planPartitions(name: string, count: number, assignments: readonly (readonly number[])[] | null): number[][] {
    const topic = this.topics.get(name)
    if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`)
    const current = topic.partitions.length
    if (!Number.isInteger(count)) throw new KafkaError('INVALID_PARTITIONS', `Topic partition count must be an integer, got ${count}.`)
    if (count < current) {
      throw new KafkaError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than the requested ${count}.`)
    }
    if (count === current) throw new KafkaError('INVALID_PARTITIONS', `Topic already has ${current} partitions.`)
    const added = count - current
    if (assignments) {
      if (assignments.length !== added) {
        throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Increasing the number of partitions by ${added} but ${assignments.length} assignments provided.`)
      }
      const error = this.ctx.validateManualAssignment(assignments, topic.replicationFactor)
      if (error) throw error
      return assignments.map((a) => [...a])
    }
    return this.ctx.assignReplicas(added, topic.replicationFactor, current)
  }

  createPartitions(name: string, count: number, assignments: readonly (readonly number[])[] | null): void {
    const plan = this.planPartitions(name, count, assignments)
    const topic = this.topics.get(name)!
    const from = topic.partitions.length
    const now = this.ctx.now()
    const added = plan.map((replicas, i) => this.newPartition(name, from + i, replicas, now))
    topic.partitions = [...topic.partitions, ...added]
    this.ctx.timeline.record({ type: 'partitionsCreated', topic: name, from, to: topic.partitions.length })
    for (const p of added) this.recordElection(p, 'partition created')
    for (const p of added) this.ctx.onLeaderChanged(p)
    this.ctx.onPartitionsAdded(topic)
  }

  /** AlterConfigs (non-incremental): the given set replaces the topic's overrides. */
  alterTopicConfigs(name: string, configs: readonly { name: string; value: string | null }[], validateOnly: boolean): void {
    const topic = this.topics.get(name)
    if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`)
    const error = this.ctx.validateTopicConfigs(configs)
    if (error) throw error
    if (validateOnly) return
    const overrides = new Map<string, string>()
    for (const c of configs) if (c.value !== null) overrides.set(c.name, c.value)
    topic.configs = overrides
    topic.settings = this.ctx.resolveTopicSettings(overrides)
    this.ctx.timeline.record({
      type: 'configsAltered',
      resourceType: 'topic',
      resourceName: name,
      configs: Object.fromEntries(configs.map((c) => [c.name, c.value])),
    })
  }

  /** Re-resolves every topic's settings (after a broker default changed). */
  refreshSettings(): void {
    for (const topic of this.topics.values()) topic.settings = this.ctx.resolveTopicSettings(topic.configs)
  }
}
