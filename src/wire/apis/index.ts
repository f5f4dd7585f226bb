/**
 * Every API the wire server answers: one file per Kafka API in this folder (NN-kebab-name.ts,
 * NN = the API key), each mapping the decoded message to the cluster's request boundary.
 */
import type { WireApi } from '../api.js'

// One import line per API, in key order.
import { produceApi } from './00-produce.js'
import { fetchApi } from './01-fetch.js'
import { listOffsetsApi } from './02-list-offsets.js'
import { metadataApi } from './03-metadata.js'
import { offsetCommitApi } from './08-offset-commit.js'
import { offsetFetchApi } from './09-offset-fetch.js'
import { findCoordinatorApi } from './10-find-coordinator.js'
import { joinGroupApi } from './11-join-group.js'
import { heartbeatApi } from './12-heartbeat.js'
import { leaveGroupApi } from './13-leave-group.js'
import { syncGroupApi } from './14-sync-group.js'
import { describeGroupsApi } from './15-describe-groups.js'
import { listGroupsApi } from './16-list-groups.js'
import { saslHandshakeApi } from './17-sasl-handshake.js'
import { apiVersionsApi } from './18-api-versions.js'
import { createTopicsApi } from './19-create-topics.js'
import { deleteTopicsApi } from './20-delete-topics.js'
import { deleteRecordsApi } from './21-delete-records.js'
import { initProducerIdApi } from './22-init-producer-id.js'
import { offsetForLeaderEpochApi } from './23-offset-for-leader-epoch.js'
import { addPartitionsToTxnApi } from './24-add-partitions-to-txn.js'
import { addOffsetsToTxnApi } from './25-add-offsets-to-txn.js'
import { endTxnApi } from './26-end-txn.js'
import { txnOffsetCommitApi } from './28-txn-offset-commit.js'
import { describeAclsApi } from './29-describe-acls.js'
import { createAclsApi } from './30-create-acls.js'
import { deleteAclsApi } from './31-delete-acls.js'
import { describeConfigsApi } from './32-describe-configs.js'
import { alterConfigsApi } from './33-alter-configs.js'
import { saslAuthenticateApi } from './36-sasl-authenticate.js'
import { createPartitionsApi } from './37-create-partitions.js'
import { deleteGroupsApi } from './42-delete-groups.js'
import { incrementalAlterConfigsApi } from './44-incremental-alter-configs.js'
import { offsetDeleteApi } from './47-offset-delete.js'
import { describeUserScramCredentialsApi } from './50-describe-user-scram-credentials.js'
import { alterUserScramCredentialsApi } from './51-alter-user-scram-credentials.js'
import { describeClusterApi } from './60-describe-cluster.js'
import { describeProducersApi } from './61-describe-producers.js'
import { describeTransactionsApi } from './65-describe-transactions.js'
import { listTransactionsApi } from './66-list-transactions.js'

export const wireApis: ReadonlyMap<number, WireApi> = new Map<number, WireApi>(
  ([
    // One entry per API, in key order.
    produceApi,
    fetchApi,
    listOffsetsApi,
    metadataApi,
    offsetCommitApi,
    offsetFetchApi,
    findCoordinatorApi,
    joinGroupApi,
    heartbeatApi,
    leaveGroupApi,
    syncGroupApi,
    describeGroupsApi,
    listGroupsApi,
    saslHandshakeApi,
    apiVersionsApi,
    createTopicsApi,
    deleteTopicsApi,
    deleteRecordsApi,
    initProducerIdApi,
    offsetForLeaderEpochApi,
    addPartitionsToTxnApi,
    addOffsetsToTxnApi,
    endTxnApi,
    txnOffsetCommitApi,
    describeAclsApi,
    createAclsApi,
    deleteAclsApi,
    describeConfigsApi,
    alterConfigsApi,
    saslAuthenticateApi,
    createPartitionsApi,
    deleteGroupsApi,
    incrementalAlterConfigsApi,
    offsetDeleteApi,
    describeUserScramCredentialsApi,
    alterUserScramCredentialsApi,
    describeClusterApi,
    describeProducersApi,
    describeTransactionsApi,
    listTransactionsApi,
  ] as WireApi[]).map((api) => [api.apiKey, api]),
)
