/**
 * Replication as a user of the cluster sees it (KAFKA-SEMANTICS.md "Replication and elections",
 * "Produce"): followers sharing the leader's batches, the ISR shrinking after
 * replica.lag.time.max.ms and growing back, the high watermark over the ISR with the 3.7
 * min-ISR rule, acks=all waiting and its errors, controlled shutdown, leader epochs, preferred
 * leader election, network isolation and heal, the group coordinator moving, and request
 * interceptors.
 *
 * Everything runs on virtual time at the request boundary (`cluster.send`); the kafkajs-level
 * consequences are in test/client/broker-failures.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/index.js'
import { BrokerUnreachableError, ErrorCode, errorName } from '../../../src/cluster/error-codes.js'
import type { ProducePartitionResponse } from '../../../src/cluster/api/messages.js'
import { StormClock } from '../../support/storm-clock.js'
import { eventsOf, partitionOf, stateOf, track } from './harness.js'
import { createTopic } from '../../support/cluster-harness.js'

// -------------------------------------------------------------------------------------------
// Harness

const SESSION_TIMEOUT = 9_000 // broker.session.timeout.ms default
const LAG = 1_000 // replica.lag.time.max.ms in these tests

const clusters: Cluster[] = []

afterEach(async () => {
  for (const c of clusters.splice(0)) await c.close()
})

function newCluster(brokerConfig: Record<string, string | number | boolean> = {}): Cluster {
  const cluster = new Cluster({ brokers: 3, clock: new StormClock(0), seed: 7, brokerConfig: { 'replica.lag.time.max.ms': LAG, ...brokerConfig } })
  clusters.push(cluster)
  return cluster
}

function produce(
  cluster: Cluster,
  values: string[],
  { acks = -1, timeoutMs = 60_000, brokerId, topic = 't' }: { acks?: number; timeoutMs?: number; brokerId?: number; topic?: string } = {},
): Promise<ProducePartitionResponse> {
  return cluster
    .send(brokerId ?? partitionOf(cluster, topic).leader, {
      api: 'Produce',
      acks,
      timeoutMs,
      topics: [{ name: topic, partitions: [{ index: 0, records: values.map((v) => ({ key: null, value: Buffer.from(v) })) }] }],
    })
    .then((r) => r.topics[0]!.partitions[0]!)
}

function replicaValues(cluster: Cluster, brokerId: number, topic = 't'): string[] {
  const out: string[] = []
  for (const segment of partitionOf(cluster, topic).replica(brokerId)!.log.allSegments) {
    for (const batch of segment.batches) for (const r of batch.records()) out.push(r.value!.toString())
  }
  return out
}

// -------------------------------------------------------------------------------------------

describe('followers', () => {
  it('hold the leader’s batch objects themselves, not copies', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await produce(cluster, ['a', 'b'])
    await produce(cluster, ['c'])
    const p = partitionOf(cluster)
    const leaderBatches = p.replica(0)!.log.allSegments.flatMap((s) => [...s.batches])
    expect(leaderBatches).toHaveLength(2)
    for (const id of [1, 2]) {
      const batches = p.replica(id)!.log.allSegments.flatMap((s) => [...s.batches])
      expect(batches).toHaveLength(2)
      batches.forEach((b, i) => expect(b).toBe(leaderBatches[i]))
    }
    const states = stateOf(cluster).replicaStates
    expect(states.map(({ highWatermark: _, ...rest }) => rest)).toEqual([0, 1, 2].map((id) => ({ brokerId: id, logStartOffset: 0, logEndOffset: 3, inSync: true, isLeader: id === 0 })))
    // A follower learns the high watermark from its own fetches, so it may trail the leader's.
    expect(states[0]!.highWatermark).toBe(3)
    for (const s of states) expect(s.highWatermark).toBeGreaterThanOrEqual(1)
  })
})

describe('followers of a compacted topic', () => {
  // Found by memkafka/testing: a follower returning to a leader whose cleaner had removed whole
  // batches threw ("batch at 1 does not follow log end 0") instead of copying the gap.
  it('copy the leader\'s log with the gaps its cleaner left, and rejoin the ISR', async () => {
    const cluster = newCluster({ 'log.cleaner.backoff.ms': 60_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'cleanup.policy': 'compact', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.01' } })
    cluster.stopBroker(2)
    const producer = cluster.kafka({ clientId: 'p', logLevel: 0 }).producer()
    await producer.connect()
    await producer.send({ topic: 't', messages: [{ key: 'k', value: 'old' }] })
    await producer.send({ topic: 't', messages: [{ key: 'j', value: 'kept' }] })
    await cluster.advance(200)
    await producer.send({ topic: 't', messages: [{ key: 'k', value: 'new' }] }) // rolls: the first segment is cleanable
    await cluster.advance(200)
    await producer.send({ topic: 't', messages: [{ key: 'x', value: 'active' }] })
    cluster.runCleaner()
    expect(replicaValues(cluster, 0)).toEqual(['kept', 'new', 'active'])
    cluster.startBroker(2)
    await cluster.advance(SESSION_TIMEOUT)
    expect(replicaValues(cluster, 2)).toEqual(['kept', 'new', 'active'])
    expect(partitionOf(cluster).replica(2)!.logEndOffset).toBe(4)
    expect(stateOf(cluster).isr).toEqual([0, 1, 2])
    cluster.checkInvariants()
    await producer.disconnect()
  })
})

describe('the ISR', () => {
  // Found by memkafka/testing: the followers of a partition nobody had written to yet had never
  // fetched, so a lag check (here brought on by another broker's crash) counted them behind
  // since the topic's creation and emptied the ISR down to the leader.
  it('keeps the healthy followers of an idle partition when another replica crashes', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await createTopic(cluster, 'idle', { replicas: [[0, 2, 1]] })
    await cluster.advance(5 * LAG)
    cluster.stopBroker(1, { crash: true })
    await cluster.advance(3 * LAG)
    expect(stateOf(cluster, 'idle').isr).toEqual([0, 2, 1]) // 1 leaves only when fenced
    expect(stateOf(cluster, 't').isr).toEqual([0, 1, 2])
    await cluster.advance(SESSION_TIMEOUT)
    expect(stateOf(cluster, 'idle').isr).toEqual([0, 2])
    expect(eventsOf(cluster, 'isrChanged').filter((e) => e.reason.includes('lagged'))).toEqual([])
    cluster.checkInvariants()
  })

  it('loses a follower exactly replica.lag.time.max.ms after it last caught up, and takes it back once caught up', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await cluster.advance(500)
    await produce(cluster, ['a']) // every follower caught up at t=500
    cluster.pauseReplication(2) // and broker 2 stops fetching at that same instant
    await cluster.advance(100)
    expect(errorName((await produce(cluster, ['b'], { acks: 1 })).errorCode)).toBe('NONE')
    await cluster.advance(500 + LAG - 600) // t = 500 + replica.lag.time.max.ms
    expect(stateOf(cluster).isr).toEqual([0, 1, 2])
    await cluster.advance(1) // one ms more: Kafka's isCaughtUp is `now - lastCaughtUpTime <= lag`
    expect(stateOf(cluster).isr).toEqual([0, 1])
    expect(eventsOf(cluster, 'isrChanged').at(-1)).toMatchObject({ time: 500 + LAG + 1, isr: [0, 1] })
    expect(stateOf(cluster).replicaStates[2]).toMatchObject({ logEndOffset: 1, inSync: false })

    await cluster.advance(1_000)
    cluster.resumeReplication(2)
    expect(stateOf(cluster).isr).toEqual([0, 1, 2])
    expect(eventsOf(cluster, 'isrChanged').at(-1)).toMatchObject({ time: 2_501, isr: [0, 1, 2] })
    expect(stateOf(cluster).replicaStates[2]).toMatchObject({ logEndOffset: 2, highWatermark: 2, inSync: true })
    cluster.checkInvariants()
  })

  it('keeps a follower that is slow but never further behind than replica.lag.time.max.ms', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.delayReplication(2, LAG - 1)
    for (let i = 0; i < 10; i++) {
      void produce(cluster, [`v${i}`], { acks: 1 })
      await cluster.advance(LAG / 2)
    }
    await cluster.advance(LAG)
    expect(stateOf(cluster).isr).toEqual([0, 1, 2])
    expect(eventsOf(cluster, 'isrChanged')).toEqual([])
    expect(replicaValues(cluster, 2)).toHaveLength(10)
  })

  it('loses a follower that stops fetching long after the last append only replica.lag.time.max.ms after it stopped', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await produce(cluster, ['a']) // t=0
    await cluster.advance(10_000) // idle but healthy followers keep fetching in Kafka
    cluster.pauseReplication(2) // t=10000: broker 2 stops fetching
    await produce(cluster, ['b'], { acks: 1 })
    await cluster.advance(LAG)
    expect(stateOf(cluster).isr).toEqual([0, 1, 2])
    await cluster.advance(1)
    expect(stateOf(cluster).isr).toEqual([0, 1])
  })

  it('loses a follower whose broker is fenced, at once, and the high watermark then follows the ISR left', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 60_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.pauseReplication(2)
    const waiting = track(produce(cluster, ['a']))
    await cluster.advance(0)
    expect(waiting.settled).toBe(false)
    cluster.stopBroker(2) // controlled shutdown: fenced now, out of every ISR
    await cluster.advance(0)
    expect(stateOf(cluster).isr).toEqual([0, 1])
    expect(waiting.value).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    expect(eventsOf(cluster, 'isrChanged').at(-1)!.reason).toMatch(/fenced/)
  })
})

describe('the high watermark', () => {
  it('is the smallest log end offset over the ISR', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await produce(cluster, ['a'])
    cluster.pauseReplication(1)
    await produce(cluster, ['b', 'c'], { acks: 1 })
    expect(stateOf(cluster)).toMatchObject({ highWatermark: 1, logEndOffset: 3 })
    expect(stateOf(cluster).replicaStates.map((r) => r.logEndOffset)).toEqual([3, 1, 3])
    cluster.resumeReplication(1)
    expect(stateOf(cluster)).toMatchObject({ highWatermark: 3, logEndOffset: 3 })
  })

  it('is held while the ISR is smaller than min.insync.replicas, and moves again when the ISR grows back', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '2' } })
    cluster.pauseReplication(1)
    cluster.pauseReplication(2)
    await produce(cluster, ['a'], { acks: 1 })
    await cluster.advance(LAG + 1)
    // The ISR is the leader alone; the min LEO over it is 1 but the HW stays (Kafka 3.7, KAFKA-15583).
    expect(stateOf(cluster)).toMatchObject({ isr: [0], highWatermark: 0, logEndOffset: 1 })
    await produce(cluster, ['b'], { acks: 1 })
    expect(stateOf(cluster)).toMatchObject({ highWatermark: 0, logEndOffset: 2 })
    // Consumers read nothing above the HW.
    const fetched = await cluster.send(0, {
      api: 'Fetch', maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0,
      topics: [{ name: 't', partitions: [{ index: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    })
    expect(fetched.topics[0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 0, batches: [] })
    cluster.resumeReplication(1)
    expect(stateOf(cluster)).toMatchObject({ isr: [0, 1], highWatermark: 2 })
    cluster.checkInvariants()
  })

  it('does not count an in-sync follower that has not fetched from the new leader', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 30_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '2' } })
    cluster.delayReplication(1, 100)
    await produce(cluster, ['a'], { acks: 1 }) // brokers 0 and 2 hold 'a' at offset 0; 1 does not yet
    cluster.stopBroker(2, { crash: true }) // 2 stays in the ISR until its session expires
    cluster.stopBroker(0) // controlled shutdown: 1 leads epoch 1, with an empty log
    expect(stateOf(cluster)).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2] })
    const b = track(produce(cluster, ['b'])) // offset 0 of epoch 1; broker 2 never fetched it
    await cluster.advance(0)
    // Broker 2's offset 0 is 'a' from epoch 0: the HW must not pass it, 'b' is not acknowledged yet.
    expect(stateOf(cluster).highWatermark).toBe(0)
    expect(b.settled).toBe(false)
    cluster.checkInvariants()
  })

  it('uses min(min.insync.replicas, replication factor): min.insync.replicas=3 on RF=2 does not block acks=all', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1]], configs: { 'min.insync.replicas': '3' } })
    expect(await produce(cluster, ['a'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    expect(stateOf(cluster).highWatermark).toBe(1)
  })
})

describe('acks=all', () => {
  it('waits while a follower is delayed and answers when it catches up', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.delayReplication(2, 200)
    const all = track(produce(cluster, ['a']))
    const one = track(produce(cluster, ['b'], { acks: 1 }))
    await cluster.advance(0)
    expect(one.value).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
    expect(all.settled).toBe(false)
    await cluster.advance(199)
    expect(all.settled).toBe(false)
    expect(stateOf(cluster)).toMatchObject({ highWatermark: 0, logEndOffset: 2 })
    await cluster.advance(1)
    expect(all.value).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    expect(stateOf(cluster).highWatermark).toBe(2)
  })

  it('keeps waiting when the ISR shrinks below min.insync.replicas while it waits, and times out (Kafka 3.7, KAFKA-15583); the data is written', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '2' } })
    cluster.pauseReplication(1)
    cluster.pauseReplication(2)
    const waiting = track(produce(cluster, ['a'], { timeoutMs: 5_000 }))
    await cluster.advance(LAG + 1)
    // The ISR is the leader alone now; the high watermark does not move below min.insync.replicas,
    // so the request goes on waiting rather than failing at once.
    expect(stateOf(cluster).isr).toHaveLength(1)
    expect(waiting.settled).toBe(false)
    await cluster.advance(5_000 - LAG - 2)
    expect(waiting.settled).toBe(false)
    await cluster.advance(1)
    expect(errorName(waiting.value!.errorCode)).toBe('REQUEST_TIMED_OUT')
    expect(replicaValues(cluster, 0)).toEqual(['a'])
    // A client retry without idempotence writes it twice (acks=1 here: the ISR is too small for -1).
    cluster.resumeReplication(1)
    expect(await produce(cluster, ['a'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
    expect(replicaValues(cluster, 1)).toEqual(['a', 'a'])
  })

  it('answers NOT_ENOUGH_REPLICAS before appending once the ISR is already too small', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '3' } })
    cluster.stopBroker(2)
    const refused = await produce(cluster, ['a'])
    expect(refused).toMatchObject({ errorCode: ErrorCode.NOT_ENOUGH_REPLICAS, baseOffset: -1 })
    expect(stateOf(cluster).logEndOffset).toBe(0)
    // acks=1 and acks=0 are not subject to min.insync.replicas.
    expect(await produce(cluster, ['b'], { acks: 1 })).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
  })

  it('answers REQUEST_TIMED_OUT after the request timeout; the data stays in the log and is committed later', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 60_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.pauseReplication(2)
    const waiting = track(produce(cluster, ['a'], { timeoutMs: 500 }))
    await cluster.advance(499)
    expect(waiting.settled).toBe(false)
    await cluster.advance(1)
    expect(waiting.value).toMatchObject({ errorCode: ErrorCode.REQUEST_TIMED_OUT })
    expect(stateOf(cluster)).toMatchObject({ highWatermark: 0, logEndOffset: 1 })
    cluster.resumeReplication(2)
    expect(stateOf(cluster).highWatermark).toBe(1)
  })

  it('answers NOT_LEADER_OR_FOLLOWER when leadership moves while it waits', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.delayReplication(2, 500)
    const waiting = track(produce(cluster, ['a']))
    await cluster.advance(0)
    // Broker 0 shuts down cleanly: leadership moves before it stops, the waiting produce is told.
    cluster.stopBroker(0)
    await cluster.advance(0)
    expect(waiting.settled).toBe(true)
    if (waiting.value) expect(errorName(waiting.value.errorCode)).toBe('NOT_LEADER_OR_FOLLOWER')
    else expect(waiting.error).toBeInstanceOf(BrokerUnreachableError)
  })
})

describe('elections', () => {
  it('a controlled shutdown moves leadership at once; every election bumps the leader epoch', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await produce(cluster, ['a'])
    cluster.stopBroker(0)
    // No time passes: the controller moved leadership before the broker stopped.
    expect(stateOf(cluster)).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2], offlineReplicas: [0] })
    expect(cluster.describe().brokers[0]).toMatchObject({ running: false, alive: false })
    await expect(produce(cluster, ['x'], { brokerId: 0 })).rejects.toBeInstanceOf(BrokerUnreachableError)
    expect(await produce(cluster, ['b'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
    // The old leader's broker is no longer asked.
    expect(errorName((await produce(cluster, ['x'], { brokerId: 2 })).errorCode)).toBe('NOT_LEADER_OR_FOLLOWER')
    cluster.stopBroker(1)
    expect(stateOf(cluster)).toMatchObject({ leader: 2, leaderEpoch: 2, isr: [2] })
    cluster.startBroker(0)
    cluster.startBroker(1)
    expect(stateOf(cluster).isr).toEqual([0, 1, 2])
    cluster.electPreferredLeaders()
    expect(stateOf(cluster)).toMatchObject({ leader: 0, leaderEpoch: 3 })
    const elected = eventsOf(cluster, 'leaderElected')
    expect(elected.map((e) => [e.leader, e.leaderEpoch])).toEqual([[0, 0], [1, 1], [2, 2], [0, 3]])
    expect(eventsOf(cluster, 'brokerFenced').map((e) => [e.brokerId, e.reason])).toEqual([[0, 'controlled shutdown'], [1, 'controlled shutdown']])
    for (const id of [0, 1, 2]) expect(replicaValues(cluster, id)).toEqual(['a', 'b'])
    cluster.checkInvariants()
  })

  it('a crash moves leadership only when the controller fences the broker, broker.session.timeout.ms later', async () => {
    const cluster = newCluster({ 'broker.session.timeout.ms': 2_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.stopBroker(0, { crash: true })
    expect(cluster.describe().brokers[0]).toMatchObject({ running: false, alive: true })
    await cluster.advance(1_999)
    expect(stateOf(cluster)).toMatchObject({ leader: 0, leaderEpoch: 0 })
    await cluster.advance(1)
    expect(stateOf(cluster)).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2] })
    expect(eventsOf(cluster, 'brokerFenced')).toEqual([expect.objectContaining({ time: 2_000, brokerId: 0, reason: expect.stringMatching(/session/) })])
  })

  it('leadership moves back to the preferred replica leader.imbalance.check.interval.seconds after it rejoins the ISR', async () => {
    const cluster = newCluster({ 'leader.imbalance.check.interval.seconds': 10 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.stopBroker(0)
    await produce(cluster, ['a'])
    await cluster.advance(1_000)
    cluster.startBroker(0)
    expect(stateOf(cluster)).toMatchObject({ leader: 1, isr: [0, 1, 2] })
    expect(replicaValues(cluster, 0)).toEqual(['a'])
    await cluster.advance(9_999)
    expect(stateOf(cluster).leader).toBe(1)
    await cluster.advance(1)
    expect(stateOf(cluster)).toMatchObject({ leader: 0, leaderEpoch: 2 })
    expect(eventsOf(cluster, 'leaderElected').at(-1)).toMatchObject({ time: 11_000, leader: 0, reason: 'preferred leader election' })
  })

  it('leadership stays put with auto.leader.rebalance.enable=false', async () => {
    const cluster = newCluster({ 'leader.imbalance.check.interval.seconds': 10, 'auto.leader.rebalance.enable': false })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.stopBroker(0)
    cluster.startBroker(0)
    await cluster.advance(60_000)
    expect(stateOf(cluster).leader).toBe(1)
  })

  it('a partition whose ISR is all on stopped brokers is offline, then led by the first ISR member to return', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1]] })
    await produce(cluster, ['a'])
    cluster.stopBroker(1)
    cluster.stopBroker(0)
    expect(stateOf(cluster)).toMatchObject({ leader: -1, isr: [0] })
    expect(eventsOf(cluster, 'partitionOffline')).toHaveLength(1)
    // Broker 1 is not in the ISR: its return leaves the partition offline (unclean election off).
    cluster.startBroker(1)
    expect(stateOf(cluster).leader).toBe(-1)
    cluster.startBroker(0)
    expect(stateOf(cluster)).toMatchObject({ leader: 0, isr: [0, 1], highWatermark: 1 })
    cluster.checkInvariants()
  })
})

describe('isolate and heal', () => {
  it('cuts a leader off its clients and followers; after the session timeout its partitions move; after heal it truncates, catches up and rejoins', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 30_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await produce(cluster, ['a', 'b'])
    // A record only the leader has when the network is cut: the followers cannot fetch it any more.
    cluster.pauseReplication(1)
    cluster.pauseReplication(2)
    await produce(cluster, ['cut-off'], { acks: 1 })
    cluster.isolate(0)
    cluster.resumeReplication(1)
    cluster.resumeReplication(2)
    expect(cluster.describe().brokers[0]).toMatchObject({ running: true, isolated: true, alive: true })
    await expect(produce(cluster, ['x'], { brokerId: 0 })).rejects.toThrow(/network/)
    expect(replicaValues(cluster, 1)).toEqual(['a', 'b'])

    await cluster.advance(SESSION_TIMEOUT)
    expect(cluster.describe().brokers[0]).toMatchObject({ alive: false })
    expect(stateOf(cluster)).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2] })
    expect(await produce(cluster, ['c'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2 })

    cluster.heal()
    await cluster.advance(0)
    expect(eventsOf(cluster, 'networkHealed')).toEqual([expect.objectContaining({ brokerIds: [0] })])
    expect(eventsOf(cluster, 'truncated')).toEqual([expect.objectContaining({ brokerId: 0, from: 3, to: 2 })])
    expect(replicaValues(cluster, 0)).toEqual(['a', 'b', 'c'])
    expect(stateOf(cluster)).toMatchObject({ leader: 1, isr: [0, 1, 2] })
    expect(cluster.describe().brokers[0]).toMatchObject({ isolated: false, alive: true })
    cluster.checkInvariants()
  })

  it('an isolation healed within the session timeout changes no leadership', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.isolate(1)
    const waiting = track(produce(cluster, ['a']))
    await cluster.advance(SESSION_TIMEOUT - 1)
    expect(waiting.settled).toBe(true) // broker 1 left the ISR after replica.lag.time.max.ms
    expect(waiting.value).toMatchObject({ errorCode: ErrorCode.NONE })
    cluster.heal()
    await cluster.advance(0)
    expect(stateOf(cluster)).toMatchObject({ leader: 0, leaderEpoch: 0, isr: [0, 1, 2] })
    expect(eventsOf(cluster, 'brokerFenced')).toEqual([])
  })
})

describe('coordinators', () => {
  it('a group’s coordinator moves to a live broker when its broker is fenced; other brokers answer NOT_COORDINATOR', async () => {
    const cluster = newCluster({ 'broker.session.timeout.ms': 1_000 })
    const find = async (via: number) => cluster.send(via, { api: 'FindCoordinator', key: 'g', keyType: 0 })
    const first = (await find(0)).nodeId
    const others = [0, 1, 2].filter((id) => id !== first)
    const heartbeat = (to: number) => cluster.send(to, { api: 'Heartbeat', groupId: 'g', generationId: 1, memberId: 'm' })
    expect((await heartbeat(others[0]!)).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
    cluster.stopBroker(first, { crash: true })
    // Until the controller fences it, the crashed broker is still named: clients cannot reach it.
    expect((await find(others[0]!)).nodeId).toBe(first)
    await expect(heartbeat(first)).rejects.toBeInstanceOf(BrokerUnreachableError)
    await cluster.advance(1_000)
    const moved = (await find(others[0]!)).nodeId
    expect(others).toContain(moved)
    expect((await heartbeat(moved)).errorCode).not.toBe(ErrorCode.NOT_COORDINATOR)
    expect((await heartbeat(others.find((id) => id !== moved)!)).errorCode).toBe(ErrorCode.NOT_COORDINATOR)
  })
})

describe('cluster.intercept', () => {
  it('fails a request once with a Kafka error, then falls through', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    const seen: number[] = []
    cluster.intercept('Produce', ({ seen: n }) => (seen.push(n), { error: 'NOT_LEADER_OR_FOLLOWER' }), { times: 1 })
    expect(await produce(cluster, ['a'])).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1 })
    expect(await produce(cluster, ['b'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    expect(seen).toEqual([0])
    expect(replicaValues(cluster, 0)).toEqual(['b'])
  })

  it('keeps failing until its disposer removes it; only the chosen broker and API are touched', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    const dispose = cluster.intercept('Produce', () => ({ error: 'REQUEST_TIMED_OUT' }), { brokerId: 0 })
    for (let i = 0; i < 3; i++) expect(errorName((await produce(cluster, ['a'])).errorCode)).toBe('REQUEST_TIMED_OUT')
    const metadata = await cluster.send(0, { api: 'Metadata', topics: ['t'], allowAutoTopicCreation: false })
    expect(metadata.topics[0]!.errorCode).toBe(ErrorCode.NONE)
    expect(errorName((await produce(cluster, ['a'], { brokerId: 1 })).errorCode)).toBe('NOT_LEADER_OR_FOLLOWER')
    dispose()
    expect(await produce(cluster, ['a'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
  })

  it('delays a request on the cluster clock, then handles it', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.intercept('Produce', () => ({ delayMs: 300 }), { times: 1 })
    const delayed = track(produce(cluster, ['a']))
    await cluster.advance(299)
    expect(delayed.settled).toBe(false)
    expect(stateOf(cluster).logEndOffset).toBe(0)
    await cluster.advance(1)
    expect(delayed.value).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
  })

  it('drops the connection: the request is not handled', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    cluster.intercept('Produce', () => ({ disconnect: true }), { times: 1 })
    await expect(produce(cluster, ['a'])).rejects.toBeInstanceOf(BrokerUnreachableError)
    expect(stateOf(cluster).logEndOffset).toBe(0)
  })

  it('answers with a response of its own, and observes without changing anything when it returns nothing', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    const observed: string[] = []
    cluster.intercept('*', ({ api, brokerId }) => void observed.push(`${api}@${brokerId}`))
    cluster.intercept('Produce', () => ({ respond: { topics: [{ name: 't', partitions: [{ index: 0, errorCode: 0, baseOffset: 42, logAppendTime: -1, logStartOffset: 0 }] }] } }), { times: 1 })
    expect((await produce(cluster, ['a'])).baseOffset).toBe(42)
    expect(stateOf(cluster).logEndOffset).toBe(0)
    expect((await produce(cluster, ['b'])).baseOffset).toBe(0)
    expect(observed).toEqual(['Produce@0', 'Produce@0'])
  })
})
