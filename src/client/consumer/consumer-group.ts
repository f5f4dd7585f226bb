/**
 * One consumer's membership of its group (kafkajs's src/consumer/consumerGroup.js): finding the
 * coordinator, JoinGroup / SyncGroup (the leader runs the assigner), heartbeats, the assigned
 * partitions, the fetch positions, resolved and committed offsets, seeks and pauses.
 */
import { CoordinatorType, IsolationLevel, OffsetSpec, type ApiName, type RequestOf, type ResponseOf } from '../../cluster/api/messages.js'
import { KafkaJSConnectionError, KafkaJSError, KafkaJSNonRetriableError, isRebalancing } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { CONSUMER_EVENTS, type InstrumentationEmitter } from '../instrumentation.js'
import type { ClusterClient } from '../cluster-client.js'
import type { Logger } from '../logger.js'
import { AssignerProtocol, type Assigner } from './assigners/index.js'
import { decodeSubscribedAssignment, sortPartitions } from './assigners/subscribed-assignment.js'
import { partitionKeysOf, type PartitionKeys, type PartitionRef } from './partition-keys.js'
import { PartitionOffsets } from './partition-offsets.js'

export interface TopicConfiguration {
  fromBeginning: boolean
}

export interface TopicPartitionOffset {
  topic: string
  partition: number
  offset: string
}

export interface GroupOptions {
  readonly groupId: string
  readonly topics: string[]
  readonly topicConfigurations: Record<string, TopicConfiguration>
  readonly assigners: Assigner[]
  readonly sessionTimeout: number
  readonly rebalanceTimeout: number
  readonly heartbeatInterval: number
  readonly isolationLevel: number
  readonly autoCommit: boolean
  readonly autoCommitInterval: number | null
  readonly autoCommitThreshold: number | null
}

/** An assigned partition (its offsets are found by topic and index: partition-offsets.ts). */
export interface AssignedPartition {
  readonly topic: string
  readonly partition: number
}

export class ConsumerGroup {
  readonly groupId: string
  memberId = ''
  generationId = -1
  leaderId = ''
  private coordinatorId: number | undefined
  readonly topics: string[]
  private readonly options: GroupOptions
  private readonly client: ClusterClient
  private readonly log: Logger
  private readonly emitter: InstrumentationEmitter<typeof CONSUMER_EVENTS>
  /** Assigned partitions, by topic. */
  assignment = new Map<string, number[]>()
  /** The per-partition tables' keys, made once per partition of the cluster (shared by its consumers). */
  private readonly keys: PartitionKeys
  private assignedSetOf: Map<string, number[]> | undefined
  /** Per assigned topic, which partition indexes are assigned (built once per assignment). */
  private assignedIndex = new Map<string, boolean[]>()
  private assignedListOf: Map<string, number[]> | undefined
  private assignedList: readonly AssignedPartition[] = []
  /**
   * Per partition, the next offset to fetch (position), the offset to commit next (resolved: last
   * resolved offset + 1) and the last committed one, by slot (partition-offsets.ts).
   */
  private readonly offsets = new PartitionOffsets()
  private readonly pausedTopics = new Set<string>()
  private readonly pausedPartitions = new Set<string>()
  /** Seeks asked for while running; applied before the next fetch. */
  private readonly seeks = new Map<string, number>()
  /** Set by the runner: ends a waiting fetch so that a seek or resume takes effect at once. */
  onWake: () => void = () => {}
  private lastHeartbeat = 0
  private lastCommit = 0
  private uncommittedCount = 0

  constructor(client: ClusterClient, emitter: InstrumentationEmitter<typeof CONSUMER_EVENTS>, logger: Logger, options: GroupOptions) {
    this.client = client
    this.keys = partitionKeysOf(client.model)
    this.emitter = emitter
    // kafkajs: logger.namespace('ConsumerGroup') (src/consumer/consumerGroup.js).
    this.log = logger.namespace('ConsumerGroup')
    this.options = options
    this.groupId = options.groupId
    this.topics = options.topics
  }

  /**
   * The coordinator's id, a promise only while it is being looked up. Its callers await it: an
   * await of the id takes the same turn as an await of an async function that returns it at
   * once, without the promise and frame that made for every coordinator request (issue 15).
   */
  private coordinator(): number | Promise<number> {
    if (this.coordinatorId !== undefined) return this.coordinatorId
    return this.client.findCoordinator(this.groupId, CoordinatorType.GROUP).then((id) => (this.coordinatorId = id))
  }

  /**
   * A request to the coordinator; losing the connection means looking the coordinator up again.
   * A handler on the request's promise rather than an async frame around it: the caller's await
   * resumes in the same turn either way (issue 15: four such requests per member per rebalance).
   */
  private toCoordinator<K extends ApiName>(coordinator: number, request: RequestOf<K> & { readonly api: K }): Promise<ResponseOf<K>> {
    return this.client.request<K>(coordinator, request).then(undefined, (error: unknown) => {
      if (error instanceof KafkaJSConnectionError) this.forgetCoordinator()
      throw error
    })
  }

  /** Forgets the coordinator so the next request looks it up again (after NOT_COORDINATOR). */
  private forgetCoordinator(): void {
    this.coordinatorId = undefined
  }

  /**
   * JoinGroup then SyncGroup, repeated until the member has an assignment (kafkajs joinAndSync).
   * Gives up, answering false, as soon as `isActive` says the consumer was stopped meanwhile.
   */
  async joinAndSync(isActive: () => boolean = () => true): Promise<boolean> {
    const startedAt = this.client.clock.now()
    await this.client.addTargetTopics(this.topics)
    for (;;) {
      if (!isActive()) return false
      const joined = await this.join()
      if (!isActive()) return false
      if (joined === 'rejoin') continue
      const synced = await this.sync(joined)
      if (!isActive()) return false
      if (synced === 'rejoin') continue
      break
    }
    await this.loadOffsets()
    this.lastHeartbeat = this.client.clock.now()
    this.lastCommit = this.client.clock.now()
    // The payload of kafkajs's GROUP_JOIN event and of its log line, in kafkajs's field order.
    const joinedPayload = {
      groupId: this.groupId,
      memberId: this.memberId,
      leaderId: this.leaderId,
      isLeader: this.isLeader(),
      memberAssignment: Object.fromEntries(this.assignment),
      groupProtocol: this.protocolName,
      duration: this.client.clock.now() - startedAt,
    }
    this.emitter.emit(CONSUMER_EVENTS.GROUP_JOIN, joinedPayload)
    this.log.info('Consumer has joined the group', joinedPayload)
    return true
  }

  private protocolName = ''

  isLeader(): boolean {
    return this.leaderId !== '' && this.leaderId === this.memberId
  }

  private async join(): Promise<{ readonly members: readonly { readonly memberId: string; readonly metadata: Buffer }[] } | 'rejoin'> {
    const coordinator = await this.coordinator()
    const response = await this.toCoordinator(coordinator, {
      api: 'JoinGroup',
      groupId: this.groupId,
      sessionTimeoutMs: this.options.sessionTimeout,
      rebalanceTimeoutMs: this.options.rebalanceTimeout,
      memberId: this.memberId,
      protocolType: 'consumer',
      protocols: this.options.assigners.map((a) => {
        const state = a.protocol({ topics: this.topics })
        return { name: state.name, metadata: state.metadata }
      }),
      clientId: this.client.clientId,
      clientHost: '/127.0.0.1',
    })
    const type = response.errorCode
    if (type === 79) {
      // MEMBER_ID_REQUIRED (KIP-394): rejoin at once with the id the coordinator gave.
      this.memberId = response.memberId
      return 'rejoin'
    }
    if (type === 25) {
      this.memberId = ''
      return 'rejoin'
    }
    if (type === 16 || type === 15) {
      this.forgetCoordinator()
      throw createErrorFromCode(type)
    }
    if (type !== 0) throw createErrorFromCode(type)
    this.memberId = response.memberId
    this.generationId = response.generationId
    this.leaderId = response.leader
    this.protocolName = response.protocolName ?? ''
    // The answer's own list (made for this member): only the leader reads it, once, in sync().
    return { members: response.members }
  }

  private async sync(joined: { readonly members: readonly { readonly memberId: string; readonly metadata: Buffer }[] }): Promise<'ok' | 'rejoin'> {
    let assignments: { memberId: string; assignment: Buffer }[] = []
    if (this.isLeader()) {
      const assigner = this.options.assigners.find((a) => a.name === this.protocolName)
      if (!assigner) throw new KafkaJSNonRetriableError(`Unsupported partition assigner "${this.protocolName}", the assigner wasn't found in the assigners list`)
      const topics = new Set<string>()
      for (let i = 0; i < joined.members.length; i++) {
        const subscribed = subscribedTopics(joined.members[i]!.metadata)
        for (let t = 0; t < subscribed.length; t++) topics.add(subscribed[t]!)
      }
      // kafkajs refreshes before assigning, so new partitions and deleted topics are seen.
      await this.client.addTargetTopics([...topics])
      await this.client.refreshMetadata()
      const result = await assigner.assign({
        members: joined.members.map((m) => ({ memberId: m.memberId, memberMetadata: m.metadata })),
        topics: [...topics],
      })
      assignments = result.map((a) => ({ memberId: a.memberId, assignment: a.memberAssignment }))
    }
    const response = await this.toCoordinator(await this.coordinator(), {
      api: 'SyncGroup',
      groupId: this.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      protocolType: 'consumer',
      protocolName: this.protocolName,
      assignments,
    })
    if (response.errorCode === 27 || response.errorCode === 22) return 'rejoin'
    if (response.errorCode === 25) {
      this.memberId = ''
      return 'rejoin'
    }
    if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
    // The usual assignment (subscribed topics only, each once) is read straight into the map;
    // any other is decoded as kafkajs does, for the checks and warnings below.
    const direct = response.assignment.length > 0 ? decodeSubscribedAssignment(response.assignment, this.topics) : undefined
    if (direct !== undefined) {
      direct.forEach(sortPartitions)
      if (this.namesUnknownPartitions(direct)) await this.client.refreshMetadata()
      this.assignment = direct
      return 'ok'
    }
    const decoded = response.assignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(response.assignment) : null
    const assignment = new Map<string, number[]>()
    const unsubscribed: string[] = []
    for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {})) {
      if (!this.topics.includes(topic)) {
        unsubscribed.push(topic)
        continue
      }
      // Sorted unless already in order, as the built-in assigners deal them (a sort allocates
      // its work area even for a few items, once per member per rebalance: issue 15). The
      // decoded lists are this call's own, so they are sorted in place rather than copied.
      sortPartitions(partitions)
      assignment.set(topic, partitions)
    }
    if (unsubscribed.length > 0) {
      this.log.warn('Consumer group received unsubscribed topics', { groupId: this.groupId, generationId: this.generationId, memberId: this.memberId, assignedTopics: Object.keys(decoded?.assignment ?? {}), topicsSubscribed: this.topics, topicsNotSubscribed: unsubscribed })
      this.emitter.emit(CONSUMER_EVENTS.RECEIVED_UNSUBSCRIBED_TOPICS, {
        groupId: this.groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        assignedTopics: Object.keys(decoded?.assignment ?? {}),
        topicsSubscribed: this.topics,
        topicsNotSubscribed: unsubscribed,
      })
    }
    // An assignment naming partitions this member's metadata does not know yet (the leader saw
    // them first): refresh, as kafkajs does after SyncGroup.
    if (this.namesUnknownPartitions(assignment)) await this.client.refreshMetadata()
    this.assignment = assignment
    return 'ok'
  }

  /** Whether the assignment names a partition this member's metadata does not know. */
  private namesUnknownPartitions(assignment: ReadonlyMap<string, readonly number[]>): boolean {
    for (const [topic, partitions] of assignment) {
      for (let i = 0; i < partitions.length; i++) if (!this.client.listsPartition(topic, partitions[i]!)) return true
    }
    return false
  }

  /** Committed offsets for the assignment; where none, the reset policy (fromBeginning). */
  private async loadOffsets(): Promise<void> {
    // The assigned partitions take the first slots (every offset is forgotten).
    this.offsets.reset(this.assignedPartitions())
    this.uncommittedCount = 0
    if (this.assignment.size === 0) return
    const asked: { name: string; partitionIndexes: number[] }[] = []
    this.assignment.forEach((partitions, name) => asked.push({ name, partitionIndexes: partitions }))
    const response = await this.toCoordinator(await this.coordinator(), { api: 'OffsetFetch', groupId: this.groupId, topics: asked })
    if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
    // The partitions without a committed offset, reset by their topic's policy below.
    let missing: AssignedPartition[] | undefined
    let missingSlots: number[] | undefined
    // The coordinator answers in the order asked, topic by topic and partition by partition, so
    // each answer is read at its place; only an answer in another order is indexed, once, by
    // topic and partition (a search per partition made loading an assignment of 10 000
    // partitions quadratic; an array per topic indexed by partition allocated as many slots as
    // the topic's highest assigned index, for each member at each rebalance: issue 15).
    let indexed: Map<string, Map<number, number>> | undefined
    // assignedPartitions() lists the assignment in the same order, topic by topic. Indexed loops:
    // this runs once per join, in V8's interpreter, where for-of makes an object per step.
    const assigned = this.assignedPartitions()
    const answered = response.topics
    let topicAt = -1
    let partitionAt = 0
    let topic: string | undefined
    for (let i = 0; i < assigned.length; i++) {
      const entry = assigned[i]!
      if (entry.topic !== topic) {
        topic = entry.topic
        topicAt++
        partitionAt = 0
      }
      const answeredTopic = answered[topicAt]
      const answer = answeredTopic !== undefined && answeredTopic.name === topic ? answeredTopic.partitions[partitionAt++] : undefined
      const offset = answer !== undefined && answer.index === entry.partition ? answer.committedOffset : ((indexed ??= indexCommitted(answered)).get(topic)?.get(entry.partition) ?? -1)
      const slot = this.offsets.slotOf(entry.topic, entry.partition)
      if (offset >= 0) {
        this.offsets.setPosition(slot, offset)
        this.offsets.setCommitted(slot, offset)
      } else {
        ;(missing ??= []).push(entry)
        ;(missingSlots ??= []).push(slot)
      }
    }
    if (missing === undefined) return
    const answers = await this.client.fetchTopicsOffsetInOrder(missing, this.resetTimestampOf, this.options.isolationLevel)
    // The first partition (in the order asked) with an error throws it, before any is set.
    for (let i = 0; i < answers.length; i++) {
      const p = answers[i]
      if (!p || p.errorCode !== 0) throw createErrorFromCode(p?.errorCode ?? 3)
    }
    for (let i = 0; i < missing.length; i++) this.offsets.setPosition(missingSlots![i]!, answers[i]!.offset)
  }

  /**
   * The reset policy for many partitions at once: one ListOffsets per leader, sent together, as
   * kafkajs's offset manager does (cluster.fetchTopicsOffset), each partition with its topic's
   * reset timestamp. Returns the offsets in the order asked; the first partition (in that
   * order) with an error throws it.
   */
  private async resetOffsets(partitions: readonly { readonly topic: string; readonly partition: number }[]): Promise<number[]> {
    if (partitions.length === 0) return []
    const answers = await this.client.fetchTopicsOffsetInOrder(partitions, this.resetTimestampOf, this.options.isolationLevel)
    const offsets: number[] = new Array(answers.length)
    for (let i = 0; i < answers.length; i++) {
      const p = answers[i]
      if (!p || p.errorCode !== 0) throw createErrorFromCode(p?.errorCode ?? 3)
      offsets[i] = p.offset
    }
    return offsets
  }

  /**
   * Each topic's reset timestamp, for fetchTopicsOffsetInOrder. A class field, not a closure
   * written into a property on first use: V8 allocates a function literal assigned straight to a
   * property in its old generation (see test/architecture/young-closures.test.ts).
   */
  private readonly resetTimestampOf = (topic: string): number => this.resetTimestamp(topic)

  /** kafkajs's reset policy: earliest when subscribed fromBeginning, else latest. */
  async resetOffset(topic: string, partition: number): Promise<number> {
    const [offset] = await this.resetOffsets([{ topic, partition }])
    return offset!
  }

  private resetTimestamp(topic: string): number {
    return this.options.topicConfigurations[topic]?.fromBeginning ? OffsetSpec.EARLIEST : OffsetSpec.LATEST
  }

  /** Sends a heartbeat if heartbeatInterval has passed (or when forced). */
  async heartbeat({ interval }: { interval: number } = { interval: this.options.heartbeatInterval }): Promise<void> {
    if (!this.heartbeatDue(interval)) return
    const code = this.heartbeatAnswered(await this.toCoordinator(await this.coordinator(), this.heartbeatRequest()))
    if (code !== 0) throw createErrorFromCode(code)
  }

  /**
   * The runner's own heartbeat: the same request at the same moment as heartbeat(), but an
   * answer that means "rejoin" (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION, NOT_COORDINATOR) is
   * returned as its code rather than thrown. The runner only logs such an error's message and
   * rejoins, so the error object (and its stack trace, built from a deep async stack) was made
   * for nothing, once per member per rebalance (issue 15). Any other error is thrown as by
   * heartbeat(). Answers 0 when no rejoin is asked for (sent or not due); when not due, 0 itself
   * rather than a promise of it (its callers await it, in the same turn either way).
   */
  heartbeatOrRejoinCode(): number | Promise<number> {
    if (!this.heartbeatDue(this.options.heartbeatInterval)) return 0
    return this.sendHeartbeatForRejoinCode()
  }

  private async sendHeartbeatForRejoinCode(): Promise<number> {
    const code = this.heartbeatAnswered(await this.toCoordinator(await this.coordinator(), this.heartbeatRequest()))
    if (code === 0 || isRejoinCode(code)) return code
    throw createErrorFromCode(code)
  }

  private heartbeatRequest(): RequestOf<'Heartbeat'> & { readonly api: 'Heartbeat' } {
    return { api: 'Heartbeat', groupId: this.groupId, generationId: this.generationId, memberId: this.memberId }
  }

  /** A heartbeat's answer applied: the coordinator forgotten, or the heartbeat's time and event. */
  private heartbeatAnswered(response: ResponseOf<'Heartbeat'>): number {
    if (response.errorCode === 16 || response.errorCode === 15) this.forgetCoordinator()
    if (response.errorCode !== 0) return response.errorCode
    this.lastHeartbeat = this.client.clock.now()
    this.emitter.emit(CONSUMER_EVENTS.HEARTBEAT, { groupId: this.groupId, memberId: this.memberId, groupGenerationId: this.generationId })
    return 0
  }

  /** Whether heartbeat() would send one now; asked per message without a promise (issue 15). */
  heartbeatDue(interval: number = this.options.heartbeatInterval): boolean {
    return this.client.clock.now() - this.lastHeartbeat >= interval
  }

  get nextHeartbeatAt(): number {
    return this.lastHeartbeat + this.options.heartbeatInterval
  }

  async leave(): Promise<void> {
    if (!this.memberId) return
    const memberId = this.memberId
    this.memberId = ''
    try {
      const coordinator = await this.coordinator()
      await this.toCoordinator(coordinator, { api: 'LeaveGroup', groupId: this.groupId, members: [{ memberId }] })
    } catch (error) {
      this.log.debug('LeaveGroup failed', { groupId: this.groupId, error: (error as Error).message })
    }
  }

  // -------------------------------------------------------------------------------------------
  // Positions, resolved and committed offsets

  /**
   * The assigned partitions, topic by topic. Built once per assignment (a sync replaces the
   * map, never changes it) and shared by the callers, which only read it: the runner walks it on
   * every fetch (issue 15).
   */
  assignedPartitions(): readonly AssignedPartition[] {
    if (this.assignedListOf !== this.assignment) {
      const out: AssignedPartition[] = []
      // Indexed over each topic's partitions: built once per assignment, so in V8's interpreter,
      // where for-of makes an object per step.
      for (const [topic, partitions] of this.assignment) {
        for (let i = 0; i < partitions.length; i++) out.push({ topic, partition: partitions[i]! })
      }
      this.assignedListOf = this.assignment
      this.assignedList = out
    }
    return this.assignedList
  }

  isAssigned(topic: string, partition: number): boolean {
    // An index per assignment: a search of the topic's partitions per call made each batch's
    // check O(partitions) (issue 15).
    if (this.assignedSetOf !== this.assignment) {
      this.assignedSetOf = this.assignment
      this.assignedIndex = new Map()
      for (const [t, partitions] of this.assignment) {
        const assigned: boolean[] = []
        for (let i = 0; i < partitions.length; i++) assigned[partitions[i]!] = true
        this.assignedIndex.set(t, assigned)
      }
    }
    return this.assignedIndex.get(topic)?.[partition] === true
  }

  position(topic: string, partition: number): number | undefined {
    return this.offsets.position(this.offsets.slotOf(topic, partition))
  }

  setPosition(topic: string, partition: number, offset: number): void {
    this.offsets.setPosition(this.offsets.slotFor(topic, partition), offset)
  }

  /**
   * The slot of the partition's offsets, for a caller that touches one partition many times
   * (positionAt, setPositionAt, resolveOffsetAt). Valid until the next join loads the offsets.
   */
  offsetSlot(topic: string, partition: number): number {
    return this.offsets.slotFor(topic, partition)
  }

  positionAt(slot: number): number | undefined {
    return this.offsets.position(slot)
  }

  setPositionAt(slot: number, offset: number): void {
    this.offsets.setPosition(slot, offset)
  }

  /** Marks `offset` processed: the next commit for the partition is offset + 1. */
  resolveOffset(topic: string, partition: number, offset: string | number): void {
    this.resolveOffsetAt(this.offsets.slotFor(topic, partition), offset)
  }

  /** resolveOffset() by the partition's offsetSlot(). */
  resolveOffsetAt(slot: number, offset: string | number): void {
    const next = Number(offset) + 1
    const previous = this.offsets.resolvedAt(slot)
    if (previous === undefined || next > previous || (this.seeksApplied.size > 0 && this.seekApplied(slot))) {
      this.offsets.setResolved(slot, next)
      if (this.seeksApplied.size > 0) this.seeksApplied.delete(this.slotKey(slot))
      this.uncommittedCount++
    }
  }

  private seekApplied(slot: number): boolean {
    return this.seeksApplied.has(this.slotKey(slot))
  }

  /** The key of the partition of a slot (seeks and pauses are kept by key). */
  private slotKey(slot: number): string {
    const { topic, partition } = this.offsets.partitionAt(slot)
    return this.keys.of(topic, partition)
  }
  private readonly seeksApplied = new Set<string>()

  /** Resolved but not yet committed offsets (kafkajs uncommittedOffsets()). */
  uncommittedOffsets(): { topics: { topic: string; partitions: { partition: number; offset: string }[] }[] } {
    const byTopic = new Map<string, { partition: number; offset: string }[]>()
    const offsets = this.offsets
    const slots = offsets.resolvedSlots()
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!
      const uncommitted = this.uncommittedPartition(slot)
      if (uncommitted === undefined) continue
      const { topic, partition } = uncommitted
      const offset = offsets.resolvedAt(slot)!
      let list = byTopic.get(topic)
      if (list === undefined) byTopic.set(topic, (list = []))
      list.push({ partition, offset: String(offset) })
    }
    return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) }
  }

  /** The partition of a slot whose resolved offset a commit would send (not committed yet, still assigned), or undefined. */
  private uncommittedPartition(slot: number): PartitionRef | undefined {
    const offsets = this.offsets
    if (offsets.committedAt(slot) === offsets.resolvedAt(slot)) return undefined
    const ref = offsets.partitionAt(slot)
    return this.isAssigned(ref.topic, ref.partition) ? ref : undefined
  }

  /** Commits what is resolved and uncommitted, when autoCommit's interval or threshold says so. */
  async commitOffsetsIfNecessary(): Promise<void> {
    if (this.commitDue()) return this.commitOffsets()
  }

  /**
   * Whether commitOffsetsIfNecessary would commit now. The runner asks this after each message
   * so that the usual answer, no, costs no promise (issue 15: per-message bookkeeping).
   */
  commitDue(): boolean {
    const { autoCommit, autoCommitInterval, autoCommitThreshold } = this.options
    // With neither set, only the commit at the end of each batch happens (the runner's).
    if (!autoCommit || (autoCommitInterval === null && autoCommitThreshold === null)) return false
    const now = this.client.clock.now()
    const byInterval = autoCommitInterval !== null && now >= this.lastCommit + autoCommitInterval
    const byThreshold = autoCommitThreshold !== null && this.uncommittedCount >= autoCommitThreshold
    return byInterval || byThreshold
  }

  /**
   * Commits the given offsets, or every resolved-and-uncommitted one. With nothing resolved, a
   * promise already resolved, as the async walk's would be, without its frame (a kilobyte per
   * member per rebalance: the runner asks before every rejoin and after every round, issue 15).
   */
  commitOffsets(explicit?: { topic: string; partition: number; offset: string; metadata?: string | null }[]): Promise<void> {
    if (!explicit && this.offsets.resolvedCount === 0) {
      this.lastCommit = this.client.clock.now()
      return NOTHING_TO_COMMIT
    }
    return this.commitResolvedOrExplicit(explicit)
  }

  private async commitResolvedOrExplicit(explicit: { topic: string; partition: number; offset: string; metadata?: string | null }[] | undefined): Promise<void> {
    const offsets = this.offsets
    // The request's partitions, grouped by topic in the order first met, and each one's slot and
    // offset in the order found, to mark them committed once the coordinator has answered.
    const byTopic = new Map<string, { index: number; committedOffset: number; committedMetadata: string | null }[]>()
    const slots: number[] = []
    const committing: number[] = []
    let listTopic: string | undefined
    let list: { index: number; committedOffset: number; committedMetadata: string | null }[] | undefined
    if (explicit) {
      for (const e of explicit) {
        const offset = Number(e.offset)
        if (e.topic !== listTopic || list === undefined) {
          listTopic = e.topic
          list = byTopic.get(e.topic)
          if (list === undefined) byTopic.set(e.topic, (list = []))
        }
        list.push({ index: e.partition, committedOffset: offset, committedMetadata: e.metadata ?? null })
        slots.push(offsets.slotFor(e.topic, e.partition))
        committing.push(offset)
      }
    } else {
      // uncommittedOffsets() without its strings: the same partitions in the same order, read
      // straight from the slots (a commit of 10 000 partitions walked a map of string keys).
      const resolved = offsets.resolvedSlots()
      for (let i = 0; i < resolved.length; i++) {
        const slot = resolved[i]!
        const uncommitted = this.uncommittedPartition(slot)
        if (uncommitted === undefined) continue
        const { topic, partition } = uncommitted
        const offset = offsets.resolvedAt(slot)!
        if (topic !== listTopic || list === undefined) {
          listTopic = topic
          list = byTopic.get(topic)
          if (list === undefined) byTopic.set(topic, (list = []))
        }
        list.push({ index: partition, committedOffset: offset, committedMetadata: null })
        slots.push(slot)
        committing.push(offset)
      }
    }
    if (slots.length === 0) {
      this.lastCommit = this.client.clock.now()
      return
    }
    const response = await this.toCoordinator(await this.coordinator(), {
      api: 'OffsetCommit',
      groupId: this.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
    })
    for (const t of response.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === 16 || p.errorCode === 15) this.forgetCoordinator()
        if (p.errorCode !== 0) throw createErrorFromCode(p.errorCode)
      }
    }
    for (let i = 0; i < slots.length; i++) {
      offsets.setCommitted(slots[i]!, committing[i]!)
      if (explicit) offsets.setResolved(slots[i]!, committing[i]!)
    }
    this.uncommittedCount = 0
    this.lastCommit = this.client.clock.now()
    // The event's payload (a string per partition) is made only for a listener to receive it.
    if (this.emitter.listenerCount(CONSUMER_EVENTS.COMMIT_OFFSETS) === 0) return
    this.emitter.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, {
      groupId: this.groupId,
      memberId: this.memberId,
      groupGenerationId: this.generationId,
      topics: [...byTopic].map(([topic, partitions]) => ({
        topic,
        partitions: partitions.map((p) => ({ partition: String(p.index), offset: String(p.committedOffset) })),
      })),
    })
  }

  // -------------------------------------------------------------------------------------------
  // Seek and pause

  seek(topic: string, partition: number, offset: string): void {
    this.seeks.set(this.keys.of(topic, partition), Number(offset))
    this.onWake()
  }

  get hasPendingSeeks(): boolean {
    return this.seeks.size > 0
  }

  hasSeekOffset(topic: string, partition: number): boolean {
    return this.seeks.size > 0 && this.seeks.has(this.keys.of(topic, partition))
  }

  /**
   * Applies pending seeks to the fetch positions; with autoCommit kafkajs commits the sought
   * offset at once. Special offsets -1 / -2 seek to the latest / earliest.
   */
  applySeeks(): Promise<void> | undefined {
    // None pending (the usual round): nothing, not even a promise; an await of undefined takes
    // the turn an await of an async function's prompt return took.
    if (this.seeks.size === 0) return undefined
    return this.applyPendingSeeks()
  }

  private async applyPendingSeeks(): Promise<void> {
    const pending = [...this.seeks]
    this.seeks.clear()
    const toCommit: { topic: string; partition: number; offset: string }[] = []
    for (const [key, raw] of pending) {
      const { topic, partition } = this.keys.parse(key)
      if (!this.isAssigned(topic, partition)) continue
      let offset = raw
      if (raw === -1 || raw === -2) {
        const answers = await this.client.fetchTopicsOffset([{ topic, partition, timestamp: raw }], this.options.isolationLevel ?? IsolationLevel.READ_UNCOMMITTED)
        offset = answers.get(key)?.offset ?? 0
      }
      const slot = this.offsets.slotFor(topic, partition)
      this.offsets.setPosition(slot, offset)
      this.offsets.setResolved(slot, offset)
      this.seeksApplied.add(key)
      toCommit.push({ topic, partition, offset: String(offset) })
    }
    if (this.options.autoCommit && toCommit.length > 0) await this.commitOffsets(toCommit)
  }

  pause(topicPartitions: { topic: string; partitions?: number[] }[]): void {
    this.log.info(`Pausing fetching from ${topicPartitions.length} topics`, { topicPartitions })
    for (const { topic, partitions } of topicPartitions) {
      if (partitions === undefined) this.pausedTopics.add(topic)
      else for (const p of partitions) this.pausedPartitions.add(this.keys.of(topic, p))
    }
  }

  resume(topicPartitions: { topic: string; partitions?: number[] }[]): void {
    this.log.info(`Resuming fetching from ${topicPartitions.length} topics`, { topicPartitions })
    this.onWake()
    for (const { topic, partitions } of topicPartitions) {
      if (partitions === undefined) {
        this.pausedTopics.delete(topic)
        for (const key of [...this.pausedPartitions]) if (key.startsWith(`${topic}\u0000`)) this.pausedPartitions.delete(key)
      } else {
        for (const p of partitions) this.pausedPartitions.delete(this.keys.of(topic, p))
      }
    }
  }

  isPaused(topic: string, partition: number): boolean {
    if (this.pausedTopics.size === 0 && this.pausedPartitions.size === 0) return false
    return this.pausedTopics.has(topic) || this.pausedPartitions.has(this.keys.of(topic, partition))
  }

  /** kafkajs paused(): [{ topic, partitions }] for the paused partitions this member knows of. */
  paused(): { topic: string; partitions: number[] }[] {
    const out = new Map<string, Set<number>>()
    const topics = new Set([...this.assignment.keys(), ...this.pausedTopics])
    for (const topic of topics) {
      const partitions = this.assignment.get(topic) ?? []
      for (const p of partitions) {
        if (this.isPaused(topic, p)) {
          const set = out.get(topic) ?? new Set<number>()
          set.add(p)
          out.set(topic, set)
        }
      }
    }
    for (const key of this.pausedPartitions) {
      const { topic, partition } = this.keys.parse(key)
      const set = out.get(topic) ?? new Set<number>()
      set.add(partition)
      out.set(topic, set)
    }
    return [...out].map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
  }

  /** Whether an error means "rejoin the group". */
  static isRebalance(error: unknown): boolean {
    return isRebalancing(error) || (error as KafkaJSError | undefined)?.name === 'KafkaJSStaleTopicMetadataAssignment'
  }
}

/**
 * The error codes whose kafkajs error isRebalancing() recognises (by its type):
 * REBALANCE_IN_PROGRESS, NOT_COORDINATOR (kafkajs's NOT_COORDINATOR_FOR_GROUP), ILLEGAL_GENERATION.
 */
export function isRejoinCode(code: number): boolean {
  return code === 27 || code === 16 || code === 22
}


/** commitOffsets' answer when there is nothing to commit (resolved, never rejected). */
const NOTHING_TO_COMMIT: Promise<void> = Promise.resolve()

/** An OffsetFetch answer's committed offsets by topic and partition (for an answer out of the order asked). */
function indexCommitted(topics: readonly { readonly name: string; readonly partitions: readonly { readonly index: number; readonly committedOffset: number }[] }[]): Map<string, Map<number, number>> {
  const indexed = new Map<string, Map<number, number>>()
  for (const t of topics) {
    let offsets = indexed.get(t.name)
    if (offsets === undefined) indexed.set(t.name, (offsets = new Map()))
    for (const p of t.partitions) offsets.set(p.index, p.committedOffset)
  }
  return indexed
}

/**
 * The topics of each member's subscription metadata, decoded once per Buffer: the leader reads
 * every member's at every rebalance, and a member sends the same bytes each time (the built-in
 * assigners encode them once), which the coordinator hands back as they came (issue 15). Only
 * what decoded is kept; bytes that do not decode throw again at each read.
 */
const decodedSubscriptions = new WeakMap<Buffer, readonly string[]>()

function subscribedTopics(metadata: Buffer): readonly string[] {
  let topics = decodedSubscriptions.get(metadata)
  if (topics === undefined) {
    topics = AssignerProtocol.MemberMetadata.decode(metadata)?.topics ?? []
    decodedSubscriptions.set(metadata, topics)
  }
  return topics
}
