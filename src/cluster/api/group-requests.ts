/**
 * The group APIs: JoinGroup (11), SyncGroup (14), Heartbeat (12), LeaveGroup (13),
 * OffsetCommit (8), OffsetFetch (9), DescribeGroups (15), ListGroups (16), DeleteGroups (42).
 * Each is answered by the group's coordinator broker (NOT_COORDINATOR elsewhere, as a client
 * with stale coordinator information would see); the group logic itself is the
 * GroupCoordinator's.
 */
import { ErrorCode } from '../error-codes.js'
import type { ClusterModel } from '../cluster-model.js'
import { CoordinatorType } from './messages.js'
import type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  ListGroupsRequest,
  ListGroupsResponse,
  OffsetCommitRequest,
  OffsetCommitResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from './messages.js'

function isCoordinator(cluster: ClusterModel, brokerId: number, groupId: string): boolean {
  return cluster.coordinatorFor(groupId, CoordinatorType.GROUP) === brokerId
}

export function handleJoinGroup(cluster: ClusterModel, brokerId: number, request: JoinGroupRequest): JoinGroupResponse | Promise<JoinGroupResponse> {
  if (!isCoordinator(cluster, brokerId, request.groupId)) {
    return { errorCode: ErrorCode.NOT_COORDINATOR, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId: request.memberId, members: [] }
  }
  return cluster.groups.joinGroup(request)
}

export function handleSyncGroup(cluster: ClusterModel, brokerId: number, request: SyncGroupRequest): SyncGroupResponse | Promise<SyncGroupResponse> {
  if (!isCoordinator(cluster, brokerId, request.groupId)) {
    return { errorCode: ErrorCode.NOT_COORDINATOR, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }
  }
  return cluster.groups.syncGroup(request)
}

export function handleHeartbeat(cluster: ClusterModel, brokerId: number, request: HeartbeatRequest): HeartbeatResponse {
  if (!isCoordinator(cluster, brokerId, request.groupId)) return { errorCode: ErrorCode.NOT_COORDINATOR }
  return cluster.groups.heartbeat(request)
}

export function handleLeaveGroup(cluster: ClusterModel, brokerId: number, request: LeaveGroupRequest): LeaveGroupResponse {
  if (!isCoordinator(cluster, brokerId, request.groupId)) return { errorCode: ErrorCode.NOT_COORDINATOR, members: [] }
  return cluster.groups.leaveGroup(request)
}

export function handleOffsetCommit(cluster: ClusterModel, brokerId: number, request: OffsetCommitRequest): OffsetCommitResponse {
  if (!isCoordinator(cluster, brokerId, request.groupId)) {
    return {
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode: ErrorCode.NOT_COORDINATOR })) })),
    }
  }
  // KafkaApis answers UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist before the
  // coordinator sees the rest of the request.
  const unknown = (name: string, index: number): boolean => !cluster.controller.topic(name)?.partitions[index]
  const known = request.topics
    .map((t) => ({ name: t.name, partitions: t.partitions.filter((p) => !unknown(t.name, p.index)) }))
    .filter((t) => t.partitions.length > 0)
  const answered = known.length > 0 ? cluster.groups.offsetCommit({ ...request, topics: known }) : { topics: [] }
  const rejected = request.topics
    .map((t) => ({
      name: t.name,
      partitions: t.partitions.filter((p) => unknown(t.name, p.index)).map((p) => ({ index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })),
    }))
    .filter((t) => t.partitions.length > 0)
  // OffsetCommitResponse.Builder merges by topic: a topic appears once, with the partitions
  // KafkaApis refused first and then the coordinator's answers.
  const merged = new Map<string, { index: number; errorCode: number }[]>()
  for (const t of [...rejected, ...answered.topics]) {
    const partitions = merged.get(t.name)
    if (partitions) partitions.push(...t.partitions)
    else merged.set(t.name, [...t.partitions])
  }
  return { topics: [...merged].map(([name, partitions]) => ({ name, partitions })) }
}

export function handleOffsetFetch(cluster: ClusterModel, brokerId: number, request: OffsetFetchRequest): OffsetFetchResponse {
  if (!isCoordinator(cluster, brokerId, request.groupId)) return { errorCode: ErrorCode.NOT_COORDINATOR, topics: [] }
  return cluster.groups.offsetFetch(request)
}

export function handleDescribeGroups(cluster: ClusterModel, brokerId: number, request: DescribeGroupsRequest): DescribeGroupsResponse {
  const response = cluster.groups.describeGroups(request)
  return {
    groups: response.groups.map((g) =>
      isCoordinator(cluster, brokerId, g.groupId)
        ? g
        : { errorCode: ErrorCode.NOT_COORDINATOR, groupId: g.groupId, groupState: '', protocolType: '', protocolData: '', members: [] },
    ),
  }
}

/** ListGroups on one broker lists the groups that broker coordinates. */
export function handleListGroups(cluster: ClusterModel, brokerId: number, request: ListGroupsRequest): ListGroupsResponse {
  const response = cluster.groups.listGroups(request)
  return { errorCode: response.errorCode, groups: response.groups.filter((g) => isCoordinator(cluster, brokerId, g.groupId)) }
}

export function handleDeleteGroups(cluster: ClusterModel, brokerId: number, request: DeleteGroupsRequest): DeleteGroupsResponse {
  const mine = request.groupsNames.filter((g) => isCoordinator(cluster, brokerId, g))
  const others = request.groupsNames.filter((g) => !isCoordinator(cluster, brokerId, g))
  const response = mine.length > 0 ? cluster.groups.deleteGroups({ api: 'DeleteGroups', groupsNames: mine }) : { results: [] }
  return { results: [...response.results, ...others.map((groupId) => ({ groupId, errorCode: ErrorCode.NOT_COORDINATOR }))] }
}
