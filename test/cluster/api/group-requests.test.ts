/**
 * The group APIs at the request boundary (JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups): answered by the
 * group's coordinator only (NOT_COORDINATOR elsewhere), with KafkaApis' own checks in front of
 * the group coordinator's (UNKNOWN_TOPIC_OR_PARTITION for offsets of partitions that do not exist).
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../../src/cluster/cluster-model.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { CoordinatorType, type JoinGroupRequest, type OffsetCommitResponse } from '../../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../../support/cluster-harness.js'

// ConsumerProtocol's embedded formats, as a kafkajs or Java consumer writes them.
function int16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeInt16BE(n)
  return b
}
function int32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
function str(s: string): Buffer {
  return Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)])
}
function subscription(topics: string[]): Buffer {
  return Buffer.concat([int16(0), int32(topics.length), ...topics.map(str), int32(0)])
}
function assignment(byTopic: Record<string, number[]>): Buffer {
  const entries = Object.entries(byTopic)
  return Buffer.concat([int16(0), int32(entries.length), ...entries.flatMap(([t, ps]) => [str(t), int32(ps.length), ...ps.map(int32)]), int32(0)])
}

function joinRequest(groupId: string, memberId: string, topics: string[], clientId = 'app'): JoinGroupRequest {
  return {
    api: 'JoinGroup',
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription(topics) }],
    clientId,
    clientHost: '/127.0.0.1',
  }
}

function coordinatorOf(cluster: ClusterModel, groupId: string): number {
  return cluster.coordinatorFor(groupId, CoordinatorType.GROUP)!
}

function otherThan(id: number): number {
  return (id + 1) % 3
}

/** KIP-394: the first JoinGroup gets MEMBER_ID_REQUIRED and the id; the second joins with it. */
async function joinAndSync(
  cluster: ClusterModel,
  groupId: string,
  topics: string[],
  assigned: Record<string, number[]>,
): Promise<{ coordinator: number; memberId: string; generationId: number }> {
  const coordinator = coordinatorOf(cluster, groupId)
  const first = await cluster.send(coordinator, joinRequest(groupId, '', topics))
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED)
  const memberId = first.memberId
  const joined = await cluster.send(coordinator, joinRequest(groupId, memberId, topics))
  expect(joined.errorCode).toBe(ErrorCode.NONE)
  const synced = await cluster.send(coordinator, {
    api: 'SyncGroup',
    groupId,
    generationId: joined.generationId,
    memberId,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId, assignment: assignment(assigned) }],
  })
  expect(synced.errorCode).toBe(ErrorCode.NONE)
  return { coordinator, memberId, generationId: joined.generationId }
}

function commitErrors(response: OffsetCommitResponse): Record<string, number> {
  const out: Record<string, number> = {}
  for (const t of response.topics) for (const p of t.partitions) out[`${t.name}/${p.index}`] = p.errorCode
  return out
}

function state(cluster: ClusterModel): unknown {
  const { time: _time, ...rest } = cluster.describe()
  return rest
}

describe('group APIs', () => {
  it('a consumer group round trip: join (MEMBER_ID_REQUIRED, then join), sync, heartbeat, commit, fetch offsets', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 2 })
    const groupId = 'billing'
    const coordinator = coordinatorOf(cluster, groupId)

    const first = await cluster.send(coordinator, joinRequest(groupId, '', ['orders']))
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1, members: [] })
    // Kafka's member ids are clientId + '-' + a UUID.
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/)

    const joined = await cluster.send(coordinator, joinRequest(groupId, first.memberId, ['orders']))
    expect(joined).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: first.memberId,
      memberId: first.memberId,
    })
    expect(joined.members).toEqual([{ memberId: first.memberId, groupInstanceId: null, metadata: subscription(['orders']) }])

    const myAssignment = assignment({ orders: [0, 1] })
    const synced = await cluster.send(coordinator, {
      api: 'SyncGroup',
      groupId,
      generationId: 1,
      memberId: first.memberId,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: first.memberId, assignment: myAssignment }],
    })
    expect(synced).toEqual({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range', assignment: myAssignment })

    expect(await cluster.send(coordinator, { api: 'Heartbeat', groupId, generationId: 1, memberId: first.memberId })).toEqual({ errorCode: ErrorCode.NONE })

    const committed = await cluster.send(coordinator, {
      api: 'OffsetCommit',
      groupId,
      generationId: 1,
      memberId: first.memberId,
      topics: [{ name: 'orders', partitions: [{ index: 0, committedOffset: 5, committedMetadata: 'm' }, { index: 1, committedOffset: 0, committedMetadata: null }] }],
    })
    expect(commitErrors(committed)).toEqual({ 'orders/0': ErrorCode.NONE, 'orders/1': ErrorCode.NONE })

    const fetched = await cluster.send(coordinator, { api: 'OffsetFetch', groupId, topics: [{ name: 'orders', partitionIndexes: [0, 1] }] })
    expect(fetched.errorCode).toBe(ErrorCode.NONE)
    expect(fetched.topics).toEqual([
      {
        name: 'orders',
        partitions: [
          { index: 0, committedOffset: 5, metadata: 'm', errorCode: ErrorCode.NONE },
          // Kafka stores a null commit metadata as "" (OffsetAndMetadata.NoMetadata).
          { index: 1, committedOffset: 0, metadata: '', errorCode: ErrorCode.NONE },
        ],
      },
    ])

    const group = cluster.describe().groups.find((g) => g.groupId === groupId)!
    expect(group).toMatchObject({ state: 'Stable', generationId: 1, protocol: 'range', leader: first.memberId, coordinator })
    expect(group.members).toEqual([{ memberId: first.memberId, clientId: 'app', clientHost: '/127.0.0.1', assignment: { orders: [0, 1] } }])
  })

  it('heartbeats: UNKNOWN_MEMBER_ID for a stranger, ILLEGAL_GENERATION for an old generation', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const { coordinator, memberId } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
    expect((await cluster.send(coordinator, { api: 'Heartbeat', groupId: 'g', generationId: 1, memberId: 'stranger' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID)
    expect((await cluster.send(coordinator, { api: 'Heartbeat', groupId: 'g', generationId: 0, memberId })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION)
  })

  it('LeaveGroup empties the group; DeleteGroups then removes it', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    const { coordinator, memberId } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
    const left = await cluster.send(coordinator, { api: 'LeaveGroup', groupId: 'g', members: [{ memberId }] })
    expect(left).toEqual({ errorCode: ErrorCode.NONE, members: [{ memberId, errorCode: ErrorCode.NONE }] })
    expect(cluster.describe().groups[0]).toMatchObject({ groupId: 'g', state: 'Empty', members: [] })
    const deleted = await cluster.send(coordinator, { api: 'DeleteGroups', groupsNames: ['g'] })
    expect(deleted.results).toEqual([{ groupId: 'g', errorCode: ErrorCode.NONE }])
    expect(cluster.describe().groups).toEqual([])
  })

  describe('NOT_COORDINATOR from any other broker, changing nothing', () => {
    it('for JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const { coordinator, memberId } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
      const wrong = otherThan(coordinator)
      const before = state(cluster)
      expect((await cluster.send(wrong, joinRequest('g', '', ['t']))).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
      expect((await cluster.send(wrong, { api: 'SyncGroup', groupId: 'g', generationId: 1, memberId, assignments: [] })).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
      expect((await cluster.send(wrong, { api: 'Heartbeat', groupId: 'g', generationId: 1, memberId })).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
      expect((await cluster.send(wrong, { api: 'LeaveGroup', groupId: 'g', members: [{ memberId }] })).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
      const commit = await cluster.send(wrong, {
        api: 'OffsetCommit',
        groupId: 'g',
        generationId: 1,
        memberId,
        topics: [{ name: 't', partitions: [{ index: 0, committedOffset: 1, committedMetadata: null }] }],
      })
      expect(commitErrors(commit)).toEqual({ 't/0': ErrorCode.NOT_COORDINATOR })
      expect((await cluster.send(wrong, { api: 'OffsetFetch', groupId: 'g', topics: null })).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
      expect(state(cluster)).toEqual(before)
    })

    it('for DescribeGroups and DeleteGroups, per group', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const { coordinator } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
      const wrong = otherThan(coordinator)
      const described = await cluster.send(wrong, { api: 'DescribeGroups', groups: ['g'] })
      expect(described.groups[0]).toMatchObject({ groupId: 'g', errorCode: ErrorCode.NOT_COORDINATOR, members: [] })
      const deleted = await cluster.send(wrong, { api: 'DeleteGroups', groupsNames: ['g'] })
      expect(deleted.results).toEqual([{ groupId: 'g', errorCode: ErrorCode.NOT_COORDINATOR }])
      expect(cluster.describe().groups.map((g) => g.groupId)).toEqual(['g'])
    })
  })

  describe('OffsetCommit', () => {
    it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist, and commits the others', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const coordinator = coordinatorOf(cluster, 'admin-group')
      const response = await cluster.send(coordinator, {
        api: 'OffsetCommit',
        groupId: 'admin-group',
        generationId: -1,
        memberId: '',
        topics: [
          { name: 't', partitions: [{ index: 0, committedOffset: 3, committedMetadata: null }, { index: 1, committedOffset: 3, committedMetadata: null }] },
          { name: 'missing', partitions: [{ index: 0, committedOffset: 3, committedMetadata: null }] },
        ],
      })
      expect(commitErrors(response)).toEqual({
        't/0': ErrorCode.NONE,
        't/1': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        'missing/0': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      })
      const fetched = await cluster.send(coordinator, { api: 'OffsetFetch', groupId: 'admin-group', topics: null })
      expect(fetched.topics).toEqual([{ name: 't', partitions: [{ index: 0, committedOffset: 3, metadata: '', errorCode: ErrorCode.NONE }] }])
    })

    it('creates nothing when every partition is unknown', async () => {
      const cluster = newCluster()
      const before = state(cluster)
      const coordinator = coordinatorOf(cluster, 'g')
      const response = await cluster.send(coordinator, {
        api: 'OffsetCommit',
        groupId: 'g',
        generationId: -1,
        memberId: '',
        topics: [{ name: 'missing', partitions: [{ index: 0, committedOffset: 3, committedMetadata: null }] }],
      })
      expect(commitErrors(response)).toEqual({ 'missing/0': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })
      expect(state(cluster)).toEqual(before)
    })

    it('accepts generation -1 from outside the group only while the group is empty', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const { coordinator } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
      const response = await cluster.send(coordinator, {
        api: 'OffsetCommit',
        groupId: 'g',
        generationId: -1,
        memberId: '',
        topics: [{ name: 't', partitions: [{ index: 0, committedOffset: 3, committedMetadata: null }] }],
      })
      // GroupMetadata.validateOffsetCommit: no member id and no generation is accepted only
      // while the group is Empty; otherwise UNKNOWN_MEMBER_ID.
      expect(commitErrors(response)).toEqual({ 't/0': ErrorCode.UNKNOWN_MEMBER_ID })
      expect(cluster.describe().groups[0]!.offsets).toEqual([])
    })

    it('OffsetFetch answers -1 for a partition without a committed offset', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const coordinator = coordinatorOf(cluster, 'nobody')
      const fetched = await cluster.send(coordinator, { api: 'OffsetFetch', groupId: 'nobody', topics: [{ name: 't', partitionIndexes: [0] }] })
      expect(fetched.errorCode).toBe(ErrorCode.NONE)
      expect(fetched.topics[0]!.partitions[0]).toMatchObject({ index: 0, committedOffset: -1, errorCode: ErrorCode.NONE })
    })
  })

  describe('DescribeGroups and ListGroups', () => {
    it('describes a Stable group with its protocol, members, metadata and assignments', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { partitions: 2 })
      const { coordinator, memberId } = await joinAndSync(cluster, 'g', ['t'], { t: [1, 0] })
      const response = await cluster.send(coordinator, { api: 'DescribeGroups', groups: ['g', 'unknown'] })
      const unknownCoordinator = coordinatorOf(cluster, 'unknown')
      expect(response.groups[0]).toEqual({
        errorCode: ErrorCode.NONE,
        groupId: 'g',
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'range',
        members: [
          {
            memberId,
            groupInstanceId: null,
            clientId: 'app',
            clientHost: '/127.0.0.1',
            memberMetadata: subscription(['t']),
            memberAssignment: assignment({ t: [1, 0] }),
          },
        ],
      })
      // A group that does not exist is described as Dead, without an error, by its coordinator.
      if (unknownCoordinator === coordinator) {
        expect(response.groups[1]).toMatchObject({ errorCode: ErrorCode.NONE, groupId: 'unknown', groupState: 'Dead', members: [] })
      } else {
        expect(response.groups[1]).toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR, groupId: 'unknown' })
      }
    })

    it('lists a group only on its coordinator, with its protocol type and state', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const { coordinator } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
      for (const brokerId of [0, 1, 2]) {
        const response = await cluster.send(brokerId, { api: 'ListGroups' })
        expect(response.errorCode).toBe(ErrorCode.NONE)
        expect(response.groups).toEqual(brokerId === coordinator ? [{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable' }] : [])
      }
    })

    it('filters ListGroups by state', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't')
      const { coordinator } = await joinAndSync(cluster, 'g', ['t'], { t: [0] })
      expect((await cluster.send(coordinator, { api: 'ListGroups', statesFilter: ['Empty'] })).groups).toEqual([])
      expect((await cluster.send(coordinator, { api: 'ListGroups', statesFilter: ['Stable'] })).groups.map((g) => g.groupId)).toEqual(['g'])
    })
  })
})
