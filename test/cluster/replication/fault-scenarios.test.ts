/**
 * Fault scenarios 1-5 of KAFKA-SEMANTICS.md, each reproduced on purpose on virtual time: no loss
 * where Kafka promises none (acks=all with a surviving ISR member, KIP-101/KIP-279 truncation),
 * and the loss itself where Kafka allows it (acks=1, unclean election, the Jepsen 2013 ISR of
 * one). Requests go through the request boundary (`cluster.send`) so each test controls acks and
 * sees Kafka's error codes; scenario 3 also drives a kafkajs consumer through the loss.
 *
 * Every topic is created with a manual assignment [0, 1, 2] (or a given one), so broker 0 leads
 * first and the order of clean elections (the ISR in assignment order) is known.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Cluster, logLevel, type Consumer } from '../../../src/index.js'
import { BrokerUnreachableError, ErrorCode, errorName } from '../../../src/cluster/error-codes.js'
import type { ProducePartitionResponse } from '../../../src/cluster/api/messages.js'
import { StormClock } from '../../support/storm-clock.js'
import { eventsOf, partitionOf, stateOf, track } from './harness.js'
import { createTopic } from '../../support/cluster-harness.js'

// -------------------------------------------------------------------------------------------
// Harness

const SESSION_TIMEOUT = 9_000 // broker.session.timeout.ms default

const clusters: Cluster[] = []
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  for (const c of clusters.splice(0)) await c.close()
})

function newCluster(brokerConfig: Record<string, string | number | boolean> = {}, seed = 1): Cluster {
  const cluster = new Cluster({ brokers: 3, clock: new StormClock(0), seed, brokerConfig })
  clusters.push(cluster)
  return cluster
}

/**
 * One Produce request for partition 0, sent to `brokerId` (default: the current leader). The
 * promise is returned unawaited: an acks=all answer may need the clock to move.
 */
function produce(
  cluster: Cluster,
  topic: string,
  values: string[],
  { acks = -1, timeoutMs = 60_000, brokerId }: { acks?: number; timeoutMs?: number; brokerId?: number } = {},
): Promise<ProducePartitionResponse> {
  const to = brokerId ?? partitionOf(cluster, topic).leader
  return cluster
    .send(to, {
      api: 'Produce',
      acks,
      timeoutMs,
      topics: [{ name: topic, partitions: [{ index: 0, records: values.map((v) => ({ key: null, value: Buffer.from(v) })) }] }],
    })
    .then((r) => r.topics[0]!.partitions[0]!)
}

/** Every record of one broker's copy of the log: offset, leader epoch of its batch, value. */
function replicaRecords(cluster: Cluster, topic: string, brokerId: number): { offset: number; epoch: number; value: string }[] {
  const out: { offset: number; epoch: number; value: string }[] = []
  for (const segment of partitionOf(cluster, topic).replica(brokerId)!.log.allSegments) {
    for (const batch of segment.batches) {
      for (const r of batch.records()) out.push({ offset: r.offset, epoch: batch.partitionLeaderEpoch, value: r.value!.toString() })
    }
  }
  return out
}

/** Runs one action, lets the cluster react at the same instant, then checks every invariant. */
function stepper(cluster: Cluster): (what: () => unknown) => Promise<void> {
  return async (what) => {
    await what()
    await cluster.advance(0)
    cluster.checkInvariants()
  }
}

const valuesOf = (records: { value: string }[]): string[] => records.map((r) => r.value)

/** What a consumer can read: a Fetch to the current leader from `offset`, values by offset. */
async function fetchFromLeader(cluster: Cluster, topic: string, offset = 0): Promise<{ errorCode: number; records: { offset: number; value: string }[]; highWatermark: number }> {
  const leader = partitionOf(cluster, topic).leader
  const response = await cluster.send(leader, {
    api: 'Fetch',
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 30,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ index: 0, fetchOffset: offset, partitionMaxBytes: 1 << 30 }] }],
  })
  const p = response.topics[0]!.partitions[0]!
  const records: { offset: number; value: string }[] = []
  for (const batch of p.batches) for (const r of batch.records()) if (r.offset >= offset) records.push({ offset: r.offset, value: r.value!.toString() })
  return { errorCode: p.errorCode, records, highWatermark: p.highWatermark }
}

/** Byte-level view of a replica below `limit`: (offset, epoch, key, value) per record. */
function bytesBelow(cluster: Cluster, topic: string, brokerId: number, limit: number): string[] {
  const out: string[] = []
  for (const segment of partitionOf(cluster, topic).replica(brokerId)!.log.allSegments) {
    for (const batch of segment.batches) {
      for (const r of batch.records()) {
        if (r.offset >= limit) return out
        out.push(`${r.offset}@${batch.partitionLeaderEpoch}:${r.key?.toString('hex') ?? '-'}:${r.value?.toString('hex') ?? '-'}`)
      }
    }
  }
  return out
}

// -------------------------------------------------------------------------------------------

describe('fault scenario 1: acks=all, RF=3, min.insync.replicas=2, the leader crashes', () => {
  /**
   * a b c acknowledged by all three; d e f acknowledged by {0, 1} once broker 2 (paused) left the
   * ISR; g taken by the leader alone when it crashes (broker 1 fetches 500 ms late), never
   * acknowledged. Returns the acknowledged offsets.
   */
  async function leaderCrashes(cluster: Cluster, lagTimeMaxMs: number): Promise<Map<number, string>> {
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '2' } })
    const acked = new Map<number, string>()
    const ack = (values: string[], r: ProducePartitionResponse): void => {
      expect(errorName(r.errorCode)).toBe('NONE')
      values.forEach((v, i) => acked.set(r.baseOffset + i, v))
    }
    // All three in sync: acknowledged at once.
    for (const v of ['a', 'b', 'c']) ack([v], await produce(cluster, 't', [v]))
    // Broker 2 stops fetching: acks=all waits for it until it leaves the ISR, then the two left
    // (still min.insync.replicas) acknowledge.
    cluster.pauseReplication(2)
    const waiting = track(produce(cluster, 't', ['d', 'e']))
    await cluster.advance(lagTimeMaxMs)
    expect(waiting.settled).toBe(false)
    await cluster.advance(1)
    expect(stateOf(cluster, 't').isr).toEqual([0, 1])
    expect(waiting.settled).toBe(true)
    ack(['d', 'e'], waiting.value!)
    ack(['f'], await produce(cluster, 't', ['f']))
    // A write the leader takes but broker 1 has not fetched yet when the leader crashes: never
    // acknowledged (the client loses its connection), so Kafka may keep it or not.
    cluster.delayReplication(1, 500)
    const unacked = track(produce(cluster, 't', ['g']))
    await cluster.advance(0)
    cluster.stopBroker(0, { crash: true })
    await cluster.advance(0)
    expect(unacked.error).toBeInstanceOf(BrokerUnreachableError)
    cluster.checkInvariants()
    return acked
  }

  it('loses nothing that was acknowledged: every acked offset is readable from the new leader', async () => {
    const cluster = newCluster()
    const acked = await leaderCrashes(cluster, 30_000)
    // The controller notices after broker.session.timeout.ms and elects broker 1 from the ISR.
    await cluster.advance(SESSION_TIMEOUT - 1)
    expect(stateOf(cluster, 't').leader).toBe(0)
    await cluster.advance(1)
    const p = stateOf(cluster, 't')
    expect(p).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1], uncleanElections: 0 })
    expect(p.highWatermark).toBeGreaterThanOrEqual(Math.max(...acked.keys()) + 1)
    cluster.checkInvariants()
    const read = await fetchFromLeader(cluster, 't')
    expect(read.errorCode).toBe(ErrorCode.NONE)
    for (const [offset, value] of acked) expect(read.records.find((r) => r.offset === offset)?.value).toBe(value)
    expect(valuesOf(read.records)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])

    // With the ISR down to broker 1 alone, acks=all is refused and nothing is written...
    const refused = await produce(cluster, 't', ['h'])
    expect(errorName(refused.errorCode)).toBe('NOT_ENOUGH_REPLICAS')
    expect(stateOf(cluster, 't').logEndOffset).toBe(6)
    // ...until broker 2 catches up and rejoins.
    cluster.delayReplication(1, 0)
    cluster.resumeReplication(2)
    expect(stateOf(cluster, 't').isr).toEqual([1, 2])
    const h = await produce(cluster, 't', ['h'])
    expect(h).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 6 })
    acked.set(6, 'h')

    // The crashed leader returns: it truncates what it alone had (g), catches up, rejoins.
    cluster.startBroker(0)
    await cluster.advance(0)
    cluster.checkInvariants()
    expect(eventsOf(cluster, 'truncated')).toEqual([expect.objectContaining({ brokerId: 0, from: 7, to: 6 })])
    expect(stateOf(cluster, 't').isr).toEqual([0, 1, 2])
    for (const id of [0, 1, 2]) expect(valuesOf(replicaRecords(cluster, 't', id))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'h'])
    const final = await fetchFromLeader(cluster, 't')
    for (const [offset, value] of acked) expect(final.records.find((r) => r.offset === offset)?.value).toBe(value)
  })

  // A lagging in-sync follower of an unreachable leader must not keep the ISR check re-arming at one instant.
  it('the same with replica.lag.time.max.ms shorter than the session timeout: the crashed leader is still fenced and replaced', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 1_000 })
    const acked = await leaderCrashes(cluster, 1_000)
    await cluster.advance(SESSION_TIMEOUT)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, leaderEpoch: 1, uncleanElections: 0 })
    const read = await fetchFromLeader(cluster, 't')
    for (const [offset, value] of acked) expect(read.records.find((r) => r.offset === offset)?.value).toBe(value)
    cluster.checkInvariants()
  })
})

describe('fault scenario 1 with lost unflushed data: the crashed leader restarts before its session expires', () => {
  it('still loses nothing acknowledged with acks=all', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '2' } })
    for (const v of ['a', 'b', 'c']) expect(errorName((await produce(cluster, 't', [v])).errorCode)).toBe('NONE')
    cluster.stopBroker(0, { crash: true, loseUnflushed: true })
    await cluster.advance(1_000)
    cluster.startBroker(0)
    await cluster.advance(SESSION_TIMEOUT)
    cluster.checkInvariants()
    expect(stateOf(cluster, 't').highWatermark).toBe(3)
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['a', 'b', 'c'])
    for (const id of [0, 1, 2]) expect(valuesOf(replicaRecords(cluster, 't', id)), `replica ${id}`).toEqual(['a', 'b', 'c'])
  })
})

describe('unclean elections in a row', () => {
  // Found by memkafka/testing: after two unclean elections the point where the returning
  // replica's log diverged from its leader's fell inside one of its batches; truncation threw
  // ("cannot truncate inside a batch"). Kafka cuts the whole batch (LogSegment.truncateTo), and
  // the follower then copies the leader's batch that straddles its new log end.
  it('a divergence point inside a batch: the follower drops the batch and converges on the leader', async () => {
    const cluster = newCluster({ 'broker.session.timeout.ms': 3_000 })
    const step = stepper(cluster)
    await createTopic(cluster, 't', { replicas: [[2, 1]], configs: { 'unclean.leader.election.enable': 'true', 'min.insync.replicas': '1' } })
    await step(() => cluster.stopBroker(1))
    for (const values of [['a'], ['b'], ['c', 'd']]) expect(errorName((await produce(cluster, 't', values)).errorCode)).toBe('NONE')
    await step(() => cluster.stopBroker(2)) // offline
    await step(() => cluster.startBroker(1)) // unclean: 1 leads (epoch 2) with an empty log
    expect(errorName((await produce(cluster, 't', ['x', 'y', 'z'])).errorCode)).toBe('NONE')
    await step(() => cluster.stopBroker(1, { crash: true }))
    await step(() => cluster.startBroker(2))
    await step(() => cluster.stopBroker(2, { crash: true }))
    await step(() => cluster.startBroker(1))
    await step(() => cluster.startBroker(2))
    // Both sessions expire: 2 leads uncleanly (epoch 3, writing nothing), then 1 (epoch 4), and 2
    // returns to a leader whose epoch 2 ends at 3, inside its own batch c..d (offsets 2-3).
    await step(() => cluster.advance(3_000))
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, uncleanElections: 3 })
    await step(() => cluster.advance(1))
    for (const id of [1, 2]) expect(valuesOf(replicaRecords(cluster, 't', id)), `replica ${id}`).toEqual(['x', 'y', 'z'])
    expect(stateOf(cluster, 't').isr).toEqual([2, 1])
  })
})

describe('crashes that lose unflushed records (loseUnflushed)', () => {
  // Found by memkafka/testing with loseUnflushed faults: when broker 0 came back, the followers
  // reconciled with their leader, broker 1, which had crashed and lost its unflushed log; broker
  // 2 truncated the committed record to match a leader that could not even be reached.
  it('no follower truncates against a crashed leader; the committed record survives on the others', async () => {
    const cluster = newCluster({ 'broker.session.timeout.ms': 3_000 })
    const step = stepper(cluster)
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '1' } })
    await step(() => cluster.stopBroker(0)) // controlled: 1 leads
    expect(errorName((await produce(cluster, 't', ['a'])).errorCode)).toBe('NONE') // on 1 and 2
    await step(() => cluster.stopBroker(1, { crash: true, loseUnflushed: true }))
    expect(replicaRecords(cluster, 't', 1)).toEqual([])
    await step(() => cluster.startBroker(0))
    expect(valuesOf(replicaRecords(cluster, 't', 2))).toEqual(['a'])
    await step(() => cluster.advance(3_000)) // 1 fenced: 2 leads with the record
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 2, highWatermark: 1 })
    await step(() => cluster.startBroker(1))
    await step(() => cluster.advance(1))
    for (const id of [0, 1, 2]) expect(valuesOf(replicaRecords(cluster, 't', id)), `replica ${id}`).toEqual(['a'])
    expect(partitionOf(cluster, 't').committedLosses).toBe(0)
  })

  it('a lone replica that lost committed records leads again from its log end: the loss is recorded, the invariants hold', async () => {
    const cluster = newCluster({ 'broker.session.timeout.ms': 3_000 })
    const step = stepper(cluster)
    await createTopic(cluster, 't', { replicas: [[0]] })
    expect(errorName((await produce(cluster, 't', ['a', 'b'])).errorCode)).toBe('NONE')
    expect(stateOf(cluster, 't')).toMatchObject({ highWatermark: 2, logEndOffset: 2 })
    await step(() => cluster.stopBroker(0, { crash: true, loseUnflushed: true }))
    await step(() => cluster.advance(3_000)) // fenced: offline
    await step(() => cluster.startBroker(0))
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 0, highWatermark: 0, logEndOffset: 0 })
    expect(partitionOf(cluster, 't').committedLosses).toBe(1)
    expect(await produce(cluster, 't', ['c'])).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0 })
    await step(() => cluster.advance(0))
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['c'])
  })
})

describe('fault scenario 1 with an in-sync follower down during the leader change', () => {
  it('never acknowledges an acks=all write that only one replica holds, so nothing acknowledged is lost', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': '2' } })
    cluster.delayReplication(1, 100)
    expect(errorName((await produce(cluster, 't', ['a'], { acks: 1 })).errorCode)).toBe('NONE')
    cluster.stopBroker(2, { crash: true })
    cluster.stopBroker(0)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, isr: [1, 2] })
    const b = track(produce(cluster, 't', ['b']))
    await cluster.advance(0)
    // Leader 1 goes away cleanly; 2 (still in the ISR) is elected once it returns.
    cluster.stopBroker(1)
    await cluster.advance(SESSION_TIMEOUT)
    cluster.startBroker(2)
    cluster.startBroker(0)
    cluster.startBroker(1)
    await cluster.advance(1)
    expect(stateOf(cluster, 't').uncleanElections).toBe(0)
    const read = await fetchFromLeader(cluster, 't')
    if (b.value?.errorCode === ErrorCode.NONE) expect(read.records.find((r) => r.offset === b.value!.baseOffset)?.value).toBe('b')
    cluster.checkInvariants()
  })
})

describe('fault scenario 2: acks=1, the leader crashes before its followers fetch', () => {
  it('acknowledges a write that the returning old leader then truncates away', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    expect(errorName((await produce(cluster, 't', ['a', 'b'], { acks: 1 })).errorCode)).toBe('NONE')
    cluster.pauseReplication(1)
    cluster.pauseReplication(2)
    const lost = await produce(cluster, 't', ['lost'], { acks: 1 })
    // Acknowledged after the leader's append alone.
    expect(lost).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2 })
    expect(stateOf(cluster, 't')).toMatchObject({ logEndOffset: 3, highWatermark: 2 })

    cluster.stopBroker(0, { crash: true })
    await cluster.advance(SESSION_TIMEOUT)
    // Broker 1 (first in the ISR after 0) takes over, without the acknowledged write.
    const after = stateOf(cluster, 't')
    expect(after).toMatchObject({ leader: 1, leaderEpoch: 1, isr: [1, 2], logEndOffset: 2, highWatermark: 2, uncleanElections: 0 })
    expect(eventsOf(cluster, 'leaderElected').at(-1)).toMatchObject({ leader: 1, leaderEpoch: 1 })
    cluster.checkInvariants()
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['a', 'b'])
    // The new epoch takes offset 2 for another record.
    cluster.resumeReplication(2)
    expect(await produce(cluster, 't', ['new'], { acks: 1 })).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2 })

    // The old leader returns: it truncates the acknowledged write and follows the new epoch.
    expect(valuesOf(replicaRecords(cluster, 't', 0))).toEqual(['a', 'b', 'lost'])
    cluster.startBroker(0)
    await cluster.advance(0)
    expect(eventsOf(cluster, 'truncated')).toEqual([expect.objectContaining({ topic: 't', partition: 0, brokerId: 0, from: 3, to: 2 })])
    expect(replicaRecords(cluster, 't', 0)).toEqual([
      { offset: 0, epoch: 0, value: 'a' },
      { offset: 1, epoch: 0, value: 'b' },
      { offset: 2, epoch: 1, value: 'new' },
    ])
    expect(stateOf(cluster, 't').replicaStates.find((r) => r.brokerId === 0)).toMatchObject({ logEndOffset: 3, inSync: true, isLeader: false })
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).not.toContain('lost')
    cluster.checkInvariants()
  })
})

describe('fault scenario 3: unclean leader election', () => {
  /**
   * Three records everyone has, then five more while broker 2 is paused (acknowledged with
   * acks=all once 2 left the ISR). Then brokers 0 and 1 (the whole ISR) crash.
   */
  async function isrDies(cluster: Cluster, topicConfigs: Record<string, string>): Promise<void> {
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: topicConfigs })
    expect(errorName((await produce(cluster, 't', ['a', 'b', 'c'])).errorCode)).toBe('NONE')
    cluster.pauseReplication(2)
    const acked = track(produce(cluster, 't', ['d', 'e', 'f', 'g', 'h']))
    await cluster.advance(1_001)
    expect(acked.value).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3 })
    expect(stateOf(cluster, 't')).toMatchObject({ isr: [0, 1], highWatermark: 8 })
    cluster.stopBroker(0, { crash: true })
    cluster.stopBroker(1, { crash: true })
  }

  it('enabled: an out-of-sync replica leads, committed data is lost and the high watermark goes back', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 1_000 })
    await isrDies(cluster, { 'unclean.leader.election.enable': 'true' })
    await cluster.advance(SESSION_TIMEOUT)
    const p = stateOf(cluster, 't')
    expect(p).toMatchObject({ leader: 2, isr: [2], uncleanElections: 1, logEndOffset: 3, highWatermark: 3 })
    expect(eventsOf(cluster, 'leaderElected').at(-1)!.reason).toMatch(/unclean/)
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['a', 'b', 'c'])
    // Committed offsets 3..7 are gone: a fetch there is out of range.
    expect((await fetchFromLeader(cluster, 't', 8)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE)
    cluster.checkInvariants()
  })

  it('enabled: checkInvariants accepts the documented loss while the old ISR members are still down', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 1_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'unclean.leader.election.enable': 'true' } })
    expect(errorName((await produce(cluster, 't', ['a', 'b', 'c'])).errorCode)).toBe('NONE')
    cluster.pauseReplication(2)
    // One batch per record, so that each committed offset is its own batch on brokers 0 and 1.
    const acked = ['d', 'e', 'f', 'g', 'h'].map((v) => track(produce(cluster, 't', [v])))
    await cluster.advance(1_001)
    for (const a of acked) expect(a.value).toMatchObject({ errorCode: ErrorCode.NONE })
    cluster.stopBroker(0, { crash: true })
    cluster.stopBroker(1, { crash: true })
    await cluster.advance(SESSION_TIMEOUT)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 2, uncleanElections: 1 })
    // The new epoch reuses offsets 3 and 4, which brokers 0 and 1 (down) hold from epoch 0.
    expect(await produce(cluster, 't', ['x', 'y'], { acks: 1 })).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3 })
    expect(stateOf(cluster, 't').highWatermark).toBe(5)
    cluster.checkInvariants()
  })

  it('enabled: a kafkajs consumer positioned past the new log end gets OFFSET_OUT_OF_RANGE and resets', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 1_000, 'broker.session.timeout.ms': 1_000 })
    const kafka = cluster.kafka({ clientId: 'reader', logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 } })
    const consumer: Consumer = kafka.consumer({ groupId: 'g', sessionTimeout: 30_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 })
    cleanups.push(async () => void (await consumer.disconnect().catch(() => {})))
    const seen: { offset: number; value: string }[] = []
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'unclean.leader.election.enable': 'true' } })
    await consumer.connect()
    await consumer.subscribe({ topics: ['t'], fromBeginning: true })
    await consumer.run({ eachMessage: async ({ message }) => void seen.push({ offset: Number(message.offset), value: message.value!.toString() }) })
    expect(errorName((await produce(cluster, 't', ['a', 'b', 'c'])).errorCode)).toBe('NONE')
    cluster.pauseReplication(2)
    const acked = track(produce(cluster, 't', ['d', 'e', 'f', 'g', 'h']))
    await cluster.advance(1_001)
    expect(acked.value).toMatchObject({ errorCode: ErrorCode.NONE })
    await cluster.settle()
    expect(seen.map((s) => s.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])

    cluster.stopBroker(0, { crash: true })
    cluster.stopBroker(1, { crash: true })
    // Broker 2 takes over uncleanly with offsets 0..2; the consumer's position (8) is past its end.
    for (let i = 0; i < 30 && stateOf(cluster, 't').leader !== 2; i++) await cluster.advance(100)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 2, uncleanElections: 1, logEndOffset: 3 })
    expect(errorName((await produce(cluster, 't', ['i'], { acks: 1 })).errorCode)).toBe('NONE')
    for (let i = 0; i < 100 && !seen.some((s) => s.value === 'i'); i++) await cluster.advance(100)
    // The fetch at 8 was out of range; fromBeginning resets to the earliest offset: a, b, c are
    // delivered again, then the new epoch's record at offset 3 (the offset 'd' had).
    expect(seen.map((s) => `${s.offset}:${s.value}`)).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e', '5:f', '6:g', '7:h', '0:a', '1:b', '2:c', '3:i'])
  })

  it('disabled: the partition is offline (LEADER_NOT_AVAILABLE) and refuses writes until an ISR member returns', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 1_000 })
    await isrDies(cluster, {})
    await cluster.advance(SESSION_TIMEOUT)
    const offline = stateOf(cluster, 't')
    expect(offline.leader).toBe(-1)
    // KRaft keeps the last ISR member in the ISR, so it can lead cleanly when it returns.
    expect(offline.isr).toEqual([1])
    expect(offline.uncleanElections).toBe(0)
    expect(eventsOf(cluster, 'partitionOffline').at(-1)).toMatchObject({ topic: 't', partition: 0 })
    const metadata = await cluster.send(2, { api: 'Metadata', topics: ['t'], allowAutoTopicCreation: false })
    expect(metadata.topics[0]!.partitions[0]).toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE, leaderId: -1 })
    // The surviving out-of-sync replica refuses writes (the client retries: NOT_LEADER_OR_FOLLOWER is retriable).
    expect(errorName((await produce(cluster, 't', ['x'], { brokerId: 2, acks: 1 })).errorCode)).toBe('NOT_LEADER_OR_FOLLOWER')
    cluster.checkInvariants()

    // A kafkajs producer fails retriably while the partition is offline.
    const producer = cluster.kafka({ clientId: 'p', logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100 } }).producer()
    cleanups.push(async () => void (await producer.disconnect()))
    await producer.connect()
    const sent = track(producer.send({ topic: 't', messages: [{ value: 'x' }] }))
    for (let i = 0; i < 20 && !sent.settled; i++) await cluster.advance(100)
    const error = sent.error as { name: string; cause?: unknown }
    expect(error).toBeDefined()
    expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded')
    expect((error.cause as { type?: string }).type).toBe('LEADER_NOT_AVAILABLE')

    // Broker 1 (the last ISR member) returns: a clean election, nothing committed lost.
    cluster.startBroker(1)
    await cluster.advance(0)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, highWatermark: 8, uncleanElections: 0 })
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
    cluster.checkInvariants()
  })
})

describe('fault scenario 4: the ISR shrinks to the leader alone (Jepsen 2013)', () => {
  async function leaderAlone(minInsyncReplicas: string): Promise<{ cluster: Cluster; inFlight: ReturnType<typeof track<ProducePartitionResponse>> }> {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 1_000 })
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'min.insync.replicas': minInsyncReplicas, 'unclean.leader.election.enable': 'true' } })
    expect(errorName((await produce(cluster, 't', ['a', 'b'])).errorCode)).toBe('NONE')
    cluster.pauseReplication(1)
    cluster.pauseReplication(2)
    const inFlight = track(produce(cluster, 't', ['c']))
    await cluster.advance(1_001)
    expect(stateOf(cluster, 't').isr).toEqual([0])
    return { cluster, inFlight }
  }

  it('min.insync.replicas=1: acks=all writes are acknowledged by the leader alone and lost in an unclean election', async () => {
    const { cluster, inFlight } = await leaderAlone('1')
    expect(inFlight.value).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2 })
    const more = await produce(cluster, 't', ['d', 'e'])
    expect(more).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3 })
    expect(stateOf(cluster, 't')).toMatchObject({ highWatermark: 5, logEndOffset: 5 })

    cluster.stopBroker(0, { crash: true })
    await cluster.advance(SESSION_TIMEOUT)
    const p = stateOf(cluster, 't')
    expect(p).toMatchObject({ leader: 1, isr: [1], uncleanElections: 1, logEndOffset: 2, highWatermark: 2 })
    // The three acknowledged acks=all records (offsets 2..4) are gone.
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['a', 'b'])
    cluster.checkInvariants()
  })

  it('min.insync.replicas=2: NOT_ENOUGH_REPLICAS once the ISR has shrunk, nothing written, nothing acknowledged lost', async () => {
    const { cluster, inFlight } = await leaderAlone('2')
    // The write in flight when the ISR shrank is in the log but not acknowledged: it waits for a
    // high watermark that stays put below min.insync.replicas (Kafka 3.7) and times out.
    expect(inFlight.settled).toBe(false)
    await cluster.advance(60_000)
    expect(errorName(inFlight.value!.errorCode)).toBe('REQUEST_TIMED_OUT')
    expect(stateOf(cluster, 't')).toMatchObject({ logEndOffset: 3, highWatermark: 2 })
    // Later acks=all writes are refused before the append.
    const refused = await produce(cluster, 't', ['d'])
    expect(errorName(refused.errorCode)).toBe('NOT_ENOUGH_REPLICAS')
    expect(refused.baseOffset).toBe(-1)
    expect(stateOf(cluster, 't')).toMatchObject({ logEndOffset: 3, highWatermark: 2 })

    cluster.stopBroker(0, { crash: true })
    await cluster.advance(SESSION_TIMEOUT)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, uncleanElections: 1, highWatermark: 2 })
    // Everything acknowledged (a, b) is still there.
    expect(valuesOf((await fetchFromLeader(cluster, 't')).records)).toEqual(['a', 'b'])
    cluster.checkInvariants()
  })
})

describe('fault scenario 5: fast leader changes and hard failures never make replicas diverge (KIP-101, KIP-279)', () => {
  /** All replicas hold the same bytes below the high watermark; every live one up to its end. */
  function expectConverged(cluster: Cluster, topic: string): void {
    const p = partitionOf(cluster, topic)
    const hw = p.highWatermark
    const reference = bytesBelow(cluster, topic, p.leader, hw)
    expect(reference).toHaveLength(hw)
    for (const id of p.replicas) expect(bytesBelow(cluster, topic, id, hw), `replica ${id}`).toEqual(reference)
    for (const id of p.replicas) expect(bytesBelow(cluster, topic, id, Infinity), `replica ${id}`).toEqual(bytesBelow(cluster, topic, p.leader, Infinity))
  }

  it('KIP-101 scenario 2: both replicas crash, the follower returns first and writes; the old leader truncates instead of diverging', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1]] })
    expect(errorName((await produce(cluster, 't', ['m1'])).errorCode)).toBe('NONE')
    cluster.pauseReplication(1)
    expect(errorName((await produce(cluster, 't', ['m2'], { acks: 1 })).errorCode)).toBe('NONE')
    cluster.stopBroker(0, { crash: true })
    cluster.stopBroker(1, { crash: true })
    await cluster.advance(SESSION_TIMEOUT)
    cluster.checkInvariants()
    expect(stateOf(cluster, 't').leader).toBe(-1)
    // Broker 1 returns first, leads, and takes m3 at offset 1 (where broker 0 holds m2).
    cluster.startBroker(1)
    cluster.resumeReplication(1)
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1 })
    expect(await produce(cluster, 't', ['m3'], { acks: 1 })).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1 })
    cluster.checkInvariants()
    cluster.startBroker(0)
    await cluster.advance(0)
    cluster.checkInvariants()
    expect(valuesOf(replicaRecords(cluster, 't', 0))).toEqual(['m1', 'm3'])
    expect(stateOf(cluster, 't').isr).toEqual([0, 1])
    expectConverged(cluster, 't')
  })

  /**
   * Three epochs, each with records only some replicas have:
   *   epoch 0 (leader 0): a b everywhere; c d on 0 only
   *   epoch 1 (leader 1): e f on 1 only
   *   epoch 2 (leader 2): g
   * then 0 and 1 come back in the given order (and 2 keeps leading).
   */
  for (const order of [
    [0, 1],
    [1, 0],
  ]) {
    it(`three leaders in quick succession, the crashed ones back in the order ${order.join(', ')}`, async () => {
      const cluster = newCluster()
      const step = stepper(cluster)
      await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
      await step(() => produce(cluster, 't', ['a', 'b']))
      await step(() => cluster.pauseReplication(1))
      await step(() => cluster.pauseReplication(2))
      await step(() => produce(cluster, 't', ['c', 'd'], { acks: 1 }))
      await step(() => cluster.stopBroker(0, { crash: true }))
      await step(() => cluster.advance(SESSION_TIMEOUT))
      expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, leaderEpoch: 1 })
      await step(() => produce(cluster, 't', ['e', 'f'], { acks: 1 }))
      await step(() => cluster.stopBroker(1, { crash: true }))
      await step(() => cluster.advance(SESSION_TIMEOUT))
      expect(stateOf(cluster, 't')).toMatchObject({ leader: 2, leaderEpoch: 2, isr: [2] })
      await step(() => produce(cluster, 't', ['g'], { acks: 1 }))
      await step(() => cluster.resumeReplication(1))
      for (const id of order) await step(() => cluster.startBroker(id))
      await step(() => cluster.advance(1))
      expect(stateOf(cluster, 't')).toMatchObject({ leader: 2, isr: [0, 1, 2], highWatermark: 3 })
      for (const id of [0, 1, 2]) expect(replicaRecords(cluster, 't', id), `replica ${id}`).toEqual([
        { offset: 0, epoch: 0, value: 'a' },
        { offset: 1, epoch: 0, value: 'b' },
        { offset: 2, epoch: 2, value: 'g' },
      ])
      expectConverged(cluster, 't')
      // Every truncation went back to where the replica agreed with epoch 2's log.
      for (const e of eventsOf(cluster, 'truncated')) expect(e.to).toBe(2)
    })
  }

  it('a replica whose log holds only a later epoch than the leader’s truncates instead of keeping its records (KIP-279)', async () => {
    const cluster = newCluster()
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]], configs: { 'unclean.leader.election.enable': 'true' } })
    cluster.pauseReplication(1)
    cluster.pauseReplication(2)
    await produce(cluster, 't', ['a'], { acks: 1 }) // offset 0, epoch 0, on broker 0 only
    cluster.stopBroker(0, { crash: true })
    await cluster.advance(SESSION_TIMEOUT) // broker 1 leads epoch 1
    await produce(cluster, 't', ['b'], { acks: 1 }) // offset 0, epoch 1, on broker 1 only
    cluster.stopBroker(1, { crash: true })
    cluster.stopBroker(2, { crash: true })
    await cluster.advance(SESSION_TIMEOUT) // offline
    cluster.startBroker(0) // unclean election: broker 0 leads with epoch 0's 'a'
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 0, uncleanElections: 1 })
    cluster.resumeReplication(1)
    cluster.startBroker(1) // asks for epoch 1's end: the leader answers epoch 0, ending at 1
    await cluster.advance(1)
    expect(replicaRecords(cluster, 't', 1)).toEqual([{ offset: 0, epoch: 0, value: 'a' }])
    cluster.checkInvariants()
  })

  /**
   * Found by memkafka/testing's long runs: broker 0 led epoch 1 without writing anything (cut
   * off, then crashed), and later copied epoch 0's record at offset 0 from the next leader. Kafka's
   * epoch cache drops the empty epoch 1 entry when that older batch is appended at its start
   * offset (LeaderEpochFileCache.maybeTruncateNonMonotonicEntries); memkafka kept it, so when
   * the network blipped and broker 0 reconciled with its leader again, it asked for epoch 1's end,
   * learned epoch 0's, and cut away the committed record it held (ISR member below the HW).
   */
  it('a replica that led an epoch without writing, then copied an older epoch\'s record, keeps it across a reconcile', async () => {
    const cluster = newCluster({ 'broker.session.timeout.ms': 3_000 })
    const step = stepper(cluster)
    await createTopic(cluster, 't', { replicas: [[2, 0, 1]], configs: { 'min.insync.replicas': '2' } })
    await step(() => cluster.isolate(0))
    track(produce(cluster, 't', ['a'])) // on 2 and 1 (epoch 0), not on the cut-off 0
    await step(() => cluster.advance(1))
    await step(() => cluster.stopBroker(1, { crash: true })) // still in the ISR until its session expires
    await step(() => cluster.stopBroker(2)) // controlled: 0 leads epoch 1, and writes nothing in it
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 0, leaderEpoch: 1 })
    await step(() => cluster.startBroker(1)) // waits out its old session
    await step(() => cluster.advance(2_000))
    await step(() => cluster.stopBroker(0, { crash: true }))
    await step(() => cluster.startBroker(0))
    await step(() => cluster.heal())
    // 0's session expires: 1 leads (epoch 2), then 1's does: offline, and 1 leads again.
    await step(() => cluster.advance(1_100))
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 1, isr: [0, 1], highWatermark: 1 })
    expect(replicaRecords(cluster, 't', 0)).toEqual([{ offset: 0, epoch: 0, value: 'a' }])
    expect(partitionOf(cluster, 't').replica(0)!.epochs.all[0]).toEqual({ epoch: 0, startOffset: 0 })
    // A network blip: 0 reconciles with its leader again and keeps the committed record.
    await step(() => cluster.isolate(0))
    await step(() => cluster.heal())
    expect(replicaRecords(cluster, 't', 0)).toEqual([{ offset: 0, epoch: 0, value: 'a' }])
    expect(eventsOf(cluster, 'truncated').filter((e) => e.brokerId === 0)).toEqual([])
  })

  it('a leader that wrote in its own epoch and crashed is cut back to where its epoch diverged, then catches up', async () => {
    const cluster = newCluster({ 'replica.lag.time.max.ms': 60_000 })
    const step = stepper(cluster)
    await createTopic(cluster, 't', { replicas: [[0, 1, 2]] })
    await step(() => produce(cluster, 't', ['a']))
    // Leadership moves 0 -> 1 by a controlled shutdown (epoch 1), a write in it, then 1 takes a
    // write nobody fetches and crashes: 0 leads epoch 2 and writes at the same offset.
    await step(() => cluster.stopBroker(0))
    await step(() => produce(cluster, 't', ['b']))
    await step(() => cluster.startBroker(0))
    await step(() => cluster.pauseReplication(0))
    await step(() => cluster.pauseReplication(2))
    await step(() => produce(cluster, 't', ['only-on-1'], { acks: 1 }))
    await step(() => cluster.stopBroker(1, { crash: true }))
    await step(() => cluster.advance(SESSION_TIMEOUT))
    expect(stateOf(cluster, 't')).toMatchObject({ leader: 0, leaderEpoch: 2, isr: [0, 2] })
    await step(() => cluster.resumeReplication(0))
    await step(() => cluster.resumeReplication(2))
    await step(() => produce(cluster, 't', ['c'], { acks: 1 }))
    await step(() => cluster.startBroker(1))
    await step(() => cluster.advance(1))
    for (const id of [0, 1, 2]) expect(valuesOf(replicaRecords(cluster, 't', id)), `replica ${id}`).toEqual(['a', 'b', 'c'])
    expect(eventsOf(cluster, 'truncated')).toEqual([expect.objectContaining({ brokerId: 1, from: 3, to: 2 })])
    expectConverged(cluster, 't')
    const epochs = eventsOf(cluster, 'leaderElected').map((e) => e.leaderEpoch)
    expect(epochs).toEqual(epochs.map((_, i) => i))
  })
})
