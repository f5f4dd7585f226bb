/**
 * cluster.describe() and cluster.format(): the plain-data snapshot and its text tables, as a
 * learner reads them (leaders, replicas, ISR, watermarks; groups with their members'
 * assignments and committed offsets with lag).
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../src/cluster/cluster-model.js'
import { ManualClock } from '../../src/cluster/clock.js'
import { ErrorCode } from '../../src/cluster/error-codes.js'
import { CoordinatorType, type JoinGroupRequest } from '../../src/cluster/api/messages.js'
import { formatCluster, shortMemberIds } from '../../src/cluster/format.js'
import type { GroupDescription } from '../../src/cluster/describe.js'
import { createTopic, newCluster } from '../support/cluster-harness.js'

async function produce(cluster: ClusterModel, topic: string, partition: number, count: number): Promise<void> {
  const leader = cluster.controller.topic(topic)!.partitions[partition]!.leader
  const response = await cluster.send(leader, {
    api: 'Produce',
    acks: -1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: partition, records: Array.from({ length: count }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from('v') })) }] }],
  })
  expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
}

// ConsumerProtocol assignment: version, [topic, [partition]], userData.
function assignment(byTopic: Record<string, number[]>): Buffer {
  const parts: Buffer[] = []
  const int16 = (n: number) => {
    const b = Buffer.alloc(2)
    b.writeInt16BE(n)
    return b
  }
  const int32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeInt32BE(n)
    return b
  }
  parts.push(int16(0), int32(Object.keys(byTopic).length))
  for (const [topic, partitions] of Object.entries(byTopic)) {
    parts.push(int16(topic.length), Buffer.from(topic), int32(partitions.length), ...partitions.map(int32))
  }
  parts.push(int32(0))
  return Buffer.concat(parts)
}

function joinRequest(groupId: string, memberId: string, clientId: string): JoinGroupRequest {
  return {
    api: 'JoinGroup',
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    protocolType: 'consumer',
    protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }],
    clientId,
    clientHost: '/10.0.0.1',
  }
}

/** A Stable one-member group owning `owned`; returns its member id. */
async function stableGroup(cluster: ClusterModel, groupId: string, owned: Record<string, number[]>, clientId = 'app'): Promise<string> {
  const coordinator = cluster.coordinatorFor(groupId, CoordinatorType.GROUP)!
  const { memberId } = await cluster.send(coordinator, joinRequest(groupId, '', clientId))
  const joined = await cluster.send(coordinator, joinRequest(groupId, memberId, clientId))
  await cluster.send(coordinator, { api: 'SyncGroup', groupId, generationId: joined.generationId, memberId, assignments: [{ memberId, assignment: assignment(owned) }] })
  return memberId
}

async function commit(cluster: ClusterModel, groupId: string, memberId: string, generationId: number, offsets: [string, number, number][]): Promise<void> {
  const coordinator = cluster.coordinatorFor(groupId, CoordinatorType.GROUP)!
  const response = await cluster.send(coordinator, {
    api: 'OffsetCommit',
    groupId,
    generationId,
    memberId,
    topics: [...new Set(offsets.map(([t]) => t))].map((name) => ({
      name,
      partitions: offsets.filter(([t]) => t === name).map(([, index, committedOffset]) => ({ index, committedOffset, committedMetadata: null })),
    })),
  })
  for (const t of response.topics) for (const p of t.partitions) expect(p.errorCode).toBe(ErrorCode.NONE)
}

/** format()'s lines as whitespace-separated cells, so tests do not depend on column widths. */
function rows(text: string): string[][] {
  return text.split('\n').map((line) => line.trim().split(/\s+/).filter((c) => c !== ''))
}

describe('describe()', () => {
  it('describes brokers, with the controller marked', () => {
    const cluster = newCluster({ clusterId: 'c1' })
    const d = cluster.describe()
    expect(d.clusterId).toBe('c1')
    expect(d.controllerId).toBe(0)
    expect(d.brokers).toEqual([
      { id: 0, host: 'localhost', port: 9092, rack: null, alive: true, running: true, isolated: false, isController: true },
      { id: 1, host: 'localhost', port: 9093, rack: null, alive: true, running: true, isolated: false, isController: false },
      { id: 2, host: 'localhost', port: 9094, rack: null, alive: true, running: true, isolated: false, isController: false },
    ])
    expect(d.topics).toEqual([])
    expect(d.groups).toEqual([])
  })

  it('reports the clock time of the snapshot', async () => {
    const cluster = newCluster({ clock: new ManualClock(1_000) })
    await cluster.advance(234)
    expect(cluster.describe().time).toBe(1_234)
  })

  it('describes topics in name order with their overrides, partitions, replicas, ISR and watermarks', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'zeta')
    await createTopic(cluster, 'alpha', { partitions: 2, replicationFactor: 3, configs: { 'retention.ms': '1000' } })
    await produce(cluster, 'alpha', 0, 5)
    await produce(cluster, 'alpha', 1, 2)
    const leader0 = cluster.controller.topic('alpha')!.partitions[0]!.leader
    await cluster.send(leader0, { api: 'DeleteRecords', topics: [{ name: 'alpha', partitions: [{ index: 0, offset: 3 }] }], timeoutMs: 1000 })
    const d = cluster.describe()
    expect(d.topics.map((t) => t.name)).toEqual(['alpha', 'zeta'])
    const alpha = d.topics[0]!
    expect(alpha).toMatchObject({ name: 'alpha', internal: false, configs: { 'retention.ms': '1000' } })
    expect(alpha.topicId).toMatch(/^[0-9a-f-]{36}$/)
    expect(alpha.partitions[0]).toMatchObject({ partition: 0, leader: leader0, leaderEpoch: 0, offlineReplicas: [], logStartOffset: 3, lastStableOffset: 5, highWatermark: 5, logEndOffset: 5 })
    expect(alpha.partitions[1]).toMatchObject({ partition: 1, logStartOffset: 0, lastStableOffset: 2, highWatermark: 2, logEndOffset: 2 })
    for (const p of alpha.partitions) {
      const model = cluster.controller.topic('alpha')!.partitions[p.partition]!
      expect(p.replicas).toEqual(model.replicas)
      expect(p.isr).toEqual(model.isr)
      expect(p.leader).toBe(model.leader)
      expect([...p.replicas].sort()).toEqual([0, 1, 2])
    }
    expect(d.topics[1]!.configs).toEqual({})
  })

  it('is a copy: changing it does not change the cluster', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicationFactor: 3 })
    const d = cluster.describe()
    d.topics[0]!.partitions[0]!.isr.pop()
    d.topics[0]!.partitions[0]!.replicas.push(9)
    expect(cluster.describe().topics[0]!.partitions[0]!.isr).toHaveLength(3)
    expect(cluster.controller.topic('t')!.partitions[0]!.replicas).toHaveLength(3)
  })

  it("describes groups with their members' decoded assignments and committed offsets with lag", async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 3 })
    await produce(cluster, 'orders', 0, 10)
    await produce(cluster, 'orders', 1, 4)
    const memberId = await stableGroup(cluster, 'billing', { orders: [2, 0, 1] }, 'billing-app')
    await commit(cluster, 'billing', memberId, 1, [
      ['orders', 1, 4],
      ['orders', 0, 7],
    ])
    const [group] = cluster.describe().groups
    expect(group).toEqual({
      groupId: 'billing',
      state: 'Stable',
      generationId: 1,
      protocolType: 'consumer',
      protocol: 'roundrobin',
      leader: memberId,
      coordinator: cluster.coordinatorFor('billing', CoordinatorType.GROUP),
      members: [{ memberId, clientId: 'billing-app', clientHost: '/10.0.0.1', assignment: { orders: [0, 1, 2] } }],
      offsets: [
        { topic: 'orders', partition: 0, committedOffset: 7, metadata: '', highWatermark: 10, lag: 3 },
        { topic: 'orders', partition: 1, committedOffset: 4, metadata: '', highWatermark: 4, lag: 0 },
      ],
    })
  })

  it('lists groups in id order, including an Empty group that only stores offsets', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    await produce(cluster, 't', 0, 3)
    await commit(cluster, 'zz-admin', '', -1, [['t', 0, 1]])
    await stableGroup(cluster, 'aa-live', { t: [0] })
    const groups = cluster.describe().groups
    expect(groups.map((g) => [g.groupId, g.state])).toEqual([
      ['aa-live', 'Stable'],
      ['zz-admin', 'Empty'],
    ])
    expect(groups[1]).toMatchObject({ members: [], offsets: [{ topic: 't', partition: 0, committedOffset: 1, highWatermark: 3, lag: 2 }] })
  })

  it('decodes an empty or unreadable assignment as no partitions', async () => {
    const cluster = newCluster()
    const coordinator = cluster.coordinatorFor('g', CoordinatorType.GROUP)!
    const { memberId } = await cluster.send(coordinator, joinRequest('g', '', 'app'))
    const joined = await cluster.send(coordinator, joinRequest('g', memberId, 'app'))
    await cluster.send(coordinator, { api: 'SyncGroup', groupId: 'g', generationId: joined.generationId, memberId, assignments: [{ memberId, assignment: Buffer.from([0, 0, 0]) }] })
    expect(cluster.describe().groups[0]!.members[0]!.assignment).toEqual({})
  })
})

describe('format()', () => {
  it('says there are no topics in an empty cluster, and lists the brokers', () => {
    const text = newCluster({ clusterId: 'c1' }).format()
    expect(text).toContain('Cluster c1')
    expect(text).toContain('No topics.')
    const cells = rows(text)
    expect(cells).toContainEqual(['0', 'localhost:9092', '-', 'up', '(controller)'])
    expect(cells).toContainEqual(['1', 'localhost:9093', '-', 'up'])
    expect(cells).toContainEqual(['2', 'localhost:9094', '-', 'up'])
  })

  it('has a row per partition with leader, epoch, replicas, ISR and watermarks', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 3, replicationFactor: 2 })
    await createTopic(cluster, 'audit')
    await produce(cluster, 'orders', 1, 4)
    const text = cluster.format()
    expect(text).not.toContain('No topics.')
    const cells = rows(text)
    const header = cells.find((r) => r[0] === 'TOPIC' && r.includes('LEO'))!
    expect(header).toEqual(['TOPIC', 'PARTITION', 'LEADER', 'EPOCH', 'REPLICAS', 'ISR', 'LOG-START', 'LSO', 'HW', 'LEO', 'REPLICA-LEOS'])
    const partitionRows = cells.filter((r) => r[0] === 'orders' || r[0] === 'audit')
    expect(partitionRows).toHaveLength(4)
    for (const t of cluster.describe().topics) {
      for (const p of t.partitions) {
        expect(partitionRows).toContainEqual([
          t.name,
          String(p.partition),
          String(p.leader),
          String(p.leaderEpoch),
          p.replicas.join(','),
          p.isr.join(','),
          String(p.logStartOffset),
          String(p.lastStableOffset),
          String(p.highWatermark),
          String(p.logEndOffset),
          ...p.replicaStates.map((r) => `${r.brokerId}:${r.logEndOffset}`),
        ])
      }
    }
    // Topics appear in name order.
    expect(partitionRows[0]![0]).toBe('audit')
  })

  it('has a section per group with its state, and a row per partition with committed offset, HW, lag and owner', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 3 })
    await produce(cluster, 'orders', 0, 10)
    const memberId = await stableGroup(cluster, 'billing', { orders: [0, 1] })
    await commit(cluster, 'billing', memberId, 1, [['orders', 0, 6], ['orders', 2, 0]])
    const text = cluster.format()
    expect(text).toMatch(/Group billing\s+state: Stable\s+generation: 1\s+protocol: roundrobin\s+members: 1/)
    const cells = rows(text)
    expect(cells).toContainEqual(['TOPIC', 'PARTITION', 'COMMITTED', 'HW', 'LAG', 'MEMBER'])
    // Members are named by their client id when it is unique in the group.
    expect(memberId).toMatch(/^app-/)
    // committed and owned; owned but never committed (HW known, lag not); committed but owned by nobody
    expect(cells).toContainEqual(['orders', '0', '6', '10', '4', 'app'])
    expect(cells).toContainEqual(['orders', '1', '-', '0', '-', 'app'])
    expect(cells).toContainEqual(['orders', '2', '0', '0', '0', '-'])
  })

  it('lists every member with its assignment, the leader marked and a member with no partitions shown idle', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 'orders', { partitions: 2 })
    await produce(cluster, 'orders', 1, 3)
    const d = cluster.describe()
    // Three members, two partitions: the round-robin leader gives the third nothing.
    const id = (client: string, hex: string) => `${client}-${hex.repeat(8)}-${hex.repeat(4)}-${hex.repeat(4)}-${hex.repeat(4)}-${hex.repeat(12)}`
    const [a, b, c] = [id('a', '1'), id('b', '2'), id('c', '3')]
    const group: GroupDescription = {
      groupId: 'billing',
      state: 'Stable',
      generationId: 3,
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
      leader: b,
      coordinator: 0,
      members: [
        { memberId: a, clientId: 'a', clientHost: '/127.0.0.1', assignment: { orders: [1, 0] } },
        { memberId: b, clientId: 'b', clientHost: '/127.0.0.1', assignment: {} },
        { memberId: c, clientId: 'c', clientHost: '/127.0.0.1', assignment: { orders: [] } },
      ],
      offsets: [],
    }
    const cells = rows(formatCluster({ ...d, groups: [group] }))
    expect(cells).toContainEqual(['MEMBER', 'CLIENT-ID', 'ASSIGNMENT'])
    expect(cells).toContainEqual(['a', 'a', 'orders:', '0,1'])
    expect(cells).toContainEqual(['b', '(leader)', 'b', '-', '(idle)'])
    expect(cells).toContainEqual(['c', 'c', '-', '(idle)'])
    // Owned, never committed: the high watermark of the partition, no lag.
    expect(cells).toContainEqual(['orders', '0', '-', '0', '-', 'a'])
    expect(cells).toContainEqual(['orders', '1', '-', '3', '-', 'a'])
  })

  it('names members that share a client id by the client id and the head of their UUID', () => {
    const a = 'app-c1885021-7a7e-44ba-be16-0655dc152db4'
    const b = 'app-0c94a984-5723-4ec1-913e-33fc78d066d5'
    const c = 'other-app-1f2e3d4c-0000-4000-8000-000000000000'
    expect(shortMemberIds([a, b, c, 'static-1'])).toEqual(
      new Map([
        [a, 'app-c1885021'],
        [b, 'app-0c94a984'],
        [c, 'other-app'],
        ['static-1', 'static-1'],
      ]),
    )
  })

  it('has a section for every group', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't')
    await stableGroup(cluster, 'one', { t: [0] })
    await commit(cluster, 'two', '', -1, [['t', 0, 0]])
    const text = cluster.format()
    expect(text).toMatch(/Group one\s+state: Stable/)
    expect(text).toMatch(/Group two\s+state: Empty\s+generation: 0\s+protocol: -\s+members: 0/)
  })
})
