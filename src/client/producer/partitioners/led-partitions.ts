/**
 * The partitions of a topic that have a leader, as the keyless round-robin needs them
 * (default-partitioner.ts). Walking the metadata for them on every message made a keyless send
 * cost O(partitions) per message (issue 15: 85x slower at 10 000 partitions than at 10).
 *
 * The client's metadata arrays are never changed after they are built (a refresh builds new
 * ones), so the client marks each with `settled()` and the list is computed once per array. An
 * array the client did not mark (a custom caller's, which it may change between calls) is
 * walked every time, as before, so a partitioner called with such an array sees its changes.
 */
import type { PartitionMetadata } from './partitioner-types.js'

const settledArrays = new WeakSet<readonly PartitionMetadata[]>()
const ledIds = new WeakMap<readonly PartitionMetadata[], readonly number[]>()
const leaderColumns = new WeakMap<readonly PartitionMetadata[], Int32Array>()

/** Marks `partitions` as never changed from now on (the client's own metadata), and returns it. */
export function settled<T extends readonly PartitionMetadata[]>(partitions: T): T {
  settledArrays.add(partitions)
  return partitions
}

/** The ids of the partitions with a leader (`leader >= 0`), in metadata order. */
export function partitionsWithLeader(partitions: readonly PartitionMetadata[]): readonly number[] {
  if (!settledArrays.has(partitions)) return collect(partitions)
  let ids = ledIds.get(partitions)
  if (!ids) ledIds.set(partitions, (ids = collect(partitions)))
  return ids
}

function collect(partitions: readonly PartitionMetadata[]): number[] {
  const ids: number[] = []
  for (const p of partitions) if (p.leader >= 0) ids.push(p.partitionId)
  return ids
}

/**
 * Each partition's leader by partition id (-1 for none, or for an id the metadata lacks), for an
 * array the client marked settled; undefined for any other. The producer looks up the leader of
 * every partition a send writes to: at 10 000 partitions a keyless send of 1 000 names 1 000 of
 * them, and each lookup went through the topic's table to a metadata object of its own, rarely
 * in the CPU's cache (issue 15); this reads one flat array instead.
 */
export function leadersById(partitions: readonly PartitionMetadata[]): Int32Array | undefined {
  if (!settledArrays.has(partitions)) return undefined
  let column = leaderColumns.get(partitions)
  if (!column) leaderColumns.set(partitions, (column = leaderColumn(partitions)))
  return column
}

function leaderColumn(partitions: readonly PartitionMetadata[]): Int32Array {
  let highest = -1
  for (const p of partitions) if (p.partitionId > highest) highest = p.partitionId
  const column = new Int32Array(highest + 1).fill(-1)
  // As the client's own lookup finds an id: the entry at its index when that entry has it, else
  // the first entry with it.
  for (let i = partitions.length - 1; i >= 0; i--) column[partitions[i]!.partitionId] = partitions[i]!.leader
  for (let i = 0; i < partitions.length && i < column.length; i++) if (partitions[i]!.partitionId === i) column[i] = partitions[i]!.leader
  return column
}
