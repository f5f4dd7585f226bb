/**
 * Concept 1, checked: keys choose partitions (the same as kafkajs's own partitioner), order
 * holds within a partition and not across, and offsets are per partition.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { Partitioners } from 'kafkajs'
import { runExample, type ExampleRun } from '../kit/example.js'
import example from './main.js'

// One run of the example; every check below reads it (and the last one runs it again).
let run!: ExampleRun<Awaited<ReturnType<typeof example.run>>>
let result!: Awaited<ReturnType<typeof example.run>>
beforeAll(async () => {
  run = await runExample(example)
  result = run.result
})

describe('topics, partitions and offsets', () => {
  it('sends every message of one key to one partition, the one kafkajs itself would pick', () => {
    const kafkajs = Partitioners.DefaultPartitioner()
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], offlineReplicas: [], partitionErrorCode: 0 }))
    for (const [key, partitions] of Object.entries(result.partitionsByKey)) {
      expect(new Set(partitions).size, key).toBe(1)
      expect(partitions[0], key).toBe(kafkajs({ topic: 'orders', partitionMetadata, message: { key, value: 'x' } }))
    }
    expect(Object.keys(result.partitionsByKey)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin'])
  })

  it('delivers each partition in offset order and in send order, but not the topic in send order', () => {
    const keyed = result.received.filter((d) => result.sent.includes(d.value))
    expect(keyed.map((d) => d.value).sort()).toEqual([...result.sent].sort())
    for (const p of [0, 1, 2]) {
      const inPartition = keyed.filter((d) => d.partition === p)
      expect(inPartition.map((d) => d.offset)).toEqual(inPartition.map((_, i) => i))
      const sendOrder = inPartition.map((d) => result.sent.indexOf(d.value))
      expect(sendOrder).toEqual([...sendOrder].sort((a, b) => a - b))
    }
    expect(keyed.map((d) => d.value)).not.toEqual(result.sent)
  })

  it('has a different record at offset 0 of every partition', () => {
    expect(result.atOffsetZero.map((r) => r.partition).sort()).toEqual([0, 1, 2])
    expect(new Set(result.atOffsetZero.map((r) => r.value)).size).toBe(3)
  })

  it('deals unkeyed messages round-robin and honours an explicit partition', () => {
    expect(result.unkeyedPartitions).toEqual([0, 1, 2])
    expect(result.explicitPartition).toBe(2)
  })

  it('prints the partitioning, the per-partition order and the cluster view', () => {
    expect(run.parts.map((p) => p.id)).toEqual(['keys', 'order', 'identity', 'view'])
    expect(run.text).toContain('alice murmur2 =  1951417749  -> partition 0')
    expect(run.text).toMatch(/orders\s+0\s+2\s+0\s+2,0,1\s+2,0,1\s+0\s+6\s+6\s+6/)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
