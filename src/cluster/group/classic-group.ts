/**
 * One classic group (the group of the JoinGroup/SyncGroup protocol, which Kafka calls
 * ClassicGroup since KIP-848 gave the name "consumer group" to the new protocol's groups), as
 * Kafka's GroupMetadata (core/.../coordinator/group/GroupMetadata.scala, 3.7) holds it: state
 * and generation, the selected protocol, the leader, the members (and the static-member index
 * of KIP-345), the member ids handed out with MEMBER_ID_REQUIRED that have not rejoined yet
 * (KIP-394) and the members whose SyncGroup is still expected. Its committed offsets are the
 * OffsetMetadataManager's (offset-metadata-manager.ts).
 *
 * This is the data, its bookkeeping, and the checks a group makes of requests itself (Kafka's
 * ClassicGroup.validate*); the rules (who may join, when a phase completes, what each request
 * is answered) live in GroupCoordinator. The timer handles of the group's delayed operations
 * (delayed-operations.ts) are kept here so that deleting a group drops them with it.
 */
import type { TimerHandle } from '../clock.js'
import { ErrorCode } from '../error-codes.js'
import type { DescribedGroup, JoinGroupResponse, SyncGroupResponse } from '../api/messages.js'
import { ClassicGroupState, assertValidTransition } from './classic-group-state.js'
import type { ClassicGroupMember, GroupProtocol, JoinAwaiter } from './classic-group-member.js'

/** The protocol type of groups formed by consumers (Kafka's ConsumerProtocol.PROTOCOL_TYPE). */
export const CONSUMER_PROTOCOL_TYPE = 'consumer'

/** A member's assignment before the leader gives one (and a reset one). */
export const EMPTY_ASSIGNMENT = Buffer.alloc(0)

export interface JoinedMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly metadata: Buffer
}

/** Decodes a member's subscription (the topics it consumes) from its protocol metadata. */
export type SubscriptionDecoder = (metadata: Buffer) => readonly string[] | undefined

/**
 * Which committed offsets offsets.retention.minutes may expire (Kafka's OffsetExpirationCondition):
 * those of the topics it applies to, counted from the base timestamp it gives.
 */
export interface OffsetExpirationCondition {
  appliesTo(topic: string): boolean
  /** From when an offset committed at `commitTimestamp` ages. */
  baseTimestamp(commitTimestamp: number): number
}

export class ClassicGroup {
  readonly groupId: string
  private currentState: ClassicGroupState = ClassicGroupState.Empty
  /** When the group entered its current state (KIP-211: an Empty group's offsets age from here). */
  currentStateTimestamp: number
  protocolType: string | null = null
  protocolName: string | null = null
  generationId = 0
  leaderId: string | null = null

  /** In the order members were added; this order decides leader fallback and vote ties. */
  readonly members = new Map<string, ClassicGroupMember>()
  /** group.instance.id -> member.id, for static members (KIP-345). */
  private readonly staticMembers = new Map<string, string>()
  /** Member ids handed out with MEMBER_ID_REQUIRED, awaiting their rejoin (KIP-394). */
  private readonly pendingMembers = new Set<string>()
  /** The expiry timer of each pending member id (its session timeout). */
  readonly pendingMemberTimers = new Map<string, TimerHandle>()
  /** Members of the current generation whose SyncGroup has not arrived yet. */
  private readonly pendingSyncMembers = new Set<string>()
  private numMembersAwaitingJoin = 0
  /** For each protocol name, how many members support it. */
  private readonly supportedProtocols = new Map<string, number>()

  /**
   * The topics the members consume, when protocolType is 'consumer' and every member's
   * subscription could be decoded; undefined when unknown. Computed per generation.
   */
  subscribedTopics: ReadonlySet<string> | undefined

  /** Set when a member joins during the initial delayed join, which then extends the delay. */
  newMemberAdded = false

  /** The delayed join (Kafka's DelayedJoin / InitialDelayedJoin) while PreparingRebalance. */
  joinTimer: TimerHandle | undefined
  /** Which kind of delayed join is running: an initial one never completes early. */
  joinKind: 'initial' | 'normal' | undefined
  /** The pending-sync expiration (Kafka's DelayedSync) after a join phase completes. */
  syncTimer: TimerHandle | undefined

  constructor(groupId: string, nowMs: number) {
    this.groupId = groupId
    this.currentStateTimestamp = nowMs
  }

  get state(): ClassicGroupState {
    return this.currentState
  }

  is(state: ClassicGroupState): boolean {
    return this.currentState === state
  }

  /** Moves to `to` if the transition table allows it (throws otherwise); returns the old state. */
  transitionTo(to: ClassicGroupState, nowMs: number): ClassicGroupState {
    const from = this.currentState
    assertValidTransition(this.groupId, from, to)
    this.currentState = to
    this.currentStateTimestamp = nowMs
    return from
  }

  // -------------------------------------------------------------------------------------------
  // Membership

  has(memberId: string): boolean {
    return this.members.has(memberId)
  }

  get(memberId: string): ClassicGroupMember {
    const member = this.members.get(memberId)
    if (!member) throw new Error(`Member ${memberId} is not in group ${this.groupId}`)
    return member
  }

  get size(): number {
    return this.members.size
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  /** Adds a member, parking its JoinGroup if `awaiter` is given. */
  add(member: ClassicGroupMember, awaiter?: JoinAwaiter): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) {
        throw new Error(`Static member with groupInstanceId=${member.groupInstanceId} cannot be added to group ${this.groupId} since it is already a member`)
      }
      this.staticMembers.set(member.groupInstanceId, member.memberId)
    }
    // The first member fixes the group's protocol type until the group empties again.
    if (this.members.size === 0) this.protocolType = member.protocolType
    if (this.protocolType !== member.protocolType) {
      throw new Error(`Member ${member.memberId} has protocol type ${member.protocolType}, group ${this.groupId} has ${this.protocolType}`)
    }
    if (this.leaderId === null) this.leaderId = member.memberId
    this.members.set(member.memberId, member)
    this.incSupportedProtocols(member)
    member.awaitingJoin = awaiter
    if (member.isAwaitingJoin) this.numMembersAwaitingJoin++
    this.pendingMembers.delete(member.memberId)
  }

  /**
   * Removes a member (or a pending member id). Parked requests are the coordinator's to
   * answer before calling this. A removed leader is replaced by the oldest remaining member.
   */
  remove(memberId: string): void {
    const member = this.members.get(memberId)
    if (member) {
      this.members.delete(memberId)
      this.decSupportedProtocols(member)
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId)
    }
    if (this.isLeader(memberId)) {
      const next = this.members.keys().next()
      this.leaderId = next.done ? null : next.value
    }
    this.pendingMembers.delete(memberId)
    this.pendingSyncMembers.delete(memberId)
  }

  /**
   * Keeps the leader if it rejoined, otherwise elects the first member that did. False when
   * the group has no leader (no members) or nobody rejoined (Kafka's maybeElectNewJoinedLeader).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false
    const leader = this.members.get(this.leaderId)
    if (leader?.isAwaitingJoin) return true
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId
        return true
      }
    }
    return false
  }

  /**
   * A static member rejoined with an unknown member id: the same member continues under a
   * new id. Requests the old id still has parked are fenced (KIP-345).
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicGroupMember {
    const member = this.members.get(oldMemberId)
    if (!member) throw new Error(`Cannot replace non-existing member id ${oldMemberId}`)
    this.maybeInvokeJoinCallback(member, joinErrorResponse(oldMemberId, ErrorCode.FENCED_INSTANCE_ID))
    this.maybeInvokeSyncCallback(member, syncErrorResponse(ErrorCode.FENCED_INSTANCE_ID))
    this.members.delete(oldMemberId)
    member.memberId = newMemberId
    this.members.set(newMemberId, member)
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId
    this.staticMembers.set(groupInstanceId, newMemberId)
    return member
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId)
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId)
  }

  addPendingMember(memberId: string): void {
    if (this.has(memberId)) throw new Error(`Attempt to add pending member ${memberId} which is already a stable member of the group`)
    this.pendingMembers.add(memberId)
  }

  get numPending(): number {
    return this.pendingMembers.size
  }

  addPendingSyncMember(memberId: string): void {
    if (!this.has(memberId)) throw new Error(`Attempt to add a pending sync for member ${memberId} which is not a member of the group`)
    this.pendingSyncMembers.add(memberId)
  }

  removePendingSyncMember(memberId: string): void {
    this.pendingSyncMembers.delete(memberId)
  }

  hasReceivedSyncFromAllMembers(): boolean {
    return this.pendingSyncMembers.size === 0
  }

  allPendingSyncMembers(): string[] {
    return [...this.pendingSyncMembers]
  }

  clearPendingSyncMembers(): void {
    this.pendingSyncMembers.clear()
  }

  get numAwaiting(): number {
    return this.numMembersAwaitingJoin
  }

  notYetRejoinedMembers(): ClassicGroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin)
  }

  /** Every member has a parked JoinGroup and no MEMBER_ID_REQUIRED rejoin is outstanding. */
  hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0
  }

  /** The group's rebalance timeout: the largest of its members' (Kafka's rebalanceTimeoutMs). */
  rebalanceTimeoutMs(): number {
    let timeout = 0
    for (const member of this.members.values()) timeout = Math.max(timeout, member.rebalanceTimeoutMs)
    return timeout
  }

  /**
   * Replaces a member's protocols and timeouts and parks (or clears) its JoinGroup. Returns
   * the JoinGroup it had parked before, if any, for the coordinator to answer.
   */
  updateMember(
    member: ClassicGroupMember,
    protocols: readonly GroupProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    awaiter: JoinAwaiter | undefined,
  ): JoinAwaiter | undefined {
    // The same list (a rejoin with byte-identical protocols keeps the member's): counts unchanged.
    if (protocols !== member.supportedProtocols) {
      this.decSupportedProtocols(member)
      member.supportedProtocols = protocols
      this.incSupportedProtocols(member)
    }
    member.rebalanceTimeoutMs = rebalanceTimeoutMs
    member.sessionTimeoutMs = sessionTimeoutMs
    const previous = member.awaitingJoin
    if (awaiter && !previous) this.numMembersAwaitingJoin++
    else if (!awaiter && previous) this.numMembersAwaitingJoin--
    member.awaitingJoin = awaiter
    return previous
  }

  /**
   * Answers the member's parked JoinGroup, if it has one. (A member already removed was
   * uncounted by remove().)
   */
  maybeInvokeJoinCallback(member: ClassicGroupMember, response: JoinGroupResponse): boolean {
    const awaiter = member.awaitingJoin
    if (!awaiter) return false
    member.awaitingJoin = undefined
    if (this.members.get(member.memberId) === member) this.numMembersAwaitingJoin--
    awaiter(response)
    return true
  }

  /** Answers the member's parked SyncGroup, if it has one. */
  maybeInvokeSyncCallback(member: ClassicGroupMember, response: SyncGroupResponse): boolean {
    const awaiter = member.awaitingSync
    if (!awaiter) return false
    member.awaitingSync = undefined
    awaiter(response)
    return true
  }

  // -------------------------------------------------------------------------------------------
  // Validation of the requests a group answers itself (Kafka's ClassicGroup.validate*)

  /**
   * Kafka's validateMember: a static member's instance id must map to this member id (else
   * FENCED_INSTANCE_ID, or UNKNOWN_MEMBER_ID if unknown), and the member must exist.
   */
  validateMember(memberId: string, groupInstanceId: string | null): number | undefined {
    if (groupInstanceId !== null) {
      const current = this.currentStaticMemberId(groupInstanceId)
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID
    }
    return this.has(memberId) ? undefined : ErrorCode.UNKNOWN_MEMBER_ID
  }

  /** SyncGroup (Kafka's validateSyncGroup): a current member of the current generation, of the group's protocol. */
  validateSyncGroup(memberId: string, groupInstanceId: string | null, generationId: number, protocolType?: string | null, protocolName?: string | null): number | undefined {
    const error = this.validateHeartbeat(memberId, groupInstanceId, generationId)
    if (error !== undefined) return error
    // SyncGroup v5+ repeats the protocol type and name; they must match the group's.
    if (protocolType != null && protocolType !== this.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL
    if (protocolName != null && protocolName !== this.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL
    return undefined
  }

  /** Heartbeat (Kafka's validateClassicGroupHeartbeat): a current member of the current generation. */
  validateHeartbeat(memberId: string, groupInstanceId: string | null, generationId: number): number | undefined {
    if (this.is(ClassicGroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    const memberError = this.validateMember(memberId, groupInstanceId)
    if (memberError !== undefined) return memberError
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION
    return undefined
  }

  /** Kafka's validateOffsetCommit, for OffsetCommit and (isTransactional) TxnOffsetCommit. */
  validateOffsetCommit(generationId: number, memberId: string, groupInstanceId: string | null, isTransactional: boolean): number | undefined {
    if (this.is(ClassicGroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    // "When the generation id is -1, the request comes from either the admin client or a
    // consumer which does not use the group management facility. In this case, the request
    // can commit offsets if the group is empty."
    if (generationId < 0 && this.is(ClassicGroupState.Empty)) return undefined
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      const memberError = this.validateMember(memberId, groupInstanceId)
      if (memberError !== undefined) return memberError
      if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION
    } else if (!isTransactional && !this.is(ClassicGroupState.Empty)) {
      // "When the group is non-empty, only members can commit offsets. This does not apply to
      // transactional offset commits"
      return ErrorCode.UNKNOWN_MEMBER_ID
    }
    // "We should not receive a commit request if the group has not completed rebalance ...
    // So let's return a REBALANCE_IN_PROGRESS to let consumer handle it gracefully."
    if (!isTransactional && this.is(ClassicGroupState.CompletingRebalance)) return ErrorCode.REBALANCE_IN_PROGRESS
    return undefined
  }

  /**
   * Kafka's validateOffsetDelete: a Dead group is not found; a live group of another protocol
   * than 'consumer' is NON_EMPTY_GROUP (the broker cannot tell which topics it consumes).
   */
  validateOffsetDelete(): number | undefined {
    if (this.is(ClassicGroupState.Dead)) return ErrorCode.GROUP_ID_NOT_FOUND
    if (!this.is(ClassicGroupState.Empty) && this.protocolType !== CONSUMER_PROTOCOL_TYPE) return ErrorCode.NON_EMPTY_GROUP
    return undefined
  }

  /**
   * Whether OffsetDelete must keep the offsets of `topic` (GROUP_SUBSCRIBED_TO_TOPIC): a member
   * of the live group subscribes to it, or a subscription could not be decoded (it might).
   */
  isSubscribedToTopic(topic: string): boolean {
    if (this.is(ClassicGroupState.Empty)) return false
    return this.subscribedTopics === undefined || this.subscribedTopics.has(topic)
  }

  // -------------------------------------------------------------------------------------------
  // Protocols

  /**
   * Whether a member may join with this protocol type and these protocols: any non-empty
   * set for an Empty group; otherwise the group's type, and at least one protocol every
   * current member supports (Kafka's supportsProtocols).
   */
  supportsProtocols(memberProtocolType: string, memberProtocols: readonly GroupProtocol[]): boolean {
    if (this.is(ClassicGroupState.Empty)) return memberProtocolType !== '' && memberProtocols.length > 0
    if (this.protocolType !== memberProtocolType) return false
    // The request's list as it is (a name listed twice is asked about twice, with the same
    // answer), with no set of names made per JoinGroup.
    for (let i = 0; i < memberProtocols.length; i++) {
      if ((this.supportedProtocols.get(memberProtocols[i]!.name) ?? 0) === this.members.size) return true
    }
    return false
  }

  /**
   * The protocol for the next generation: among the protocols every member supports, each
   * member votes for its most preferred, and the most votes win (Kafka's selectProtocol).
   * Kafka breaks a tie by hash-map order; we take the tied protocol voted for first, in
   * member order, so that a seed replays the same choice.
   */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error('Cannot select protocol for empty group')
    const candidates = new Set<string>()
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) candidates.add(name)
    const votes = new Map<string, number>()
    for (const member of this.members.values()) {
      const choice = member.vote(candidates)
      votes.set(choice, (votes.get(choice) ?? 0) + 1)
    }
    let best = ''
    let bestVotes = -1
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name
        bestVotes = count
      }
    }
    return best
  }

  /** The member list the leader receives: each member's metadata for the selected protocol. */
  currentMemberMetadata(): JoinedMember[] {
    if (this.is(ClassicGroupState.Dead) || this.is(ClassicGroupState.PreparingRebalance) || this.protocolName === null) {
      throw new Error(`Cannot obtain member metadata for group in state ${this.currentState}`)
    }
    const protocol = this.protocolName
    return [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }))
  }

  /**
   * The topics the members subscribe to, when the group is a consumer group and every
   * member's subscription decodes (Kafka's computeSubscribedTopics: the broker parses the
   * consumer protocol for this). An empty consumer group subscribes to nothing.
   */
  computeSubscribedTopics(decode: SubscriptionDecoder | undefined): ReadonlySet<string> | undefined {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return undefined
    if (this.members.size === 0) return new Set()
    if (this.protocolName === null || !decode) return undefined
    const topics = new Set<string>()
    for (const member of this.members.values()) {
      const subscription = member.subscription(this.protocolName, decode)
      if (!subscription) return undefined
      for (let i = 0; i < subscription.length; i++) topics.add(subscription[i]!)
    }
    return topics
  }

  private incSupportedProtocols(member: ClassicGroupMember): void {
    for (const p of member.supportedProtocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + 1)
  }

  private decSupportedProtocols(member: ClassicGroupMember): void {
    for (const p of member.supportedProtocols) {
      const count = (this.supportedProtocols.get(p.name) ?? 0) - 1
      if (count > 0) this.supportedProtocols.set(p.name, count)
      else this.supportedProtocols.delete(p.name)
    }
  }

  /**
   * The group for DescribeGroups (Kafka's GroupMetadata.summary): member metadata and
   * assignments only for a Stable group, whose protocolData is the selected protocol.
   */
  describe(): DescribedGroup {
    const protocol = this.is(ClassicGroupState.Stable) ? this.protocolName : null
    return {
      errorCode: ErrorCode.NONE,
      groupId: this.groupId,
      groupState: this.state,
      protocolType: this.protocolType ?? '',
      protocolData: protocol ?? '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: protocol !== null ? m.metadata(protocol) : EMPTY_ASSIGNMENT,
        memberAssignment: protocol !== null ? m.assignment : EMPTY_ASSIGNMENT,
      })),
    }
  }

  // -------------------------------------------------------------------------------------------
  // Offset expiration

  /**
   * Which offsets may expire, by Kafka's rules since 2.1 (KIP-211, GroupMetadata.removeExpiredOffsets):
   * - a group with a protocol type and no members: every offset, once the retention has
   *   passed since the group became Empty;
   * - a Stable consumer group whose subscriptions are known: offsets of topics nobody
   *   subscribes to, once the retention has passed since their commit;
   * - a group that never had members (offset storage only): each offset, once the retention
   *   has passed since its commit;
   * - otherwise none (undefined).
   */
  offsetExpirationCondition(): OffsetExpirationCondition | undefined {
    const sinceCommit = (commitTimestamp: number): number => commitTimestamp
    if (this.protocolType !== null && this.is(ClassicGroupState.Empty)) {
      const emptySince = this.currentStateTimestamp
      return { appliesTo: () => true, baseTimestamp: () => emptySince }
    }
    if (this.protocolType === CONSUMER_PROTOCOL_TYPE && this.subscribedTopics !== undefined && this.is(ClassicGroupState.Stable)) {
      const subscribed = this.subscribedTopics
      return { appliesTo: (topic) => !subscribed.has(topic), baseTimestamp: sinceCommit }
    }
    if (this.protocolType === null) return { appliesTo: () => true, baseTimestamp: sinceCommit }
    return undefined
  }
}

/** A JoinGroup answer carrying only an error (Kafka's JoinGroupResult(memberId, error)). */
export function joinErrorResponse(memberId: string, errorCode: number): JoinGroupResponse {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] }
}

/** A SyncGroup answer carrying only an error (Kafka's SyncGroupResult(error)). */
export function syncErrorResponse(errorCode: number): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }
}
