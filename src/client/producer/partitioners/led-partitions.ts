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
