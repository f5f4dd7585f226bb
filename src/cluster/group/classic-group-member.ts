/**
 * One member of a classic group, as Kafka's MemberMetadata (core/.../coordinator/group/
 * MemberMetadata.scala, 3.7) keeps it: who it is, the timeouts it negotiated, the protocols it
 * supports in order of preference with their opaque metadata, its current assignment, the
 * JoinGroup or SyncGroup request it has parked, and its session-expiry timer.
 */
import type { TimerHandle } from '../clock.js'
import type { JoinGroupResponse, SyncGroupResponse } from '../api/messages.js'

export interface GroupProtocol {
  readonly name: string
  readonly metadata: Buffer
}

export type JoinAwaiter = (response: JoinGroupResponse) => void
export type SyncAwaiter = (response: SyncGroupResponse) => void

const emptyAssignment = Buffer.alloc(0)

export interface ClassicGroupMemberInit {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  readonly rebalanceTimeoutMs: number
  readonly sessionTimeoutMs: number
  readonly protocolType: string
  readonly supportedProtocols: readonly GroupProtocol[]
}

export class ClassicGroupMember {
  /** Changes only when a static member rejoins under a new member id (KIP-345). */
  memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
  readonly protocolType: string
  /** In the member's order of preference; the order decides its vote in selectProtocol. */
  supportedProtocols: readonly GroupProtocol[]
  /** The member's share of the leader's assignment for the current generation (empty if none). */
  assignment: Buffer = emptyAssignment
  /** The JoinGroup this member has parked until the join phase completes. */
  awaitingJoin: JoinAwaiter | undefined
  /** The SyncGroup this member has parked until the leader's assignment arrives. */
  awaitingSync: SyncAwaiter | undefined
  /**
   * Set when the member is added and cleared once its first join phase completes. A new
   * member cannot heartbeat yet, so its parked join is bounded by Kafka's
   * NewMemberJoinTimeoutMs instead of counting as liveness.
   */
  isNew = false
  /** The pending session-expiry check (Kafka's DelayedHeartbeat), if one is running. */
  heartbeatTimer: TimerHandle | undefined
  /** What that check runs when due (DelayedOperations makes it once per member). */
  onHeartbeatExpiry: (() => void) | undefined
  /** When the coordinator last heard from the member (join, sync, heartbeat, commit). */
  lastHeartbeatMs: number

  constructor(init: ClassicGroupMemberInit, nowMs: number) {
    this.memberId = init.memberId
    this.groupInstanceId = init.groupInstanceId
    this.clientId = init.clientId
    this.clientHost = init.clientHost
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs
    this.sessionTimeoutMs = init.sessionTimeoutMs
    this.protocolType = init.protocolType
    this.supportedProtocols = init.supportedProtocols
    this.lastHeartbeatMs = nowMs
  }

  get isStaticMember(): boolean {
    return this.groupInstanceId !== null
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== undefined
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== undefined
  }

  /**
   * Whether an expiring session check should spare the member. Kafka: "Members that are
   * awaiting a rebalance automatically satisfy expected heartbeats" (they cannot heartbeat
   * while their request is parked) — except new members, whose parked join is what the
   * NewMemberJoinTimeoutMs check bounds.
   */
  get hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false
    return this.isAwaitingJoin || this.isAwaitingSync
  }

  /**
   * The topics of the member's subscription in its metadata for `protocol`, decoded once per
   * metadata the member sends (a rejoin with the same bytes keeps them: the coordinator reads
   * every member's subscription at every generation, issue 15). Undefined when they do not
   * decode.
   */
  subscription(protocol: string, decode: (metadata: Buffer) => readonly string[] | undefined): readonly string[] | undefined {
    let metadata: Buffer | undefined
    for (let i = 0; i < this.supportedProtocols.length && metadata === undefined; i++) {
      if (this.supportedProtocols[i]!.name === protocol) metadata = this.supportedProtocols[i]!.metadata
    }
    // Not offering the protocol reads as a subscription that does not decode.
    if (metadata === undefined) return undefined
    if (this.decodedFrom === metadata && this.decodedWith === decode) return this.decodedTopics
    let topics: readonly string[] | undefined
    try {
      topics = decode(metadata)
    } catch {
      topics = undefined
    }
    this.decodedFrom = metadata
    this.decodedWith = decode
    this.decodedTopics = topics
    return topics
  }
  private decodedFrom: Buffer | undefined
  private decodedWith: ((metadata: Buffer) => readonly string[] | undefined) | undefined
  private decodedTopics: readonly string[] | undefined

  /** The metadata the member sent for `protocol`. */
  metadata(protocol: string): Buffer {
    const found = this.supportedProtocols.find((p) => p.name === protocol)
    if (!found) throw new Error(`Member ${this.memberId} does not support protocol ${protocol}`)
    return found.metadata
  }

  /** Same protocols, in the same order, with byte-identical metadata (Kafka's matches). */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false
    for (let i = 0; i < protocols.length; i++) {
      const mine = this.supportedProtocols[i]!
      const theirs = protocols[i]!
      // The same Buffer (a client sends the bytes it encoded once, kept here as they came) is
      // equal without a comparison call.
      if (mine.name !== theirs.name || (mine.metadata !== theirs.metadata && !mine.metadata.equals(theirs.metadata))) return false
    }
    return true
  }

  /**
   * The member's vote among the protocols every member supports: its most preferred one
   * (Kafka's MemberMetadata.vote).
   */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.supportedProtocols.find((p) => candidates.has(p.name))
    if (!choice) throw new Error(`Member ${this.memberId} does not support any of the candidate protocols`)
    return choice.name
  }
}
