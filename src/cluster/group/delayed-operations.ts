/**
 * The group coordinator's delayed operations. Kafka parks JoinGroup and SyncGroup requests in
 * purgatories and expires sessions with delayed operations (Kafka 3.7's DelayedJoin,
 * InitialDelayedJoin, DelayedSync and DelayedHeartbeat; Kafka 4.0's coordinator timer with its
 * join, sync and heartbeat keys). Here each is one timer on the injected Clock:
 * - a member's session check (DelayedHeartbeat), rescheduled on every sign of life;
 * - a pending member id's expiry (DelayedHeartbeat with isPending);
 * - the join phase (DelayedJoin / InitialDelayedJoin), bounded by the rebalance timeout;
 * - the sync phase (DelayedSync), bounded by the rebalance timeout;
 * - the periodic offset-expiration pass (offsets.retention.check.interval.ms).
 *
 * This file decides when an operation completes or expires, and drops the timers of a group
 * that is gone; what completion means (a new generation, a member removed) is the
 * coordinator's, reached through the callbacks. The timer handles live on the group and its
 * members, so that a deleted group takes them with it.
 */
import type { Clock, TimerHandle } from '../clock.js'
import type { ClassicGroup } from './classic-group.js'
import type { ClassicGroupMember } from './classic-group-member.js'
import { ClassicGroupState } from './classic-group-state.js'

/** What the delayed operations tell the coordinator, and ask it. */
export interface DelayedOperationCallbacks {
  /** Whether the group is still the coordinator's live group of its id (a timer may outlive it). */
  isLive(group: ClassicGroup): boolean
  /** DelayedJoin / InitialDelayedJoin completed: the join phase is over (Kafka's onCompleteJoin). */
  onCompleteJoin(group: ClassicGroup): void
  /** DelayedSync expired, in the generation it was scheduled for (Kafka's onExpirePendingSync). */
  onExpirePendingSync(group: ClassicGroup): void
  /** DelayedHeartbeat expired: the member, still in the group, missed its session timeout. */
  onExpireHeartbeat(group: ClassicGroup, member: ClassicGroupMember): void
  /** A pending member id (KIP-394), still pending, was not used to rejoin within its session timeout. */
  onExpirePendingMember(group: ClassicGroup, memberId: string): void
  /** The periodic offset-expiration pass is due. */
  onRetentionCheck(): void
  /** Whether there are groups, for which the offset-expiration pass runs. */
  hasGroups(): boolean
  /** offsets.retention.check.interval.ms */
  retentionCheckIntervalMs(): number
}

export class DelayedOperations {
  private readonly clock: Clock
  private readonly callbacks: DelayedOperationCallbacks
  private readonly startedAt: number
  private retentionTimer: TimerHandle | undefined
  private closed = false

  constructor(clock: Clock, callbacks: DelayedOperationCallbacks) {
    this.clock = clock
    this.callbacks = callbacks
    this.startedAt = clock.now()
  }

  // -------------------------------------------------------------------------------------------
  // The join phase

  /**
   * InitialDelayedJoin: give the other members of a starting group a moment to arrive, so that
   * they do not each cause a rebalance (group.initial.rebalance.delay.ms, KIP-134).
   */
  scheduleInitialDelayedJoin(group: ClassicGroup, configuredDelayMs: number, delayMs: number, remainingMs: number): void {
    group.joinKind = 'initial'
    group.joinTimer = this.clock.setTimeout(() => {
      group.joinTimer = undefined
      group.joinKind = undefined
      if (!this.callbacks.isLive(group) || !group.is(ClassicGroupState.PreparingRebalance)) return
      // "if any new members have been added and if there is still time remaining before the
      // rebalance timeout ... schedule a further delay. Otherwise we complete the rebalance."
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false
        const delay = Math.min(configuredDelayMs, remainingMs)
        const remaining = Math.max(remainingMs - delayMs, 0)
        this.scheduleInitialDelayedJoin(group, configuredDelayMs, delay, remaining)
      } else {
        this.callbacks.onCompleteJoin(group)
      }
    }, delayMs)
  }

  /** DelayedJoin: complete as soon as every member has rejoined, or at the rebalance timeout. */
  scheduleDelayedJoin(group: ClassicGroup): void {
    group.joinKind = 'normal'
    group.joinTimer = this.clock.setTimeout(() => {
      group.joinTimer = undefined
      group.joinKind = undefined
      if (!this.callbacks.isLive(group) || !group.is(ClassicGroupState.PreparingRebalance)) return
      this.callbacks.onCompleteJoin(group)
    }, group.rebalanceTimeoutMs())
    this.checkAndCompleteJoin(group)
  }

  /** The purgatory's checkAndComplete for the join: an initial delayed join never completes early. */
  checkAndCompleteJoin(group: ClassicGroup): void {
    if (group.joinKind !== 'normal' || !group.hasAllMembersJoined()) return
    this.clock.clearTimeout(group.joinTimer)
    group.joinTimer = undefined
    group.joinKind = undefined
    this.callbacks.onCompleteJoin(group)
  }

  // -------------------------------------------------------------------------------------------
  // The sync phase

  /** DelayedSync: members that do not send SyncGroup within the rebalance timeout are removed. */
  schedulePendingSync(group: ClassicGroup): void {
    const generationId = group.generationId
    this.clock.clearTimeout(group.syncTimer)
    group.syncTimer = this.clock.setTimeout(() => {
      group.syncTimer = undefined
      if (!this.callbacks.isLive(group) || generationId !== group.generationId) return
      this.callbacks.onExpirePendingSync(group)
    }, group.rebalanceTimeoutMs())
  }

  /** Kafka's tryCompletePendingSync, reduced to: nothing left to wait for, so stop the timer. */
  maybeCompleteSyncExpiration(group: ClassicGroup): void {
    if (group.syncTimer !== undefined && group.hasReceivedSyncFromAllMembers()) {
      this.clock.clearTimeout(group.syncTimer)
      group.syncTimer = undefined
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sessions

  /**
   * Kafka's completeAndScheduleNextExpiration: replaces the member's session check. A member
   * whose request is parked satisfies the check outright (the purgatory completes it at
   * once), so no timer runs for it until its phase completes.
   */
  scheduleHeartbeatExpiration(group: ClassicGroup, member: ClassicGroupMember, timeoutMs: number): void {
    this.cancelHeartbeatExpiration(member)
    member.lastHeartbeatMs = this.clock.now()
    if (this.closed || member.hasSatisfiedHeartbeat) return
    // One expiry callback per member, made at its first check: the check is replaced three or
    // four times per member per rebalance (issue 15). A member belongs to one group for life.
    // Made in a local, then stored: a function literal assigned straight to a property is
    // allocated in V8's old generation (see test/architecture/young-closures.test.ts).
    let onExpiry = member.onHeartbeatExpiry
    if (onExpiry === undefined) {
      onExpiry = () => this.expireHeartbeat(group, member)
      member.onHeartbeatExpiry = onExpiry
    }
    member.heartbeatTimer = this.clock.setTimeout(onExpiry, timeoutMs)
  }

  private expireHeartbeat(group: ClassicGroup, member: ClassicGroupMember): void {
    member.heartbeatTimer = undefined
    if (!this.callbacks.isLive(group) || group.members.get(member.memberId) !== member) return
    if (member.hasSatisfiedHeartbeat) return
    this.callbacks.onExpireHeartbeat(group, member)
  }

  cancelHeartbeatExpiration(member: ClassicGroupMember): void {
    this.clock.clearTimeout(member.heartbeatTimer)
    member.heartbeatTimer = undefined
  }

  /** A pending member id (KIP-394) expires after the session timeout it joined with. */
  schedulePendingMemberExpiration(group: ClassicGroup, memberId: string, timeoutMs: number): void {
    this.cancelPendingMemberExpiration(group, memberId)
    const timer = this.clock.setTimeout(() => {
      group.pendingMemberTimers.delete(memberId)
      if (!this.callbacks.isLive(group) || !group.isPendingMember(memberId)) return
      this.callbacks.onExpirePendingMember(group, memberId)
    }, timeoutMs)
    group.pendingMemberTimers.set(memberId, timer)
  }

  cancelPendingMemberExpiration(group: ClassicGroup, memberId: string): void {
    const timer = group.pendingMemberTimers.get(memberId)
    if (timer === undefined) return
    this.clock.clearTimeout(timer)
    group.pendingMemberTimers.delete(memberId)
  }

  // -------------------------------------------------------------------------------------------
  // Offset expiration

  /**
   * Kafka runs the expiration pass every offsets.retention.check.interval.ms from startup.
   * We keep that schedule but only while there are groups, so an idle coordinator holds no
   * timer.
   */
  ensureRetentionCheck(): void {
    if (this.closed || this.retentionTimer !== undefined || !this.callbacks.hasGroups()) return
    const interval = Math.max(1, this.callbacks.retentionCheckIntervalMs())
    const elapsed = this.clock.now() - this.startedAt
    const untilNext = interval - (((elapsed % interval) + interval) % interval)
    this.retentionTimer = this.clock.setTimeout(() => {
      this.retentionTimer = undefined
      this.callbacks.onRetentionCheck()
      this.ensureRetentionCheck()
    }, untilNext)
  }

  // -------------------------------------------------------------------------------------------
  // Shutdown

  /** Every timer of the group and its members, cancelled (the group is gone or the coordinator closes). */
  cancelGroupTimers(group: ClassicGroup): void {
    this.clock.clearTimeout(group.joinTimer)
    group.joinTimer = undefined
    group.joinKind = undefined
    this.clock.clearTimeout(group.syncTimer)
    group.syncTimer = undefined
    for (const timer of group.pendingMemberTimers.values()) this.clock.clearTimeout(timer)
    group.pendingMemberTimers.clear()
    for (const member of group.members.values()) this.cancelHeartbeatExpiration(member)
  }

  /** No timer starts after this; the periodic pass stops. The groups' timers are cancelled one by one. */
  close(): void {
    this.closed = true
    this.clock.clearTimeout(this.retentionTimer)
    this.retentionTimer = undefined
  }
}
