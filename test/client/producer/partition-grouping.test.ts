/**
 * The producer's grouping of a send's messages by partition (issue 15): whatever way it takes
 * (already ascending, one wrap of the round robin, counting sort, key sort, partitions beyond
 * 2^53 / count), the result is the partitions in ascending order, each with its messages in the
 * order they were given, and the tables kept from send to send give the same answer.
 */
import { describe, expect, it } from 'vitest'
import { PartitionGrouping } from '../../../src/client/producer/partition-grouping.js'
import { Random } from '../../../src/cluster/random.js'

/** The grouping as [partition, message indexes][], by a plain stable sort. */
function expected(partitions: readonly number[]): [number, number[]][] {
  const sorted = partitions.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const runs: [number, number[]][] = []
  for (const [p, i] of sorted) {
    const last = runs[runs.length - 1]
    if (last && last[0] === p) last[1].push(i)
    else runs.push([p, [i]])
  }
  return runs
}

function grouped(grouping: PartitionGrouping, partitions: readonly number[]): [number, number[]][] {
  const table = grouping.partitions(partitions.length)
  partitions.forEach((p, i) => (table[i] = p))
  grouping.group(partitions.length)
  const runs: [number, number[]][] = []
  for (let r = 0; r < grouping.runCount; r++) {
    const indexes: number[] = []
    for (let j = grouping.runStart[r]!; j < grouping.runStart[r + 1]!; j++) indexes.push(grouping.order[j]!)
    runs.push([grouping.runPartition[r]!, indexes])
  }
  return runs
}

describe('PartitionGrouping', () => {
  const grouping = new PartitionGrouping()

  it('groups each kind of send as a stable sort by partition does', () => {
    const cases: number[][] = [
      [],
      [7],
      [0, 0, 0],
      // Ascending: one partition per message, or a keyed send to few keys in order.
      [0, 1, 2, 3, 4],
      [2, 2, 5, 5, 5, 9],
      // The round robin over more partitions than messages: one wrap.
      [8, 9, 10, 11, 0, 1, 2],
      [9, 0],
      // One descent that is not a clean wrap: the last partition is the first one's.
      [3, 4, 5, 3],
      [3, 4, 5, 1, 3],
      // Wraps more than once: a send larger than the topic.
      [1, 2, 0, 1, 2, 0, 1],
      // Far apart: the key sort, and partitions beyond 2^53 / count.
      [40_000, 3, 900_000, 3, 40_000, 0],
      [2 ** 52, 5, 2 ** 40, 5, 2 ** 52],
    ]
    for (const partitions of cases) expect(grouped(grouping, partitions), String(partitions)).toEqual(expected(partitions))
  })

  it('agrees with a stable sort on random sends of every size, one table set after another', () => {
    const random = new Random(15)
    for (let round = 0; round < 300; round++) {
      const count = random.int(round % 50 === 0 ? 5000 : 200) + 1
      const topicSize = [1, 3, 10, 1000, 10_000, 200_000][round % 6]!
      const start = random.int(topicSize)
      const partitions = Array.from({ length: count }, (_, i) =>
        round % 3 === 0 ? (start + i) % topicSize : random.int(topicSize),
      )
      expect(grouped(grouping, partitions)).toEqual(expected(partitions))
    }
  })

  it('keeps modest tables for the next send, not those of a very large one', () => {
    const small = new PartitionGrouping()
    grouped(small, [3, 1, 2])
    expect(small.keepable()).toBe(true)
    const large = new PartitionGrouping()
    grouped(large, Array.from({ length: 100_000 }, (_, i) => (i * 7) % 13))
    expect(large.keepable()).toBe(false)
  })
})
