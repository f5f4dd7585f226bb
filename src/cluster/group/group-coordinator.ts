/**
 * The group coordinator of the classic consumer-group protocol (the one kafkajs speaks), as
 * Kafka 3.7's GroupCoordinator and GroupMetadataManager implement it (core/src/main/scala/
 * kafka/coordinator/group). Comments quote or name the Kafka method a rule comes from.
 *
 * The delayed operations Kafka parks requests and expires sessions with (DelayedJoin,
 * DelayedSync, DelayedHeartbeat, the offset-expiration pass) are timers on the injected Clock
 * (delayed-operations.ts), which call back into the coordinator. Requests are handled
 * synchronously; only parked JoinGroup/SyncGroup answers wait, as promises that resolve when
 * their phase completes.
 *
 * Deliberate differences from Kafka, because an unanswered request would hang its caller
 * here whereas on a socket it would merely time out:
 * - a parked JoinGroup (or SyncGroup) superseded by a newer one from the same member is
 *   answered REBALANCE_IN_PROGRESS, so the client simply rejoins;
 * - a member removed while its SyncGroup is parked gets UNKNOWN_MEMBER_ID for it;
 * - close() answers every parked request COORDINATOR_NOT_AVAILABLE.
 * And group.initial.rebalance.delay.ms = 0 completes the first join phase at once, where
 * Kafka's purgatory would complete the zero-delay operation on its timer thread.
 */
import type { Clock } from '../clock.js'
import { ErrorCode } from '../error-codes.js'
import type { Random } from '../random.js'
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  DescribedGroup,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from '../api/messages.js'
import { ClassicGroup, joinErrorResponse, syncErrorResponse } from './classic-group.js'
import type { SubscriptionDecoder } from './classic-group.js'
import { DelayedOperations } from './delayed-operations.js'
import type { GroupCoordinatorConfig } from './group-coordinator-config.js'
import { GroupMember } from './group-member.js'
import type { GroupProtocol, JoinAwaiter, SyncAwaiter } from './group-member.js'
import { GroupState, canRebalance } from './group-state.js'
import { OffsetMetadataManager, type OffsetsCommittedEvent, type TxnOffsetCommitInput } from './offset-metadata-manager.js'

/**
 * Kafka's GroupCoordinator.NewMemberJoinTimeoutMs: a new member cannot heartbeat while its
 * first JoinGroup is parked, so that JoinGroup is bounded by this instead.
 */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000

export type MemberRemovalReason =
  /** LeaveGroup. */
  | 'left'
  /** Its session timed out (or, for a new member, its first join took over 5 minutes). */
  | 'sessionTimeout'
  /** It did not rejoin, or did not sync, within the rebalance timeout. */
  | 'rebalanceTimeout'
  /** A static member rejoined under a new member id; the old id is fenced (KIP-345). */
  | 'replaced'
  /** Dropped to bring the group back under group.max.size. */
  | 'groupMaxSize'

/** What the coordinator reports for the cluster's timeline. */
export type GroupEvent =
  | { readonly type: 'groupStateChanged'; readonly groupId: string; readonly from: GroupState; readonly to: GroupState }
  | { readonly type: 'memberJoined'; readonly groupId: string; readonly memberId: string }
  | { readonly type: 'memberRemoved'; readonly groupId: string; readonly memberId: string; readonly reason: MemberRemovalReason }
  | {
      readonly type: 'rebalanced'
      readonly groupId: string
      readonly generationId: number
      readonly leaderId: string
      readonly members: string[]
      readonly protocolName: string | null
    }
  | OffsetsCommittedEvent

/** A group as plain data, for cluster.describe(). */
export interface GroupSnapshot {
  groupId: string
  state: GroupState
  generationId: number
  protocolType: string | null
  protocolName: string | null
  leaderId: string | null
  members: { memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; assignment: Buffer; sessionTimeoutMs: number }[]
  offsets: { topic: string; partition: number; offset: number; metadata: string }[]
}

export interface GroupCoordinatorDeps {
  clock: Clock
  random: Random
  config: () => GroupCoordinatorConfig
  emit?: (event: GroupEvent) => void
  /**
   * Decodes the topics a 'consumer' member subscribes to from its protocol metadata (Kafka's
   * broker parses ConsumerProtocol's Subscription for this); undefined when it cannot.
   */
  decodeSubscription?: SubscriptionDecoder
}

const emptyBuffer = Buffer.alloc(0)

export class GroupCoordinator {
  private readonly clock: Clock
  private readonly random: Random
  private readonly config: () => GroupCoordinatorConfig
  private readonly emitEvent: ((event: GroupEvent) => void) | undefined
  private readonly decodeSubscription: SubscriptionDecoder | undefined
  private readonly groups = new Map<string, ClassicGroup>()
  private readonly delayed: DelayedOperations
  private readonly offsets: OffsetMetadataManager
  private closed = false

  constructor(deps: GroupCoordinatorDeps) {
    this.clock = deps.clock
    this.random = deps.random
    this.config = deps.config
    this.emitEvent = deps.emit
    this.decodeSubscription = deps.decodeSubscription
    this.delayed = new DelayedOperations(deps.clock, {
      isLive: (group) => this.isLive(group),
      onCompleteJoin: (group) => this.onCompleteJoin(group),
      onExpirePendingSync: (group) => this.onExpirePendingSync(group),
      onExpireHeartbeat: (group, member) => this.removeMemberAndUpdateGroup(group, member, 'sessionTimeout'),
      onExpirePendingMember: (group, memberId) => this.removePendingMember(group, memberId),
      onRetentionCheck: () => this.cleanupGroupMetadata(),
      hasGroups: () => this.groups.size > 0,
      retentionCheckIntervalMs: () => this.config().offsetsRetentionCheckIntervalMs,
    })
    this.offsets = new OffsetMetadataManager({
      clock: deps.clock,
      config: deps.config,
      emit: (event) => this.emit(event),
      groups: {
        validateGroupStatus: (groupId, allowEmptyGroupId) => this.validateGroupStatus(groupId, allowEmptyGroupId),
        group: (groupId) => this.groups.get(groupId),
        createGroup: (groupId) => this.createGroup(groupId),
        groups: () => this.groups.values(),
        rescheduleHeartbeat: (group, member) => this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs),
        maybeDeleteGroup: (group) => this.maybeDeleteGroup(group),
      },
    })
  }

  // ===========================================================================================
  // JoinGroup

  /** JoinGroup (v4+ semantics): resolves when the member's join phase completes. */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResponse> {
    return new Promise((resolve) => this.handleJoinGroup(request, resolve))
  }

  private handleJoinGroup(request: JoinGroupRequest, respond: JoinAwaiter): void {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return respond(joinErrorResponse(request.memberId, statusError))

    const config = this.config()
    if (request.sessionTimeoutMs < config.groupMinSessionTimeoutMs || request.sessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
      return respond(joinErrorResponse(request.memberId, ErrorCode.INVALID_SESSION_TIMEOUT))
    }

    // "group is created if it does not exist and the member id is UNKNOWN. if member is
    // specified but group does not exist, request is rejected with UNKNOWN_MEMBER_ID"
    const isUnknownMember = request.memberId === ''
    let group = this.groups.get(request.groupId)
    if (!group) {
      if (!isUnknownMember) return respond(joinErrorResponse(request.memberId, ErrorCode.UNKNOWN_MEMBER_ID))
      group = this.createGroup(request.groupId)
    }

    if (!this.acceptJoiningMember(group, request.memberId, config.groupMaxSize)) {
      this.rejectOverCapacityJoiner(group, request.memberId)
      respond(joinErrorResponse('', ErrorCode.GROUP_MAX_SIZE_REACHED))
    } else if (isUnknownMember) {
      this.doNewMemberJoinGroup(group, request, respond)
    } else {
      this.doCurrentMemberJoinGroup(group, request, respond)
    }

    // "attempt to complete JoinGroup"
    if (group.is(GroupState.PreparingRebalance)) this.delayed.checkAndCompleteJoin(group)
  }

  /** Kafka's acceptJoiningMember: whether the group has room for this joiner. */
  private acceptJoiningMember(group: ClassicGroup, memberId: string, maxSize: number): boolean {
    switch (group.state) {
      case GroupState.Empty:
      case GroupState.Dead:
        return true
      // "the number of awaiting members is used here ... to kick out the last rejoining members"
      case GroupState.PreparingRebalance:
        return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numAwaiting < maxSize
      case GroupState.CompletingRebalance:
      case GroupState.Stable:
        return group.has(memberId) || group.size < maxSize
    }
  }

  private rejectOverCapacityJoiner(group: ClassicGroup, memberId: string): void {
    const member = group.members.get(memberId)
    if (member) this.detachMember(group, member, 'groupMaxSize')
    else this.removePendingMember(group, memberId)
  }

  private doNewMemberJoinGroup(group: ClassicGroup, request: JoinGroupRequest, respond: JoinAwaiter): void {
    if (group.is(GroupState.Dead)) return respond(joinErrorResponse('', ErrorCode.COORDINATOR_NOT_AVAILABLE))
    if (!group.supportsProtocols(request.protocolType, protocolNames(request.protocols))) {
      return respond(joinErrorResponse('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL))
    }
    const groupInstanceId = request.groupInstanceId ?? null
    // Kafka's generateMemberId: clientId (or group.instance.id) + "-" + a random UUID.
    const newMemberId = `${groupInstanceId ?? request.clientId}-${this.random.uuid()}`

    if (groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(groupInstanceId)
      if (oldMemberId !== undefined) {
        this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, groupInstanceId, request, respond)
      } else {
        this.addMemberAndRebalance(group, newMemberId, request, respond)
      }
      return
    }

    // Before JoinGroup v4 a new member is given its id in the same round (requireKnownMemberId
    // false in GroupCoordinator.handleJoinGroup).
    if (request.requireKnownMemberId === false) return this.addMemberAndRebalance(group, newMemberId, request, respond)

    // KIP-394 (JoinGroup v4+): a dynamic member first gets its id with MEMBER_ID_REQUIRED and
    // must rejoin with it; the id is pending until then and expires after the session timeout.
    group.addPendingMember(newMemberId)
    this.delayed.schedulePendingMemberExpiration(group, newMemberId, request.sessionTimeoutMs)
    respond(joinErrorResponse(newMemberId, ErrorCode.MEMBER_ID_REQUIRED))
  }

  private doCurrentMemberJoinGroup(group: ClassicGroup, request: JoinGroupRequest, respond: JoinAwaiter): void {
    const memberId = request.memberId
    const groupInstanceId = request.groupInstanceId ?? null
    if (group.is(GroupState.Dead)) return respond(joinErrorResponse(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
    if (!group.supportsProtocols(request.protocolType, protocolNames(request.protocols))) {
      return respond(joinErrorResponse(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL))
    }
    if (group.isPendingMember(memberId)) {
      // "A rejoining pending member will be accepted. Note that pending member cannot be a
      // static member." (Kafka throws IllegalStateException, which the client sees as this.)
      if (groupInstanceId !== null) return respond(joinErrorResponse(memberId, ErrorCode.UNKNOWN_SERVER_ERROR))
      return this.addMemberAndRebalance(group, memberId, request, respond)
    }

    const memberError = group.validateMember(memberId, groupInstanceId)
    if (memberError !== undefined) return respond(joinErrorResponse(memberId, memberError))
    const member = group.get(memberId)

    switch (group.state) {
      case GroupState.PreparingRebalance:
        return this.updateMemberAndRebalance(group, member, request, respond)

      case GroupState.CompletingRebalance:
        // "member is joining with the same metadata (which could be because it failed to
        // receive the initial JoinGroup response), so just return current group information
        // for the current generation."
        if (member.matches(request.protocols)) return respond(this.currentGenerationResponse(group, member, group.isLeader(memberId)))
        return this.updateMemberAndRebalance(group, member, request, respond)

      case GroupState.Stable:
        // "force a rebalance if the leader sends JoinGroup; This allows the leader to trigger
        // rebalances for changes affecting assignment which do not affect the member metadata
        // (such as topic metadata changes for the consumer)"
        if (group.isLeader(memberId) || !member.matches(request.protocols)) return this.updateMemberAndRebalance(group, member, request, respond)
        return respond(this.currentGenerationResponse(group, member, false))

      case GroupState.Empty:
      case GroupState.Dead:
        return respond(joinErrorResponse(memberId, ErrorCode.UNKNOWN_MEMBER_ID))
    }
  }

  private currentGenerationResponse(group: ClassicGroup, member: GroupMember, withMembers: boolean): JoinGroupResponse {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
    }
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, request: JoinGroupRequest, respond: JoinAwaiter): void {
    const member = new GroupMember(
      {
        memberId,
        groupInstanceId: request.groupInstanceId ?? null,
        clientId: request.clientId,
        clientHost: request.clientHost,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs,
        sessionTimeoutMs: request.sessionTimeoutMs,
        protocolType: request.protocolType,
        supportedProtocols: copyProtocols(request.protocols),
      },
      this.clock.now(),
    )
    member.isNew = true
    // "update the newMemberAdded flag to indicate that the join group can be further delayed"
    if (group.is(GroupState.PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true

    this.delayed.cancelPendingMemberExpiration(group, memberId)
    group.add(member, respond)
    this.emit({ type: 'memberJoined', groupId: group.groupId, memberId })
    // "we timeout JoinGroup requests for new members. If the new member is still there, we
    // expect it to retry."
    this.delayed.scheduleHeartbeatExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS)
    this.maybePrepareRebalance(group)
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, request: JoinGroupRequest, respond: JoinAwaiter): void {
    const superseded = group.updateMember(member, copyProtocols(request.protocols), request.rebalanceTimeoutMs, request.sessionTimeoutMs, respond)
    superseded?.(joinErrorResponse(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS))
    this.maybePrepareRebalance(group)
  }

  /**
   * A static member rejoined without its member id: it continues under a new one (Kafka's
   * updateStaticMemberAndRebalance). JoinGroup here has no SkipAssignment field (v9), so a
   * Stable group answers with the old leader id, keeping the member from acting as leader.
   */
  private updateStaticMemberAndRebalance(
    group: ClassicGroup,
    oldMemberId: string,
    newMemberId: string,
    groupInstanceId: string,
    request: JoinGroupRequest,
    respond: JoinAwaiter,
  ): void {
    const currentLeader = group.leaderId ?? ''
    const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId)
    this.emit({ type: 'memberRemoved', groupId: group.groupId, memberId: oldMemberId, reason: 'replaced' })
    this.emit({ type: 'memberJoined', groupId: group.groupId, memberId: newMemberId })
    this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
    group.updateMember(member, copyProtocols(request.protocols), request.rebalanceTimeoutMs, request.sessionTimeoutMs, respond)

    switch (group.state) {
      case GroupState.Stable:
        // "check if group's selectedProtocol of next generation will change, if not, simply
        // store group to persist the updated static member"
        if (group.selectProtocol() === group.protocolName) {
          group.maybeInvokeJoinCallback(member, {
            errorCode: ErrorCode.NONE,
            generationId: group.generationId,
            protocolType: group.protocolType,
            protocolName: group.protocolName,
            leader: currentLeader,
            memberId: newMemberId,
            members: [],
          })
        } else {
          this.maybePrepareRebalance(group)
        }
        return
      case GroupState.CompletingRebalance:
        // "the old member may already be sent to the leader for assignment ... the new member
        // id would not get any assignment", so rebalance.
        return this.prepareRebalance(group)
      case GroupState.PreparingRebalance:
      case GroupState.Empty:
      case GroupState.Dead:
        return
    }
  }

  // ===========================================================================================
  // Rebalance phases

  private maybePrepareRebalance(group: ClassicGroup): void {
    if (canRebalance(group.state)) this.prepareRebalance(group)
  }

  /** Kafka's prepareRebalance: cancel any sync in progress and start the join phase. */
  private prepareRebalance(group: ClassicGroup): void {
    // "if any members are awaiting sync, cancel their request and have them rejoin"
    if (group.is(GroupState.CompletingRebalance)) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS)
    this.removeSyncExpiration(group)

    const wasEmpty = group.is(GroupState.Empty)
    this.transition(group, GroupState.PreparingRebalance)

    if (wasEmpty) {
      // A starting group waits group.initial.rebalance.delay.ms for more members (KIP-134).
      const delay = Math.max(0, this.config().groupInitialRebalanceDelayMs)
      if (delay === 0) return this.onCompleteJoin(group)
      this.delayed.scheduleInitialDelayedJoin(group, delay, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0))
    } else {
      this.delayed.scheduleDelayedJoin(group)
    }
  }

  /** Kafka's onCompleteJoin: the join phase is over; start the next generation. */
  private onCompleteJoin(group: ClassicGroup): void {
    // Dynamic members that did not rejoin in time are out; static ones keep their place.
    for (const member of group.notYetRejoinedMembers()) {
      if (!member.isStaticMember) this.detachMember(group, member, 'rebalanceTimeout')
    }
    if (group.is(GroupState.Dead)) return

    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // "If all members are not rejoining, we will postpone the completion of rebalance
      // preparing stage, and send out another delayed operation until session timeout
      // removes all the non-responsive members." (only static members can be in this state)
      return this.delayed.scheduleDelayedJoin(group)
    }

    // initNextGeneration
    group.generationId++
    group.clearPendingSyncMembers()
    if (group.size === 0) {
      group.protocolName = null
      group.subscribedTopics = group.computeSubscribedTopics(this.decodeSubscription)
      this.transition(group, GroupState.Empty)
      return
    }
    group.protocolName = group.selectProtocol()
    group.subscribedTopics = group.computeSubscribedTopics(this.decodeSubscription)
    this.transition(group, GroupState.CompletingRebalance)
    this.emit({
      type: 'rebalanced',
      groupId: group.groupId,
      generationId: group.generationId,
      leaderId: group.leaderId ?? '',
      members: [...group.members.keys()],
      protocolName: group.protocolName,
    })

    // "trigger the awaiting join group response callback for all the members after rebalancing"
    for (const member of [...group.members.values()]) {
      group.maybeInvokeJoinCallback(member, this.currentGenerationResponse(group, member, group.isLeader(member.memberId)))
      this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
      member.isNew = false
      group.addPendingSyncMember(member.memberId)
    }
    this.delayed.schedulePendingSync(group)
  }

  /** Kafka's onExpirePendingSync: the members that did not sync in time are out, and the group rebalances. */
  private onExpirePendingSync(group: ClassicGroup): void {
    if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return
    if (group.hasReceivedSyncFromAllMembers()) return
    for (const memberId of group.allPendingSyncMembers()) {
      const member = group.members.get(memberId)
      if (member) this.detachMember(group, member, 'rebalanceTimeout')
      else group.removePendingSyncMember(memberId)
    }
    this.prepareRebalance(group)
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.removePendingSyncMember(memberId)
    this.delayed.maybeCompleteSyncExpiration(group)
  }

  private removeSyncExpiration(group: ClassicGroup): void {
    group.clearPendingSyncMembers()
    this.delayed.maybeCompleteSyncExpiration(group)
  }

  // ===========================================================================================
  // SyncGroup

  /** SyncGroup: followers' requests resolve when the leader's assignment arrives. */
  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResponse> {
    return new Promise((resolve) => this.handleSyncGroup(request, resolve))
  }

  private handleSyncGroup(request: SyncGroupRequest, respond: SyncAwaiter): void {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return respond(syncErrorResponse(statusError))
    const group = this.groups.get(request.groupId)
    if (!group) return respond(syncErrorResponse(ErrorCode.UNKNOWN_MEMBER_ID))

    const validationError = this.validateSyncGroup(group, request)
    if (validationError !== undefined) return respond(syncErrorResponse(validationError))

    switch (group.state) {
      case GroupState.Empty:
        return respond(syncErrorResponse(ErrorCode.UNKNOWN_MEMBER_ID))

      case GroupState.PreparingRebalance:
        return respond(syncErrorResponse(ErrorCode.REBALANCE_IN_PROGRESS))

      case GroupState.CompletingRebalance: {
        const member = group.get(request.memberId)
        const superseded = member.awaitingSync
        member.awaitingSync = respond
        superseded?.(syncErrorResponse(ErrorCode.REBALANCE_IN_PROGRESS))
        this.removePendingSyncMember(group, request.memberId)

        // "if this is the leader, then we can attempt to persist state and transition to stable"
        if (group.isLeader(request.memberId)) {
          const assignment = new Map<string, Buffer>()
          for (const a of request.assignments) assignment.set(a.memberId, a.assignment)
          // "fill any missing members with an empty assignment"
          this.setAndPropagateAssignment(group, assignment)
          this.transition(group, GroupState.Stable)
        }
        return
      }

      case GroupState.Stable: {
        this.removePendingSyncMember(group, request.memberId)
        // "if the group is stable, we just return the current assignment"
        const member = group.get(request.memberId)
        respond({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment })
        this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
        return
      }

      case GroupState.Dead:
        return respond(syncErrorResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE))
    }
  }

  private validateSyncGroup(group: ClassicGroup, request: SyncGroupRequest): number | undefined {
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    const memberError = group.validateMember(request.memberId, request.groupInstanceId ?? null)
    if (memberError !== undefined) return memberError
    if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION
    // SyncGroup v5+ repeats the protocol type and name; they must match the group's.
    if (request.protocolType != null && request.protocolType !== group.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL
    if (request.protocolName != null && request.protocolName !== group.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL
    return undefined
  }

  private setAndPropagateAssignment(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): void {
    for (const member of group.members.values()) member.assignment = assignment.get(member.memberId) ?? emptyBuffer
    this.propagateAssignment(group, ErrorCode.NONE)
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    for (const member of group.members.values()) member.assignment = emptyBuffer
    this.propagateAssignment(group, errorCode)
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE
    for (const member of [...group.members.values()]) {
      const answered = group.maybeInvokeSyncCallback(member, {
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      })
      // "reset the session timeout for members after propagating the member's assignment"
      if (answered) this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
    }
  }

  // ===========================================================================================
  // Heartbeat and session expiry

  heartbeat(request: HeartbeatRequest): HeartbeatResponse {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return { errorCode: statusError }
    const group = this.groups.get(request.groupId)
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID }

    if (group.is(GroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE }
    const memberError = group.validateMember(request.memberId, request.groupInstanceId ?? null)
    if (memberError !== undefined) return { errorCode: memberError }
    if (request.generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION }

    switch (group.state) {
      case GroupState.Empty:
        return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID }
      case GroupState.CompletingRebalance:
      // "consumers may start sending heartbeat after join-group response, in which case we
      // should treat them as normal hb request and reset the timer"
      case GroupState.Stable: {
        const member = group.get(request.memberId)
        this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
        return { errorCode: ErrorCode.NONE }
      }
      case GroupState.PreparingRebalance: {
        // The heartbeat still counts as a sign of life; its answer tells the member to rejoin.
        const member = group.get(request.memberId)
        this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
        return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS }
      }
      case GroupState.Dead:
        return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE }
    }
  }

  /** Kafka's removePendingMemberAndUpdateGroup: a pending id no longer holds up the join phase. */
  private removePendingMember(group: ClassicGroup, memberId: string): void {
    this.delayed.cancelPendingMemberExpiration(group, memberId)
    group.remove(memberId)
    if (group.is(GroupState.PreparingRebalance)) this.delayed.checkAndCompleteJoin(group)
  }

  /**
   * Takes a member out of the group: answers what it has parked, stops its session check,
   * and reports it. Kafka answers a parked JoinGroup UNKNOWN_MEMBER_ID "so that the consumer
   * will retry the JoinGroup request if is still active".
   */
  private detachMember(group: ClassicGroup, member: GroupMember, reason: MemberRemovalReason): void {
    group.maybeInvokeJoinCallback(member, joinErrorResponse('', ErrorCode.UNKNOWN_MEMBER_ID))
    group.maybeInvokeSyncCallback(member, syncErrorResponse(ErrorCode.UNKNOWN_MEMBER_ID))
    group.remove(member.memberId)
    this.delayed.cancelHeartbeatExpiration(member)
    this.emit({ type: 'memberRemoved', groupId: group.groupId, memberId: member.memberId, reason })
  }

  /** Kafka's removeMemberAndUpdateGroup: remove, then rebalance or re-check the join phase. */
  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember, reason: MemberRemovalReason): void {
    this.detachMember(group, member, reason)
    switch (group.state) {
      case GroupState.Dead:
      case GroupState.Empty:
        return
      case GroupState.Stable:
      case GroupState.CompletingRebalance:
        return this.maybePrepareRebalance(group)
      case GroupState.PreparingRebalance:
        return this.delayed.checkAndCompleteJoin(group)
    }
  }

  // ===========================================================================================
  // LeaveGroup

  leaveGroup(request: LeaveGroupRequest): LeaveGroupResponse {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return { errorCode: statusError, members: [] }
    const group = this.groups.get(request.groupId)
    if (!group) {
      return { errorCode: ErrorCode.NONE, members: request.members.map((m) => ({ memberId: m.memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) }
    }
    if (group.is(GroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] }

    const members = request.members.map((leaving) => {
      const memberId = leaving.memberId
      const groupInstanceId = leaving.groupInstanceId ?? null
      // "The LeaveGroup API allows administrative removal of members by GroupInstanceId in
      // which case we expect the MemberId to be undefined."
      if (memberId === '') {
        const currentMemberId = groupInstanceId === null ? undefined : group.currentStaticMemberId(groupInstanceId)
        if (currentMemberId === undefined) return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID }
        this.removeMemberAndUpdateGroup(group, group.get(currentMemberId), 'left')
        return { memberId, errorCode: ErrorCode.NONE }
      }
      if (group.isPendingMember(memberId)) {
        this.removePendingMember(group, memberId)
        return { memberId, errorCode: ErrorCode.NONE }
      }
      const memberError = group.validateMember(memberId, groupInstanceId)
      if (memberError !== undefined) return { memberId, errorCode: memberError }
      this.removeMemberAndUpdateGroup(group, group.get(memberId), 'left')
      return { memberId, errorCode: ErrorCode.NONE }
    })
    return { errorCode: ErrorCode.NONE, members }
  }

  // ===========================================================================================
  // OffsetCommit, TxnOffsetCommit, OffsetFetch

  /**
   * OffsetCommit. The caller (the request layer) answers partitions of unknown topics with
   * UNKNOWN_TOPIC_OR_PARTITION before handing the rest here, as Kafka's KafkaApis does.
   */
  offsetCommit(request: OffsetCommitRequest): OffsetCommitResponse {
    return this.offsets.commitOffset(request)
  }

  /**
   * The group side of TxnOffsetCommit (KIP-98, KIP-447): validates the member and generation
   * and stages the offsets until completeTxnOffsetCommit reports the transaction's outcome.
   */
  txnOffsetCommit(request: TxnOffsetCommitInput): OffsetCommitResponse {
    return this.offsets.commitTransactionalOffset(request)
  }

  /** The transaction of `producerId` committed or aborted: its staged offsets become visible, or vanish. */
  completeTxnOffsetCommit(producerId: number, committed: boolean): void {
    this.offsets.completeTxnOffsetCommit(producerId, committed)
  }

  offsetFetch(request: OffsetFetchRequest): OffsetFetchResponse {
    return this.offsets.fetchOffsets(request)
  }

  /** The group's committed offset for a partition, if it has one. */
  committedOffset(groupId: string, topic: string, partition: number): number | undefined {
    return this.offsets.committedOffset(groupId, topic, partition)
  }

  /** OffsetDelete; partition errors are keyed "topic\0partition". */
  deleteOffsets(groupId: string, partitions: readonly { readonly topic: string; readonly partition: number }[]): { errorCode: number; partitionErrors: Map<string, number> } {
    return this.offsets.deleteOffsets(groupId, partitions)
  }

  // ===========================================================================================
  // ListGroups, DescribeGroups, DeleteGroups

  listGroups(request: ListGroupsRequest): ListGroupsResponse {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] }
    const states = request.statesFilter ?? []
    const groups: ListGroupsResponse['groups'][number][] = []
    for (const group of this.groups.values()) {
      if (group.is(GroupState.Dead)) continue
      // "if states is empty, return all groups" (names compared exactly, as Kafka does)
      if (states.length > 0 && !states.includes(group.state)) continue
      groups.push({ groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state })
    }
    return { errorCode: ErrorCode.NONE, groups }
  }

  /**
   * DescribeGroups (Kafka's GroupMetadata.summary): member metadata and assignments only for
   * a Stable group, whose protocolData is the selected protocol; an unknown group is
   * described as Dead with no error.
   */
  describeGroups(request: DescribeGroupsRequest): DescribeGroupsResponse {
    return {
      groups: request.groups.map((groupId): DescribedGroup => {
        const statusError = this.validateGroupStatus(groupId, true)
        if (statusError !== undefined) {
          return { errorCode: statusError, groupId, groupState: '', protocolType: '', protocolData: '', members: [] }
        }
        const group = this.groups.get(groupId)
        if (!group) return { errorCode: ErrorCode.NONE, groupId, groupState: GroupState.Dead, protocolType: '', protocolData: '', members: [] }
        const stable = group.is(GroupState.Stable) && group.protocolName !== null
        return {
          errorCode: ErrorCode.NONE,
          groupId,
          groupState: group.state,
          protocolType: group.protocolType ?? '',
          protocolData: stable ? group.protocolName! : '',
          members: [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: stable ? m.metadata(group.protocolName!) : emptyBuffer,
            memberAssignment: stable ? m.assignment : emptyBuffer,
          })),
        }
      }),
    }
  }

  /** DeleteGroups: only Empty groups can go; their offsets go with them. */
  deleteGroups(request: DeleteGroupsRequest): DeleteGroupsResponse {
    const results: DeleteGroupsResponse['results'][number][] = []
    for (const groupId of new Set(request.groupsNames)) {
      const statusError = this.validateGroupStatus(groupId, true)
      if (statusError !== undefined) {
        results.push({ groupId, errorCode: statusError })
        continue
      }
      const group = this.groups.get(groupId)
      if (!group || group.is(GroupState.Dead)) {
        results.push({ groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND })
      } else if (group.is(GroupState.Empty)) {
        this.offsets.deleteAllOffsets(groupId)
        this.markDead(group)
        results.push({ groupId, errorCode: ErrorCode.NONE })
      } else {
        results.push({ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP })
      }
    }
    return { results }
  }

  // ===========================================================================================
  // Signals from the rest of the cluster

  /**
   * A topic was deleted: every group forgets its offsets for it (Kafka's
   * handleDeletedPartitions), a group left Empty with no offsets is removed, and groups whose
   * members subscribe to it rebalance, so that the leader assigns without it.
   */
  onTopicDeleted(topic: string): void {
    if (this.closed) return
    this.offsets.onTopicDeleted(topic)
    for (const group of [...this.groups.values()]) {
      if (this.maybeDeleteGroup(group)) continue
      if (group.subscribedTopics?.has(topic)) this.requestRebalance(group.groupId, `topic ${topic} deleted`)
    }
  }

  /**
   * Starts a rebalance of a group with members that is not already rebalancing (a subscribed
   * topic's partition count changed, or it was created or deleted). Returns whether one started.
   * `reason` is for the caller's records, as Kafka's rebalance reasons are for its logs.
   */
  requestRebalance(groupId: string, reason: string): boolean {
    void reason
    if (this.closed) return false
    const group = this.groups.get(groupId)
    if (!group || !(group.is(GroupState.Stable) || group.is(GroupState.CompletingRebalance))) return false
    this.prepareRebalance(group)
    return true
  }

  /** The groups whose members subscribe to `topic` (when the subscription is known). */
  groupsSubscribedTo(topic: string): string[] {
    return [...this.groups.values()].filter((g) => g.subscribedTopics?.has(topic)).map((g) => g.groupId)
  }

  // ===========================================================================================
  // Views

  /** A group's state and generation, cheaply (settle() asks this for every consumer, often). */
  groupStatus(groupId: string): { state: GroupState; generationId: number } | undefined {
    const group = this.groups.get(groupId)
    return group ? { state: group.state, generationId: group.generationId } : undefined
  }

  /**
   * The groups with a rebalance under way (PreparingRebalance, CompletingRebalance): what a
   * settled cluster has none of. Kept cheap: settle() and the self-advancing clock ask often.
   */
  rebalancingGroups(): { groupId: string; state: GroupState }[] {
    if (this.closed) return []
    const out: { groupId: string; state: GroupState }[] = []
    for (const group of this.groups.values()) {
      if (group.is(GroupState.PreparingRebalance) || group.is(GroupState.CompletingRebalance)) out.push({ groupId: group.groupId, state: group.state })
    }
    return out
  }

  /** Whether a member id is in the group now (a hung member expelled after its session is not). */
  hasMember(groupId: string, memberId: string): boolean {
    return this.groups.get(groupId)?.has(memberId) === true
  }

  snapshot(): GroupSnapshot[] {
    return [...this.groups.values()].map((group) => ({
      groupId: group.groupId,
      state: group.state,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: group.leaderId,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment: m.assignment,
        sessionTimeoutMs: m.sessionTimeoutMs,
      })),
      offsets: this.offsets.allOffsets(group.groupId).map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, metadata: o.metadata })),
    }))
  }

  /**
   * Shuts the coordinator down: every timer is cancelled and every parked JoinGroup and
   * SyncGroup is answered COORDINATOR_NOT_AVAILABLE; later requests get the same (Kafka's
   * validateGroupStatus once the coordinator is no longer active).
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.delayed.close()
    for (const group of this.groups.values()) {
      this.delayed.cancelGroupTimers(group)
      for (const member of [...group.members.values()]) {
        group.maybeInvokeJoinCallback(member, joinErrorResponse(member.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
        group.maybeInvokeSyncCallback(member, syncErrorResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE))
      }
    }
  }

  // ===========================================================================================
  // Offset expiration (GroupCoordinatorShard.cleanupGroupMetadata)

  /** One expiration pass: expired offsets go, and Empty groups with none left are removed. */
  cleanupGroupMetadata(): void {
    if (this.closed) return
    for (const group of [...this.groups.values()]) {
      this.offsets.cleanupExpiredOffsets(group)
      this.maybeDeleteGroup(group)
    }
  }

  // ===========================================================================================
  // Helpers

  /**
   * Kafka's validateGroupStatus: a valid group id (empty allowed only for the offset APIs,
   * DescribeGroups and DeleteGroups), and an active coordinator.
   */
  private validateGroupStatus(groupId: string, allowEmptyGroupId: boolean): number | undefined {
    if (typeof groupId !== 'string' || (!allowEmptyGroupId && groupId === '')) return ErrorCode.INVALID_GROUP_ID
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    return undefined
  }

  private createGroup(groupId: string): ClassicGroup {
    const group = new ClassicGroup(groupId, this.clock.now())
    this.groups.set(groupId, group)
    this.delayed.ensureRetentionCheck()
    return group
  }

  /** Kafka's maybeDeleteGroup: an Empty group without offsets is removed. Returns whether it was. */
  private maybeDeleteGroup(group: ClassicGroup): boolean {
    if (!group.is(GroupState.Empty) || this.offsets.hasOffsets(group.groupId)) return false
    this.markDead(group)
    return true
  }

  /** The group moves to Dead and leaves the coordinator, timers and all. */
  private markDead(group: ClassicGroup): void {
    this.transition(group, GroupState.Dead)
    this.delayed.cancelGroupTimers(group)
    if (this.groups.get(group.groupId) === group) this.groups.delete(group.groupId)
  }

  /** Whether a timer's group is still the coordinator's live group of that id. */
  private isLive(group: ClassicGroup): boolean {
    return !this.closed && this.groups.get(group.groupId) === group && !group.is(GroupState.Dead)
  }

  private transition(group: ClassicGroup, to: GroupState): void {
    const from = group.transitionTo(to, this.clock.now())
    this.emit({ type: 'groupStateChanged', groupId: group.groupId, from, to })
  }

  private emit(event: GroupEvent): void {
    this.emitEvent?.(event)
  }
}

function protocolNames(protocols: readonly GroupProtocol[]): Set<string> {
  return new Set(protocols.map((p) => p.name))
}

/** The request's protocols, detached from the caller's array (the buffers are shared, not copied). */
function copyProtocols(protocols: readonly GroupProtocol[]): GroupProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: p.metadata }))
}
