/**
 * The real Produce mapping on a pipelined connection: an acks=0 produce gets no response, yet
 * the requests around it are answered in order and the records are written.
 */
import { createRequire } from 'node:module'
import { afterEach, expect, it } from 'vitest'
import { schemas } from '../../../src/wire/messages/index.js'
import type { ApiSchema } from '../../../src/wire/protocol/schema.js'
import { serve, type Served } from './harness.js'

const require = createRequire(import.meta.url)
const produce = schemas.get(0) as ApiSchema
const apiVersions = schemas.get(18) as ApiSchema

let served: Served | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})

async function batchOf(value: string): Promise<Buffer> {
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (options: object) => Promise<{ buffer: Buffer }> }
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (options: object) => { buffer: Buffer }
  const encoder = await RecordBatch({ records: [Record({ offsetDelta: 0, key: null, value: Buffer.from(value), headers: {} })], firstTimestamp: 1, maxTimestamp: 1 })
  return Buffer.from(encoder.buffer)
}

it('answers the requests around an acks=0 produce in order and writes its records', async () => {
  served = await serve()
  await served.cluster.send(0, { api: 'CreateTopics', topics: [{ name: 'fire', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false })
  const client = await served.connect()
  const request = async (acks: number, value: string) => ({
    transactionalId: null,
    acks,
    timeoutMs: 1000,
    topicData: [{ name: 'fire', partitionData: [{ index: 0, records: await batchOf(value) }] }],
  })
  client.sendRequest(produce, 7, 1, await request(1, 'first'))
  client.sendRequest(produce, 7, 2, await request(0, 'fire-and-forget'))
  client.sendRequest(apiVersions, 2, 3, {})
  client.sendRequest(produce, 7, 4, await request(-1, 'last'))
  const first = await client.nextResponse(produce, 7)
  expect(first?.correlationId).toBe(1)
  expect((await client.nextResponse(apiVersions, 2))?.correlationId).toBe(3)
  const last = await client.nextResponse(produce, 7)
  expect(last?.correlationId).toBe(4)
  const offsetOf = (r: typeof last) => ((r!.body.responses as { partitionResponses: { baseOffset: number }[] }[])[0]!.partitionResponses[0]!.baseOffset)
  expect([offsetOf(first), offsetOf(last)]).toEqual([0, 2])
  expect(served.cluster.describe().topics.find((t) => t.name === 'fire')!.partitions[0]!.highWatermark).toBe(3)
})
