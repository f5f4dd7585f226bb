/**
 * The leader column the producer reads each written partition's leader from (issue 15): it
 * agrees with the metadata entry the client's own lookup finds, and exists only for the
 * client's settled arrays.
 */
import { describe, expect, it } from 'vitest'
import { leadersById, partitionsWithLeader, settled } from '../../../src/client/producer/partitioners/led-partitions.js'
import type { PartitionMetadata } from '../../../src/client/producer/partitioners/partitioner-types.js'

function entry(partitionId: number, leader: number): PartitionMetadata {
  return { partitionErrorCode: 0, partitionId, leader, replicas: [0, 1, 2], isr: [0, 1, 2], offlineReplicas: [] } as PartitionMetadata
}

/** What ClusterClient.leaderFor finds for `partition`: the entry at its index when it has that id, else the first with it. */
function lookup(metadata: readonly PartitionMetadata[], partition: number): number | undefined {
  const p = metadata[partition]?.partitionId === partition ? metadata[partition] : metadata.find((m) => m.partitionId === partition)
  return p?.leader
}

describe('leadersById', () => {
  it('has nothing for an array the client did not settle (a caller may change it)', () => {
    expect(leadersById([entry(0, 1)])).toBeUndefined()
  })

  it("gives each partition id the leader the client's lookup finds, -1 for none or a missing id", () => {
    const metadata = settled([entry(3, 2), entry(0, 1), entry(1, -1), entry(5, 0), entry(3, 1)])
    const column = leadersById(metadata)!
    expect(Array.from(column)).toEqual([1, -1, -1, 2, -1, 0])
    for (const id of [0, 3, 5]) expect(column[id]).toBe(lookup(metadata, id))
    expect(leadersById(metadata)).toBe(column)
    expect(partitionsWithLeader(metadata)).toEqual([3, 0, 5, 3])
    // An id listed twice, once at its own index: that entry, as the lookup takes it.
    const twice = settled([entry(1, 5), entry(1, 7)])
    expect(leadersById(twice)![1]).toBe(lookup(twice, 1))
  })

  it('agrees with the lookup on a dense topic in order', () => {
    const metadata = settled(Array.from({ length: 50 }, (_, i) => entry(i, i % 7 === 3 ? -1 : i % 3)))
    const column = leadersById(metadata)!
    for (let id = 0; id < 50; id++) expect(column[id]).toBe(lookup(metadata, id))
  })
})
