/**
 * cluster.story(): the timeline told as sentences a learner can follow: times from the
 * cluster's start, leaders that move (from where to where), ISRs that shrink and grow,
 * rebalances with readable member names, commits, compaction told once for all replicas, and
 * runs of appends told as one line.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { storyLines, tellStory } from '../../src/cluster/story.js'
import type { TimelineEvent } from '../../src/cluster/timeline.js'
import { ClusterModel } from '../../src/cluster/cluster-model.js'
import { ManualClock } from '../../src/cluster/clock.js'
import { ErrorCode } from '../../src/cluster/error-codes.js'

const uuid = (hex: string) => `${hex.repeat(8)}-${hex.repeat(4)}-${hex.repeat(4)}-${hex.repeat(4)}-${hex.repeat(12)}`

describe('storyLines', () => {
  it('tells times relative to the first event, in a column', () => {
    const events: TimelineEvent[] = [
      { type: 'brokerRegistered', time: 5_000, brokerId: 0, rack: null },
      { type: 'brokerRegistered', time: 5_000, brokerId: 1, rack: 'r1' },
      { type: 'brokerStopped', time: 15_000, brokerId: 1, crash: true, lostUnflushed: false },
      { type: 'brokerStopped', time: 16_000, brokerId: 0, crash: false, lostUnflushed: false },
    ]
    expect(storyLines(events)).toEqual([
      't=0      broker 0 registered',
      't=0      broker 1 registered (rack r1)',
      't=10000  broker 1 crashed',
      't=11000  broker 0 shut down',
    ])
    expect(storyLines(events, { origin: 0 })[0]).toBe('t=5000   broker 0 registered')
  })

  it('says where a leader moved from, when a partition went offline, and when it came back', () => {
    const events: TimelineEvent[] = [
      { type: 'topicCreated', time: 0, topic: 'orders', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      { type: 'leaderElected', time: 0, topic: 'orders', partition: 0, leader: 2, leaderEpoch: 0, reason: 'topic created' },
      { type: 'leaderElected', time: 1, topic: 'orders', partition: 0, leader: 0, leaderEpoch: 1, reason: 'leader 2 fenced' },
      { type: 'partitionOffline', time: 2, topic: 'orders', partition: 0, leaderEpoch: 2, isr: [0], reason: 'leader 0 fenced; no live in-sync replica' },
      { type: 'leaderElected', time: 3, topic: 'orders', partition: 0, leader: 0, leaderEpoch: 3, reason: 'broker 0 returned' },
      { type: 'leaderElected', time: 4, topic: 'orders', partition: 0, leader: 0, leaderEpoch: 4, reason: 'preferred leader election' },
    ]
    expect(storyLines(events).map((l) => l.slice(5))).toEqual([
      'created topic orders: 1 partition, replication factor 3 (min.insync.replicas=2)',
      'orders-0 is led by broker 2 (epoch 0; topic created)',
      'leader of orders-0 moved 2 -> 0 (epoch 1; leader 2 fenced)',
      'orders-0 is offline: no leader (ISR 0; leader 0 fenced; no live in-sync replica)',
      'orders-0 is back online, led by broker 0 (epoch 3; broker 0 returned)',
      'broker 0 leads orders-0 again (epoch 4; preferred leader election)',
    ])
  })

  it('says whether an ISR shrank or expanded, starting from the replication factor', () => {
    const events: TimelineEvent[] = [
      { type: 'topicCreated', time: 0, topic: 't', partitions: 2, replicationFactor: 3, configs: {} },
      { type: 'isrChanged', time: 0, topic: 't', partition: 1, isr: [0, 1], reason: 'lagged more than replica.lag.time.max.ms: 2' },
      { type: 'isrChanged', time: 0, topic: 't', partition: 1, isr: [0, 1, 2], reason: '2 caught up' },
      { type: 'isrChanged', time: 0, topic: 't', partition: 1, isr: [0, 1, 2], reason: 'odd' },
      { type: 'isrChanged', time: 0, topic: 'unknown', partition: 0, isr: [1], reason: 'unclean election of 1' },
    ]
    expect(storyLines(events).slice(1).map((l) => l.slice(5))).toEqual([
      'ISR of t-1 shrank to 0,1 (lagged more than replica.lag.time.max.ms: 2)',
      'ISR of t-1 expanded to 0,1,2 (2 caught up)',
      'ISR of t-1 changed to 0,1,2 (odd)',
      'ISR of unknown-0 changed to 1 (unclean election of 1)',
    ])
  })

  it('tells a run of consecutive appends to one partition as one line, and nothing else as one', () => {
    const produced = (time: number, partition: number, baseOffset: number, count: number, acks = -1): TimelineEvent => ({ type: 'produced', time, topic: 't', partition, baseOffset, count, acks })
    const events = [produced(0, 0, 0, 2), produced(0, 0, 2, 1), produced(0, 1, 0, 1), produced(0, 0, 3, 1), produced(0, 0, 4, 1, 1), produced(5, 0, 5, 1, 1), produced(5, 0, 7, 1, 1)]
    expect(storyLines(events).map((l) => l.slice(5))).toEqual([
      'produced 3 records to t-0 @ 0..2 (acks=all)',
      'produced 1 record to t-1 @ 0 (acks=all)',
      'produced 1 record to t-0 @ 3 (acks=all)',
      'produced 1 record to t-0 @ 4 (acks=1)',
      'produced 1 record to t-0 @ 5 (acks=1)',
      'produced 1 record to t-0 @ 7 (acks=1)',
    ])
  })

  it('tells every record produced exactly once, however the appends are merged', () => {
    const event = fc.record({ time: fc.integer({ min: 0, max: 3 }), partition: fc.integer({ min: 0, max: 1 }), count: fc.integer({ min: 1, max: 5 }), acks: fc.constantFrom(-1, 1) })
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (raw) => {
        const next = [0, 0]
        const events: TimelineEvent[] = [...raw]
          .sort((a, b) => a.time - b.time)
          .map((e) => {
            const baseOffset = next[e.partition]!
            next[e.partition] = baseOffset + e.count
            return { type: 'produced', time: e.time, topic: 't', partition: e.partition, baseOffset, count: e.count, acks: e.acks }
          })
        const lines = storyLines(events)
        expect(lines.length).toBeLessThanOrEqual(events.length)
        const told = lines.map((l) => Number(/produced (\d+) record/.exec(l)![1]))
        expect(told.reduce((a, b) => a + b, 0)).toBe(raw.reduce((a, b) => a + b.count, 0))
      }),
    )
  })

  it('tells the same compaction or segment deletion on every replica once, naming the brokers', () => {
    const compacted = (brokerId: number, time = 7): TimelineEvent => ({
      type: 'logCompacted',
      time,
      topic: 'user-profiles',
      partition: 0,
      brokerId,
      firstDirtyOffset: 0,
      cleanedUpTo: 9,
      removedRecords: 7,
      removedTombstones: 0,
      bytesBefore: 900,
      bytesAfter: 200,
    })
    const deleted = (brokerId: number): TimelineEvent => ({ type: 'segmentsDeleted', time: 7, topic: 'events', partition: 0, brokerId, reason: 'retention.ms', baseOffsets: [0, 5], logStartOffset: 10 })
    const lines = storyLines([compacted(2), deleted(1), compacted(0), deleted(0), compacted(1), compacted(1, 9)]).map((l) => l.slice(5))
    expect(lines).toEqual([
      'compacted user-profiles-0 on brokers 0,1,2: removed 7 records below offset 9',
      'retention.ms deleted 2 segments of events-0 on brokers 0,1: log start offset now 10',
      'compacted user-profiles-0 on broker 1: removed 7 records below offset 9',
    ])
  })

  it('names members by client id when unambiguous, and tells rebalances and commits', () => {
    const a = `a-${uuid('1')}`
    const b1 = `b-${uuid('2')}`
    const b2 = `b-${uuid('3')}`
    const events: TimelineEvent[] = [
      { type: 'memberJoined', time: 0, groupId: 'billing', memberId: a },
      { type: 'memberJoined', time: 0, groupId: 'billing', memberId: b1 },
      { type: 'groupStateChanged', time: 0, groupId: 'billing', from: 'Empty', to: 'PreparingRebalance' },
      { type: 'rebalanced', time: 0, groupId: 'billing', generationId: 1, leaderId: a, members: [a, b1], protocolName: 'RoundRobinAssigner' },
      { type: 'offsetsCommitted', time: 0, groupId: 'billing', generationId: 1, offsets: [{ topic: 'orders', partition: 0, offset: 12 }, { topic: 'orders', partition: 1, offset: 3 }] },
      { type: 'memberRemoved', time: 0, groupId: 'billing', memberId: b1, reason: 'sessionTimeout' },
      { type: 'memberJoined', time: 0, groupId: 'billing', memberId: b2 },
      { type: 'rebalanced', time: 0, groupId: 'billing', generationId: 3, leaderId: a, members: [a, b2], protocolName: 'RoundRobinAssigner' },
    ]
    expect(storyLines(events).map((l) => l.slice(5))).toEqual([
      'group billing: a joined',
      'group billing: b-22222222 joined',
      'group billing: Empty -> PreparingRebalance',
      'group billing rebalanced: generation 1, members a,b-22222222 (leader a)',
      'group billing committed orders-0 @ 12, orders-1 @ 3',
      'group billing: b-22222222 was removed: its session timed out',
      'group billing: b-33333333 joined',
      'group billing rebalanced: generation 3, members a,b-33333333 (leader a)',
    ])
  })

  it('tells transactions: begun, committed or aborted, and fencing', () => {
    const events: TimelineEvent[] = [
      { type: 'txnBegun', time: 0, transactionalId: 'payments', producerId: 4, producerEpoch: 0 },
      { type: 'txnEnded', time: 0, transactionalId: 'payments', producerId: 4, producerEpoch: 0, result: 'commit', partitions: [{ topic: 'ledger', partition: 0 }], reason: 'committed by the producer' },
      { type: 'producerFenced', time: 0, transactionalId: 'payments', producerId: 4, producerEpoch: 1, reason: 'a new instance called InitProducerId' },
      { type: 'txnEnded', time: 0, transactionalId: 'payments', producerId: 4, producerEpoch: 1, result: 'abort', partitions: [], reason: 'timed out' },
    ]
    expect(storyLines(events).map((l) => l.slice(5))).toEqual([
      'transaction payments began (producer 4, epoch 0)',
      'transaction payments committed: ledger-0 (committed by the producer)',
      'transactional id payments fenced its older producers: now producer 4, epoch 1 (a new instance called InitProducerId)',
      'transaction payments aborted: no partitions (timed out)',
    ])
  })

  it('keeps only the events asked for, and still knows what came before them', () => {
    const events: TimelineEvent[] = [
      { type: 'leaderElected', time: 0, topic: 't', partition: 0, leader: 0, leaderEpoch: 0, reason: 'topic created' },
      { type: 'produced', time: 1, topic: 't', partition: 0, baseOffset: 0, count: 1, acks: 1 },
      { type: 'brokerStopped', time: 2, brokerId: 0, crash: true, lostUnflushed: true },
      { type: 'leaderElected', time: 3, topic: 't', partition: 0, leader: 1, leaderEpoch: 1, reason: 'leader 0 fenced' },
    ]
    expect(storyLines(events, { since: 2 })).toEqual(['t=2  broker 0 crashed, losing what it had not flushed', 't=3  leader of t-0 moved 0 -> 1 (epoch 1; leader 0 fenced)'])
    expect(storyLines(events, { types: ['leaderElected'] })).toEqual(['t=0  t-0 is led by broker 0 (epoch 0; topic created)', 't=3  leader of t-0 moved 0 -> 1 (epoch 1; leader 0 fenced)'])
    expect(storyLines(events, { exclude: ['leaderElected', 'produced'] })).toEqual(['t=2  broker 0 crashed, losing what it had not flushed'])
    expect(tellStory([])).toBe('')
  })
})

describe('cluster.story()', () => {
  it('tells what happened to a real cluster: topic, appends, a crash and the election', async () => {
    const clock = new ManualClock(1_000)
    const cluster = new ClusterModel({ brokers: 3, seed: 1, clock, brokerConfig: { 'replica.lag.time.max.ms': 1_000 } })
    const created = await cluster.send(0, {
      api: 'CreateTopics',
      topics: [{ name: 'orders', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [2, 0, 1] }], configs: [] }],
      timeoutMs: 1_000,
      validateOnly: false,
    })
    expect(created.topics[0]!.errorCode).toBe(ErrorCode.NONE)
    const produced = await cluster.send(2, { api: 'Produce', acks: -1, timeoutMs: 1_000, topics: [{ name: 'orders', partitions: [{ index: 0, records: [{ key: null, value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }] }] }] })
    expect(produced.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
    await clock.advance(1_000)
    cluster.stopBroker(2, { crash: true })
    await cluster.advance(9_000)
    const story = cluster.story({ exclude: ['brokerRegistered'] }).split('\n')
    expect(story).toEqual([
      't=0      created topic orders: 1 partition, replication factor 3',
      't=0      orders-0 is led by broker 2 (epoch 0; topic created)',
      't=0      produced 2 records to orders-0 @ 0..1 (acks=all)',
      't=1000   broker 2 crashed',
      't=10000  controller fenced broker 2 (session expired after a crash)',
      't=10000  ISR of orders-0 shrank to 0,1 (broker 2 fenced)',
      't=10000  leader of orders-0 moved 2 -> 0 (epoch 1; leader 2 fenced)',
    ])
    await cluster.close()
  })
})
