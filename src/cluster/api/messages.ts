/**
 * The request boundary: the typed requests the cluster answers, each addressed to a broker id,
 * modelled on Kafka's API messages (the JSON schemas under clients/src/main/resources/common/
 * message in Apache Kafka), with field names kept close to Kafka's. Responses carry Kafka error
 * codes (see error-codes.ts) per topic and partition, exactly where Kafka puts them.
 *
 * Nothing here knows of kafkajs: a future wire/ layer decodes bytes into these same shapes.
 * Offsets and timestamps are plain numbers inside the cluster.
 */
import type { ProducerRecord, RecordBatch } from '../log/record-batch.js'
import type { AclBinding, AclBindingFilter } from '../security/acl.js'

// ---------------------------------------------------------------------------------------------
// Produce (API key 0)

export interface ProduceRequest {
  readonly api: 'Produce'
  readonly transactionalId?: string | null
  /** 0: no response awaited, 1: leader append, -1: all in-sync replicas. */
  readonly acks: number
  readonly timeoutMs: number
  readonly topics: readonly ProduceTopicData[]
}
export interface ProduceTopicData {
  readonly name: string
  readonly partitions: readonly ProducePartitionData[]
}
export interface ProducePartitionData {
  readonly index: number
  readonly records: readonly ProducerRecord[]
  readonly producerId?: number
  readonly producerEpoch?: number
  readonly baseSequence?: number
  readonly isTransactional?: boolean
  /** Keys and values are views of bytes the sender never changes (the wire frame): kept, not copied. */
  readonly bytesImmutable?: boolean
}
export interface ProduceResponse {
  readonly topics: ProduceTopicResponse[]
}
export interface ProduceTopicResponse {
  readonly name: string
  readonly partitions: ProducePartitionResponse[]
}
export interface ProducePartitionResponse {
  readonly index: number
  readonly errorCode: number
  readonly errorMessage?: string | undefined
  readonly baseOffset: number
  /** -1 unless the topic uses LogAppendTime. */
  readonly logAppendTime: number
  readonly logStartOffset: number
}

// ---------------------------------------------------------------------------------------------
// Fetch (API key 1)

/** KIP-516's "no topic id" (Uuid.ZERO_UUID). */
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000'

export const IsolationLevel = { READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const

export interface FetchRequest {
  readonly api: 'Fetch'
  /** -1 for a consumer; a broker id for a follower. */
  readonly replicaId?: number
  readonly maxWaitMs: number
  readonly minBytes: number
  readonly maxBytes: number
  readonly isolationLevel: number
  readonly topics: readonly FetchTopic[]
  /** Ends a long poll early (the client disconnected). Not a Kafka field: a socket close. */
  readonly signal?: AbortSignal | undefined
}
export interface FetchTopic {
  readonly name: string
  /**
   * Fetch v13+ names topics by id (KIP-516): when set, the topic is the one with this id and
   * `name` is ignored; an id the cluster does not know answers UNKNOWN_TOPIC_ID.
   */
  readonly topicId?: string | undefined
  readonly partitions: readonly FetchPartition[]
}
export interface FetchPartition {
  readonly index: number
  readonly fetchOffset: number
  readonly partitionMaxBytes: number
  readonly currentLeaderEpoch?: number
}
export interface FetchResponse {
  readonly errorCode: number
  readonly topics: FetchTopicResponse[]
}
export interface FetchTopicResponse {
  readonly name: string
  /** The topic's id (the zero UUID for a topic the cluster does not know). */
  readonly topicId: string
  readonly partitions: FetchPartitionResponse[]
}
export interface AbortedTransaction {
  readonly producerId: number
  readonly firstOffset: number
}
export interface FetchPartitionResponse {
  readonly index: number
  readonly errorCode: number
  readonly highWatermark: number
  readonly lastStableOffset: number
  readonly logStartOffset: number
  readonly abortedTransactions: AbortedTransaction[] | null
  /** The log's own immutable batches; the first may start before fetchOffset. */
  readonly batches: RecordBatch[]
}

// ---------------------------------------------------------------------------------------------
// ListOffsets (API key 2)

/** EARLIEST_LOCAL (-4, KIP-405): the local log's start, which without tiered storage is the log start. */
export const OffsetSpec = { LATEST: -1, EARLIEST: -2, MAX_TIMESTAMP: -3, EARLIEST_LOCAL: -4 } as const

export interface ListOffsetsRequest {
  readonly api: 'ListOffsets'
  readonly replicaId?: number
  readonly isolationLevel: number
  readonly topics: readonly {
    readonly name: string
    /** currentLeaderEpoch (KIP-320, ListOffsets v4+): -1 or absent for no fencing. */
    readonly partitions: readonly { readonly index: number; readonly timestamp: number; readonly currentLeaderEpoch?: number }[]
  }[]
}
export interface ListOffsetsResponse {
  readonly topics: {
    readonly name: string
    readonly partitions: {
      readonly index: number
      readonly errorCode: number
      readonly timestamp: number
      readonly offset: number
      /** The leader epoch of the answered offset (-1 when unknown). */
      readonly leaderEpoch?: number
    }[]
  }[]
}

// ---------------------------------------------------------------------------------------------
// Metadata (API key 3)

export interface MetadataRequest {
  readonly api: 'Metadata'
  /** null: every topic. */
  readonly topics: readonly string[] | null
  readonly allowAutoTopicCreation: boolean
}
export interface BrokerMetadata {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
}
export interface PartitionMetadata {
  readonly errorCode: number
  readonly partitionIndex: number
  readonly leaderId: number
  readonly leaderEpoch: number
  readonly replicaNodes: number[]
  readonly isrNodes: number[]
  readonly offlineReplicas: number[]
}
export interface TopicMetadata {
  readonly errorCode: number
  readonly name: string
  /** KIP-516's topic id; the zero UUID for a topic that does not exist. */
  readonly topicId: string
  readonly isInternal: boolean
  readonly partitions: PartitionMetadata[]
}
export interface MetadataResponse {
  readonly brokers: BrokerMetadata[]
  readonly clusterId: string
  readonly controllerId: number
  readonly topics: TopicMetadata[]
}

// ---------------------------------------------------------------------------------------------
// Group coordination: FindCoordinator (10), JoinGroup (11), Heartbeat (12), LeaveGroup (13),
// SyncGroup (14), DescribeGroups (15), ListGroups (16), DeleteGroups (42),
// OffsetCommit (8), OffsetFetch (9)

export const CoordinatorType = { GROUP: 0, TRANSACTION: 1 } as const

export interface FindCoordinatorRequest {
  readonly api: 'FindCoordinator'
  readonly key: string
  readonly keyType: number
}
export interface FindCoordinatorResponse {
  readonly errorCode: number
  readonly errorMessage?: string | undefined
  readonly nodeId: number
  readonly host: string
  readonly port: number
}

export interface JoinGroupRequest {
  readonly api: 'JoinGroup'
  readonly groupId: string
  readonly sessionTimeoutMs: number
  readonly rebalanceTimeoutMs: number
  /** '' on the first join. */
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly protocolType: string
  readonly protocols: readonly { readonly name: string; readonly metadata: Buffer }[]
  /** Client identity, kept for DescribeGroups (Kafka takes these from the request header). */
  readonly clientId: string
  readonly clientHost: string
  /**
   * KIP-394: a new dynamic member must first obtain its id (MEMBER_ID_REQUIRED) and rejoin with
   * it. Kafka requires it only from JoinGroup v4 (GroupCoordinator's requireKnownMemberId =
   * version >= 4 && no group instance id); older clients are given their id in the first answer.
   * Default true.
   */
  readonly requireKnownMemberId?: boolean
}
export interface JoinGroupResponse {
  readonly errorCode: number
  readonly generationId: number
  readonly protocolType: string | null
  readonly protocolName: string | null
  readonly leader: string
  readonly memberId: string
  /** Filled for the leader only. */
  readonly members: { readonly memberId: string; readonly groupInstanceId: string | null; readonly metadata: Buffer }[]
}

export interface SyncGroupRequest {
  readonly api: 'SyncGroup'
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly protocolType?: string | null
  readonly protocolName?: string | null
  /** The leader's assignment for every member; empty from followers. */
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[]
}
export interface SyncGroupResponse {
  readonly errorCode: number
  readonly protocolType: string | null
  readonly protocolName: string | null
  readonly assignment: Buffer
}

export interface HeartbeatRequest {
  readonly api: 'Heartbeat'
  readonly groupId: string
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId?: string | null
}
export interface HeartbeatResponse {
  readonly errorCode: number
}

export interface LeaveGroupRequest {
  readonly api: 'LeaveGroup'
  readonly groupId: string
  readonly members: readonly { readonly memberId: string; readonly groupInstanceId?: string | null }[]
}
export interface LeaveGroupResponse {
  readonly errorCode: number
  readonly members: { readonly memberId: string; readonly errorCode: number }[]
}

export interface OffsetCommitRequest {
  readonly api: 'OffsetCommit'
  readonly groupId: string
  /** -1 for a commit from outside the group (admin, standalone consumer). */
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId?: string | null
  /** OffsetCommit v2-4: how long to keep these offsets (-1 or absent: offsets.retention.minutes). */
  readonly retentionTimeMs?: number
  readonly topics: readonly {
    readonly name: string
    readonly partitions: readonly {
      readonly index: number
      readonly committedOffset: number
      readonly committedMetadata: string | null
      /** OffsetCommit v1: the commit's own timestamp (-1 or absent: now). */
      readonly commitTimestamp?: number
      /** OffsetCommit v6+ (KIP-320): the leader epoch of the committed position, kept for OffsetFetch. */
      readonly committedLeaderEpoch?: number
    }[]
  }[]
}
export interface OffsetCommitResponse {
  readonly topics: { readonly name: string; readonly partitions: { readonly index: number; readonly errorCode: number }[] }[]
}

export interface OffsetFetchRequest {
  readonly api: 'OffsetFetch'
  readonly groupId: string
  /** null: every partition the group has an offset for. */
  readonly topics: readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[] | null
  readonly requireStable?: boolean
}
export interface OffsetFetchResponse {
  readonly errorCode: number
  readonly topics: {
    readonly name: string
    readonly partitions: {
      readonly index: number
      /** -1 when the group has no committed offset for the partition. */
      readonly committedOffset: number
      /** The leader epoch committed with it (-1 when none was). */
      readonly committedLeaderEpoch?: number
      readonly metadata: string | null
      readonly errorCode: number
    }[]
  }[]
}

export interface ListGroupsRequest {
  readonly api: 'ListGroups'
  /** Empty: every state. */
  readonly statesFilter?: readonly string[]
}
export interface ListGroupsResponse {
  readonly errorCode: number
  readonly groups: { readonly groupId: string; readonly protocolType: string; readonly groupState: string }[]
}

export interface DescribeGroupsRequest {
  readonly api: 'DescribeGroups'
  readonly groups: readonly string[]
}
export interface DescribedGroupMember {
  readonly memberId: string
  readonly groupInstanceId: string | null
  readonly clientId: string
  readonly clientHost: string
  readonly memberMetadata: Buffer
  readonly memberAssignment: Buffer
}
export interface DescribedGroup {
  readonly errorCode: number
  readonly groupId: string
  /** Dead for a group that does not exist. */
  readonly groupState: string
  readonly protocolType: string
  readonly protocolData: string
  readonly members: DescribedGroupMember[]
}
export interface DescribeGroupsResponse {
  readonly groups: DescribedGroup[]
}

export interface DeleteGroupsRequest {
  readonly api: 'DeleteGroups'
  readonly groupsNames: readonly string[]
}
export interface DeleteGroupsResponse {
  readonly results: { readonly groupId: string; readonly errorCode: number }[]
}

// ---------------------------------------------------------------------------------------------
// Topic administration: CreateTopics (19), DeleteTopics (20), CreatePartitions (37),
// DeleteRecords (21)

export interface CreatableTopic {
  readonly name: string
  /** -1: the broker's num.partitions. */
  readonly numPartitions: number
  /** -1: the broker's default.replication.factor. */
  readonly replicationFactor: number
  readonly assignments: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[]
  readonly configs: readonly { readonly name: string; readonly value: string | null }[]
}
export interface CreateTopicsRequest {
  readonly api: 'CreateTopics'
  readonly topics: readonly CreatableTopic[]
  readonly timeoutMs: number
  readonly validateOnly: boolean
  /** Answer each created topic's configs (v5+, KIP-525; kafkajs sends v3); true when absent. */
  readonly describeConfigs?: boolean
}
export interface CreateTopicsResponse {
  readonly topics: {
    readonly name: string
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly numPartitions: number
    readonly replicationFactor: number
    /** The created topic's id (KIP-516); absent when it failed or for validateOnly. */
    readonly topicId?: string
    /** The topic's configs as created (CreateTopics v5+, KIP-525); null when it failed. */
    readonly configs?: DescribedConfig[] | null
  }[]
}

export interface DeleteTopicsRequest {
  readonly api: 'DeleteTopics'
  readonly topicNames: readonly string[]
  readonly timeoutMs: number
}
export interface DeleteTopicsResponse {
  readonly responses: { readonly name: string; readonly errorCode: number; readonly errorMessage: string | null }[]
}

export interface CreatePartitionsRequest {
  readonly api: 'CreatePartitions'
  readonly topics: readonly {
    readonly name: string
    /** The new total partition count. */
    readonly count: number
    /** Replicas for each new partition, or null to let the controller choose. */
    readonly assignments: readonly (readonly number[])[] | null
  }[]
  readonly timeoutMs: number
  readonly validateOnly: boolean
}
export interface CreatePartitionsResponse {
  readonly results: { readonly name: string; readonly errorCode: number; readonly errorMessage: string | null }[]
}

export interface DeleteRecordsRequest {
  readonly api: 'DeleteRecords'
  readonly topics: readonly { readonly name: string; readonly partitions: readonly { readonly index: number; readonly offset: number }[] }[]
  readonly timeoutMs: number
}
export interface DeleteRecordsResponse {
  readonly topics: {
    readonly name: string
    readonly partitions: { readonly index: number; readonly lowWatermark: number; readonly errorCode: number }[]
  }[]
}

// ---------------------------------------------------------------------------------------------
// Configs: DescribeConfigs (32), AlterConfigs (33)

export const ConfigResourceType = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const
/** Where a config value comes from (DescribeConfigs v1+). */
export const ConfigSource = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const

export interface DescribeConfigsRequest {
  readonly api: 'DescribeConfigs'
  readonly resources: readonly {
    readonly resourceType: number
    readonly resourceName: string
    /** null: every config. */
    readonly configurationKeys: readonly string[] | null
  }[]
  readonly includeSynonyms: boolean
  /** DescribeConfigs v3+: fill each config's documentation (null otherwise). */
  readonly includeDocumentation?: boolean
}
/** Kafka's DescribeConfigsResponse.ConfigType ids (DescribeConfigs v3+). */
export const ConfigTypeId = { UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const
export interface DescribedConfig {
  readonly name: string
  readonly value: string | null
  readonly readOnly: boolean
  readonly isDefault: boolean
  readonly configSource: number
  readonly isSensitive: boolean
  readonly synonyms: { readonly name: string; readonly value: string | null; readonly source: number }[]
  /** The config's type (ConfigTypeId), as DescribeConfigs v3 answers it. */
  readonly configType?: number
  /** Its documentation when includeDocumentation was asked for, else null. */
  readonly documentation?: string | null
}
export interface DescribeConfigsResponse {
  readonly results: {
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly resourceType: number
    readonly resourceName: string
    readonly configs: DescribedConfig[]
  }[]
}

export interface AlterConfigsRequest {
  readonly api: 'AlterConfigs'
  /** Non-incremental: the given set replaces the resource's dynamic configs. */
  readonly resources: readonly {
    readonly resourceType: number
    readonly resourceName: string
    readonly configs: readonly { readonly name: string; readonly value: string | null }[]
  }[]
  readonly validateOnly: boolean
}
export interface AlterConfigsResponse {
  readonly responses: {
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly resourceType: number
    readonly resourceName: string
  }[]
}

// ---------------------------------------------------------------------------------------------
// DescribeCluster (60)

export interface DescribeClusterRequest {
  readonly api: 'DescribeCluster'
  /** KIP-430: answer the operations the caller may perform on the cluster. */
  readonly includeClusterAuthorizedOperations?: boolean
}
export interface DescribeClusterResponse {
  readonly errorCode: number
  readonly clusterId: string
  readonly controllerId: number
  readonly brokers: { readonly brokerId: number; readonly host: string; readonly port: number; readonly rack: string | null }[]
  /** A bit field of AclOperation codes, or -2^31 when not asked for. */
  readonly clusterAuthorizedOperations?: number
}

// ---------------------------------------------------------------------------------------------
// Idempotence and transactions (KIP-98, KIP-447): InitProducerId (22), AddPartitionsToTxn (24),
// AddOffsetsToTxn (25), EndTxn (26), TxnOffsetCommit (28)

export interface InitProducerIdRequest {
  readonly api: 'InitProducerId'
  /** null for an idempotent producer without transactions (any broker answers). */
  readonly transactionalId: string | null
  readonly transactionTimeoutMs: number
  /** -1, or the current id and epoch to bump (KIP-360). */
  readonly producerId?: number
  readonly producerEpoch?: number
}
export interface InitProducerIdResponse {
  readonly errorCode: number
  readonly producerId: number
  readonly producerEpoch: number
}

export interface AddPartitionsToTxnRequest {
  readonly api: 'AddPartitionsToTxn'
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly topics: readonly { readonly name: string; readonly partitions: readonly number[] }[]
  /**
   * KIP-890 (AddPartitionsToTxn v4): only check that the partitions are in the ongoing
   * transaction (INVALID_TXN_STATE for each one that is not), adding nothing.
   */
  readonly verifyOnly?: boolean
}
export interface AddPartitionsToTxnResponse {
  readonly results: { readonly name: string; readonly partitions: { readonly index: number; readonly errorCode: number }[] }[]
}

export interface AddOffsetsToTxnRequest {
  readonly api: 'AddOffsetsToTxn'
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly groupId: string
}
export interface AddOffsetsToTxnResponse {
  readonly errorCode: number
}

export interface EndTxnRequest {
  readonly api: 'EndTxn'
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  /** true to commit, false to abort. */
  readonly committed: boolean
}
export interface EndTxnResponse {
  readonly errorCode: number
}

export interface TxnOffsetCommitRequest {
  readonly api: 'TxnOffsetCommit'
  readonly transactionalId: string
  readonly groupId: string
  readonly producerId: number
  readonly producerEpoch: number
  /** KIP-447: the consumer's generation and member id, checked by the group coordinator. */
  readonly generationId: number
  readonly memberId: string
  readonly groupInstanceId?: string | null
  readonly topics: OffsetCommitRequest['topics']
}
export interface TxnOffsetCommitResponse {
  readonly topics: { readonly name: string; readonly partitions: { readonly index: number; readonly errorCode: number }[] }[]
}

// ---------------------------------------------------------------------------------------------
// OffsetForLeaderEpoch (API key 23)

export interface OffsetForLeaderEpochRequest {
  readonly api: 'OffsetForLeaderEpoch'
  /** -1 for a consumer, -2 for a debug client, a broker id for a follower. */
  readonly replicaId: number
  readonly topics: readonly {
    readonly topic: string
    readonly partitions: readonly {
      readonly partition: number
      /** -1: no fencing (KIP-320). */
      readonly currentLeaderEpoch: number
      /** The epoch whose end offset is asked for. */
      readonly leaderEpoch: number
    }[]
  }[]
}
export interface OffsetForLeaderEpochResponse {
  readonly topics: {
    readonly topic: string
    readonly partitions: { readonly errorCode: number; readonly partition: number; readonly leaderEpoch: number; readonly endOffset: number }[]
  }[]
}

// ---------------------------------------------------------------------------------------------
// IncrementalAlterConfigs (44, KIP-339), OffsetDelete (47, KIP-496), DescribeProducers (61),
// DescribeTransactions (65) and ListTransactions (66) (KIP-664)

/** AlterConfigOp.OpType ids. */
export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const

export interface IncrementalAlterConfigsRequest {
  readonly api: 'IncrementalAlterConfigs'
  readonly resources: readonly {
    readonly resourceType: number
    readonly resourceName: string
    readonly configs: readonly { readonly name: string; readonly configOperation: number; readonly value: string | null }[]
  }[]
  readonly validateOnly: boolean
}
export interface IncrementalAlterConfigsResponse {
  readonly responses: { readonly errorCode: number; readonly errorMessage: string | null; readonly resourceType: number; readonly resourceName: string }[]
}

export interface OffsetDeleteRequest {
  readonly api: 'OffsetDelete'
  readonly groupId: string
  readonly topics: readonly { readonly name: string; readonly partitions: readonly number[] }[]
}
export interface OffsetDeleteResponse {
  /** A group-level error; the topics are then empty. */
  readonly errorCode: number
  readonly topics: { readonly name: string; readonly partitions: { readonly index: number; readonly errorCode: number }[] }[]
}

export interface DescribeProducersRequest {
  readonly api: 'DescribeProducers'
  readonly topics: readonly { readonly name: string; readonly partitionIndexes: readonly number[] }[]
}
export interface ActiveProducer {
  readonly producerId: number
  readonly producerEpoch: number
  /** -1 when the producer has no batch in its current epoch. */
  readonly lastSequence: number
  readonly lastTimestamp: number
  /** The epoch of the coordinator that wrote its last marker, -1 if none. */
  readonly coordinatorEpoch: number
  /** The first offset of its open transaction on the partition, -1 if none. */
  readonly currentTxnStartOffset: number
}
export interface DescribeProducersResponse {
  readonly topics: {
    readonly name: string
    readonly partitions: { readonly index: number; readonly errorCode: number; readonly errorMessage: string | null; readonly activeProducers: ActiveProducer[] }[]
  }[]
}

export interface DescribeTransactionsRequest {
  readonly api: 'DescribeTransactions'
  readonly transactionalIds: readonly string[]
}
export interface DescribedTransaction {
  readonly errorCode: number
  readonly transactionalId: string
  /** Kafka's TransactionState name: Empty, Ongoing, PrepareCommit, ... */
  readonly transactionState: string
  readonly transactionTimeoutMs: number
  /** -1 when no transaction is open. */
  readonly transactionStartTimeMs: number
  readonly producerId: number
  readonly producerEpoch: number
  readonly topics: { readonly topic: string; readonly partitions: number[] }[]
}
export interface DescribeTransactionsResponse {
  readonly transactionStates: DescribedTransaction[]
}

export interface ListTransactionsRequest {
  readonly api: 'ListTransactions'
  /** Empty: every state. */
  readonly stateFilters: readonly string[]
  /** Empty: every producer. */
  readonly producerIdFilters: readonly number[]
}
export interface ListTransactionsResponse {
  readonly errorCode: number
  /** Filters naming no state Kafka knows. */
  readonly unknownStateFilters: string[]
  readonly transactionStates: { readonly transactionalId: string; readonly producerId: number; readonly transactionState: string }[]
}

// ---------------------------------------------------------------------------------------------
// CreateAcls (30), DescribeAcls (29), DeleteAcls (31): bindings and filters as in security/acl.ts

export interface CreateAclsRequest {
  readonly api: 'CreateAcls'
  readonly creations: readonly AclBinding[]
}
export interface CreateAclsResponse {
  readonly results: { readonly errorCode: number; readonly errorMessage: string | null }[]
}
export interface DescribeAclsRequest {
  readonly api: 'DescribeAcls'
  readonly filter: AclBindingFilter
}
export interface DescribeAclsResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  /** Grouped by resource pattern, as Kafka's DescribeAclsResponse.aclBindings groups them. */
  readonly resources: {
    readonly resourceType: number
    readonly resourceName: string
    readonly patternType: number
    readonly acls: { readonly principal: string; readonly host: string; readonly operation: number; readonly permissionType: number }[]
  }[]
}
export interface DeleteAclsRequest {
  readonly api: 'DeleteAcls'
  readonly filters: readonly AclBindingFilter[]
}
export interface DeleteAclsResponse {
  readonly filterResults: {
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly matchingAcls: (AclBinding & { readonly errorCode: number; readonly errorMessage: string | null })[]
  }[]
}

// ---------------------------------------------------------------------------------------------

import type { AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse, DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse } from './scram-credential-messages.js'
export type * from './scram-credential-messages.js'

/** Every API the cluster answers, request and response side by side. */
export interface Apis {
  Produce: [ProduceRequest, ProduceResponse]
  Fetch: [FetchRequest, FetchResponse]
  ListOffsets: [ListOffsetsRequest, ListOffsetsResponse]
  Metadata: [MetadataRequest, MetadataResponse]
  FindCoordinator: [FindCoordinatorRequest, FindCoordinatorResponse]
  JoinGroup: [JoinGroupRequest, JoinGroupResponse]
  SyncGroup: [SyncGroupRequest, SyncGroupResponse]
  Heartbeat: [HeartbeatRequest, HeartbeatResponse]
  LeaveGroup: [LeaveGroupRequest, LeaveGroupResponse]
  OffsetCommit: [OffsetCommitRequest, OffsetCommitResponse]
  OffsetFetch: [OffsetFetchRequest, OffsetFetchResponse]
  ListGroups: [ListGroupsRequest, ListGroupsResponse]
  DescribeGroups: [DescribeGroupsRequest, DescribeGroupsResponse]
  DeleteGroups: [DeleteGroupsRequest, DeleteGroupsResponse]
  CreateTopics: [CreateTopicsRequest, CreateTopicsResponse]
  DeleteTopics: [DeleteTopicsRequest, DeleteTopicsResponse]
  CreatePartitions: [CreatePartitionsRequest, CreatePartitionsResponse]
  DeleteRecords: [DeleteRecordsRequest, DeleteRecordsResponse]
  DescribeConfigs: [DescribeConfigsRequest, DescribeConfigsResponse]
  AlterConfigs: [AlterConfigsRequest, AlterConfigsResponse]
  DescribeCluster: [DescribeClusterRequest, DescribeClusterResponse]
  InitProducerId: [InitProducerIdRequest, InitProducerIdResponse]
  AddPartitionsToTxn: [AddPartitionsToTxnRequest, AddPartitionsToTxnResponse]
  AddOffsetsToTxn: [AddOffsetsToTxnRequest, AddOffsetsToTxnResponse]
  EndTxn: [EndTxnRequest, EndTxnResponse]
  TxnOffsetCommit: [TxnOffsetCommitRequest, TxnOffsetCommitResponse]
  IncrementalAlterConfigs: [IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse]
  OffsetDelete: [OffsetDeleteRequest, OffsetDeleteResponse]
  DescribeProducers: [DescribeProducersRequest, DescribeProducersResponse]
  DescribeTransactions: [DescribeTransactionsRequest, DescribeTransactionsResponse]
  ListTransactions: [ListTransactionsRequest, ListTransactionsResponse]
  OffsetForLeaderEpoch: [OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse]
  CreateAcls: [CreateAclsRequest, CreateAclsResponse]
  DescribeAcls: [DescribeAclsRequest, DescribeAclsResponse]
  DeleteAcls: [DeleteAclsRequest, DeleteAclsResponse]
  DescribeUserScramCredentials: [DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse]
  AlterUserScramCredentials: [AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse]
}
export type ApiName = keyof Apis
export type RequestOf<K extends ApiName> = Apis[K][0]
export type ResponseOf<K extends ApiName> = Apis[K][1]
export type AnyRequest = RequestOf<ApiName>
