/**
 * The group APIs on the wire: FindCoordinator (10), JoinGroup (11), Heartbeat (12),
 * LeaveGroup (13), SyncGroup (14), DescribeGroups (15), ListGroups (16), OffsetCommit (8) and
 * OffsetFetch (9), through kafkajs's per-version encoders and decoders where kafkajs has the
 * version, else through our codec, against a real cluster's group coordinator.
 */
import { describe, it, expect } from 'vitest'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { assignment, createTopic, groupCoordinator, newCluster, subscription, versions, viaCodec, viaKafkajs } from './oracle.js'

type Cluster = ReturnType<typeof newCluster>

async function kafkajsJoin(cluster: Cluster, version: number, groupId: string, memberId = '', groupInstanceId: string | null = null) {
  return viaKafkajs(11, 'joinGroup', version, {
    groupId,
    sessionTimeout: 10_000,
    rebalanceTimeout: 30_000,
    memberId,
    groupInstanceId,
    protocolType: 'consumer',
    groupProtocols: [{ name: 'range', metadata: subscription(['t']) }],
  }, cluster, groupCoordinator(cluster, groupId))
}

describe('JoinGroup (11), SyncGroup (14), Heartbeat (12), LeaveGroup (13), DescribeGroups (15) through kafkajs', () => {
  for (const version of versions(11).filter((v) => v <= 5)) {
    it(`JoinGroup v${version}: ${version >= 4 ? 'MEMBER_ID_REQUIRED first, then' : 'admitted at once,'} sync, heartbeat, describe, leave`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { partitions: 2 })
      const groupId = `g${version}`
      const coordinator = groupCoordinator(cluster, groupId)
      let joined = await kafkajsJoin(cluster, version, groupId)
      if (version >= 4) {
        expect(joined.error?.type).toBe('MEMBER_ID_REQUIRED')
        expect(joined.data.memberId).toMatch(/^oracle-/)
        joined = await kafkajsJoin(cluster, version, groupId, joined.data.memberId)
      }
      expect(joined.error).toBeUndefined()
      const { memberId, generationId } = joined.data
      expect(memberId).toMatch(/^oracle-/)
      expect(joined.data).toMatchObject({ errorCode: 0, generationId: 1, groupProtocol: 'range', leaderId: memberId })
      expect(joined.data.members).toEqual([expect.objectContaining({ memberId, memberMetadata: subscription(['t']) })])

      const syncVersion = Math.min(version, 3)
      const mine = assignment({ t: [0, 1] })
      const synced = await viaKafkajs(14, 'syncGroup', syncVersion, { groupId, generationId, memberId, groupAssignment: [{ memberId, memberAssignment: mine }] }, cluster, coordinator)
      expect(synced.error).toBeUndefined()
      expect(synced.data.memberAssignment).toEqual(mine)

      const beat = await viaKafkajs(12, 'heartbeat', Math.min(version, 3), { groupId, groupGenerationId: generationId, memberId }, cluster, coordinator)
      expect(beat.error).toBeUndefined()
      const stale = await viaKafkajs(12, 'heartbeat', Math.min(version, 3), { groupId, groupGenerationId: generationId + 1, memberId }, cluster, coordinator)
      expect(stale.error?.type).toBe('ILLEGAL_GENERATION')

      const described = await viaKafkajs(15, 'describeGroups', Math.min(version, 2), { groupIds: [groupId] }, cluster, coordinator)
      expect(described.data.groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer', protocol: 'range' })
      expect(described.data.groups[0].members).toEqual([expect.objectContaining({ memberId, clientId: 'oracle', clientHost: '/127.0.0.1', memberAssignment: mine })])

      const leaveVersion = Math.min(version, 3)
      const left = await viaKafkajs(13, 'leaveGroup', leaveVersion, leaveVersion >= 3 ? { groupId, members: [{ memberId }] } : { groupId, memberId }, cluster, coordinator)
      expect(left.error).toBeUndefined()
      expect(cluster.describe().groups.find((g) => g.groupId === groupId)?.state).toBe('Empty')
      const again = await viaKafkajs(13, 'leaveGroup', leaveVersion, leaveVersion >= 3 ? { groupId, members: [{ memberId }] } : { groupId, memberId }, cluster, coordinator)
      expect(again.error?.type).toBe('UNKNOWN_MEMBER_ID')
    })
  }

  it('JoinGroup v5: a second member triggers a rebalance; the leader gets both subscriptions, each member its own assignment', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { partitions: 2 })
    const groupId = 'rebalance'
    const coordinator = groupCoordinator(cluster, groupId)
    const a0 = await kafkajsJoin(cluster, 5, groupId)
    const a = await kafkajsJoin(cluster, 5, groupId, a0.data.memberId)
    await viaKafkajs(14, 'syncGroup', 3, { groupId, generationId: 1, memberId: a.data.memberId, groupAssignment: [{ memberId: a.data.memberId, memberAssignment: assignment({ t: [0, 1] }) }] }, cluster, coordinator)
    const b0 = await kafkajsJoin(cluster, 5, groupId)
    const bJoin = kafkajsJoin(cluster, 5, groupId, b0.data.memberId)
    const beat = await viaKafkajs(12, 'heartbeat', 3, { groupId, groupGenerationId: 1, memberId: a.data.memberId }, cluster, coordinator)
    expect(beat.error?.type).toBe('REBALANCE_IN_PROGRESS')
    const [aAgain, b] = await Promise.all([kafkajsJoin(cluster, 5, groupId, a.data.memberId), bJoin])
    expect(aAgain.data.generationId).toBe(2)
    expect(b.data.generationId).toBe(2)
    const leader = aAgain.data.leaderId === aAgain.data.memberId ? aAgain : b
    const follower = leader === aAgain ? b : aAgain
    expect(leader.data.members.map((m: { memberId: string }) => m.memberId).sort()).toEqual([a.data.memberId, b.data.memberId].sort())
    expect(follower.data.members).toEqual([])
    const followerSync = viaKafkajs(14, 'syncGroup', 3, { groupId, generationId: 2, memberId: follower.data.memberId, groupAssignment: [] }, cluster, coordinator)
    const leaderSync = await viaKafkajs(14, 'syncGroup', 3, {
      groupId,
      generationId: 2,
      memberId: leader.data.memberId,
      groupAssignment: [
        { memberId: leader.data.memberId, memberAssignment: assignment({ t: [0] }) },
        { memberId: follower.data.memberId, memberAssignment: assignment({ t: [1] }) },
      ],
    }, cluster, coordinator)
    expect(leaderSync.data.memberAssignment).toEqual(assignment({ t: [0] }))
    expect((await followerSync).data.memberAssignment).toEqual(assignment({ t: [1] }))
  })

  it('JoinGroup v5 with a group instance id (static membership) is admitted without MEMBER_ID_REQUIRED, and rejoins as the same member', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const first = await kafkajsJoin(cluster, 5, 'static', '', 'instance-1')
    expect(first.error).toBeUndefined()
    expect(first.data.memberId).toMatch(/^instance-1-/)
    const described = await viaCodec(15, 5, { groups: ['static'], includeAuthorizedOperations: true }, cluster, groupCoordinator(cluster, 'static'))
    const group = (described.groups as any[])[0]
    expect(group.members[0]).toMatchObject({ memberId: first.data.memberId, groupInstanceId: 'instance-1', clientId: 'oracle' })
    expect(group.authorizedOperations).toBe((1 << 3) | (1 << 6) | (1 << 8))
  })

  it('a broker that is not the coordinator answers NOT_COORDINATOR', async () => {
    const cluster = newCluster()
    const other = [0, 1, 2].find((id) => id !== groupCoordinator(cluster, 'g'))!
    const joined = await viaKafkajs(11, 'joinGroup', 5, { groupId: 'g', sessionTimeout: 10_000, rebalanceTimeout: 30_000, memberId: '', protocolType: 'consumer', groupProtocols: [{ name: 'range' }] }, cluster, other)
    expect(joined.error?.type).toBe('NOT_COORDINATOR_FOR_GROUP') // kafkajs's name for NOT_COORDINATOR (16)
  })
})

describe('the group APIs at their flexible versions, through our codec', () => {
  for (const version of versions(11, 6)) {
    it(`JoinGroup v${version} then SyncGroup v5, Heartbeat v4, LeaveGroup v5 with per-member answers`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const groupId = `flex${version}`
      const coordinator = groupCoordinator(cluster, groupId)
      const join = (memberId: string) =>
        viaCodec(11, version, { groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId, groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t']) }], reason: 'test' }, cluster, coordinator)
      const first = await join('')
      expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED)
      const joined = await join(first.memberId as string)
      expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId, skipAssignment: false })
      expect(joined.protocolType).toBe(version >= 7 ? 'consumer' : null)
      const memberId = joined.memberId as string
      const synced = await viaCodec(14, 5, { groupId, generationId: 1, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId, assignment: assignment({ t: [0] }) }] }, cluster, coordinator)
      expect(synced).toMatchObject({ errorCode: 0, protocolType: 'consumer', protocolName: 'range' })
      expect(Buffer.from(synced.assignment as Uint8Array)).toEqual(assignment({ t: [0] }))
      const wrong = await viaCodec(14, 5, { groupId, generationId: 1, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'roundrobin', assignments: [] }, cluster, coordinator)
      expect(wrong.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
      expect((await viaCodec(12, 4, { groupId, generationId: 1, memberId, groupInstanceId: null }, cluster, coordinator)).errorCode).toBe(0)
      const left = await viaCodec(13, 5, { groupId, members: [{ memberId, groupInstanceId: null, reason: 'bye' }, { memberId: 'nobody', groupInstanceId: null, reason: null }] }, cluster, coordinator)
      expect(left).toMatchObject({ errorCode: 0, members: [{ memberId, groupInstanceId: null, errorCode: 0 }, { memberId: 'nobody', errorCode: ErrorCode.UNKNOWN_MEMBER_ID }] })
    })
  }

  it('ListGroups v0-2 through kafkajs and v3-4 through our codec (state filter from v4)', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const join = (groupId: string) => viaCodec(11, 5, { groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: '', groupInstanceId: `${groupId}-i`, protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t']) }] }, cluster)
    await join('a')
    await cluster.send(0, { api: 'OffsetCommit', groupId: 'b', generationId: -1, memberId: '', topics: [{ name: 't', partitions: [{ index: 0, committedOffset: 1, committedMetadata: null }] }] })
    for (const version of [0, 1, 2]) {
      const listed = await viaKafkajs(16, 'listGroups', version, {}, cluster)
      expect(listed.data.groups.map((g: any) => [g.groupId, g.protocolType]).sort()).toEqual([['a', 'consumer'], ['b', '']])
    }
    for (const version of versions(16, 3)) {
      const all = await viaCodec(16, version, { statesFilter: [] }, cluster)
      expect((all.groups as any[]).map((g) => g.groupId).sort()).toEqual(['a', 'b'])
      if (version >= 4) {
        expect((all.groups as any[]).find((g) => g.groupId === 'b').groupState).toBe('Empty')
        const empty = await viaCodec(16, version, { statesFilter: ['Empty'] }, cluster)
        expect((empty.groups as any[]).map((g) => g.groupId)).toEqual(['b'])
      }
    }
  })
})

describe('FindCoordinator (10)', () => {
  it('v0-2 through kafkajs: the group coordinator at its advertised address; v1+ the transaction coordinator', async () => {
    const cluster = newCluster()
    const expected = groupCoordinator(cluster, 'g')
    for (const version of [0, 1, 2]) {
      const found = await viaKafkajs(10, 'findCoordinator', version, version === 0 ? { groupId: 'g' } : { coordinatorKey: 'g', coordinatorType: 0 }, cluster, 1)
      expect(found.error).toBeUndefined()
      expect(found.data.coordinator).toEqual({ nodeId: expected, host: 'localhost', port: 19092 + expected })
    }
    const txn = await viaKafkajs(10, 'findCoordinator', 2, { coordinatorKey: 'tx', coordinatorType: 1 }, cluster)
    expect(txn.data.coordinator.nodeId).toBe(cluster.coordinatorFor('tx', 1))
  })

  it('v3 and v4 through our codec: v4 answers each key of a batch, an empty group id with INVALID_REQUEST', async () => {
    const cluster = newCluster()
    const v3 = await viaCodec(10, 3, { key: 'g', keyType: 0 }, cluster)
    expect(v3).toMatchObject({ errorCode: 0, errorMessage: null, nodeId: groupCoordinator(cluster, 'g'), host: 'localhost' })
    const v4 = await viaCodec(10, 4, { keyType: 0, coordinatorKeys: ['g', 'h', ''] }, cluster)
    expect((v4.coordinators as any[]).map((c) => [c.key, c.nodeId, c.errorCode])).toEqual([
      ['g', groupCoordinator(cluster, 'g'), 0],
      ['h', groupCoordinator(cluster, 'h'), 0],
      ['', -1, ErrorCode.INVALID_REQUEST],
    ])
  })
})

describe('OffsetCommit (8) and OffsetFetch (9)', () => {
  it('OffsetCommit v0 and OffsetFetch v0 (ZooKeeper offsets) answer UNSUPPORTED_VERSION per partition, as a KRaft broker does', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const coordinator = groupCoordinator(cluster, 'zk')
    const committed = await viaKafkajs(8, 'offsetCommit', 0, { groupId: 'zk', topics: [{ topic: 't', partitions: [{ partition: 0, offset: '5' }] }] }, cluster, coordinator)
    expect(committed.data.responses[0].partitions).toEqual([{ partition: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION }])
    expect(cluster.describe().groups.find((g) => g.groupId === 'zk')).toBeUndefined()
    const fetched = await viaCodec(9, 0, { groupId: 'zk', topics: [{ name: 't', partitionIndexes: [0] }] }, cluster, coordinator)
    expect(fetched.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSUPPORTED_VERSION }] }])
  })

  for (const version of versions(8, 1).filter((v) => v <= 5)) {
    it(`OffsetCommit v${version} through kafkajs, read back by OffsetFetch v1-4 through kafkajs`, async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { partitions: 2 })
      const groupId = `c${version}`
      const coordinator = groupCoordinator(cluster, groupId)
      const committed = await viaKafkajs(8, 'offsetCommit', version, {
        groupId,
        groupGenerationId: -1,
        memberId: '',
        retentionTime: -1,
        topics: [{ topic: 't', partitions: [{ partition: 0, offset: '42', metadata: 'meta' }, { partition: 5, offset: '1' }] }],
      }, cluster, coordinator)
      expect(committed.data.responses).toHaveLength(1)
      expect(committed.data.responses[0].partitions).toEqual([
        { partition: 5, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
        { partition: 0, errorCode: 0 },
      ])
      for (const fetchVersion of [1, 2, 3, 4]) {
        const fetched = await viaKafkajs(9, 'offsetFetch', fetchVersion, { groupId, topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 1 }] }] }, cluster, coordinator)
        expect(fetched.error).toBeUndefined()
        expect(fetched.data.responses[0].partitions).toEqual([
          { partition: 0, offset: '42', metadata: 'meta', errorCode: 0 },
          { partition: 1, offset: '-1', metadata: '', errorCode: 0 },
        ])
      }
    })
  }

  it('OffsetCommit v1-4 from a group member checks its generation; v2-4 retention time expires the offset', async () => {
    const cluster = newCluster({ brokers: 1 })
    await createTopic(cluster, 't')
    const joined = await viaCodec(11, 3, { groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t']) }] }, cluster)
    expect(joined.errorCode).toBe(0)
    const synced = await viaCodec(14, 2, { groupId: 'g', generationId: 1, memberId: joined.memberId, assignments: [{ memberId: joined.memberId, assignment: assignment({ t: [0] }) }] }, cluster)
    expect(synced.errorCode).toBe(0)
    const commit = (version: number, generationId: number, retentionTime = -1) =>
      viaKafkajs(8, 'offsetCommit', version, { groupId: 'g', groupGenerationId: generationId, memberId: joined.memberId, retentionTime, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '7' }] }] }, cluster)
    expect((await commit(1, 2)).error?.type).toBe('ILLEGAL_GENERATION')
    expect((await commit(2, 1, 1000)).error).toBeUndefined()
    const offsets = () => viaCodec(9, 7, { groupId: 'g', topics: null, requireStable: false }, cluster)
    expect(((await offsets()).topics as any[])[0].partitions[0].committedOffset).toBe(7)
    // An Empty group's offsets expire by their own retention time, not offsets.retention.minutes.
    await viaCodec(13, 3, { groupId: 'g', members: [{ memberId: joined.memberId, groupInstanceId: null }] }, cluster)
    await (cluster.clock as any).advance(10 * 60_000 + 1000)
    expect((await offsets()).topics).toEqual([])
  })

  for (const version of versions(8, 6)) {
    it(`OffsetCommit v${version} through our codec: the committed leader epoch is kept for OffsetFetch`, async () => {
      const cluster = newCluster({ brokers: 1 })
      await createTopic(cluster, 't')
      const response = await viaCodec(8, version, { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 9, committedLeaderEpoch: 3, committedMetadata: null }] }] }, cluster)
      expect(response.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }])
      const fetched = await viaCodec(9, 7, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], requireStable: true }, cluster)
      // KIP-320: the leader epoch committed with the offset comes back with it.
      expect((fetched.topics as any[])[0].partitions[0]).toMatchObject({ committedOffset: 9, committedLeaderEpoch: 3, errorCode: 0 })
    })
  }

  it('OffsetFetch v1 puts a group error on every partition; v2+ answer it at the top; v8-9 batch groups', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const notCoordinator = [0, 1, 2].find((id) => id !== groupCoordinator(cluster, 'g'))!
    for (const version of [1]) {
      const r = await viaCodec(9, version, { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] }, cluster, notCoordinator)
      expect(r.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NOT_COORDINATOR }] }])
    }
    const v2 = await viaKafkajs(9, 'offsetFetch', 2, { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0 }] }] }, cluster, notCoordinator)
    expect(v2.error?.type).toBe('NOT_COORDINATOR_FOR_GROUP')

    await cluster.send(groupCoordinator(cluster, 'g'), { api: 'OffsetCommit', groupId: 'g', generationId: -1, memberId: '', topics: [{ name: 't', partitions: [{ index: 0, committedOffset: 3, committedMetadata: 'x' }] }] })
    for (const version of versions(9, 8)) {
      // Each group is answered by this broker as its coordinator would, or NOT_COORDINATOR.
      const broker = groupCoordinator(cluster, 'g')
      const r = await viaCodec(9, version, { groups: [{ groupId: 'g', memberId: null, memberEpoch: -1, topics: null }, { groupId: 'h', topics: [{ name: 't', partitionIndexes: [0] }] }], requireStable: false }, cluster, broker)
      const [g, h] = r.groups as any[]
      expect(g).toMatchObject({ groupId: 'g', errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 3, metadata: 'x', errorCode: 0 }] }] })
      expect(h.groupId).toBe('h')
      expect(h.errorCode).toBe(groupCoordinator(cluster, 'h') === broker ? 0 : ErrorCode.NOT_COORDINATOR)
    }
  })
})
