import { describe, expect, it } from 'vitest'
import { topicPartitionKey } from '../../../src/client/cluster-client.js'
import { PartitionKeys } from '../../../src/client/consumer/partition-keys.js'

describe('PartitionKeys', () => {
  it("gives topicPartitionKey's string, the same one each time, and reads it back", () => {
    const keys = new PartitionKeys()
    const key = keys.of('orders', 7)
    expect(key).toBe(topicPartitionKey('orders', 7))
    expect(keys.of('orders', 7)).toBe(key)
    expect(keys.of('orders', 8)).not.toBe(key)
    expect(keys.of('other', 7)).not.toBe(key)
    expect(keys.parse(key)).toEqual({ topic: 'orders', partition: 7 })
  })

  it('keys odd partitions (strings, negatives, fractions) as topicPartitionKey does, and parses any key', () => {
    const keys = new PartitionKeys()
    for (const odd of ['3', -1, 1.5, Number.NaN] as unknown as number[]) expect(keys.of('t', odd)).toBe(topicPartitionKey('t', odd))
    expect(keys.of('t', '3' as unknown as number)).toBe(keys.of('t', 3))
    expect(keys.parse(topicPartitionKey('never.seen', 12))).toEqual({ topic: 'never.seen', partition: 12 })
  })
})
