/** DescribeCluster (API key 60): the live brokers, the controller and the cluster id. */
import { ErrorCode } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import type { DescribeClusterRequest, DescribeClusterResponse } from './messages.js'

export function handleDescribeCluster(cluster: ClusterModel, _brokerId: number, _request: DescribeClusterRequest): DescribeClusterResponse {
  return {
    errorCode: ErrorCode.NONE,
    clusterId: cluster.clusterId,
    controllerId: cluster.controller.controllerId,
    brokers: cluster.liveBrokers().map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: b.rack })),
  }
}
