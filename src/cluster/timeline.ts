/**
 * The cluster's event timeline: what happened, in order, on the cluster's clock. Learners read
 * it as a story (cluster.timeline()); tests assert on it. It is a bounded ring so that a long
 * run keeps its recent history without growing without end.
 */
export type TimelineEvent =
  | { type: 'brokerRegistered'; time: number; brokerId: number; rack: string | null }
  | { type: 'topicCreated'; time: number; topic: string; partitions: number; replicationFactor: number; configs: Record<string, string> }
  | { type: 'topicDeleted'; time: number; topic: string }
  | { type: 'partitionsCreated'; time: number; topic: string; from: number; to: number }
  | { type: 'configsAltered'; time: number; resourceType: 'topic' | 'broker'; resourceName: string; configs: Record<string, string | null> }
  | { type: 'leaderElected'; time: number; topic: string; partition: number; leader: number; leaderEpoch: number; reason: string }
  | { type: 'partitionOffline'; time: number; topic: string; partition: number; leaderEpoch: number; isr: number[]; reason: string }
  | { type: 'isrChanged'; time: number; topic: string; partition: number; isr: number[]; reason: string }
  | { type: 'truncated'; time: number; topic: string; partition: number; brokerId: number; from: number; to: number }
  | { type: 'brokerStopped'; time: number; brokerId: number; crash: boolean; lostUnflushed: boolean }
  | { type: 'brokerStarted'; time: number; brokerId: number }
  | { type: 'brokerFenced'; time: number; brokerId: number; reason: string }
  | { type: 'brokerUnfenced'; time: number; brokerId: number }
  | { type: 'brokerIsolated'; time: number; brokerId: number }
  | { type: 'networkHealed'; time: number; brokerIds: number[] }
  | { type: 'produced'; time: number; topic: string; partition: number; baseOffset: number; count: number; acks: number }
  | { type: 'recordsDeleted'; time: number; topic: string; partition: number; logStartOffset: number }
  | { type: 'segmentsDeleted'; time: number; topic: string; partition: number; brokerId: number; reason: 'retention.ms' | 'retention.bytes' | 'logStartOffset'; baseOffsets: number[]; logStartOffset: number }
  | { type: 'logCompacted'; time: number; topic: string; partition: number; brokerId: number; firstDirtyOffset: number; cleanedUpTo: number; removedRecords: number; removedTombstones: number; bytesBefore: number; bytesAfter: number }
  | { type: 'groupStateChanged'; time: number; groupId: string; from: string; to: string }
  | { type: 'memberJoined'; time: number; groupId: string; memberId: string }
  | { type: 'memberRemoved'; time: number; groupId: string; memberId: string; reason: string }
  | { type: 'rebalanced'; time: number; groupId: string; generationId: number; leaderId: string; members: string[]; protocolName: string | null }
  | { type: 'offsetsCommitted'; time: number; groupId: string; generationId: number; offsets: { topic: string; partition: number; offset: number }[] }
  | { type: 'groupDeleted'; time: number; groupId: string }
  | { type: 'txnBegun'; time: number; transactionalId: string; producerId: number; producerEpoch: number }
  | { type: 'txnEnded'; time: number; transactionalId: string; producerId: number; producerEpoch: number; result: 'commit' | 'abort'; partitions: { topic: string; partition: number }[]; reason: string }
  | { type: 'producerFenced'; time: number; transactionalId: string; producerId: number; producerEpoch: number; reason: string }
  // Security (src/cluster/security): the broker's authorizer and authentication log lines as events.
  | { type: 'authorizationDenied'; time: number; principal: string; host: string; operation: string; resourceType: string; resourceName: string; api: string }
  | { type: 'authenticationFailed'; time: number; brokerId: number; host: string; mechanism: string; reason: string }
  | { type: 'aclsChanged'; time: number; created: number; deleted: number }
  | { type: 'userChanged'; time: number; user: string; change: string }

export type TimelineEventType = TimelineEvent['type']

type WithoutTime<E> = E extends TimelineEvent ? Omit<E, 'time'> : never
export type TimelineEventInput = WithoutTime<TimelineEvent>

/**
 * A `produced` event is kept in columns rather than as an object: there is one per partition
 * written by every produce, so a send of 1 000 keyless records to a topic of 10 000 partitions
 * records 1 000 of them, and as objects they outlived the young generation and were collected
 * from the old one (issue 15). The ring's slot holds this marker; list() and the listeners get
 * the event as the same object it always was, built when asked for.
 */
const PRODUCED = 0

/** The first size of the produced columns, grown by doubling up to the ring's capacity. */
const FIRST_COLUMN_SIZE = 64

export class Timeline {
  /** The ring: an event, or PRODUCED for a produced event held in the columns at the same position. */
  private readonly events: (TimelineEvent | typeof PRODUCED)[] = []
  private start = 0
  readonly capacity: number
  private readonly now: () => number
  private readonly listeners = new Set<(event: TimelineEvent) => void>()
  // The produced events' fields, by ring position (sized lazily: most clusters record few).
  private producedTopics: string[] = []
  private producedPartitions = new Int32Array(0)
  private producedBaseOffsets = new Float64Array(0)
  private producedCounts = new Int32Array(0)
  private producedAcks = new Int8Array(0)
  private producedTimes = new Float64Array(0)

  constructor(now: () => number, capacity = 10_000) {
    this.now = now
    this.capacity = capacity
  }

  /** Records an event; the caller hands over a fresh object, which is stamped in place. */
  record(event: TimelineEventInput): void {
    this.recordAt(event, this.now())
  }

  /** Records an event stamped with `time`, the clock's reading its caller has already taken in the same step. */
  recordAt(event: TimelineEventInput, time: number): void {
    const stamped = event as TimelineEvent
    stamped.time = time
    this.events[this.nextPosition()] = stamped
    // Listeners outside the cluster (the wire server closing a stopped broker's sockets, the
    // served process logging what happens, the web console) hear each event as it is recorded.
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(stamped)
  }

  /**
   * Records a `produced` event (a batch appended to a partition's leader by a produce) without
   * an object for it: what recordAt({ type: 'produced', ... }, time) records.
   */
  recordProduced(topic: string, partition: number, baseOffset: number, count: number, acks: number, time: number): void {
    const at = this.nextPosition()
    if (at >= this.producedCounts.length) this.growColumns(at + 1)
    this.events[at] = PRODUCED
    this.producedTopics[at] = topic
    this.producedPartitions[at] = partition
    this.producedBaseOffsets[at] = baseOffset
    this.producedCounts[at] = count
    this.producedAcks[at] = acks
    this.producedTimes[at] = time
    if (this.listeners.size > 0) {
      const event = this.producedAt(at)
      for (const listener of this.listeners) listener(event)
    }
  }

  /** The ring position the next event takes (the oldest one's, once the ring is full). */
  private nextPosition(): number {
    if (this.events.length < this.capacity) {
      this.events.push(PRODUCED)
      return this.events.length - 1
    }
    const at = this.start
    this.start = (this.start + 1) % this.capacity
    return at
  }

  private growColumns(needed: number): void {
    const size = Math.min(this.capacity, Math.max(needed, FIRST_COLUMN_SIZE, this.producedCounts.length * 2))
    const grow = <T extends Int32Array | Float64Array | Int8Array>(old: T, fresh: T): T => {
      fresh.set(old as never)
      return fresh
    }
    this.producedPartitions = grow(this.producedPartitions, new Int32Array(size))
    this.producedBaseOffsets = grow(this.producedBaseOffsets, new Float64Array(size))
    this.producedCounts = grow(this.producedCounts, new Int32Array(size))
    this.producedAcks = grow(this.producedAcks, new Int8Array(size))
    this.producedTimes = grow(this.producedTimes, new Float64Array(size))
  }

  /** The produced event held in the columns at ring position `at`, as an object. */
  private producedAt(at: number): TimelineEvent {
    return {
      type: 'produced',
      topic: this.producedTopics[at]!,
      partition: this.producedPartitions[at]!,
      baseOffset: this.producedBaseOffsets[at]!,
      count: this.producedCounts[at]!,
      acks: this.producedAcks[at]!,
      time: this.producedTimes[at]!,
    }
  }

  /**
   * Calls `listener` with every event recorded from now on, synchronously inside the cluster's
   * step (so it must not throw); returns the function that stops it. With no listener,
   * recording costs nothing more.
   */
  subscribe(listener: (event: TimelineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Every event kept, oldest first; optionally only those of the given types. */
  list(filter?: { types?: readonly TimelineEventType[] }): TimelineEvent[] {
    const types = filter?.types ? new Set(filter.types) : undefined
    const ordered: TimelineEvent[] = []
    const count = this.events.length
    for (let i = 0; i < count; i++) {
      const at = (this.start + i) % count
      const slot = this.events[at]!
      if (slot === PRODUCED) {
        if (!types || types.has('produced')) ordered.push(this.producedAt(at))
      } else if (!types || types.has(slot.type)) {
        ordered.push(slot)
      }
    }
    return ordered
  }
}
