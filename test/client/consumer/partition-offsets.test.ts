import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { topicPartitionKey } from '../../../src/client/cluster-client.js'
import { PartitionKeys } from '../../../src/client/consumer/partition-keys.js'
import { PartitionOffsets } from '../../../src/client/consumer/partition-offsets.js'

describe('PartitionOffsets', () => {
  // The maps by topicPartitionKey the table replaces are the model: the same partition for the
  // same key string ('3' is partition 3), a missing one reads undefined, and the resolved
  // offsets are walked in the order each partition got its first.
  const partition = fc.oneof(fc.nat({ max: 6 }), fc.constantFrom('3', '0', -1, 1.5, Number.NaN, 'x') as fc.Arbitrary<number>)
  const op = fc.record({
    kind: fc.constantFrom('position' as const, 'resolved' as const, 'committed' as const),
    topic: fc.constantFrom('a', 'b'),
    partition,
    offset: fc.oneof(fc.nat({ max: 50 }), fc.constant(Number.NaN)),
  })

  it('keeps what maps by partition key kept, resolved offsets in the order each partition got its first', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ topic: fc.constantFrom('a', 'b'), partition: fc.nat({ max: 6 }) }), { maxLength: 8 }), fc.array(op, { maxLength: 40 }), (assigned, ops) => {
        const table = new PartitionOffsets()
        table.reset(assigned)
        const model = { position: new Map<string, number>(), resolved: new Map<string, number>(), committed: new Map<string, number>() }
        for (const o of ops) {
          const slot = table.slotFor(o.topic, o.partition)
          if (o.kind === 'position') table.setPosition(slot, o.offset)
          else if (o.kind === 'resolved') table.setResolved(slot, o.offset)
          else table.setCommitted(slot, o.offset)
          model[o.kind].set(topicPartitionKey(o.topic, o.partition), o.offset)
        }
        const keys = new PartitionKeys()
        for (const topic of ['a', 'b', 'c']) {
          for (const p of [0, 1, 2, 3, 4, 5, 6, -1, 1.5, Number.NaN, '3', 'x'] as number[]) {
            const key = topicPartitionKey(topic, p)
            const slot = table.slotOf(topic, p)
            expect(table.position(slot)).toBe(model.position.get(key))
            expect(table.resolvedAt(slot)).toBe(model.resolved.get(key))
            expect(table.committedAt(slot)).toBe(model.committed.get(key))
            if (slot >= 0) expect(table.partitionAt(slot)).toEqual(keys.parse(key))
          }
        }
        expect(table.resolvedCount).toBe(model.resolved.size)
        expect(table.resolvedSlots().map((slot) => table.partitionAt(slot))).toEqual([...model.resolved.keys()].map((key) => keys.parse(key)))
      }),
    )
  })

  it('gives the assigned partitions the first slots, in order, and forgets everything at a reset', () => {
    const table = new PartitionOffsets()
    table.reset([
      { topic: 'a', partition: 2 },
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 1 },
    ])
    expect([table.slotOf('a', 2), table.slotOf('a', 0), table.slotOf('b', 1), table.slotOf('a', 1)]).toEqual([0, 1, 2, -1])
    table.setResolved(table.slotFor('c', 4), 7)
    table.setPosition(0, 5)
    expect(table.slotOf('c', 4)).toBe(3)
    table.reset([{ topic: 'c', partition: 4 }])
    expect(table.slotOf('c', 4)).toBe(0)
    expect(table.slotOf('a', 2)).toBe(-1)
    expect(table.resolvedAt(0)).toBeUndefined()
    expect(table.position(0)).toBeUndefined()
    expect(table.resolvedCount).toBe(0)
  })
})
