/**
 * The partition assigners of the kafkajs facade: kafkajs's `PartitionAssigners` (which has only
 * `roundRobin`) plus `range`, Kafka's RangeAssignor, and kafkajs's `AssignerProtocol` for
 * writing custom assigners.
 */
import { range } from './range-assigner.js'
import { roundRobin } from './round-robin-assigner.js'
import type { PartitionAssigner } from './assigner-protocol.js'

export const PartitionAssigners: { roundRobin: PartitionAssigner; range: PartitionAssigner } = {
  roundRobin,
  range,
}

export { AssignerProtocol, MemberAssignment, MemberMetadata } from './assigner-protocol.js'
export type {
  Assigner,
  AssignerCluster,
  AssignerLogger,
  AssignerPartitionMetadata,
  Assignment,
  GroupMember,
  GroupMemberAssignment,
  GroupState,
  ISerializer,
  PartitionAssigner,
} from './assigner-protocol.js'
export { range, roundRobin }
