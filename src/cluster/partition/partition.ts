import type { PartitionLog } from '../log/partition-log.js'
import { Replica } from './replica.js'

/** The waiters of every partition nobody waits on (never changed: watch() replaces it). */
const NO_WAITERS: (() => void)[] = []

/**
 * A partition as the cluster sees it: its assigned replicas (each broker's own copy of the
 * log), the ISR, the leader and its epoch, and the high watermark.
 *
 *   logStartOffset <= lastStableOffset <= highWatermark <= logEndOffset   (always, on the leader)
 *
 * HW = the minimum log end offset over the ISR, and since Kafka 3.7 it does not advance while
 * |ISR| < min(min.insync.replicas, replication factor) (KIP-966's prelude, KAFKA-15583).
 */
export class Partition {
  readonly topic: string
  readonly index: number
  /** Assigned replica broker ids, in assignment order; the first is the preferred leader. */
  replicas: number[]
  isr: number[]
  /** -1 when offline (no eligible replica to lead). */
  leader: number
  leaderEpoch = 0
  /** Bumped on every ISR or leader change (Kafka's partition epoch). */
  partitionEpoch = 0
  /** An unclean election happened: committed data may have been lost on purpose. */
  uncleanElections = 0
  /**
   * Times the high watermark had to move back because the leader's log ended below it: after an
   * unclean election, or when the leader lost committed records in a crash (stopBroker with
   * loseUnflushed). The committed history may have been rewritten since.
   */
  committedLosses = 0
  /** The highest high watermark ever reached (invariant 4: it never decreases). */
  maxHighWatermark = 0
  /**
   * Answers the request handlers made about this partition, handed out again while the
   * partition still says the same (api/fetch.ts and api/list-offsets.ts check that and own the
   * shapes): one field read per partition where a table keyed by partition cost a hash lookup,
   * for each of the 10 000 partitions a full Fetch or a consumer's offset reset names (issue 15).
   */
  readonly answers: { idleFetch: unknown; idleFetchCommitted: unknown; earliestOffset: unknown; latestOffset: unknown } = {
    idleFetch: undefined,
    idleFetchCommitted: undefined,
    earliestOffset: undefined,
    latestOffset: undefined,
  }
  /**
   * Each assigned broker's replica, in assignment order: found by a walk over these few (a
   * replication factor of a handful) rather than through a table, which cost a lookup per
   * replica per append and about 200 bytes per partition (issue 15: at 10 000 partitions each
   * table was another miss of the CPU's cache).
   */
  private readonly inOrder: Replica[]
  /** The replica that led last: an offline partition still reads as its last leader's log. */
  private lastLeader: number
  /** The replica of `leader` (of `lastLeader` while offline), kept by setLeader: read on every produce and fetch. */
  private leading: Replica
  private hw = 0
  /**
   * Fetches parked in a long poll and acks=all produces, woken when the partition changes, in
   * the order they came, each once. An array, not a Set: a partition has one or two waiters,
   * and a Set's table is reallocated as it empties and fills again, once per parked fetch of
   * every partition at every rebalance (issue 15). NO_WAITERS, shared, while nobody waits:
   * every append's wake() then reads an array always in the CPU's cache, and a partition that
   * nobody waits on keeps no array of its own.
   */
  private waiters: (() => void)[] = NO_WAITERS

  constructor(topic: string, index: number, replicas: number[], now: number) {
    this.topic = topic
    this.index = index
    this.replicas = replicas
    this.isr = [...replicas]
    this.leader = replicas[0] ?? -1
    this.lastLeader = this.leader
    // Built at its length (an array grown by push keeps room for 16).
    this.inOrder = replicas.map((id) => new Replica(id, now))
    this.leading = this.replica(this.lastLeader)!
  }

  replica(brokerId: number): Replica | undefined {
    for (const replica of this.inOrder) if (replica.brokerId === brokerId) return replica
    return undefined
  }

  /** Every replica, in assignment order (the partition's own list: not to be changed). */
  allReplicas(): readonly Replica[] {
    return this.inOrder
  }

  /** The leader's replica (the last leader's while offline). */
  get leaderReplica(): Replica {
    return this.leading
  }

  /** The leader's log: the partition's log as clients see it. */
  get log(): PartitionLog {
    return this.leaderReplica.log
  }

  get highWatermark(): number {
    return this.hw
  }

  get logStartOffset(): number {
    return this.log.logStartOffset
  }

  get logEndOffset(): number {
    return this.log.logEndOffset
  }

  /** LSO: the first offset of the earliest open transaction, else the high watermark. */
  get lastStableOffset(): number {
    const unstable = this.leaderReplica.producerState.firstUnstableOffset(this.hw)
    return unstable === undefined ? this.hw : Math.min(unstable, this.hw)
  }

  setLeader(leader: number, epoch: number): void {
    this.leader = leader
    if (leader !== -1) this.lastLeader = leader
    this.leading = this.replica(this.lastLeader)!
    this.leaderEpoch = epoch
    this.partitionEpoch++
    // The new leader's epoch starts at its log end (LeaderEpochFileCache.assign on becoming leader).
    const replica = leader === -1 ? undefined : this.replica(leader)
    replica?.epochs.assign(epoch, replica.logEndOffset)
    // A leader's high watermark is at most its log end: one that lost committed records in a
    // crash starts from where its log ends (Kafka loads min(checkpointed HW, log end)).
    if (replica && this.hw > replica.logEndOffset) this.resetHighWatermark(replica.logEndOffset)
  }

  /**
   * Recomputes HW = min LEO over the ISR, holding it while the ISR is smaller than the
   * effective min.insync.replicas. Never moves it backwards, except through `resetHighWatermark`
   * (an unclean election). Wakes waiters when it moves.
   */
  updateHighWatermark(minInsyncReplicas: number): boolean {
    if (this.leader === -1) return false
    // The replication factor read from the replica list the walk below reads anyway (one list,
    // not two, per append: issue 15); the two have the same length.
    const effectiveMinIsr = Math.min(minInsyncReplicas, this.inOrder.length)
    if (this.isr.length < effectiveMinIsr) return false
    let min = Infinity
    const isr = this.isr
    for (const r of this.inOrder) {
      const id = r.brokerId
      if (!isr.includes(id)) continue
      // A follower not yet heard from in this leader epoch holds the HW where it is.
      const leo = id === this.leader || r.fetchedInEpoch === this.leaderEpoch ? r.logEndOffset : this.hw
      if (leo < min) min = leo
    }
    if (!Number.isFinite(min) || min <= this.hw) return false
    this.hw = min
    if (min > this.maxHighWatermark) this.maxHighWatermark = min
    this.leaderReplica.highWatermark = min
    this.wake()
    return true
  }

  /** After an unclean election or a lossy crash the leader's log may end below the old high watermark. */
  resetHighWatermark(to: number): void {
    const next = Math.min(to, this.log.logEndOffset)
    if (next < this.hw) this.committedLosses++
    this.hw = next
    this.leaderReplica.highWatermark = this.hw
    this.wake()
  }

  /** Parks a waiter until the partition changes (HW, ISR, leader); returns a canceller. */
  onChange(wake: () => void): () => void {
    this.watch(wake)
    return () => this.unwatch(wake)
  }

  /** onChange without the canceller: unwatch(wake) cancels (a fetch parked on many partitions makes no closure per partition). */
  watch(wake: () => void): void {
    if (this.waiters === NO_WAITERS) this.waiters = [wake]
    else if (!this.waiters.includes(wake)) this.waiters.push(wake)
  }

  /** Cancels watch(wake) (or onChange's); nothing when it is not parked here. */
  unwatch(wake: () => void): void {
    const at = this.waiters.indexOf(wake)
    if (at >= 0) this.waiters.splice(at, 1)
  }

  /** Wakes every parked fetch and produce, which look again at the partition. */
  wake(): void {
    if (this.waiters.length === 0) return
    const woken = this.waiters
    this.waiters = NO_WAITERS
    for (const w of woken) w()
  }
}
