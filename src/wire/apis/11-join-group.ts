/**
 * JoinGroup: v0-9.
 *
 * Behavior: the group's coordinator parks the join until the rebalance completes and answers
 * the generation, the chosen protocol, the leader and (to the leader only) every member's
 * metadata (src/cluster/group/group-metadata-manager.ts). The client id and host Kafka records for
 * DescribeGroups come from the request header and the connection.
 *
 * Version notes:
 * - v0 has no rebalance timeout: the session timeout serves as both (as Kafka's
 *   JoinGroupRequest does for v0). v2 adds the throttle time.
 * - v4 (KIP-394): a new dynamic member gets MEMBER_ID_REQUIRED with its id and must rejoin;
 *   below v4 it is admitted in the same round.
 * - v5 adds the group instance id (static membership, KIP-345), also on each member of the
 *   leader's answer; v6 is flexible.
 * - v7 answers the protocol type, and the protocol name becomes nullable (below v7 a missing
 *   one is the empty string, Kafka's NoProtocol).
 * - v8 adds a join reason, which Kafka only logs; v9 answers SkipAssignment, which only the
 *   KIP-848 coordinator sets (always false here).
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const joinGroupApi: WireApi = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const sessionTimeoutMs = request.sessionTimeoutMs as number
    const groupInstanceId = version >= 5 ? (request.groupInstanceId as string | null) : null
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'JoinGroup',
        groupId: request.groupId as string,
        sessionTimeoutMs,
        rebalanceTimeoutMs: version >= 1 ? (request.rebalanceTimeoutMs as number) : sessionTimeoutMs,
        memberId: request.memberId as string,
        groupInstanceId,
        protocolType: request.protocolType as string,
        protocols: (request.protocols as readonly { name: string; metadata: Buffer }[]).map((p) => ({ name: p.name, metadata: p.metadata })),
        clientId: ctx.clientId ?? '',
        clientHost: ctx.clientHost,
        requireKnownMemberId: version >= 4 && groupInstanceId === null,
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      generationId: response.generationId,
      protocolType: response.protocolType,
      protocolName: version >= 7 ? response.protocolName : (response.protocolName ?? ''),
      leader: response.leader,
      skipAssignment: false,
      memberId: response.memberId,
      members: response.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
    }
  },
}
