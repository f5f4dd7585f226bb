/**
 * Retention and the cleaner as the cluster runs them: on its clock (the retention check every
 * log.retention.check.interval.ms, the cleaner every log.cleaner.backoff.ms when
 * log.cleaner.enable), on demand with runCleaner(), on every replica's own log, with topic
 * settings read at each pass (AlterConfigs takes effect at the next one), recorded on the
 * timeline, and stopped by close().
 */
import { describe, expect, it } from 'vitest'
import { ClusterModel, type ClusterOptions } from '../../../src/cluster/cluster-model.js'
import { ManualClock } from '../../../src/cluster/clock.js'
import { ErrorCode } from '../../../src/cluster/error-codes.js'
import { ConfigResourceType } from '../../../src/cluster/api/messages.js'
import { readAll, show } from './log-fixture.js'
import { createTopic } from '../../support/cluster-harness.js'

function newCluster(options: ClusterOptions = {}): { cluster: ClusterModel; clock: ManualClock } {
  const clock = new ManualClock(0)
  return { cluster: new ClusterModel({ brokers: 3, seed: 1, clock, ...options }), clock }
}

const entries = (configs: Record<string, string | null>) => Object.entries(configs).map(([name, value]) => ({ name, value }))

async function alterTopic(cluster: ClusterModel, name: string, configs: Record<string, string>): Promise<void> {
  const response = await cluster.send(0, { api: 'AlterConfigs', resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configs: entries(configs) }], validateOnly: false })
  expect(response.responses[0]!.errorCode).toBe(ErrorCode.NONE)
}

/** Produces one batch of `key=value` records (`key=` is a tombstone). */
async function produce(cluster: ClusterModel, topic: string, ...records: string[]): Promise<void> {
  const leader = cluster.controller.topic(topic)!.partitions[0]!.leader
  const response = await cluster.send(leader, {
    api: 'Produce',
    acks: -1,
    timeoutMs: 1000,
    topics: [
      {
        name: topic,
        partitions: [
          {
            index: 0,
            records: records.map((r) => {
              const [key, value] = r.split('=') as [string, string]
              return { key: Buffer.from(key), value: value === '' ? null : Buffer.from(value) }
            }),
          },
        ],
      },
    ],
  })
  expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE)
}

const partitionOf = (cluster: ClusterModel, topic: string) => cluster.controller.topic(topic)!.partitions[0]!
const leaderRecords = (cluster: ClusterModel, topic: string) => show(readAll(partitionOf(cluster, topic).log))

/** Three segments: segment.ms=1000 and a batch every 1000 ms (the last one is active). */
async function produceThreeSegments(cluster: ClusterModel, clock: ManualClock, topic: string): Promise<void> {
  await produce(cluster, topic, 'a=1', 'b=1')
  await clock.advance(1_001)
  await produce(cluster, topic, 'a=2')
  await clock.advance(1_001)
  await produce(cluster, topic, 'c=1')
}

describe('the retention check', () => {
  it('runs every log.retention.check.interval.ms and deletes expired segments', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.retention.check.interval.ms': 10_000 } })
    await createTopic(cluster, 'events', { configs: { 'retention.ms': '5000', 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'events')
    // At 2002 nothing is 5 s old yet; the check at 10 000 finds segments 0 and 1 expired
    // (largest timestamps 0 and 1001) and the active one (2002) too, so all three go.
    await clock.advance(9_999 - clock.now())
    expect(partitionOf(cluster, 'events').logStartOffset).toBe(0)
    await clock.advance(1)
    expect(partitionOf(cluster, 'events').logStartOffset).toBe(4)
    expect(cluster.timeline({ types: ['segmentsDeleted'] })).toMatchObject([
      { time: 10_000, topic: 'events', partition: 0, reason: 'retention.ms', baseOffsets: [0, 2, 3], logStartOffset: 4 },
    ])
    await cluster.close()
  })

  it('takes a retention.ms altered after the data was written at the next check', async () => {
    const { cluster, clock } = newCluster()
    await createTopic(cluster, 'events', { configs: { 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'events')
    await alterTopic(cluster, 'events', { 'segment.ms': '1000', 'retention.ms': '1500' })
    // log.retention.check.interval.ms defaults to 300 000.
    await clock.advance(300_000 - clock.now() - 1)
    expect(partitionOf(cluster, 'events').logStartOffset).toBe(0)
    await clock.advance(1)
    expect(partitionOf(cluster, 'events').logStartOffset).toBe(4)
    await cluster.close()
  })

  it('leaves compacted topics to the cleaner', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.retention.check.interval.ms': 1_000, 'log.cleaner.enable': false } })
    await createTopic(cluster, 'both', { configs: { 'cleanup.policy': 'compact,delete', 'retention.ms': '100', 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'both')
    await clock.advance(10_000)
    // Kafka's LogManager skips compacted logs; with the cleaner off nothing deletes them.
    expect(partitionOf(cluster, 'both').logStartOffset).toBe(0)
    expect(cluster.runCleaner()).toMatchObject([{ topic: 'both', deletedSegments: 3, logStartOffset: 4 }])
    await cluster.close()
  })
})

describe('the cleaner', () => {
  it('runs every log.cleaner.backoff.ms and compacts dirty compacted topics', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.cleaner.backoff.ms': 5_000 } })
    await createTopic(cluster, 'profiles', { configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'profiles')
    expect(leaderRecords(cluster, 'profiles')).toEqual(['0:a=1', '1:b=1', '2:a=2', '3:c=1'])
    await clock.advance(5_000 - clock.now())
    expect(leaderRecords(cluster, 'profiles')).toEqual(['1:b=1', '2:a=2', '3:c=1'])
    expect(cluster.timeline({ types: ['logCompacted'] })).toMatchObject([
      { time: 5_000, topic: 'profiles', partition: 0, firstDirtyOffset: 0, cleanedUpTo: 3, removedRecords: 1, removedTombstones: 0 },
    ])
    await cluster.close()
  })

  it('does not run in the background with log.cleaner.enable=false, but runCleaner() still compacts', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.cleaner.enable': false } })
    await createTopic(cluster, 'profiles', { configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'profiles')
    await clock.advance(600_000)
    expect(leaderRecords(cluster, 'profiles')).toHaveLength(4)
    expect(cluster.runCleaner()).toEqual([{ topic: 'profiles', partition: 0, brokerId: partitionOf(cluster, 'profiles').leader, deletedSegments: 0, logStartOffset: 0, compactedRecords: 1, removedTombstones: 0 }])
    expect(leaderRecords(cluster, 'profiles')).toEqual(['1:b=1', '2:a=2', '3:c=1'])
    await cluster.close()
  })

  it('compacts a topic from the pass after cleanup.policy becomes compact', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.cleaner.enable': false } })
    await createTopic(cluster, 'profiles', { configs: { 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'profiles')
    expect(cluster.runCleaner()).toEqual([])
    await alterTopic(cluster, 'profiles', { 'segment.ms': '1000', 'cleanup.policy': 'compact' })
    expect(cluster.runCleaner()).toMatchObject([{ topic: 'profiles', compactedRecords: 1 }])
    await cluster.close()
  })

  it('cleans every replica’s own log and reports each', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.cleaner.enable': false } })
    await createTopic(cluster, 'profiles', { replicationFactor: 3, configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000' } })
    await produceThreeSegments(cluster, clock, 'profiles')
    const partition = partitionOf(cluster, 'profiles')
    const shared = partition.allReplicas().map((r) => r.log.allSegments[0]!.batches[0])
    // Replication shares the leader's batch objects...
    expect(new Set(shared).size).toBe(1)
    const results = cluster.runCleaner()
    expect(results.map((r) => r.brokerId).sort()).toEqual([0, 1, 2])
    expect(results.every((r) => r.compactedRecords === 1)).toBe(true)
    // ...and cleaning one replica's log never changes another's: each has its own copy now.
    for (const replica of partition.allReplicas()) expect(show(readAll(replica.log))).toEqual(['1:b=1', '2:a=2', '3:c=1'])
    expect(shared[0]!.count).toBe(2)
    expect(cluster.timeline({ types: ['logCompacted'] }).map((e) => (e as { brokerId: number }).brokerId).sort()).toEqual([0, 1, 2])
    await cluster.close()
  })

  it('removes tombstones delete.retention.ms after the pass that kept them', async () => {
    const { cluster, clock } = newCluster({ brokerConfig: { 'log.cleaner.enable': false } })
    await createTopic(cluster, 'profiles', { configs: { 'cleanup.policy': 'compact', 'segment.ms': '1000', 'delete.retention.ms': '60000', 'min.cleanable.dirty.ratio': '0.01' } })
    await produce(cluster, 'profiles', 'a=1', 'b=1')
    await clock.advance(1_001)
    await produce(cluster, 'profiles', 'a=')
    await clock.advance(1_001)
    await produce(cluster, 'profiles', 'c=1')
    expect(cluster.runCleaner()).toMatchObject([{ compactedRecords: 1, removedTombstones: 0 }])
    await clock.advance(59_999)
    await produce(cluster, 'profiles', 'd=1')
    // A pass runs (the dirty ratio is met) but the horizon is not reached: nothing to report.
    expect(cluster.runCleaner()).toEqual([])
    expect(leaderRecords(cluster, 'profiles')).toContain('2:a=')
    // A pass after the horizon (it needs new dirty data: e=1 rolls a new segment).
    await clock.advance(1_001)
    await produce(cluster, 'profiles', 'e=1')
    expect(cluster.runCleaner()).toMatchObject([{ removedTombstones: 1 }])
    expect(leaderRecords(cluster, 'profiles')).toEqual(['1:b=1', '3:c=1', '4:d=1', '5:e=1'])
    await cluster.close()
  })
})

describe('lifecycle', () => {
  it('close() cancels both timers', async () => {
    const { cluster, clock } = newCluster()
    expect(clock.pendingTimers).toBeGreaterThanOrEqual(2)
    await cluster.close()
    expect(clock.pendingTimers).toBe(0)
  })

  it('a pass with nothing to do reports nothing and records nothing', async () => {
    const { cluster } = newCluster()
    await createTopic(cluster, 'quiet')
    await produce(cluster, 'quiet', 'a=1')
    expect(cluster.runCleaner()).toEqual([])
    expect(cluster.timeline({ types: ['segmentsDeleted', 'logCompacted'] })).toEqual([])
    await cluster.close()
  })
})
