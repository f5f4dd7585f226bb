/**
 * The states of a classic consumer group and the transitions between them, as an explicit
 * table. This is Kafka's ClassicGroupState (core/.../coordinator/group/GroupMetadata.scala, 3.7):
 * every state lists the states it may be entered from (`validPreviousStates`), and a group
 * that tries any other move has a bug, not a user error.
 */
export const ClassicGroupState = {
  /**
   * No members, but the group lingers until its offsets expire. Also the state of a group
   * that only stores offsets (admin tools, standalone consumers). Joins from new members are
   * answered normally; SyncGroup, Heartbeat, LeaveGroup from anyone get UNKNOWN_MEMBER_ID.
   */
  Empty: 'Empty',
  /**
   * A rebalance has started: JoinGroup requests are parked until every known member has
   * rejoined or the rebalance timeout expires. Heartbeats and SyncGroup get
   * REBALANCE_IN_PROGRESS; offset commits from the current generation are still accepted.
   */
  PreparingRebalance: 'PreparingRebalance',
  /**
   * The join phase is over and the leader is computing the assignment: followers' SyncGroup
   * requests are parked until the leader's SyncGroup delivers it. Offset commits get
   * REBALANCE_IN_PROGRESS.
   */
  CompletingRebalance: 'CompletingRebalance',
  /** Every member has its assignment for the current generation. */
  Stable: 'Stable',
  /** The group is being removed (deleted, or expired with no offsets left). Final. */
  Dead: 'Dead',
} as const

export type ClassicGroupState = (typeof ClassicGroupState)[keyof typeof ClassicGroupState]

/** Every state, in Kafka's order of description. */
export const groupStates: readonly ClassicGroupState[] = [
  ClassicGroupState.Empty,
  ClassicGroupState.PreparingRebalance,
  ClassicGroupState.CompletingRebalance,
  ClassicGroupState.Stable,
  ClassicGroupState.Dead,
]

/**
 * For each state, the states a group may move into it from (Kafka's validPreviousStates).
 * - PreparingRebalance <- Stable, CompletingRebalance, Empty: a join, a leave, a failed
 *   member or a metadata change starts a rebalance from any live state.
 * - CompletingRebalance <- PreparingRebalance: the join phase completed with members.
 * - Stable <- CompletingRebalance: the leader's SyncGroup delivered the assignment.
 * - Empty <- PreparingRebalance: the join phase completed with nobody left.
 * - Dead <- every state, Dead included: deletion, expiry or unloading can strike anywhere.
 */
export const validPreviousStates: { readonly [S in ClassicGroupState]: readonly ClassicGroupState[] } = {
  Empty: [ClassicGroupState.PreparingRebalance],
  PreparingRebalance: [ClassicGroupState.Stable, ClassicGroupState.CompletingRebalance, ClassicGroupState.Empty],
  CompletingRebalance: [ClassicGroupState.PreparingRebalance],
  Stable: [ClassicGroupState.CompletingRebalance],
  Dead: [ClassicGroupState.Stable, ClassicGroupState.PreparingRebalance, ClassicGroupState.CompletingRebalance, ClassicGroupState.Empty, ClassicGroupState.Dead],
}

/** Whether the table allows a group in `from` to move to `to`. */
export function isValidTransition(from: ClassicGroupState, to: ClassicGroupState): boolean {
  return validPreviousStates[to].includes(from)
}

/**
 * Whether a group in `state` may start a rebalance (Kafka's GroupMetadata.canRebalance: the
 * current state is one PreparingRebalance may be entered from).
 */
export function canRebalance(state: ClassicGroupState): boolean {
  return isValidTransition(state, ClassicGroupState.PreparingRebalance)
}

/** Throws when the table forbids the move: a coordinator bug, never a client's mistake. */
export function assertValidTransition(groupId: string, from: ClassicGroupState, to: ClassicGroupState): void {
  if (!isValidTransition(from, to)) {
    throw new Error(
      `Group ${groupId} should be in the ${validPreviousStates[to].join(',')} states before moving to ${to} state. Instead it is in ${from} state`,
    )
  }
}
