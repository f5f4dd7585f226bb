/** DescribeCluster (API key 60): the live brokers, the controller and the cluster id. */
import { ErrorCode } from '../error-codes.js'
import type { BrokerContext } from './broker-context.js'
import type { DescribeClusterRequest, DescribeClusterResponse } from './messages.js'

/**
 * AclEntry.supportedOperations(CLUSTER) as AclOperation codes: CREATE 5, ALTER 7, DESCRIBE 8,
 * CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12. memkafka has no
 * authorizer, and without one Kafka's AuthHelper.authorizedOperations allows every supported
 * operation.
 */
const CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12]
const ALL_CLUSTER_OPERATIONS = CLUSTER_OPERATIONS.reduce((bits, code) => bits | (1 << code), 0)
/** The schema's default: "not asked for". */
const OPERATIONS_NOT_REQUESTED = -2147483648

export function handleDescribeCluster(cluster: BrokerContext, _brokerId: number, request: DescribeClusterRequest): DescribeClusterResponse {
  return {
    errorCode: ErrorCode.NONE,
    clusterId: cluster.clusterId,
    controllerId: cluster.controller.controllerId,
    brokers: cluster.liveBrokers().map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPERATIONS : OPERATIONS_NOT_REQUESTED,
  }
}
