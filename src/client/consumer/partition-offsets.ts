/**
 * A consumer's offsets per partition (kafkajs's OffsetManager state): the position the next
 * fetch reads from, the resolved offset (the next commit's: last processed + 1) and the offset
 * last committed. Kept in arrays by slot rather than in maps by partition key: the assigned
 * partitions take the first slots, in assignedPartitions() order, and a partition outside the
 * assignment (an explicit commit may name one) gets the next free slot when first written.
 *
 * A new group's consumer of 10 000 partitions wrote 10 000 new keys into each of two maps as it
 * loaded its offsets, and per fetched partition looked its position up, resolved, and set it
 * again: five lookups in tables of 10 000 string keys, each a read of the key's string and of
 * the table's entry that the cache no longer held (issue 15). Here the same is a read of a slot.
 *
 * The resolved offsets are walked (commit, uncommittedOffsets) in the order each partition got
 * its first one since the last reset, as the map they replace was.
 */
import { topicPartitionKey } from '../cluster-client.js'
import type { PartitionRef } from './partition-keys.js'

export class PartitionOffsets {
  /**
   * Per topic, each partition index's slot. A map by index, not an array: a member of a large
   * group is dealt partitions far apart (round robin over 1000 partitions among 200 members gives
   * each one 5, 205, 405, ...), and an array indexed by partition made a table of 1000 slots per
   * member at every rebalance, which outlived the rebalance and was copied to the old
   * generation: 25% more CPU per join at 200 members (issue 15).
   */
  private slots = new Map<string, Map<number, number>>()
  /** The topic and partition of each slot: the assigned list, then the partitions added after it. */
  private assigned: readonly PartitionRef[] = []
  private added: PartitionRef[] = []
  private positions: number[] = []
  private resolved: number[] = []
  private committed: number[] = []
  /** The slots with a resolved offset, in the order each got its first. */
  private resolvedOrder: number[] = []

  /** Forgets every offset; the partitions of `assigned` take the first slots, in its order. */
  reset(assigned: readonly PartitionRef[]): void {
    const slots = new Map<string, Map<number, number>>()
    let topic: string | undefined
    let indexes: Map<number, number> | undefined
    let oddSlots: Map<string, number> | undefined
    // Indexed: run once per join, in V8's interpreter, where for-of makes an object per step.
    for (let i = 0; i < assigned.length; i++) {
      const entry = assigned[i]!
      if (entry.topic !== topic) {
        topic = entry.topic
        indexes = slots.get(topic)
        if (indexes === undefined) slots.set(topic, (indexes = new Map()))
      }
      if (isIndex(entry.partition)) indexes!.set(entry.partition, i)
      else (oddSlots ??= new Map()).set(topicPartitionKey(entry.topic, entry.partition), i)
    }
    this.slots = slots
    this.assigned = assigned
    this.added = []
    this.oddSlots = oddSlots
    // Holey arrays of the assignment's length: an empty slot reads undefined, as a map's missing key.
    this.positions = new Array<number>(assigned.length)
    this.resolved = new Array<number>(assigned.length)
    this.committed = new Array<number>(assigned.length)
    this.resolvedOrder = []
  }

  /** The partition's slot, -1 when it has none (never written since the last reset, and not assigned). */
  slotOf(topic: string, partition: number): number {
    if (isIndex(partition)) return this.slots.get(topic)?.get(partition) ?? -1
    return this.oddSlot(topic, partition, false)
  }

  /** The partition's slot, given one now when it has none. */
  slotFor(topic: string, partition: number): number {
    if (!isIndex(partition)) return this.oddSlot(topic, partition, true)
    let indexes = this.slots.get(topic)
    if (indexes === undefined) this.slots.set(topic, (indexes = new Map()))
    const slot = indexes.get(partition)
    if (slot !== undefined) return slot
    const added = this.add({ topic, partition })
    indexes.set(partition, added)
    return added
  }

  /**
   * The slot of a partition given as something other than a partition index (kafkajs users'
   * JavaScript may pass '3', -1, 1.5): one partition per key string, as the maps keyed by
   * topicPartitionKey had it, so '3' is partition 3 and the others are kept by their key.
   */
  private oddSlot(topic: string, partition: number, create: boolean): number {
    const text = `${partition}`
    const index = Number(text)
    if (isIndex(index) && String(index) === text) return create ? this.slotFor(topic, index) : this.slotOf(topic, index)
    const key = topicPartitionKey(topic, partition)
    const slot = this.oddSlots?.get(key)
    if (slot !== undefined || !create) return slot ?? -1
    const added = this.add({ topic, partition: index })
    ;(this.oddSlots ??= new Map()).set(key, added)
    return added
  }

  private oddSlots: Map<string, number> | undefined

  private add(partition: PartitionRef): number {
    this.added.push(partition)
    return this.assigned.length + this.added.length - 1
  }

  /** The topic and partition of a slot. */
  partitionAt(slot: number): PartitionRef {
    return slot < this.assigned.length ? this.assigned[slot]! : this.added[slot - this.assigned.length]!
  }

  position(slot: number): number | undefined {
    return slot < 0 ? undefined : this.positions[slot]
  }

  setPosition(slot: number, offset: number): void {
    this.positions[slot] = offset
  }

  resolvedAt(slot: number): number | undefined {
    return slot < 0 ? undefined : this.resolved[slot]
  }

  setResolved(slot: number, offset: number): void {
    if (this.resolved[slot] === undefined) this.resolvedOrder.push(slot)
    this.resolved[slot] = offset
  }

  committedAt(slot: number): number | undefined {
    return slot < 0 ? undefined : this.committed[slot]
  }

  setCommitted(slot: number, offset: number): void {
    this.committed[slot] = offset
  }

  /** How many partitions have a resolved offset. */
  get resolvedCount(): number {
    return this.resolvedOrder.length
  }

  /** The slots with a resolved offset, in the order each got its first (read only). */
  resolvedSlots(): readonly number[] {
    return this.resolvedOrder
  }
}

/** Partition indexes above this (never seen in practice) are kept as odd ones, by key. */
const MAX_INDEX = 1 << 20

function isIndex(partition: number): boolean {
  return typeof partition === 'number' && Number.isInteger(partition) && partition >= 0 && partition < MAX_INDEX
}
