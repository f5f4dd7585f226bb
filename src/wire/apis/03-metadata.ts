/**
 * Metadata: v0-12.
 *
 * Behavior: live brokers (at the addresses their wire listeners advertise), the cluster id,
 * the controller, and each requested topic's partitions (leader, leader epoch, replicas, ISR,
 * offline replicas). A missing topic is auto-created when the request allows it and
 * auto.create.topics.enable is on (src/cluster/api/metadata.ts).
 *
 * Version notes:
 * - v0: an empty topic list means every topic (there is no null); v1+: null means every
 *   topic and an empty list none. v1 adds racks, the controller and IsInternal; v2 the
 *   cluster id; v3 the throttle time; v4 AllowAutoTopicCreation (always true below v4);
 *   v5 offline replicas; v7 leader epochs; v8 authorized operations (KIP-430): memkafka has no
 *   authorizer, so, as Kafka without one, every operation the resource type supports is
 *   reported when asked, and -2147483648 (not requested) otherwise; v9 is flexible;
 *   v10 topic ids; v11 drops the cluster authorized operations; v12 accepts topics named by id
 *   (null name), answering UNKNOWN_TOPIC_ID for an id it does not know. Below v12 a topic
 *   with a null name or a non-zero id is an invalid request: KafkaApis throws
 *   InvalidRequestException and answers MetadataRequest.getErrorResponse, every requested
 *   topic with INVALID_REQUEST (a null name as ""), no brokers, no cluster id.
 */
import type { WireApi, WireContext } from '../api.js'
import { ZERO_UUID } from '../protocol/reader.js'
import type { WireMessage } from '../protocol/schema.js'

/** KIP-430's "not requested" value of an authorized-operations bit field (Integer.MIN_VALUE). */
const NOT_REQUESTED = -2147483648
/**
 * AclEntry.supportedOperations without an authorizer: bit n set for AclOperation code n.
 * Topic: READ 3, WRITE 4, CREATE 5, DELETE 6, ALTER 7, DESCRIBE 8, DESCRIBE_CONFIGS 10,
 * ALTER_CONFIGS 11. Cluster: CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9,
 * DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
 */
const TOPIC_OPERATIONS = bits([3, 4, 5, 6, 7, 8, 10, 11])
const CLUSTER_OPERATIONS = bits([5, 7, 8, 9, 10, 11, 12])

function bits(codes: readonly number[]): number {
  return codes.reduce((acc, code) => acc | (1 << code), 0)
}

/** Where clients reach a broker: its wire listener, else the cluster's own address for it. */
export function advertisedAddress(ctx: WireContext, nodeId: number, host: string, port: number): { host: string; port: number } {
  const advertised = ctx.advertised(nodeId)
  return advertised ? { host: advertised.host, port: advertised.port } : { host, port }
}

export const metadataApi: WireApi = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const requested = request.topics as readonly { name: string | null; topicId: string }[] | null
    if (requested && version < 12 && requested.some((t) => t.name === null || t.topicId !== ZERO_UUID)) {
      return invalidRequestResponse(requested)
    }
    const byId = requested !== null && requested.some((t) => t.topicId !== ZERO_UUID)
    // v0 has no null: an empty list asks for every topic.
    const all = requested === null || (version === 0 && requested.length === 0) || byId
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'Metadata',
        topics: all ? null : requested.map((t) => t.name ?? ''),
        // Kafka does not auto-create topics asked for by id.
        allowAutoTopicCreation: version >= 4 ? (request.allowAutoTopicCreation as boolean) && !byId : true,
      },
      ctx.source,
    )
    let topics = response.topics.map((t) => ({
      errorCode: t.errorCode,
      name: t.name as string | null,
      topicId: t.topicId,
      isInternal: t.isInternal,
      partitions: t.partitions.map((p) => ({
        errorCode: p.errorCode,
        partitionIndex: p.partitionIndex,
        leaderId: p.leaderId,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: p.replicaNodes,
        isrNodes: p.isrNodes,
        offlineReplicas: p.offlineReplicas,
      })),
      topicAuthorizedOperations: request.includeTopicAuthorizedOperations === true ? TOPIC_OPERATIONS : NOT_REQUESTED,
    }))
    if (byId && requested) {
      topics = requested.map((wanted) => {
        const found = topics.find((t) => wanted.topicId !== ZERO_UUID ? t.topicId === wanted.topicId : t.name === wanted.name)
        if (found) return found
        return { errorCode: 100 /* UNKNOWN_TOPIC_ID */, name: null, topicId: wanted.topicId, isInternal: false, partitions: [], topicAuthorizedOperations: NOT_REQUESTED }
      })
    }
    return {
      throttleTimeMs: 0,
      brokers: response.brokers.map((b) => ({ nodeId: b.nodeId, ...advertisedAddress(ctx, b.nodeId, b.host, b.port), rack: b.rack })),
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations === true ? CLUSTER_OPERATIONS : NOT_REQUESTED,
    }
  },
}

const INVALID_REQUEST = 42

/** MetadataRequest.getErrorResponse: each requested topic carries the error, nothing else is said. */
function invalidRequestResponse(requested: readonly { name: string | null; topicId: string }[]): WireMessage {
  return {
    throttleTimeMs: 0,
    brokers: [],
    clusterId: null,
    controllerId: -1,
    topics: requested.map((t) => ({
      errorCode: INVALID_REQUEST,
      name: t.name ?? '',
      topicId: t.topicId,
      isInternal: false,
      partitions: [],
      topicAuthorizedOperations: NOT_REQUESTED,
    })),
    clusterAuthorizedOperations: NOT_REQUESTED,
  }
}
