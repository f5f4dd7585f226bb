/**
 * The classic groups and their protocol (the one kafkajs speaks): JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, the rebalances, ListGroups and DescribeGroups, as Kafka 4.0's
 * GroupMetadataManager (classicGroupJoin, classicGroupSync, ...) and Kafka 3.7's GroupCoordinator
 * (core/src/main/scala/kafka/coordinator/group) implement it. Comments quote or name the Kafka
 * method a rule comes from. Requests arrive here once the GroupCoordinator has checked their
 * group id and that it is active (Kafka's GroupCoordinatorService does the same).
 *
 * The delayed operations Kafka parks requests and expires sessions with (DelayedJoin,
 * DelayedSync, DelayedHeartbeat) are timers on the injected Clock (delayed-operations.ts), which
 * call back into this manager. Requests are handled synchronously; only parked
 * JoinGroup/SyncGroup answers wait, as promises that resolve when their phase completes.
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
  DescribedGroup,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from '../api/messages.js'
import { ClassicGroup, EMPTY_ASSIGNMENT, joinErrorResponse, syncErrorResponse } from './classic-group.js'
import type { SubscriptionDecoder } from './classic-group.js'
import { DelayedOperations } from './delayed-operations.js'
import type { GroupCoordinatorConfig } from './group-coordinator-config.js'
import { ClassicGroupMember } from './classic-group-member.js'
import type { GroupProtocol, JoinAwaiter, SyncAwaiter } from './classic-group-member.js'
import type { GroupEvent, MemberRemovalReason } from './group-events.js'
import { ClassicGroupState, canRebalance } from './classic-group-state.js'

/**
 * Kafka's GroupCoordinator.NewMemberJoinTimeoutMs: a new member cannot heartbeat while its
 * first JoinGroup is parked, so that JoinGroup is bounded by this instead.
 */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000

export interface GroupMetadataManagerDeps {
  readonly clock: Clock
  readonly random: Random
  readonly config: () => GroupCoordinatorConfig
  readonly emit: (event: GroupEvent) => void
  /** Decodes the topics a 'consumer' member subscribes to (see GroupCoordinatorDeps). */
  readonly decodeSubscription: SubscriptionDecoder | undefined
  /** Whether the coordinator is still active (false once closed). */
  readonly isActive: () => boolean
  /** The periodic offset-expiration pass is due (offsets.retention.check.interval.ms). */
  readonly onRetentionCheck: () => void
}

export class GroupMetadataManager {
  private readonly clock: Clock
  private readonly random: Random
  private readonly config: () => GroupCoordinatorConfig
  private readonly emit: (event: GroupEvent) => void
  private readonly decodeSubscription: SubscriptionDecoder | undefined
  private readonly isActive: () => boolean
  private readonly groupsById = new Map<string, ClassicGroup>()
  private readonly delayed: DelayedOperations

  constructor(deps: GroupMetadataManagerDeps) {
    this.clock = deps.clock
    this.random = deps.random
    this.config = deps.config
    this.emit = deps.emit
    this.decodeSubscription = deps.decodeSubscription
    this.isActive = deps.isActive
    this.delayed = new DelayedOperations(deps.clock, {
      isLive: (group) => this.isLive(group),
      onCompleteJoin: (group) => this.onCompleteJoin(group),
      onExpirePendingSync: (group) => this.onExpirePendingSync(group),
      onExpireHeartbeat: (group, member) => this.removeMemberAndUpdateGroup(group, member, 'sessionTimeout'),
      onExpirePendingMember: (group, memberId) => this.removePendingMember(group, memberId),
      onRetentionCheck: deps.onRetentionCheck,
      hasGroups: () => this.groupsById.size > 0,
      retentionCheckIntervalMs: () => this.config().offsetsRetentionCheckIntervalMs,
    })
  }

  // ===========================================================================================
  // JoinGroup

  /** JoinGroup (v4+ semantics): resolves when the member's join phase completes. */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResponse> {
    return new Promise((resolve) => this.handleJoinGroup(request, resolve))
  }

  private handleJoinGroup(request: JoinGroupRequest, respond: JoinAwaiter): void {
    const config = this.config()
    if (request.sessionTimeoutMs < config.groupMinSessionTimeoutMs || request.sessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
      return respond(joinErrorResponse(request.memberId, ErrorCode.INVALID_SESSION_TIMEOUT))
    }

    // "group is created if it does not exist and the member id is UNKNOWN. if member is
    // specified but group does not exist, request is rejected with UNKNOWN_MEMBER_ID"
    const isUnknownMember = request.memberId === ''
    let group = this.groupsById.get(request.groupId)
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
    if (group.is(ClassicGroupState.PreparingRebalance)) this.delayed.checkAndCompleteJoin(group)
  }

  /** Kafka's acceptJoiningMember: whether the group has room for this joiner. */
  private acceptJoiningMember(group: ClassicGroup, memberId: string, maxSize: number): boolean {
    switch (group.state) {
      case ClassicGroupState.Empty:
      case ClassicGroupState.Dead:
        return true
      // "the number of awaiting members is used here ... to kick out the last rejoining members"
      case ClassicGroupState.PreparingRebalance:
        return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numAwaiting < maxSize
      case ClassicGroupState.CompletingRebalance:
      case ClassicGroupState.Stable:
        return group.has(memberId) || group.size < maxSize
    }
  }

  private rejectOverCapacityJoiner(group: ClassicGroup, memberId: string): void {
    const member = group.members.get(memberId)
    if (member) this.detachMember(group, member, 'groupMaxSize')
    else this.removePendingMember(group, memberId)
  }

  private doNewMemberJoinGroup(group: ClassicGroup, request: JoinGroupRequest, respond: JoinAwaiter): void {
    if (group.is(ClassicGroupState.Dead)) return respond(joinErrorResponse('', ErrorCode.COORDINATOR_NOT_AVAILABLE))
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
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
    if (group.is(ClassicGroupState.Dead)) return respond(joinErrorResponse(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
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
      case ClassicGroupState.PreparingRebalance:
        return this.updateMemberAndRebalance(group, member, request, respond)

      case ClassicGroupState.CompletingRebalance:
        // "member is joining with the same metadata (which could be because it failed to
        // receive the initial JoinGroup response), so just return current group information
        // for the current generation."
        if (member.matches(request.protocols)) return respond(this.currentGenerationResponse(group, member, group.isLeader(memberId)))
        return this.updateMemberAndRebalance(group, member, request, respond)

      case ClassicGroupState.Stable:
        // "force a rebalance if the leader sends JoinGroup; This allows the leader to trigger
        // rebalances for changes affecting assignment which do not affect the member metadata
        // (such as topic metadata changes for the consumer)"
        if (group.isLeader(memberId) || !member.matches(request.protocols)) return this.updateMemberAndRebalance(group, member, request, respond)
        return respond(this.currentGenerationResponse(group, member, false))

      case ClassicGroupState.Empty:
      case ClassicGroupState.Dead:
        return respond(joinErrorResponse(memberId, ErrorCode.UNKNOWN_MEMBER_ID))
    }
  }

  private currentGenerationResponse(group: ClassicGroup, member: ClassicGroupMember, withMembers: boolean): JoinGroupResponse {
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
    const member = new ClassicGroupMember(
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
    if (group.is(ClassicGroupState.PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true

    this.delayed.cancelPendingMemberExpiration(group, memberId)
    group.add(member, respond)
    this.emit({ type: 'memberJoined', groupId: group.groupId, memberId })
    // "we timeout JoinGroup requests for new members. If the new member is still there, we
    // expect it to retry."
    this.delayed.scheduleHeartbeatExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS)
    this.maybePrepareRebalance(group)
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: ClassicGroupMember, request: JoinGroupRequest, respond: JoinAwaiter): void {
    // A member rejoining with the same protocols (byte for byte, the usual rejoin) keeps its
    // list: no copy, no recount, and its decoded subscription stays (issue 15).
    const protocols = member.matches(request.protocols) ? member.supportedProtocols : copyProtocols(request.protocols)
    const superseded = group.updateMember(member, protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, respond)
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
      case ClassicGroupState.Stable:
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
      case ClassicGroupState.CompletingRebalance:
        // "the old member may already be sent to the leader for assignment ... the new member
        // id would not get any assignment", so rebalance.
        return this.prepareRebalance(group)
      case ClassicGroupState.PreparingRebalance:
      case ClassicGroupState.Empty:
      case ClassicGroupState.Dead:
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
    if (group.is(ClassicGroupState.CompletingRebalance)) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS)
    this.removeSyncExpiration(group)

    const wasEmpty = group.is(ClassicGroupState.Empty)
    this.transition(group, ClassicGroupState.PreparingRebalance)

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
    if (group.is(ClassicGroupState.Dead)) return

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
      this.transition(group, ClassicGroupState.Empty)
      return
    }
    group.protocolName = group.selectProtocol()
    group.subscribedTopics = group.computeSubscribedTopics(this.decodeSubscription)
    this.transition(group, ClassicGroupState.CompletingRebalance)
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
    if (!group.is(ClassicGroupState.CompletingRebalance) && !group.is(ClassicGroupState.Stable)) return
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
    const group = this.groupsById.get(request.groupId)
    if (!group) return respond(syncErrorResponse(ErrorCode.UNKNOWN_MEMBER_ID))

    const validationError = group.validateSyncGroup(request.memberId, request.groupInstanceId ?? null, request.generationId, request.protocolType, request.protocolName)
    if (validationError !== undefined) return respond(syncErrorResponse(validationError))

    switch (group.state) {
      case ClassicGroupState.Empty:
        return respond(syncErrorResponse(ErrorCode.UNKNOWN_MEMBER_ID))

      case ClassicGroupState.PreparingRebalance:
        return respond(syncErrorResponse(ErrorCode.REBALANCE_IN_PROGRESS))

      case ClassicGroupState.CompletingRebalance: {
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
          this.transition(group, ClassicGroupState.Stable)
        }
        return
      }

      case ClassicGroupState.Stable: {
        this.removePendingSyncMember(group, request.memberId)
        // "if the group is stable, we just return the current assignment"
        const member = group.get(request.memberId)
        respond({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment })
        this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
        return
      }

      case ClassicGroupState.Dead:
        return respond(syncErrorResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE))
    }
  }

  private setAndPropagateAssignment(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): void {
    for (const member of group.members.values()) member.assignment = assignment.get(member.memberId) ?? EMPTY_ASSIGNMENT
    this.propagateAssignment(group, ErrorCode.NONE)
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    for (const member of group.members.values()) member.assignment = EMPTY_ASSIGNMENT
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
    const group = this.groupsById.get(request.groupId)
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID }

    const validationError = group.validateHeartbeat(request.memberId, request.groupInstanceId ?? null, request.generationId)
    if (validationError !== undefined) return { errorCode: validationError }

    switch (group.state) {
      case ClassicGroupState.Empty:
        return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID }
      case ClassicGroupState.CompletingRebalance:
      // "consumers may start sending heartbeat after join-group response, in which case we
      // should treat them as normal hb request and reset the timer"
      case ClassicGroupState.Stable: {
        const member = group.get(request.memberId)
        this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
        return { errorCode: ErrorCode.NONE }
      }
      case ClassicGroupState.PreparingRebalance: {
        // The heartbeat still counts as a sign of life; its answer tells the member to rejoin.
        const member = group.get(request.memberId)
        this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
        return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS }
      }
      case ClassicGroupState.Dead:
        return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE }
    }
  }

  /** Kafka's removePendingMemberAndUpdateGroup: a pending id no longer holds up the join phase. */
  private removePendingMember(group: ClassicGroup, memberId: string): void {
    this.delayed.cancelPendingMemberExpiration(group, memberId)
    group.remove(memberId)
    if (group.is(ClassicGroupState.PreparingRebalance)) this.delayed.checkAndCompleteJoin(group)
  }

  /**
   * Takes a member out of the group: answers what it has parked, stops its session check,
   * and reports it. Kafka answers a parked JoinGroup UNKNOWN_MEMBER_ID "so that the consumer
   * will retry the JoinGroup request if is still active".
   */
  private detachMember(group: ClassicGroup, member: ClassicGroupMember, reason: MemberRemovalReason): void {
    group.maybeInvokeJoinCallback(member, joinErrorResponse('', ErrorCode.UNKNOWN_MEMBER_ID))
    group.maybeInvokeSyncCallback(member, syncErrorResponse(ErrorCode.UNKNOWN_MEMBER_ID))
    group.remove(member.memberId)
    this.delayed.cancelHeartbeatExpiration(member)
    this.emit({ type: 'memberRemoved', groupId: group.groupId, memberId: member.memberId, reason })
  }

  /** Kafka's removeMemberAndUpdateGroup: remove, then rebalance or re-check the join phase. */
  private removeMemberAndUpdateGroup(group: ClassicGroup, member: ClassicGroupMember, reason: MemberRemovalReason): void {
    this.detachMember(group, member, reason)
    switch (group.state) {
      case ClassicGroupState.Dead:
      case ClassicGroupState.Empty:
        return
      case ClassicGroupState.Stable:
      case ClassicGroupState.CompletingRebalance:
        return this.maybePrepareRebalance(group)
      case ClassicGroupState.PreparingRebalance:
        return this.delayed.checkAndCompleteJoin(group)
    }
  }

  // ===========================================================================================
  // LeaveGroup

  leaveGroup(request: LeaveGroupRequest): LeaveGroupResponse {
    const group = this.groupsById.get(request.groupId)
    if (!group) {
      return { errorCode: ErrorCode.NONE, members: request.members.map((m) => ({ memberId: m.memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) }
    }
    if (group.is(ClassicGroupState.Dead)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] }

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
  // ListGroups, DescribeGroups

  /** ListGroups: every live group, or those in one of `states` ("if states is empty, return all groups"). */
  listGroups(states: readonly string[]): ListGroupsResponse['groups'] {
    const groups: ListGroupsResponse['groups'][number][] = []
    for (const group of this.groupsById.values()) {
      if (group.is(ClassicGroupState.Dead)) continue
      // Names compared exactly, as Kafka does.
      if (states.length > 0 && !states.includes(group.state)) continue
      groups.push({ groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state })
    }
    return groups
  }

  /** DescribeGroups of one group (ClassicGroup.describe); an unknown group is described as Dead with no error. */
  describeGroup(groupId: string): DescribedGroup {
    const group = this.groupsById.get(groupId)
    if (!group) return { errorCode: ErrorCode.NONE, groupId, groupState: ClassicGroupState.Dead, protocolType: '', protocolData: '', members: [] }
    return group.describe()
  }

  // ===========================================================================================
  // Signals from the rest of the cluster

  /**
   * Starts a rebalance of a group with members that is not already rebalancing (a subscribed
   * topic's partition count changed, or it was created or deleted). Returns whether one started.
   */
  requestRebalance(groupId: string): boolean {
    const group = this.groupsById.get(groupId)
    if (!group || !(group.is(ClassicGroupState.Stable) || group.is(ClassicGroupState.CompletingRebalance))) return false
    this.prepareRebalance(group)
    return true
  }

  /** The groups whose members subscribe to `topic` (when the subscription is known). */
  groupsSubscribedTo(topic: string): string[] {
    return [...this.groupsById.values()].filter((g) => g.subscribedTopics?.has(topic)).map((g) => g.groupId)
  }

  // ===========================================================================================
  // Views

  /** A group's state and generation, cheaply (settle() asks this for every consumer, often). */
  groupStatus(groupId: string): { state: ClassicGroupState; generationId: number } | undefined {
    const group = this.groupsById.get(groupId)
    return group ? { state: group.state, generationId: group.generationId } : undefined
  }

  /**
   * The groups with a rebalance under way (PreparingRebalance, CompletingRebalance): what a
   * settled cluster has none of. Kept cheap: settle() and the self-advancing clock ask often.
   */
  rebalancingGroups(): { groupId: string; state: ClassicGroupState }[] {
    const out: { groupId: string; state: ClassicGroupState }[] = []
    for (const group of this.groupsById.values()) {
      if (group.is(ClassicGroupState.PreparingRebalance) || group.is(ClassicGroupState.CompletingRebalance)) out.push({ groupId: group.groupId, state: group.state })
    }
    return out
  }

  /** Whether a member id is in the group now (a hung member expelled after its session is not). */
  hasMember(groupId: string, memberId: string): boolean {
    return this.groupsById.get(groupId)?.has(memberId) === true
  }

  /** The coordinator closes: every timer is cancelled and every parked JoinGroup and SyncGroup is answered COORDINATOR_NOT_AVAILABLE. */
  close(): void {
    this.delayed.close()
    for (const group of this.groupsById.values()) {
      this.delayed.cancelGroupTimers(group)
      for (const member of [...group.members.values()]) {
        group.maybeInvokeJoinCallback(member, joinErrorResponse(member.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
        group.maybeInvokeSyncCallback(member, syncErrorResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE))
      }
    }
  }

  // ===========================================================================================
  // The groups

  group(groupId: string): ClassicGroup | undefined {
    return this.groupsById.get(groupId)
  }

  /** Every group, in the order they were created. */
  groups(): IterableIterator<ClassicGroup> {
    return this.groupsById.values()
  }

  /** An offset commit is a sign of life (Kafka's rescheduleClassicGroupMemberHeartbeat). */
  rescheduleHeartbeat(group: ClassicGroup, member: ClassicGroupMember): void {
    this.delayed.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs)
  }

  /** A new group (for a first JoinGroup, or to store offsets: Kafka's getOrMaybeCreateClassicGroup). */
  createGroup(groupId: string): ClassicGroup {
    const group = new ClassicGroup(groupId, this.clock.now())
    this.groupsById.set(groupId, group)
    this.delayed.ensureRetentionCheck()
    return group
  }

  /** The group moves to Dead and leaves the coordinator, timers and all. */
  markDead(group: ClassicGroup): void {
    this.transition(group, ClassicGroupState.Dead)
    this.delayed.cancelGroupTimers(group)
    if (this.groupsById.get(group.groupId) === group) this.groupsById.delete(group.groupId)
  }

  /** Whether a timer's group is still the live group of that id, in an active coordinator. */
  private isLive(group: ClassicGroup): boolean {
    return this.isActive() && this.groupsById.get(group.groupId) === group && !group.is(ClassicGroupState.Dead)
  }

  private transition(group: ClassicGroup, to: ClassicGroupState): void {
    const from = group.transitionTo(to, this.clock.now())
    this.emit({ type: 'groupStateChanged', groupId: group.groupId, from, to })
  }
}

/** The request's protocols, detached from the caller's array (the buffers are shared, not copied). */
function copyProtocols(protocols: readonly GroupProtocol[]): GroupProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: p.metadata }))
}
