/**
 * Replication (Kafka's ReplicaManager and Partition on the leader side): followers copy the
 * leader's batches (sharing the immutable objects), the leader tracks how far each got, the ISR
 * shrinks when a follower stays behind for replica.lag.time.max.ms and grows when it catches
 * up, and the high watermark follows the ISR.
 *
 * A healthy follower fetches as soon as the leader appends, whatever the clock, so a test never
 * waits for replication it did not ask to slow down. Faults change that per follower broker:
 * a delay (the follower fetches that long after an append, on the cluster's clock), a pause
 * (it does not fetch at all), or a network cut (isolation) — then the follower falls behind,
 * and the ISR, the high watermark and acks=all behave exactly as Kafka's do.
 */
import type { Clock, TimerHandle } from '../clock.js'
import type { Timeline } from '../timeline.js'
import type { Partition } from '../partition/partition.js'
import type { Replica } from '../partition/replica.js'
import type { TopicSettings } from '../metadata/topic.js'
import { divergenceOffset } from '../partition/leader-epoch.js'

/** How a follower rolls its segments when the topic's settings are gone (it is being deleted). */
const unbounded = { segmentBytes: Infinity, segmentMs: Infinity }

export interface ReplicationContext {
  readonly clock: Clock
  readonly eventLog: Timeline
  /** The broker's process runs and the network reaches it. */
  isReachable(brokerId: number): boolean
  /** The controller counts the broker as registered and live. */
  isUnfenced(brokerId: number): boolean
  settingsOf(topic: string): TopicSettings | undefined
  replicaLagTimeMaxMs(): number
  /** A replica rejoined the ISR (the controller may move leadership back to it). */
  onIsrExpanded(partition: Partition, brokerId: number): void
}

export class ReplicaManager {
  private readonly ctx: ReplicationContext
  /** Follower broker -> how long after an append its fetch comes. */
  private readonly fetchDelays = new Map<number, number>()
  private readonly pausedFollowers = new Set<number>()
  /** Delayed follower fetches already scheduled, per partition and follower. */
  private readonly pendingFetches = new Map<Partition, Map<number, TimerHandle>>()
  private readonly lagChecks = new Map<Partition, TimerHandle>()

  constructor(ctx: ReplicationContext) {
    this.ctx = ctx
  }

  // -------------------------------------------------------------------------------------------
  // Faults

  /** Every follower on this broker fetches `ms` after each append (0 restores at-once fetching). */
  delayReplication(brokerId: number, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`replication delay must be a non-negative number of ms, got ${ms}`)
    if (ms === 0) this.fetchDelays.delete(brokerId)
    else this.fetchDelays.set(brokerId, ms)
  }

  /** Followers on this broker stop fetching until resumeReplication. */
  pauseReplication(brokerId: number): void {
    this.pausedFollowers.add(brokerId)
  }

  /** A follower broker stops fetching (paused, stopped, cut off): caught-up followers were caught up until now. */
  followerStopsFetching(brokerId: number, partitions: Iterable<Partition>): void {
    const now = this.ctx.clock.now()
    for (const p of partitions) {
      const r = p.replica(brokerId)
      if (!r || p.leader === brokerId || p.leader === -1) continue
      if (r.logEndOffset >= p.leaderReplica.logEndOffset && r.fetchedInEpoch === p.leaderEpoch) r.lastCaughtUpTime = now
    }
  }

  resumeReplication(brokerId: number, partitions: Iterable<Partition>): void {
    this.pausedFollowers.delete(brokerId)
    for (const p of partitions) if (p.replicas.includes(brokerId)) this.fetch(p, brokerId)
  }

  replicationFaults(): { delays: Record<number, number>; paused: number[] } {
    return { delays: Object.fromEntries(this.fetchDelays), paused: [...this.pausedFollowers] }
  }

  // -------------------------------------------------------------------------------------------
  // The leader side

  /**
   * After the leader appended at `previousLogEnd`: followers fetch, the HW moves, lagging
   * followers are watched. A follower that was caught up and is still fetching (even slowly)
   * was caught up as of now; one whose fetching stopped keeps the time it stopped. `now` is the
   * append's time when the caller has read the clock already (the request is one instant).
   */
  afterLeaderAppend(
    partition: Partition,
    previousLogEnd: number,
    now: number = this.ctx.clock.now(),
    // Looked up once per append, not once per follower and batch (issue 15); a produce hands
    // in the settings it read once per topic of its request.
    settings: TopicSettings | undefined = this.ctx.settingsOf(partition.topic),
  ): void {
    const leaderId = partition.leader
    const leaderReachable = leaderId !== -1 && this.ctx.isReachable(leaderId)
    // Whether every follower has now copied the leader's whole log in this epoch: then none
    // lags, and the lag check (scheduleLagCheck) has nothing to look at (issue 15: it walked the
    // ISR again on every append).
    let allCaughtUp = leaderReachable
    let copied = false
    for (const follower of partition.allReplicas()) {
      const id = follower.brokerId
      if (id === leaderId) continue
      const fetching = leaderReachable && this.ctx.isReachable(id) && !this.pausedFollowers.has(id)
      if (fetching && follower.logEndOffset >= previousLogEnd && follower.fetchedInEpoch === partition.leaderEpoch) follower.lastCaughtUpTime = now
      // What fetch() does, without asking again what was just asked.
      if (!fetching) {
        allCaughtUp = false
        continue
      }
      const delay = this.fetchDelays.size === 0 ? 0 : (this.fetchDelays.get(id) ?? 0)
      if (delay > 0) {
        this.scheduleFetch(partition, id, delay)
        allCaughtUp = false
      } else {
        this.copyFromLeader(partition, follower, now, settings)
        copied = true
        if (follower.logEndOffset < partition.leaderReplica.logEndOffset || follower.fetchedInEpoch !== partition.leaderEpoch) allCaughtUp = false
      }
    }
    // A follower's copy ends with this same update, and what it reads (the ISR, the replicas'
    // log ends and epochs) has not changed since the last copy: asked again only without one.
    if (!copied) partition.updateHighWatermark(settings?.minInsyncReplicas ?? 1)
    if (allCaughtUp) this.noLagCheck(partition)
    else this.scheduleLagCheck(partition)
  }

  updateHighWatermark(partition: Partition): void {
    const settings = this.ctx.settingsOf(partition.topic)
    partition.updateHighWatermark(settings?.minInsyncReplicas ?? 1)
  }

  /**
   * One follower fetch: copy what the leader has beyond the follower's log end, then update
   * the follower's standing (caught-up time, ISR membership) and the high watermark.
   * `fromTimer` marks a delayed fetch coming due.
   */
  fetch(partition: Partition, followerId: number, fromTimer = false): void {
    const leaderId = partition.leader
    if (leaderId === -1 || followerId === leaderId) return
    const follower = partition.replica(followerId)
    if (!follower) return
    if (!this.ctx.isReachable(leaderId) || !this.ctx.isReachable(followerId) || this.pausedFollowers.has(followerId)) return
    const delay = this.fetchDelays.get(followerId) ?? 0
    if (delay > 0 && !fromTimer) {
      this.scheduleFetch(partition, followerId, delay)
      return
    }
    this.copyFromLeader(partition, follower, this.ctx.clock.now(), this.ctx.settingsOf(partition.topic))
  }

  /** The fetch itself, once fetch() or afterLeaderAppend found that it happens now. */
  private copyFromLeader(partition: Partition, follower: Replica, now: number, settings: TopicSettings | undefined): void {
    const leader = partition.leaderReplica
    const from = follower.logEndOffset
    const leaderEnd = leader.logEndOffset
    if (from < leaderEnd) {
      const roll = settings ?? unbounded
      // The usual case, the leader's one new batch, without reading the log for it.
      const last = leader.log.lastBatch
      if (last !== undefined && last.baseOffset === from) {
        follower.log.appendBatch(last, now, roll)
        follower.appended(last)
      } else {
        for (const batch of leader.log.read(from, leaderEnd, Infinity)) {
          // Replication copies whole batches: a leader batch straddling the follower's log end
          // (after a truncation that took a whole batch of the follower's, once unclean elections
          // made their logs differ) replaces the follower's records from its base offset.
          if (batch.baseOffset < follower.logEndOffset) {
            if (batch.lastOffset < follower.logEndOffset) continue
            this.truncate(partition, follower, batch.baseOffset)
          }
          follower.log.appendBatch(batch, now, roll)
          follower.appended(batch)
        }
      }
    }
    if (leader.log.logStartOffset > follower.log.logStartOffset) follower.log.advanceLogStartOffset(Math.min(leader.log.logStartOffset, follower.logEndOffset))
    follower.fetchedInEpoch = partition.leaderEpoch
    if (follower.logEndOffset >= leader.logEndOffset) follower.lastCaughtUpTime = now
    this.maybeExpandIsr(partition, follower)
    partition.updateHighWatermark(settings?.minInsyncReplicas ?? 1)
    follower.highWatermark = Math.min(partition.highWatermark, follower.logEndOffset)
  }

  /** The follower can fetch from the leader (it may be slowed, not stopped). */
  private isFetching(partition: Partition, followerId: number): boolean {
    return partition.leader !== -1 && this.ctx.isReachable(partition.leader) && this.ctx.isReachable(followerId) && !this.pausedFollowers.has(followerId)
  }

  private scheduleFetch(partition: Partition, followerId: number, delay: number): void {
    let forPartition = this.pendingFetches.get(partition)
    if (!forPartition) this.pendingFetches.set(partition, (forPartition = new Map()))
    if (forPartition.has(followerId)) return
    const timer = this.ctx.clock.setTimeout(() => {
      forPartition!.delete(followerId)
      if (forPartition!.size === 0) this.pendingFetches.delete(partition)
      this.fetch(partition, followerId, true)
      // More may have been appended meanwhile: fetch again after the same delay.
      if (partition.leader !== -1 && (partition.replica(followerId)?.logEndOffset ?? 0) < partition.leaderReplica.logEndOffset) {
        this.fetch(partition, followerId)
      }
      this.scheduleLagCheck(partition)
    }, delay)
    forPartition.set(followerId, timer)
  }

  /**
   * Kafka's isr-expiration check: a follower that is behind the leader's log end and has not
   * caught up for replica.lag.time.max.ms leaves the ISR. Checked when the earliest lagging
   * in-sync follower would expire.
   */
  scheduleLagCheck(partition: Partition): void {
    // A leader that cannot reach the controller cannot shrink its ISR; it is checked again when
    // it is back (reconcileFollowers).
    if (partition.leader === -1 || !this.ctx.isReachable(partition.leader)) return
    const leaderLeo = partition.leaderReplica.logEndOffset
    let lastCaughtUp = Infinity
    for (const id of partition.isr) {
      if (id === partition.leader) continue
      const r = partition.replica(id)
      if (r && (r.logEndOffset < leaderLeo || r.fetchedInEpoch !== partition.leaderEpoch)) lastCaughtUp = Math.min(lastCaughtUp, r.lastCaughtUpTime)
    }
    if (lastCaughtUp === Infinity) {
      // Nobody lags (every produce to a healthy partition): no check, and none left waiting.
      this.noLagCheck(partition)
      return
    }
    const lagMax = this.ctx.replicaLagTimeMaxMs()
    let due = lastCaughtUp + lagMax + 1
    const existing = this.lagChecks.get(partition)
    if (existing) return
    // Kafka's isr-expiration task runs every replica.lag.time.max.ms / 2: a check that found
    // nothing to remove waits for the next round rather than spinning.
    if (due <= this.ctx.clock.now()) due = this.ctx.clock.now() + Math.max(1, Math.floor(lagMax / 2))
    const timer = this.ctx.clock.setTimeout(() => {
      this.lagChecks.delete(partition)
      this.shrinkIsr(partition)
      this.scheduleLagCheck(partition)
    }, Math.max(0, due - this.ctx.clock.now()))
    this.lagChecks.set(partition, timer)
  }

  /** Nobody lags behind the leader: no lag check, and none left waiting. */
  private noLagCheck(partition: Partition): void {
    if (this.lagChecks.size === 0) return
    const existing = this.lagChecks.get(partition)
    if (existing) this.ctx.clock.clearTimeout(existing)
    this.lagChecks.delete(partition)
  }

  private shrinkIsr(partition: Partition): void {
    // A leader cut off from the controller cannot have its AlterPartition accepted.
    if (partition.leader === -1 || !this.ctx.isReachable(partition.leader)) return
    const now = this.ctx.clock.now()
    const lagMax = this.ctx.replicaLagTimeMaxMs()
    const leaderLeo = partition.leaderReplica.logEndOffset
    const out = partition.isr.filter((id) => {
      if (id === partition.leader) return false
      const r = partition.replica(id)
      const behind = !!r && (r.logEndOffset < leaderLeo || r.fetchedInEpoch !== partition.leaderEpoch)
      return behind && now - r!.lastCaughtUpTime > lagMax
    })
    if (out.length === 0) return
    this.setIsr(partition, partition.isr.filter((id) => !out.includes(id)), `lagged more than replica.lag.time.max.ms: ${out.join(',')}`)
  }

  /** A follower that caught up to the high watermark (and the current epoch) rejoins the ISR. */
  private maybeExpandIsr(partition: Partition, follower: Replica): void {
    if (partition.isr.includes(follower.brokerId)) return
    if (!this.ctx.isUnfenced(follower.brokerId)) return
    const epochStart = partition.leaderReplica.epochs.all.find((e) => e.epoch === partition.leaderEpoch)?.startOffset ?? 0
    if (follower.logEndOffset < partition.highWatermark || follower.logEndOffset < epochStart) return
    this.setIsr(partition, [...partition.isr, follower.brokerId], `${follower.brokerId} caught up`)
    this.ctx.onIsrExpanded(partition, follower.brokerId)
  }

  setIsr(partition: Partition, isr: number[], reason: string): void {
    const ordered = partition.replicas.filter((id) => isr.includes(id))
    partition.isr = ordered
    partition.partitionEpoch++
    this.ctx.eventLog.record({ type: 'isrChanged', topic: partition.topic, partition: partition.index, isr: [...ordered], reason })
    this.updateHighWatermark(partition)
    partition.wake()
  }

  // -------------------------------------------------------------------------------------------
  // Leader changes

  /**
   * A new leader took over (or a replica came back): every other reachable replica truncates
   * to where its log agrees with the leader's (KIP-279), then fetches.
   */
  reconcileFollowers(partition: Partition): void {
    if (partition.leader === -1) return
    const now = this.ctx.clock.now()
    for (const id of partition.replicas) {
      const r = partition.replica(id)
      // Kafka's resetReplicaState: an in-sync follower counts as caught up as of the change.
      if (r && id !== partition.leader && partition.isr.includes(id) && r.fetchedInEpoch !== partition.leaderEpoch) r.lastCaughtUpTime = now
    }
    // A follower learns where to truncate from its leader (OffsetsForLeaderEpoch): while the
    // leader cannot be reached, nobody truncates; they do once it, or a new leader, is back.
    const leaderReachable = this.ctx.isReachable(partition.leader)
    for (const id of partition.replicas) {
      if (id === partition.leader || !leaderReachable || !this.ctx.isReachable(id)) continue
      this.truncateFollower(partition, id)
      this.fetch(partition, id)
    }
    this.updateHighWatermark(partition)
    this.scheduleLagCheck(partition)
  }

  truncateFollower(partition: Partition, followerId: number): void {
    const follower = partition.replica(followerId)
    if (!follower || partition.leader === -1) return
    const leader = partition.leaderReplica
    const to = divergenceOffset(follower, leader)
    if (to < follower.logEndOffset) this.truncate(partition, follower, to)
  }

  private truncate(partition: Partition, follower: Replica, offset: number): void {
    const from = follower.logEndOffset
    const to = follower.truncateTo(offset)
    this.ctx.eventLog.record({ type: 'truncated', topic: partition.topic, partition: partition.index, brokerId: follower.brokerId, from, to })
  }

  /** Forgets timers for partitions that no longer exist. */
  forget(partition: Partition): void {
    const pending = this.pendingFetches.get(partition)
    if (pending) for (const t of pending.values()) this.ctx.clock.clearTimeout(t)
    this.pendingFetches.delete(partition)
    this.ctx.clock.clearTimeout(this.lagChecks.get(partition))
    this.lagChecks.delete(partition)
  }

  close(): void {
    for (const pending of this.pendingFetches.values()) for (const t of pending.values()) this.ctx.clock.clearTimeout(t)
    this.pendingFetches.clear()
    for (const t of this.lagChecks.values()) this.ctx.clock.clearTimeout(t)
    this.lagChecks.clear()
  }
}
