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
}

export class Controller {
  private readonly topics = new Map<string, Topic>()
  private readonly ctx: ControllerContext

  constructor(ctx: ControllerContext) {
    this.ctx = ctx
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
    return topic
  }

  private newPartition(topic: string, index: number, replicas: number[], now: number): Partition {
    const partition = new Partition(topic, index, replicas, now)
    // Only replicas on live brokers are in sync; the leader is the first live replica.
    partition.isr = replicas.filter((id) => this.ctx.isBrokerAlive(id))
    partition.leader = partition.isr[0] ?? -1
    return partition
  }

  private recordElection(p: Partition, reason: string): void {
    if (p.leader === -1) return
    this.ctx.timeline.record({ type: 'leaderElected', topic: p.topic, partition: p.index, leader: p.leader, leaderEpoch: p.leaderEpoch, reason })
  }

  deleteTopic(name: string): void {
    const topic = this.topics.get(name)
    if (!topic) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition.`)
    this.topics.delete(name)
    for (const p of topic.partitions) p.wakeAll()
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
