/**
 * The shapes the admin client takes and returns, under kafkajs 2.2.4's names (types/index.d.ts),
 * so that code typed against kafkajs's Admin accepts memkafka's. Where kafkajs's declared type
 * and its runtime disagree, the comment says which one memkafka follows at runtime.
 */
import type { PartitionMetadata } from '../cluster-client.js'
import type { KafkaJSProtocolError } from '../errors.js'
import type { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, ConfigSource, ResourcePatternTypes } from './enums.js'

export type { PartitionMetadata }

export interface ReplicaAssignment {
  partition: number
  replicas: Array<number>
}

export interface IResourceConfigEntry {
  name: string
  value: string
}

export interface ITopicConfig {
  topic: string
  /** -1 (the default): the broker's num.partitions. */
  numPartitions?: number
  /** -1 (the default): the broker's default.replication.factor. */
  replicationFactor?: number
  replicaAssignment?: ReplicaAssignment[]
  configEntries?: IResourceConfigEntry[]
}

export interface ITopicPartitionConfig {
  topic: string
  /** The new total number of partitions. */
  count: number
  /** The replicas of each new partition; left out, the controller places them. */
  assignments?: Array<Array<number>>
}

export interface ITopicMetadata {
  name: string
  partitions: PartitionMetadata[]
}

/** A partition and an offset (a decimal string, as every offset at the kafkajs surface). */
export interface PartitionOffset {
  partition: number
  offset: string
}
export type SeekEntry = PartitionOffset
export type FetchOffsetsPartition = PartitionOffset & { metadata: string | null }

export interface ResourceConfigQuery {
  type: ConfigResourceTypes | number
  name: string
  /** Left out or empty: every config of the resource. */
  configNames?: string[]
}

export interface ConfigSynonyms {
  configName: string
  configValue: string
  configSource: ConfigSource
}

export interface ConfigEntries {
  configName: string
  configValue: string
  isDefault: boolean
  configSource: ConfigSource
  isSensitive: boolean
  readOnly: boolean
  configSynonyms: ConfigSynonyms[]
}

/**
 * kafkajs declares `throttleTime`, but its admin builds the result from the resources alone
 * and never sets it; memkafka returns the same `{ resources }` (the property is declared only
 * so that this type stays assignable to kafkajs's).
 */
export interface DescribeConfigResponse {
  resources: {
    configEntries: ConfigEntries[]
    errorCode: number
    errorMessage: string
    resourceName: string
    resourceType: ConfigResourceTypes
  }[]
  throttleTime: number
}

export interface IResourceConfig {
  type: ConfigResourceTypes | number
  name: string
  configEntries: IResourceConfigEntry[]
}

export interface AlterConfigResponse {
  resources: {
    errorCode: number
    errorMessage: string | null
    resourceName: string
    resourceType: ConfigResourceTypes
  }[]
}

export interface GroupOverview {
  groupId: string
  protocolType: string
}

export type ConsumerGroupState = 'Unknown' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead' | 'Empty'

export interface MemberDescription {
  clientHost: string
  clientId: string
  memberId: string
  memberAssignment: Buffer
  memberMetadata: Buffer
}

export interface GroupDescription {
  groupId: string
  members: MemberDescription[]
  protocol: string
  protocolType: string
  state: ConsumerGroupState
  /** Not in kafkajs's declared type, but present at runtime (0: the describe succeeded). */
  errorCode: number
}

export interface GroupDescriptions {
  groups: GroupDescription[]
}

export interface DeleteGroupsResult {
  groupId: string
  errorCode?: number
  /** Present for a group that could not be deleted. */
  error?: KafkaJSProtocolError
}

// ---------------------------------------------------------------------------------------------
// ACLs (implemented, see acls.ts) and partition reassignments (declared for type
// compatibility; memkafka does not implement them yet: the methods throw KafkaJSNotImplemented).

export interface Acl {
  principal: string
  host: string
  operation: AclOperationTypes
  permissionType: AclPermissionTypes
}

export interface AclResource {
  resourceType: AclResourceTypes
  resourceName: string
  resourcePatternType: ResourcePatternTypes
}

export type AclEntry = Acl & AclResource

export type DescribeAclResource = AclResource & { acls: Acl[] }

export interface DescribeAclResponse {
  throttleTime: number
  errorCode: number
  errorMessage?: string
  resources: DescribeAclResource[]
}

export interface AclFilter {
  resourceType: AclResourceTypes
  resourceName?: string
  resourcePatternType: ResourcePatternTypes
  principal?: string
  host?: string
  operation: AclOperationTypes
  permissionType: AclPermissionTypes
}

export interface MatchingAcl {
  errorCode: number
  errorMessage?: string
  resourceType: AclResourceTypes
  resourceName: string
  resourcePatternType: ResourcePatternTypes
  principal: string
  host: string
  operation: AclOperationTypes
  permissionType: AclPermissionTypes
}

export interface DeleteAclFilterResponses {
  errorCode: number
  errorMessage?: string
  matchingAcls: MatchingAcl[]
}

export interface DeleteAclResponse {
  throttleTime: number
  filterResponses: DeleteAclFilterResponses[]
}

export interface PartitionReassignment {
  topic: string
  partitionAssignment: Array<ReplicaAssignment>
}

export interface TopicPartitions {
  topic: string
  partitions: number[]
}

export interface OngoingPartitionReassignment {
  partitionIndex: number
  replicas: number[]
  addingReplicas?: number[]
  removingReplicas?: number[]
}

export interface OngoingTopicReassignment {
  topic: string
  partitions: OngoingPartitionReassignment[]
}

export interface ListPartitionReassignmentsResponse {
  topics: OngoingTopicReassignment[]
}

/** A DescribeGroups entry in kafkajs's shape (shared by admin.describeGroups and consumer.describeGroup). */
export function toGroupDescription(g: import('../../cluster/api/messages.js').DescribedGroup): GroupDescription {
  return {
    errorCode: g.errorCode,
    groupId: g.groupId,
    state: g.groupState as GroupDescription['state'],
    protocolType: g.protocolType,
    protocol: g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: m.memberMetadata,
      memberAssignment: m.memberAssignment,
    })),
  }
}
