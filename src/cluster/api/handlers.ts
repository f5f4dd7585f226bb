/**
 * The coverage table: every API the cluster answers and the file that answers it.
 */
import type { BrokerContext } from './broker-context.js'
import type { ApiName, RequestOf, ResponseOf } from './messages.js'
import { handleProduce } from './produce.js'
import { handleFetch } from './fetch.js'
import { handleListOffsets } from './list-offsets.js'
import { handleMetadata } from './metadata.js'
import { handleFindCoordinator } from './find-coordinator.js'
import { handleJoinGroup } from './join-group.js'
import { handleSyncGroup } from './sync-group.js'
import { handleHeartbeat } from './heartbeat.js'
import { handleLeaveGroup } from './leave-group.js'
import { handleOffsetCommit } from './offset-commit.js'
import { handleOffsetFetch } from './offset-fetch.js'
import { handleListGroups } from './list-groups.js'
import { handleDescribeGroups } from './describe-groups.js'
import { handleDeleteGroups } from './delete-groups.js'
import { handleCreateTopics } from './create-topics.js'
import { handleDeleteTopics } from './delete-topics.js'
import { handleCreatePartitions } from './create-partitions.js'
import { handleDeleteRecords } from './delete-records.js'
import { handleDescribeConfigs } from './describe-configs.js'
import { handleAlterConfigs } from './alter-configs.js'
import { handleDescribeCluster } from './describe-cluster.js'
import { handleOffsetForLeaderEpoch } from './offset-for-leader-epoch.js'
import { handleInitProducerId } from './init-producer-id.js'
import { handleAddPartitionsToTxn } from './add-partitions-to-txn.js'
import { handleAddOffsetsToTxn } from './add-offsets-to-txn.js'
import { handleEndTxn } from './end-txn.js'
import { handleTxnOffsetCommit } from './txn-offset-commit.js'
import { handleIncrementalAlterConfigs } from './incremental-alter-configs.js'
import { handleOffsetDelete } from './offset-delete.js'
import { handleDescribeProducers } from './describe-producers.js'
import { handleDescribeTransactions } from './describe-transactions.js'
import { handleListTransactions } from './list-transactions.js'
import { handleCreateAcls } from './create-acls.js'
import { handleDescribeAcls } from './describe-acls.js'
import { handleDescribeUserScramCredentials } from './describe-user-scram-credentials.js'
import { handleAlterUserScramCredentials } from './alter-user-scram-credentials.js'
import { handleDeleteAcls } from './delete-acls.js'

export type Handler<K extends ApiName> = (cluster: BrokerContext, brokerId: number, request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>>

export const handlers: { readonly [K in ApiName]: Handler<K> } = {
  Produce: handleProduce,
  Fetch: handleFetch,
  ListOffsets: handleListOffsets,
  Metadata: handleMetadata,
  FindCoordinator: handleFindCoordinator,
  JoinGroup: handleJoinGroup,
  SyncGroup: handleSyncGroup,
  Heartbeat: handleHeartbeat,
  LeaveGroup: handleLeaveGroup,
  OffsetCommit: handleOffsetCommit,
  OffsetFetch: handleOffsetFetch,
  ListGroups: handleListGroups,
  DescribeGroups: handleDescribeGroups,
  DeleteGroups: handleDeleteGroups,
  CreateTopics: handleCreateTopics,
  DeleteTopics: handleDeleteTopics,
  CreatePartitions: handleCreatePartitions,
  DeleteRecords: handleDeleteRecords,
  DescribeConfigs: handleDescribeConfigs,
  AlterConfigs: handleAlterConfigs,
  DescribeCluster: handleDescribeCluster,
  InitProducerId: handleInitProducerId,
  AddPartitionsToTxn: handleAddPartitionsToTxn,
  AddOffsetsToTxn: handleAddOffsetsToTxn,
  EndTxn: handleEndTxn,
  TxnOffsetCommit: handleTxnOffsetCommit,
  IncrementalAlterConfigs: handleIncrementalAlterConfigs,
  OffsetDelete: handleOffsetDelete,
  DescribeProducers: handleDescribeProducers,
  DescribeTransactions: handleDescribeTransactions,
  ListTransactions: handleListTransactions,
  OffsetForLeaderEpoch: handleOffsetForLeaderEpoch,
  CreateAcls: handleCreateAcls,
  DescribeAcls: handleDescribeAcls,
  DeleteAcls: handleDeleteAcls,
  DescribeUserScramCredentials: handleDescribeUserScramCredentials,
  AlterUserScramCredentials: handleAlterUserScramCredentials,
}
