/**
 * The committed offsets of every group and their rules, as Kafka 4.0's OffsetMetadataManager
 * keeps them beside the GroupMetadataManager: OffsetCommit, the group side of TxnOffsetCommit
 * (offsets staged until their transaction ends, KIP-98 and KIP-447), OffsetFetch, OffsetDelete,
 * the removal of a deleted topic's offsets, and offset expiration (offsets.retention.minutes,
 * KIP-211). Kafka writes each of these to __consumer_offsets; here the tables are the store.
 *
 * What only the group can say (whether a member may commit, which topics its members consume,
 * which offsets may expire) the group answers (classic-group.ts); what the coordinator owns
 * (the groups, their sessions, their removal) is reached through GroupLookup.
 */
import type { Clock } from '../clock.js'
import { ErrorCode } from '../error-codes.js'
import type { OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse } from '../api/messages.js'
import type { ClassicGroup } from './classic-group.js'
import type { GroupCoordinatorConfig } from './group-coordinator-config.js'
import type { OffsetsCommittedEvent } from './group-events.js'
import type { ClassicGroupMember } from './classic-group-member.js'
import { ClassicGroupState } from './classic-group-state.js'

export interface OffsetAndMetadata {
  readonly offset: number
  /** '' when the commit carried none (Kafka's OffsetAndMetadata.NoMetadata). */
  readonly metadata: string
  readonly commitTimestamp: number
  /**
   * When the offset expires, for a commit that set its own retention (OffsetCommit v2-4's
   * RetentionTimeMs); absent: offsets.retention.minutes after the base time decides.
   */
  readonly expireTimestamp?: number | undefined
  /** The leader epoch the committer read the offset in (OffsetCommit v6+, KIP-320); absent: -1. */
  readonly leaderEpoch?: number | undefined
  /**
   * Where the commit would sit in __consumer_offsets: a coordinator-wide counter. A
   * transactional commit that completes later only replaces an offset committed before it
   * (Kafka's CommitRecordMetadataAndOffset.olderThan).
   */
  readonly appendSeq: number
}

export interface CommittedOffset extends OffsetAndMetadata {
  readonly topic: string
  readonly partition: number
}

/**
 * A TxnOffsetCommit (API 28) as the transaction side hands it over after its own checks
 * (KIP-447: the group member and generation are validated here).
 */
export interface TxnOffsetCommitInput {
  readonly groupId: string
  readonly producerId: number
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly topics: OffsetCommitRequest['topics']
}

/** What the offsets ask of the coordinator (Kafka's OffsetMetadataManager holds the GroupMetadataManager for this). */
export interface GroupLookup {
  /** Kafka's validateGroupStatus: a valid group id and an active coordinator. */
  validateGroupStatus(groupId: string, allowEmptyGroupId: boolean): number | undefined
  group(groupId: string): ClassicGroup | undefined
  /** A new group, to store offsets for (Kafka's getOrMaybeCreateClassicGroup). */
  createGroup(groupId: string): ClassicGroup
  /** Every group, in the coordinator's order. */
  groups(): Iterable<ClassicGroup>
  /** An offset commit is a sign of life (Kafka's rescheduleClassicGroupMemberHeartbeat). */
  rescheduleHeartbeat(group: ClassicGroup, member: ClassicGroupMember): void
  /** An Empty group left without offsets is removed (Kafka's maybeDeleteGroup). */
  maybeDeleteGroup(group: ClassicGroup): void
}

export interface OffsetMetadataManagerDeps {
  readonly clock: Clock
  readonly config: () => GroupCoordinatorConfig
  readonly groups: GroupLookup
  readonly emit: (event: OffsetsCommittedEvent) => void
}

type TopicPartition = { readonly topic: string; readonly partition: number }

type OffsetTable = Map<string, Map<number, OffsetAndMetadata>>

/** One group's offsets: the committed ones, and those staged by open transactions, by producer id. */
interface GroupOffsets {
  readonly committed: OffsetTable
  readonly pendingTxn: Map<number, OffsetTable>
}


export class OffsetMetadataManager {
  private readonly clock: Clock
  private readonly config: () => GroupCoordinatorConfig
  private readonly groups: GroupLookup
  private readonly emit: (event: OffsetsCommittedEvent) => void
  /** Kafka's offsetsByGroup (with its pendingTransactionalOffsets kept per group). */
  private readonly offsetsByGroup = new Map<string, GroupOffsets>()
  private appendSeq = 0

  constructor(deps: OffsetMetadataManagerDeps) {
    this.clock = deps.clock
    this.config = deps.config
    this.groups = deps.groups
    this.emit = deps.emit
  }

  // ===========================================================================================
  // OffsetCommit, TxnOffsetCommit

  /**
   * OffsetCommit. The caller (the request layer) answers partitions of unknown topics with
   * UNKNOWN_TOPIC_OR_PARTITION before handing the rest here, as Kafka's KafkaApis does.
   */
  commitOffset(request: OffsetCommitRequest): OffsetCommitResponse {
    const answer = (errorFor: (index: number) => number): OffsetCommitResponse => commitResponse(request.topics, errorFor)
    const statusError = this.groups.validateGroupStatus(request.groupId, true)
    if (statusError !== undefined) return answer(() => statusError)

    let group = this.groups.group(request.groupId)
    if (!group) {
      // "the group is not relying on Kafka for group management, so allow the commit" —
      // "or this is a request coming from an older generation. either way, reject the commit"
      if (request.generationId >= 0) return answer(() => ErrorCode.ILLEGAL_GENERATION)
      group = this.groups.createGroup(request.groupId)
    }

    const validationError = group.validateOffsetCommit(request.generationId, request.memberId, request.groupInstanceId ?? null, false)
    if (validationError !== undefined) return answer(() => validationError)

    // "During PreparingRebalance phase, we still allow a commit request since we rely on
    // heartbeat response to eventually notify the rebalance in progress signal to the consumer"
    if (group.is(ClassicGroupState.Stable) || group.is(ClassicGroupState.PreparingRebalance)) this.groups.rescheduleHeartbeat(group, group.get(request.memberId))
    const errors = this.storeOffsets(group, request.topics, undefined, request.retentionTimeMs)
    return errors === undefined ? answer(NO_ERROR) : answer((i) => errors[i]!)
  }

  /**
   * The group side of TxnOffsetCommit (KIP-98, KIP-447): validates the member and generation
   * and stages the offsets until completeTxnOffsetCommit reports the transaction's outcome.
   */
  commitTransactionalOffset(request: TxnOffsetCommitInput): OffsetCommitResponse {
    const answer = (errorFor: (index: number) => number): OffsetCommitResponse => commitResponse(request.topics, errorFor)
    // TxnOffsetCommit is not among the APIs that accept an empty group id.
    const statusError = this.groups.validateGroupStatus(request.groupId, false)
    if (statusError !== undefined) return answer(() => statusError)
    const group = this.groups.group(request.groupId) ?? this.groups.createGroup(request.groupId)
    const validationError = group.validateOffsetCommit(request.generationId, request.memberId, request.groupInstanceId ?? null, true)
    if (validationError !== undefined) return answer(() => validationError)
    const errors = this.storeOffsets(group, request.topics, request.producerId)
    return errors === undefined ? answer(NO_ERROR) : answer((i) => errors[i]!)
  }

  /**
   * The transaction of `producerId` committed or aborted (Kafka's replayEndTransactionMarker):
   * its staged offsets replace those committed before them (a later plain commit wins), or
   * vanish.
   */
  completeTxnOffsetCommit(producerId: number, isCommit: boolean): void {
    for (const group of this.groups.groups()) {
      const offsets = this.offsetsByGroup.get(group.groupId)
      const pending = offsets?.pendingTxn.get(producerId)
      if (!offsets || !pending) continue
      offsets.pendingTxn.delete(producerId)
      if (!isCommit) {
        this.dropIfEmpty(group.groupId)
        continue
      }
      const applied: CommittedOffset[] = []
      for (const [topic, partitions] of pending) {
        for (const [partition, value] of partitions) {
          const current = offsets.committed.get(topic)?.get(partition)
          if (current === undefined || current.appendSeq < value.appendSeq) {
            putOffset(offsets.committed, topic, partition, value)
            applied.push({ topic, partition, ...value })
          }
        }
      }
      if (applied.length > 0) this.emitCommitted(group, applied)
    }
  }

  /**
   * Kafka's storeOffsets: metadata over offset.metadata.max.bytes is refused per partition.
   * Answers each partition's error in request order, or undefined when every one is NONE. Read
   * straight from the request: a consumer of 10 000 partitions commits all of them at once, and
   * an entry per partition copied from the request, then a list of errors and a filtered copy
   * of the entries, were three more objects or lists per commit beside the stored offsets
   * (issue 15).
   */
  private storeOffsets(group: ClassicGroup, topics: OffsetCommitRequest['topics'], producerId: number | undefined, retentionTimeMs = -1): number[] | undefined {
    const maxBytes = this.config().offsetMetadataMaxBytes
    const now = this.clock.now()
    // OffsetCommit v1's own commit timestamp and v2-4's retention time (-1: none), as Kafka's
    // GroupCoordinatorAdapter.commitOffsets turns them into the offset's timestamps.
    // Written out rather than spread ({ ...(epoch ? { leaderEpoch } : {}) }): a commit of 10 000
    // partitions copied a temporary object per partition (issue 15).
    const expireTimestamp = retentionTimeMs !== -1 ? now + retentionTimeMs : undefined
    const committed: CommittedOffset[] = []
    let errors: number[] | undefined
    let at = 0
    for (let t = 0; t < topics.length; t++) {
      const topic = topics[t]!.name
      const partitions = topics[t]!.partitions
      for (let i = 0; i < partitions.length; i++, at++) {
        const p = partitions[i]!
        // Kafka compares String.length (UTF-16 code units), which is what JS length counts too.
        if (!(p.committedMetadata === null || p.committedMetadata.length <= maxBytes)) {
          ;(errors ??= noErrors(topics))[at] = ErrorCode.OFFSET_METADATA_TOO_LARGE
          continue
        }
        const metadata = p.committedMetadata ?? ''
        const commitTimestamp = p.commitTimestamp !== undefined && p.commitTimestamp !== -1 ? p.commitTimestamp : now
        const appendSeq = ++this.appendSeq
        const leaderEpoch = p.committedLeaderEpoch
        committed.push(
          leaderEpoch !== undefined && leaderEpoch >= 0
            ? { topic, partition: p.index, offset: p.committedOffset, metadata, commitTimestamp, leaderEpoch, expireTimestamp, appendSeq }
            : { topic, partition: p.index, offset: p.committedOffset, metadata, commitTimestamp, expireTimestamp, appendSeq },
        )
      }
    }
    if (committed.length === 0) return errors
    const offsets = this.offsetsOf(group.groupId)
    if (producerId !== undefined) {
      // Staged until the transaction ends; it becomes visible when the transaction commits.
      let pending = offsets.pendingTxn.get(producerId)
      if (!pending) offsets.pendingTxn.set(producerId, (pending = new Map()))
      for (const o of committed) {
        putOffset(pending, o.topic, o.partition, { offset: o.offset, metadata: o.metadata, commitTimestamp: o.commitTimestamp, appendSeq: o.appendSeq })
      }
    } else {
      for (const c of committed) putOffset(offsets.committed, c.topic, c.partition, c)
      this.emitCommitted(group, committed)
    }
    return errors
  }

  private emitCommitted(group: ClassicGroup, offsets: readonly CommittedOffset[]): void {
    this.emit({
      type: 'offsetsCommitted',
      groupId: group.groupId,
      generationId: group.generationId,
      offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
    })
  }

  // ===========================================================================================
  // OffsetFetch

  /**
   * OffsetFetch: "return offsets blindly regardless the current group state since the group
   * may be using Kafka commit storage without automatic group management".
   */
  fetchOffsets(request: OffsetFetchRequest): OffsetFetchResponse {
    const statusError = this.groups.validateGroupStatus(request.groupId, true)
    if (statusError !== undefined) return { errorCode: statusError, topics: [] }
    const group = this.groups.group(request.groupId)
    const live = group !== undefined && !group.is(ClassicGroupState.Dead)
    const offsets = live ? this.offsetsByGroup.get(request.groupId) : undefined
    if (request.topics === null) return this.fetchAllOffsets(offsets)

    return {
      errorCode: ErrorCode.NONE,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((index) => {
          if (offsets && request.requireStable === true && hasPendingOffsetCommit(offsets, t.name, index)) {
            return { index, committedOffset: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }
          }
          const committed = offsets?.committed.get(t.name)?.get(index)
          return committed
            ? { index, committedOffset: committed.offset, ...leaderEpochOf(committed), metadata: committed.metadata, errorCode: ErrorCode.NONE }
            : noOffset(index)
        }),
      })),
    }
  }

  /** OffsetFetch with no topics: every committed offset of the group, by topic then partition. */
  private fetchAllOffsets(offsets: GroupOffsets | undefined): OffsetFetchResponse {
    const byTopic = new Map<string, OffsetFetchResponse['topics'][number]['partitions']>()
    for (const o of offsets ? sortedOffsets(offsets.committed) : []) {
      let partitions = byTopic.get(o.topic)
      if (!partitions) byTopic.set(o.topic, (partitions = []))
      partitions.push({ index: o.partition, committedOffset: o.offset, ...leaderEpochOf(o), metadata: o.metadata, errorCode: ErrorCode.NONE })
    }
    return { errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) }
  }

  /** The group's committed offset for a partition, if it has one. */
  committedOffset(groupId: string, topic: string, partition: number): number | undefined {
    return this.offsetsByGroup.get(groupId)?.committed.get(topic)?.get(partition)?.offset
  }

  /** Every committed offset of the group, by topic then partition. */
  allOffsets(groupId: string): CommittedOffset[] {
    const offsets = this.offsetsByGroup.get(groupId)
    return offsets ? sortedOffsets(offsets.committed) : []
  }

  /** Committed or awaiting a transaction's outcome (Kafka's hasOffsets). */
  hasOffsets(groupId: string): boolean {
    const offsets = this.offsetsByGroup.get(groupId)
    return offsets !== undefined && (offsets.committed.size > 0 || offsets.pendingTxn.size > 0)
  }

  // ===========================================================================================
  // OffsetDelete, DeleteGroups, deleted topics

  /**
   * OffsetDelete (Kafka's GroupCoordinator.handleDeleteOffsets): an Empty group loses the
   * offsets; a live consumer group only those of topics its members do not subscribe to
   * (GROUP_SUBSCRIBED_TO_TOPIC for the others; subscriptions it cannot decode count as
   * subscribed); any other live group is NON_EMPTY_GROUP. An Empty group left without offsets
   * is removed, as Kafka's cleanupGroupMetadata does. Partition errors are keyed "topic\0partition".
   */
  deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): { errorCode: number; partitionErrors: Map<string, number> } {
    const partitionErrors = new Map<string, number>()
    const key = (p: TopicPartition): string => `${p.topic}\u0000${p.partition}`
    // OffsetDelete is not among the APIs that accept an empty group id.
    const statusError = this.groups.validateGroupStatus(groupId, false)
    if (statusError !== undefined) return { errorCode: statusError, partitionErrors }
    const group = this.groups.group(groupId)
    if (!group) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitionErrors }
    const groupError = group.validateOffsetDelete()
    if (groupError !== undefined) return { errorCode: groupError, partitionErrors }
    const eligible = partitions.filter((p) => !group.isSubscribedToTopic(p.topic))
    for (const p of partitions) if (group.isSubscribedToTopic(p.topic)) partitionErrors.set(key(p), ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC)
    if (eligible.length > 0) {
      this.removeOffsets(groupId, eligible)
      for (const p of eligible) partitionErrors.set(key(p), ErrorCode.NONE)
      this.groups.maybeDeleteGroup(group)
    }
    return { errorCode: ErrorCode.NONE, partitionErrors }
  }

  /** The committed (and pending transactional) offsets of these partitions go (Kafka's GroupMetadata.removeOffsets). */
  private removeOffsets(groupId: string, partitions: readonly TopicPartition[]): void {
    const offsets = this.offsetsByGroup.get(groupId)
    if (!offsets) return
    for (const { topic, partition } of partitions) {
      removePartition(offsets.committed, topic, partition)
      for (const [producerId, pending] of offsets.pendingTxn) {
        removePartition(pending, topic, partition)
        if (pending.size === 0) offsets.pendingTxn.delete(producerId)
      }
    }
    this.dropIfEmpty(groupId)
  }

  /** A deleted group's offsets go with it (Kafka's deleteAllOffsets). */
  deleteAllOffsets(groupId: string): void {
    this.offsetsByGroup.delete(groupId)
  }

  /**
   * A topic was deleted: every group forgets its committed and pending offsets for it (Kafka's
   * onPartitionsDeleted).
   */
  onTopicDeleted(topic: string): void {
    for (const [groupId, offsets] of [...this.offsetsByGroup]) {
      offsets.committed.delete(topic)
      for (const [producerId, pending] of offsets.pendingTxn) {
        pending.delete(topic)
        if (pending.size === 0) offsets.pendingTxn.delete(producerId)
      }
      this.dropIfEmpty(groupId)
    }
  }

  // ===========================================================================================
  // Expiration (offsets.retention.minutes)

  /**
   * Removes the group's committed offsets that offsets.retention.minutes has expired (Kafka's
   * cleanupExpiredOffsets); the group's offsetExpirationCondition says which may expire and
   * from when the retention counts. An offset's own expire timestamp (OffsetCommit v2-4) wins
   * over the retention (GroupMetadata.getExpiredOffsets).
   */
  cleanupExpiredOffsets(group: ClassicGroup): void {
    const offsets = this.offsetsByGroup.get(group.groupId)
    const condition = group.offsetExpirationCondition()
    if (!offsets || !condition) return
    const now = this.clock.now()
    const retentionMs = this.config().offsetsRetentionMs
    for (const [topic, partitions] of offsets.committed) {
      if (!condition.appliesTo(topic)) continue
      for (const [partition, o] of partitions) {
        const expired = o.expireTimestamp !== undefined ? now >= o.expireTimestamp : now - condition.baseTimestamp(o.commitTimestamp) >= retentionMs
        if (expired) partitions.delete(partition)
      }
      if (partitions.size === 0) offsets.committed.delete(topic)
    }
    this.dropIfEmpty(group.groupId)
  }

  // ===========================================================================================
  // Tables

  private offsetsOf(groupId: string): GroupOffsets {
    let offsets = this.offsetsByGroup.get(groupId)
    if (!offsets) this.offsetsByGroup.set(groupId, (offsets = { committed: new Map(), pendingTxn: new Map() }))
    return offsets
  }

  private dropIfEmpty(groupId: string): void {
    if (!this.hasOffsets(groupId)) this.offsetsByGroup.delete(groupId)
  }
}

function putOffset(table: OffsetTable, topic: string, partition: number, value: OffsetAndMetadata): void {
  let partitions = table.get(topic)
  if (!partitions) table.set(topic, (partitions = new Map()))
  partitions.set(partition, value)
}

function removePartition(table: OffsetTable, topic: string, partition: number): void {
  const partitions = table.get(topic)
  partitions?.delete(partition)
  if (partitions?.size === 0) table.delete(topic)
}

function hasPendingOffsetCommit(offsets: GroupOffsets, topic: string, partition: number): boolean {
  for (const pending of offsets.pendingTxn.values()) if (pending.get(topic)?.has(partition)) return true
  return false
}

/** A table's offsets, by topic then partition. */
function sortedOffsets(table: OffsetTable): CommittedOffset[] {
  const out: CommittedOffset[] = []
  for (const topic of [...table.keys()].sort()) {
    const partitions = table.get(topic)!
    for (const partition of [...partitions.keys()].sort((a, b) => a - b)) out.push({ topic, partition, ...partitions.get(partition)! })
  }
  return out
}

/**
 * The answer for a partition without a committed offset, which says nothing but its index: one
 * frozen answer per index, shared by every OffsetFetch (a new group asking for 10 000 partitions
 * was answered with 10 000 new objects, which outlived the request: issue 15).
 */
const noOffsets: OffsetFetchResponse['topics'][number]['partitions'][number][] = []
const MAX_SHARED_INDEX = 1 << 16

function noOffset(index: number): OffsetFetchResponse['topics'][number]['partitions'][number] {
  if (!(index >= 0 && index < MAX_SHARED_INDEX) || !Number.isInteger(index)) return { index, committedOffset: -1, metadata: '', errorCode: ErrorCode.NONE }
  return (noOffsets[index] ??= Object.freeze({ index, committedOffset: -1, metadata: '', errorCode: ErrorCode.NONE }))
}

/** The committed leader epoch, when the commit carried one (KIP-320). */
function leaderEpochOf(o: OffsetAndMetadata): { committedLeaderEpoch?: number } {
  return o.leaderEpoch !== undefined ? { committedLeaderEpoch: o.leaderEpoch } : {}
}

/** Every partition of the request answered NONE, in request order (storeOffsets then marks the refused ones). */
function noErrors(topics: OffsetCommitRequest['topics']): number[] {
  let count = 0
  for (const t of topics) count += t.partitions.length
  return new Array<number>(count).fill(ErrorCode.NONE)
}

const NO_ERROR = (): number => ErrorCode.NONE

/** The response in the request's shape, with the error of the i-th partition (in request order). */
function commitResponse(topics: OffsetCommitRequest['topics'], errorFor: (index: number) => number): OffsetCommitResponse {
  let i = 0
  return {
    topics: topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ index: p.index, errorCode: errorFor(i++) })),
    })),
  }
}
