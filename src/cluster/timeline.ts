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

export class Timeline {
  private readonly events: TimelineEvent[] = []
  private start = 0
  readonly capacity: number
  private readonly now: () => number
  private readonly listeners = new Set<(event: TimelineEvent) => void>()

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
    if (this.events.length < this.capacity) {
      this.events.push(stamped)
    } else {
      this.events[this.start] = stamped
      this.start = (this.start + 1) % this.capacity
    }
    // Listeners outside the cluster (the wire server closing a stopped broker's sockets, the
    // served process logging what happens, the web console) hear each event as it is recorded.
    if (this.listeners.size > 0) for (const listener of this.listeners) listener(stamped)
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
    const ordered = [...this.events.slice(this.start), ...this.events.slice(0, this.start)]
    if (!filter?.types) return ordered
    const types = new Set(filter.types)
    return ordered.filter((e) => types.has(e.type))
  }
}
