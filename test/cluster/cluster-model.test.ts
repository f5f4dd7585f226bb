/**
 * ClusterModel as its users drive it without the kafkajs facade: the request boundary
 * (`send`), brokers and coordinators, the timeline, determinism under a seed, settle/advance,
 * and close().
 */
import { describe, it, expect } from 'vitest'
import { ClusterModel } from '../../src/cluster/cluster-model.js'
import { ManualClock, SystemClock, settleMicrotasks } from '../../src/cluster/clock.js'
import { BrokerUnreachableError, ErrorCode } from '../../src/cluster/error-codes.js'
import { CoordinatorType, type AnyRequest, type JoinGroupRequest, type JoinGroupResponse } from '../../src/cluster/api/messages.js'
import { createTopic, newCluster } from '../support/cluster-harness.js'

async function produce(cluster: ClusterModel, topic: string, values: string[], partition = 0): Promise<void> {
  const leader = cluster.controller.topic(topic)!.partitions[partition]!.leader
  const response = await cluster.send(leader, {
    api: 'Produce',
    acks: -1,
    timeoutMs: 1000,
    topics: [{ name: topic, partitions: [{ index: partition, records: values.map((v) => ({ key: Buffer.from(v), value: Buffer.from(v) })) }] }],
  })
  expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
}

function joinRequest(groupId: string, memberId: string): JoinGroupRequest {
  return {
    api: 'JoinGroup',
    groupId,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    clientId: 'app',
    clientHost: '/127.0.0.1',
  }
}

/** One member, joined and synced: the group is Stable at generation 1. */
async function stableGroup(cluster: ClusterModel, groupId: string): Promise<{ coordinator: number; memberId: string }> {
  const coordinator = cluster.coordinatorFor(groupId, CoordinatorType.GROUP)!
  const { memberId } = await cluster.send(coordinator, joinRequest(groupId, ''))
  const joined = await cluster.send(coordinator, joinRequest(groupId, memberId))
  expect(joined.errorCode).toBe(ErrorCode.NONE)
  const synced = await cluster.send(coordinator, { api: 'SyncGroup', groupId, generationId: joined.generationId, memberId, assignments: [{ memberId, assignment: Buffer.alloc(0) }] })
  expect(synced.errorCode).toBe(ErrorCode.NONE)
  return { coordinator, memberId }
}

/** One request of every kind, to check that a closed or unknown broker refuses them all. */
const everyApi: AnyRequest[] = [
  { api: 'Metadata', topics: null, allowAutoTopicCreation: false },
  { api: 'DescribeCluster' },
  { api: 'CreateTopics', topics: [{ name: 'x', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false },
  { api: 'DeleteTopics', topicNames: ['t'], timeoutMs: 0 },
  { api: 'Produce', acks: 1, timeoutMs: 0, topics: [{ name: 't', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('v') }] }] }] },
  { api: 'Fetch', maxWaitMs: 0, minBytes: 0, maxBytes: 1000, isolationLevel: 0, topics: [{ name: 't', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 1000 }] }] },
  { api: 'ListOffsets', isolationLevel: 0, topics: [{ name: 't', partitions: [{ index: 0, timestamp: -1 }] }] },
  { api: 'FindCoordinator', key: 'g', keyType: 0 },
  joinRequest('g', ''),
  { api: 'Heartbeat', groupId: 'g', generationId: 1, memberId: 'm' },
  { api: 'OffsetFetch', groupId: 'g', topics: null },
  { api: 'ListGroups' },
]

describe('ClusterModel', () => {
  describe('construction', () => {
    it('numbers brokers 0..n-1 on consecutive ports and lists them as bootstrap addresses', () => {
      const cluster = newCluster({ basePort: 10000 })
      expect(cluster.brokers.map((b) => b.id)).toEqual([0, 1, 2])
      expect(cluster.bootstrapBrokers).toEqual(['localhost:10000', 'localhost:10001', 'localhost:10002'])
    })

    it('takes broker specs with ids and racks', async () => {
      const cluster = newCluster({ brokers: [{ id: 10, rack: 'a' }, { id: 20, rack: 'b' }] })
      const response = await cluster.send(20, { api: 'DescribeCluster' })
      expect(response.brokers.map((b) => [b.brokerId, b.rack])).toEqual([
        [10, 'a'],
        [20, 'b'],
      ])
      expect(response.controllerId).toBe(10)
    })

    it('refuses duplicate broker ids, no brokers and a bad broker count', () => {
      expect(() => newCluster({ brokers: [{ id: 1 }, { id: 1 }] })).toThrow(/Duplicate broker id 1/)
      expect(() => newCluster({ brokers: [] })).toThrow(TypeError)
      expect(() => newCluster({ brokers: 0 })).toThrow(TypeError)
      expect(() => newCluster({ brokers: 1.5 })).toThrow(TypeError)
    })

    it('refuses an unknown broker config name', () => {
      expect(() => newCluster({ brokerConfig: { 'no.such.config': 1 } as never })).toThrow(/no.such.config/)
    })
  })

  describe('send', () => {
    it('rejects with BrokerUnreachableError for a broker id that is not in the cluster', async () => {
      const cluster = newCluster()
      for (const request of everyApi) {
        const error = await cluster.send(7, request).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(BrokerUnreachableError)
        expect((error as BrokerUnreachableError).brokerId).toBe(7)
      }
      expect(cluster.controller.topicNames()).toEqual([])
    })

    it('says why a broker cannot be reached: stopped, cut off, or restarted while its old session lasts', async () => {
      const cluster = newCluster()
      const reason = (brokerId: number) =>
        cluster.send(brokerId, { api: 'DescribeCluster' }).then(
          () => 'reachable',
          (e: unknown) => (e as Error).message,
        )
      cluster.stopBroker(0, { crash: true })
      cluster.isolate(1)
      expect(await reason(0)).toBe('Broker 0 is not reachable: the broker is stopped')
      expect(await reason(1)).toBe('Broker 1 is not reachable: the network to it is cut')
      cluster.startBroker(0) // the crashed incarnation's session has not expired yet
      expect(await reason(0)).toBe('Broker 0 is not reachable: the broker is restarting (waiting for its previous session to expire)')
      await cluster.advance(cluster.config.brokerSessionTimeoutMs())
      expect(await reason(0)).toBe('reachable')
      cluster.heal()
      expect(await reason(1)).toBe('reachable')
      expect(await reason(2)).toBe('reachable')
    })

    it('answers asynchronously: the response is a promise even for a synchronous handler', async () => {
      const cluster = newCluster()
      const pending = cluster.send(0, { api: 'DescribeCluster' })
      expect(pending).toBeInstanceOf(Promise)
      expect((await pending).errorCode).toBe(ErrorCode.NONE)
    })
  })

  describe('close', () => {
    it('makes every later send reject with BrokerUnreachableError, and changes nothing', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await cluster.close()
      expect(cluster.isClosed).toBe(true)
      const before = cluster.describe()
      for (const brokerId of [0, 1, 2]) {
        for (const request of everyApi) {
          await expect(cluster.send(brokerId, request)).rejects.toBeInstanceOf(BrokerUnreachableError)
        }
      }
      expect(cluster.describe()).toEqual(before)
    })

    it('is idempotent and calls close listeners once', async () => {
      const cluster = newCluster()
      let calls = 0
      cluster.onClose(() => calls++)
      const removed = cluster.onClose(() => calls += 100)
      removed()
      await cluster.close()
      await cluster.close()
      expect(calls).toBe(1)
    })

    it('ends a JoinGroup parked in a rebalance with COORDINATOR_NOT_AVAILABLE', async () => {
      const cluster = newCluster()
      const { coordinator } = await stableGroup(cluster, 'g')
      // A second member makes the group rebalance; its join waits for the first to rejoin.
      const { memberId: second } = await cluster.send(coordinator, joinRequest('g', ''))
      let parked: JoinGroupResponse | undefined
      void cluster.send(coordinator, joinRequest('g', second)).then((r) => (parked = r))
      await settleMicrotasks()
      expect(parked).toBeUndefined()
      await cluster.close()
      expect(parked?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    })
  })

  describe('coordinatorFor', () => {
    it('agrees with FindCoordinator, for groups and transactional ids', async () => {
      const cluster = newCluster()
      for (const key of ['a', 'orders', 'billing-service', 'tx-1']) {
        for (const keyType of [CoordinatorType.GROUP, CoordinatorType.TRANSACTION]) {
          const answer = await cluster.send(1, { api: 'FindCoordinator', key, keyType })
          expect(answer.nodeId).toBe(cluster.coordinatorFor(key, keyType))
        }
      }
    })
  })

  describe('time', () => {
    it('advance(ms) moves a ManualClock and runs due timers', async () => {
      const clock = new ManualClock(100)
      const cluster = newCluster({ clock })
      let fired = -1
      clock.setTimeout(() => (fired = clock.now()), 50)
      await cluster.advance(49)
      expect(fired).toBe(-1)
      await cluster.advance(1)
      expect(fired).toBe(150)
      expect(cluster.describe().time).toBe(150)
    })

    it('advance(ms) refuses to work without a ManualClock', async () => {
      const cluster = newCluster({ clock: new SystemClock() })
      await expect(cluster.advance(10)).rejects.toThrow(TypeError)
    })

    it('settle() resolves at once with nothing running, and never moves a ManualClock', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await cluster.settle()
      expect(cluster.clock.now()).toBe(0)
    })

    it('settle() waits for a participant and names it when it times out', async () => {
      const cluster = newCluster()
      let busy = true
      cluster.registerParticipant({ isSettled: () => !busy, describePending: () => 'consumer c1 is behind' })
      const done = cluster.settle()
      await settleMicrotasks()
      busy = false
      await done
      busy = true
      await expect(cluster.settle({ timeoutMs: 20 })).rejects.toThrow(/consumer c1 is behind/)
    })
  })

  describe('timeline', () => {
    it('records topicCreated, leaderElected, produced, rebalanced and offsetsCommitted in order, at clock times', async () => {
      const cluster = newCluster()
      await cluster.advance(10)
      await createTopic(cluster, 'orders', { partitions: 2 })
      await cluster.advance(10)
      await produce(cluster, 'orders', ['a', 'b'], 1)
      await cluster.advance(10)
      const { coordinator, memberId } = await stableGroup(cluster, 'g')
      await cluster.advance(10)
      await cluster.send(coordinator, {
        api: 'OffsetCommit',
        groupId: 'g',
        generationId: 1,
        memberId,
        topics: [{ name: 'orders', partitions: [{ index: 1, committedOffset: 2, committedMetadata: null }] }],
      })
      const events = cluster.timeline({ types: ['topicCreated', 'leaderElected', 'produced', 'rebalanced', 'offsetsCommitted'] })
      expect(events.map((e) => [e.type, e.time])).toEqual([
        ['topicCreated', 10],
        ['leaderElected', 10],
        ['leaderElected', 10],
        ['produced', 20],
        ['rebalanced', 30],
        ['offsetsCommitted', 40],
      ])
      expect(events[1]).toMatchObject({ topic: 'orders', partition: 0, leaderEpoch: 0, reason: 'topic created' })
      expect(events[3]).toMatchObject({ topic: 'orders', partition: 1, baseOffset: 0, count: 2, acks: -1 })
      expect(events[4]).toMatchObject({ groupId: 'g', generationId: 1, leaderId: memberId, members: [memberId], protocolName: 'range' })
      expect(events[5]).toMatchObject({ groupId: 'g', generationId: 1, offsets: [{ topic: 'orders', partition: 1, offset: 2 }] })
    })

    it('starts with the brokers registering, and keeps time order overall', async () => {
      const cluster = newCluster()
      await createTopic(cluster, 't', { replicationFactor: 3 })
      await cluster.advance(5)
      await produce(cluster, 't', ['x'])
      const all = cluster.timeline()
      expect(all.slice(0, 3)).toEqual([
        { type: 'brokerRegistered', brokerId: 0, rack: null, time: 0 },
        { type: 'brokerRegistered', brokerId: 1, rack: null, time: 0 },
        { type: 'brokerRegistered', brokerId: 2, rack: null, time: 0 },
      ])
      const times = all.map((e) => e.time)
      expect(times).toEqual([...times].sort((a, b) => a - b))
    })
  })

  describe('determinism', () => {
    async function run(seed: number): Promise<{ description: unknown; timeline: unknown }> {
      const cluster = newCluster({ seed })
      await createTopic(cluster, 'a', { partitions: 6, replicationFactor: 2 })
      await createTopic(cluster, 'b', { partitions: 3, replicationFactor: 3 })
      await produce(cluster, 'a', ['1', '2'], 4)
      await stableGroup(cluster, 'g')
      return { description: cluster.describe(), timeline: cluster.timeline() }
    }

    it('the same seed and the same requests give the same cluster, ids and placement included', async () => {
      expect(await run(7)).toEqual(await run(7))
    })

    it('a different seed gives different ids', async () => {
      const [one, two] = [newCluster({ seed: 1 }), newCluster({ seed: 2 })]
      expect(one.clusterId).not.toBe(two.clusterId)
    })
  })
})
