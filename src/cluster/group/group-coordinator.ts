/**
 * The group coordinator: the cluster's one entry point for every group API, as Kafka 4.0's
 * GroupCoordinatorService and GroupCoordinatorShard are. It checks what the service checks
 * before any group is looked at (a valid group id, a coordinator still active), hands the
 * request to the manager that owns it, and does what takes both managers:
 * - GroupMetadataManager (group-metadata-manager.ts): the classic groups, JoinGroup, SyncGroup,
 *   Heartbeat, LeaveGroup, the rebalances, ListGroups and DescribeGroups;
 * - OffsetMetadataManager (offset-metadata-manager.ts): the committed offsets, OffsetCommit,
 *   TxnOffsetCommit, OffsetFetch, OffsetDelete and their expiration;
 * - here: DeleteGroups, a deleted topic, the periodic expiration pass and close().
 */
import type { Clock } from '../clock.js'
import { ErrorCode } from '../error-codes.js'
import type { Random } from '../random.js'
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
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
import { joinErrorResponse, syncErrorResponse, type ClassicGroup, type SubscriptionDecoder } from './classic-group.js'
import type { GroupCoordinatorConfig } from './group-coordinator-config.js'
import type { GroupEvent } from './group-events.js'
import { GroupMetadataManager } from './group-metadata-manager.js'
import { ClassicGroupState } from './classic-group-state.js'
import { OffsetMetadataManager, type TxnOffsetCommitInput } from './offset-metadata-manager.js'

/** A group as plain data, for cluster.describe(). */
export interface GroupSnapshot {
  groupId: string
  state: ClassicGroupState
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

export class GroupCoordinator {
  private readonly groups: GroupMetadataManager
  private readonly offsets: OffsetMetadataManager
  private closed = false

  constructor(deps: GroupCoordinatorDeps) {
    const emit = (event: GroupEvent): void => deps.emit?.(event)
    this.groups = new GroupMetadataManager({
      clock: deps.clock,
      random: deps.random,
      config: deps.config,
      emit,
      decodeSubscription: deps.decodeSubscription,
      isActive: () => !this.closed,
      onRetentionCheck: () => this.cleanupGroupMetadata(),
    })
    this.offsets = new OffsetMetadataManager({
      clock: deps.clock,
      config: deps.config,
      emit,
      groups: {
        validateGroupStatus: (groupId, allowEmptyGroupId) => this.validateGroupStatus(groupId, allowEmptyGroupId),
        group: (groupId) => this.groups.group(groupId),
        createGroup: (groupId) => this.groups.createGroup(groupId),
        groups: () => this.groups.groups(),
        rescheduleHeartbeat: (group, member) => this.groups.rescheduleHeartbeat(group, member),
        maybeDeleteGroup: (group) => this.maybeDeleteGroup(group),
      },
    })
  }

  // ===========================================================================================
  // The classic group protocol (GroupMetadataManager)

  /** JoinGroup (v4+ semantics): resolves when the member's join phase completes. */
  joinGroup(request: JoinGroupRequest): Promise<JoinGroupResponse> {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return Promise.resolve(joinErrorResponse(request.memberId, statusError))
    return this.groups.joinGroup(request)
  }

  /** SyncGroup: followers' requests resolve when the leader's assignment arrives. */
  syncGroup(request: SyncGroupRequest): Promise<SyncGroupResponse> {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return Promise.resolve(syncErrorResponse(statusError))
    return this.groups.syncGroup(request)
  }

  heartbeat(request: HeartbeatRequest): HeartbeatResponse {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return { errorCode: statusError }
    return this.groups.heartbeat(request)
  }

  leaveGroup(request: LeaveGroupRequest): LeaveGroupResponse {
    const statusError = this.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return { errorCode: statusError, members: [] }
    return this.groups.leaveGroup(request)
  }

  listGroups(request: ListGroupsRequest): ListGroupsResponse {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] }
    return { errorCode: ErrorCode.NONE, groups: this.groups.listGroups(request.statesFilter ?? []) }
  }

  /** DescribeGroups: each group as ClassicGroup.describe gives it (Kafka's GroupMetadata.summary). */
  describeGroups(request: DescribeGroupsRequest): DescribeGroupsResponse {
    return {
      groups: request.groups.map((groupId) => {
        const statusError = this.validateGroupStatus(groupId, true)
        if (statusError !== undefined) return { errorCode: statusError, groupId, groupState: '', protocolType: '', protocolData: '', members: [] }
        return this.groups.describeGroup(groupId)
      }),
    }
  }

  // ===========================================================================================
  // Offsets (OffsetMetadataManager)

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
  // What takes both: DeleteGroups, deleted topics, expiration

  /** DeleteGroups: only Empty groups can go (Kafka's validateDeleteGroup); their offsets go with them. */
  deleteGroups(request: DeleteGroupsRequest): DeleteGroupsResponse {
    const results: DeleteGroupsResponse['results'][number][] = []
    for (const groupId of new Set(request.groupsNames)) {
      const statusError = this.validateGroupStatus(groupId, true)
      if (statusError !== undefined) {
        results.push({ groupId, errorCode: statusError })
        continue
      }
      const group = this.groups.group(groupId)
      if (!group || group.is(ClassicGroupState.Dead)) {
        results.push({ groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND })
      } else if (group.is(ClassicGroupState.Empty)) {
        this.offsets.deleteAllOffsets(groupId)
        this.groups.markDead(group)
        results.push({ groupId, errorCode: ErrorCode.NONE })
      } else {
        results.push({ groupId, errorCode: ErrorCode.NON_EMPTY_GROUP })
      }
    }
    return { results }
  }

  /**
   * A topic was deleted: every group forgets its offsets for it (Kafka's
   * onPartitionsDeleted), a group left Empty with no offsets is removed, and groups whose
   * members subscribe to it rebalance, so that the leader assigns without it.
   */
  onTopicDeleted(topic: string): void {
    if (this.closed) return
    this.offsets.onTopicDeleted(topic)
    for (const group of [...this.groups.groups()]) {
      if (this.maybeDeleteGroup(group)) continue
      if (group.subscribedTopics?.has(topic)) this.requestRebalance(group.groupId, `topic ${topic} deleted`)
    }
  }

  /**
   * One expiration pass (GroupCoordinatorShard.cleanupGroupMetadata): expired offsets go, and
   * Empty groups with none left are removed.
   */
  cleanupGroupMetadata(): void {
    if (this.closed) return
    for (const group of [...this.groups.groups()]) {
      this.offsets.cleanupExpiredOffsets(group)
      this.maybeDeleteGroup(group)
    }
  }

  /** Kafka's maybeDeleteGroup: an Empty group without offsets is removed. Returns whether it was. */
  private maybeDeleteGroup(group: ClassicGroup): boolean {
    if (!group.is(ClassicGroupState.Empty) || this.offsets.hasOffsets(group.groupId)) return false
    this.groups.markDead(group)
    return true
  }

  /**
   * Starts a rebalance of a group with members that is not already rebalancing (a subscribed
   * topic's partition count changed, or it was created or deleted). Returns whether one started.
   * `reason` is for the caller's records, as Kafka's rebalance reasons are for its logs.
   */
  requestRebalance(groupId: string, reason: string): boolean {
    void reason
    if (this.closed) return false
    return this.groups.requestRebalance(groupId)
  }

  // ===========================================================================================
  // Views

  /** The groups whose members subscribe to `topic` (when the subscription is known). */
  groupsSubscribedTo(topic: string): string[] {
    return this.groups.groupsSubscribedTo(topic)
  }

  /** A group's state and generation, cheaply (settle() asks this for every consumer, often). */
  groupStatus(groupId: string): { state: ClassicGroupState; generationId: number } | undefined {
    return this.groups.groupStatus(groupId)
  }

  /**
   * The groups with a rebalance under way (PreparingRebalance, CompletingRebalance): what a
   * settled cluster has none of. Kept cheap: settle() and the self-advancing clock ask often.
   */
  rebalancingGroups(): { groupId: string; state: ClassicGroupState }[] {
    if (this.closed) return []
    return this.groups.rebalancingGroups()
  }

  /** Whether a member id is in the group now (a hung member expelled after its session is not). */
  hasMember(groupId: string, memberId: string): boolean {
    return this.groups.hasMember(groupId, memberId)
  }

  snapshot(): GroupSnapshot[] {
    return [...this.groups.groups()].map((group) => ({
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
    this.groups.close()
  }

  /**
   * Kafka's validateGroupStatus: a valid group id (empty allowed only for the offset APIs,
   * DescribeGroups and DeleteGroups), and an active coordinator.
   */
  private validateGroupStatus(groupId: string, allowEmptyGroupId: boolean): number | undefined {
    if (typeof groupId !== 'string' || (!allowEmptyGroupId && groupId === '')) return ErrorCode.INVALID_GROUP_ID
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    return undefined
  }
}
