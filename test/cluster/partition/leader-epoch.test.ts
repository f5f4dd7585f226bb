/**
 * The leader-epoch cache and KIP-279's divergence point, entry by entry, against Kafka's
 * LeaderEpochFileCache (assign, truncateFromEnd, endOffsetFor).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LeaderEpochCache, divergenceOffset, endOffsetForEpoch } from '../../../src/cluster/partition/leader-epoch.js'

function cacheOf(...entries: [epoch: number, startOffset: number][]): LeaderEpochCache {
  const cache = new LeaderEpochCache()
  for (const [epoch, startOffset] of entries) cache.assign(epoch, startOffset)
  return cache
}

describe('LeaderEpochCache.assign', () => {
  it('adds a newer epoch at a later offset, and ignores the latest epoch again at or after its start', () => {
    const cache = cacheOf([0, 0], [2, 5])
    cache.assign(2, 7)
    cache.assign(2, 5)
    expect(cache.all).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 5 },
    ])
  })

  it('drops trailing entries the new one does not strictly follow (an empty epoch replaced by an older batch at its start)', () => {
    const cache = cacheOf([1, 0])
    cache.assign(0, 0)
    expect(cache.all).toEqual([{ epoch: 0, startOffset: 0 }])
    const longer = cacheOf([0, 0], [3, 4], [5, 4])
    longer.assign(4, 4)
    expect(longer.all).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 4, startOffset: 4 },
    ])
  })

  it('moves the latest epoch back when it is assigned an earlier start', () => {
    const cache = cacheOf([0, 0], [2, 5])
    cache.assign(2, 3)
    expect(cache.all).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 3 },
    ])
  })

  it('keeps both columns strictly increasing whatever the order of assignments', () => {
    const cache = new LeaderEpochCache()
    const moves: [number, number][] = [[0, 0], [3, 2], [1, 1], [4, 6], [4, 2], [2, 9], [6, 9]]
    for (const [epoch, offset] of moves) {
      cache.assign(epoch, offset)
      const all = cache.all
      for (let i = 1; i < all.length; i++) {
        expect(all[i]!.epoch).toBeGreaterThan(all[i - 1]!.epoch)
        expect(all[i]!.startOffset).toBeGreaterThan(all[i - 1]!.startOffset)
      }
      expect(cache.latest()).toEqual({ epoch, startOffset: offset })
    }
  })

  it('truncateFromEnd drops the epochs starting at or after the offset', () => {
    const cache = cacheOf([0, 0], [1, 3], [2, 6])
    cache.truncateFromEnd(3)
    expect(cache.all).toEqual([{ epoch: 0, startOffset: 0 }])
  })

  it('property: assign and truncateFromEnd in any order agree with the entries recomputed from scratch', () => {
    // The cache keeps its latest entry beside the list (issue 15); a model that reads the list
    // each time must agree after every step.
    const model = (entries: { epoch: number; startOffset: number }[], step: Step) => {
      if (step.kind === 'truncate') return entries.filter((e) => e.startOffset < step.offset)
      const latest = entries[entries.length - 1]
      if (latest && latest.epoch === step.epoch && latest.startOffset <= step.offset) return entries
      const kept = [...entries]
      while (kept.length > 0 && !(kept[kept.length - 1]!.epoch < step.epoch && kept[kept.length - 1]!.startOffset < step.offset)) kept.pop()
      return [...kept, { epoch: step.epoch, startOffset: step.offset }]
    }
    type Step = { kind: 'assign'; epoch: number; offset: number } | { kind: 'truncate'; offset: number }
    const step = fc.oneof(
      fc.record({ kind: fc.constant('assign' as const), epoch: fc.integer({ min: 0, max: 3 }), offset: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant('truncate' as const), offset: fc.integer({ min: 0, max: 8 }) }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const cache = new LeaderEpochCache()
        let expected: { epoch: number; startOffset: number }[] = []
        for (const s of steps) {
          if (s.kind === 'assign') cache.assign(s.epoch, s.offset)
          else cache.truncateFromEnd(s.offset)
          expected = model(expected, s)
          expect(cache.all).toEqual(expected)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('after a truncation, the epoch now latest is ignored again at or after its own start', () => {
    const cache = cacheOf([0, 0], [1, 10])
    cache.truncateFromEnd(10)
    cache.assign(0, 5)
    expect(cache.all).toEqual([{ epoch: 0, startOffset: 0 }])
  })
})

describe('KIP-279: where a follower truncates', () => {
  it('endOffsetForEpoch: the log end for the latest epoch, else the next epoch\'s start', () => {
    const entries = cacheOf([0, 0], [2, 1], [4, 1]).all
    expect(endOffsetForEpoch(entries, 3, 4)).toEqual({ epoch: 4, endOffset: 3 })
    expect(endOffsetForEpoch(entries, 3, 1)).toEqual({ epoch: 0, endOffset: 1 })
    expect(endOffsetForEpoch(entries, 3, 9)).toEqual({ epoch: -1, endOffset: -1 })
  })

  it('a follower that replaced its empty epoch keeps the record it copied', () => {
    const leader = { epochs: cacheOf([0, 0], [2, 1], [4, 1]), logEndOffset: 1, highWatermark: 1 }
    const follower = { epochs: cacheOf([1, 0], [0, 0]), logEndOffset: 1, highWatermark: 1 }
    expect(divergenceOffset(follower, leader)).toBe(1)
  })

  // Found by test:long (durable configuration, seed 4): broker 2 led epoch 1 and wrote a
  // transaction marker at offset 1 that no other replica got; it was then elected for epoch 3
  // while crashed; broker 1 had written another marker at offset 1 in epoch 2, which broker 0
  // copied before it became leader in epoch 4. Asked for epoch 3, the leader answers epoch 2,
  // which broker 2 never knew: Kafka's fetcher truncates to the end of its epoch below (2, an
  // intermediate step), asks again for epoch 1, and truncates to 1. One round kept offset 1 and
  // the two replicas disagreed below the high watermark.
  it('a follower that does not know the epoch the leader answers with asks again, as Kafka\'s fetcher does', () => {
    const leader = { epochs: cacheOf([1, 0], [2, 1], [4, 2]), logEndOffset: 2, highWatermark: 2 }
    const follower = { epochs: cacheOf([1, 0], [3, 2]), logEndOffset: 2, highWatermark: 1 }
    expect(divergenceOffset(follower, leader)).toBe(1)
    // Several unknown epochs in a row take several rounds.
    const deep = { epochs: cacheOf([0, 0], [1, 2], [3, 4], [5, 6]), logEndOffset: 8, highWatermark: 2 }
    const newLeader = { epochs: cacheOf([0, 0], [2, 3], [4, 5], [6, 7]), logEndOffset: 9, highWatermark: 7 }
    expect(divergenceOffset(deep, newLeader)).toBe(2)
  })
})

describe('a replica keeps its epoch cache\'s latest entry (issue 15)', () => {
  it('holds the latest epoch and start through appends, new epochs and truncation', async () => {
    const { Replica } = await import('../../../src/cluster/partition/replica.js')
    const { RecordBatch, TimestampType } = await import('../../../src/cluster/log/record-batch.js')
    const replica = new Replica(0, 0)
    const mirrors = () => {
      const latest = replica.epochs.latest()
      expect([replica.latestEpoch, replica.latestEpochStart]).toEqual(latest ? [latest.epoch, latest.startOffset] : [-1, -1])
    }
    mirrors()
    const append = (epoch: number) => {
      const batch = replica.log.append([{ key: null, value: Buffer.from('v'), timestamp: 5 }], epoch, TimestampType.CreateTime, 5, undefined, false, { segmentBytes: Infinity, segmentMs: Infinity }, false)
      replica.appended(batch)
      mirrors()
      return batch
    }
    append(0)
    append(0)
    replica.epochs.assign(2, replica.logEndOffset)
    mirrors()
    append(2)
    append(3)
    expect(replica.epochs.all).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 2 },
      { epoch: 3, startOffset: 3 },
    ])
    replica.truncateTo(3)
    mirrors()
    append(1)
    expect(replica.epochs.all).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 1, startOffset: 3 },
    ])
    replica.truncateTo(0)
    mirrors()
    expect(RecordBatch).toBeDefined()
  })
})
