import { PartitionLog } from '../log/partition-log.js'

/**
 * A partition as the cluster sees it: its replica set, the ISR, the leader and its epoch, and
 * the watermarks. In this model every replica of a live broker is in sync (followers copy the
 * leader's batches at once); the leader's log is the partition's log.
 *
 *   logStartOffset <= lastStableOffset <= highWatermark <= logEndOffset   (always)
 */
export class Partition {
  readonly topic: string
  readonly index: number
  /** Replica broker ids; the first live one is the preferred leader. */
  replicas: number[]
  isr: number[]
  /** -1 when offline (no live in-sync replica). */
  leader: number
  leaderEpoch = 0
  readonly log: PartitionLog
  private hw = 0
  /** Fetches parked in a long poll, woken when the high watermark moves. */
  private readonly waiters = new Set<() => void>()

  constructor(topic: string, index: number, replicas: number[], now: number) {
    this.topic = topic
    this.index = index
    this.replicas = replicas
    this.isr = [...replicas]
    this.leader = replicas[0] ?? -1
    this.log = new PartitionLog(now)
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

  /** LSO: with no transactions open, the high watermark. */
  get lastStableOffset(): number {
    return this.hw
  }

  /**
   * HW = the minimum LEO over the ISR. Every in-sync replica shares the leader's log here, so
   * the HW is the LEO once an append lands. Wakes parked fetches when it moves.
   */
  advanceHighWatermark(to: number): void {
    if (to <= this.hw) return
    this.hw = to
    if (this.waiters.size > 0) {
      const woken = [...this.waiters]
      this.waiters.clear()
      for (const wake of woken) wake()
    }
  }

  /** Parks a waiter until the high watermark moves; returns a canceller. */
  onHighWatermarkChange(wake: () => void): () => void {
    this.waiters.add(wake)
    return () => this.waiters.delete(wake)
  }

  /** Wakes every parked fetch (the partition is going away or changing leader). */
  wakeAll(): void {
    const woken = [...this.waiters]
    this.waiters.clear()
    for (const wake of woken) wake()
  }
}
