/**
 * What the group coordinator reports for the cluster's timeline: a group's state changes, its
 * members joining and leaving, each completed rebalance, and offsets becoming visible.
 */
import type { ClassicGroupState } from './classic-group-state.js'

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

/** Offsets became visible (a commit, or a transaction's staged commit on its commit). */
export interface OffsetsCommittedEvent {
  readonly type: 'offsetsCommitted'
  readonly groupId: string
  readonly generationId: number
  readonly offsets: { topic: string; partition: number; offset: number }[]
}

export type GroupEvent =
  | { readonly type: 'groupStateChanged'; readonly groupId: string; readonly from: ClassicGroupState; readonly to: ClassicGroupState }
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
