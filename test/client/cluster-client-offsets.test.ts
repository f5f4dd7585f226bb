/**
 * ClusterClient.fetchTopicsOffsetInOrder, the consumer's offset reset (issue 15): the same
 * ListOffsets requests as fetchTopicsOffset sends (one per leader, in leader order), and each
 * partition's answer in the order asked, for partitions listed topic by topic (an assignment)
 * and in any other order.
 */
import { describe, expect, it } from 'vitest'
import { Cluster, logLevel } from '../../src/index.js'
import { ClusterClient } from '../../src/client/cluster-client.js'
import { createLogger } from '../../src/client/logger.js'
import { IsolationLevel, OffsetSpec, type ListOffsetsRequest } from '../../src/cluster/api/messages.js'

async function setUp() {
  const cluster = new Cluster({ brokers: 3, seed: 7 })
  const kafka = cluster.kafka({ clientId: 'setup', logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: ['a', 'b'].map((topic) => ({ topic, numPartitions: 4, replicationFactor: 3 })) })
  await admin.disconnect()
  const producer = kafka.producer()
  await producer.connect()
  // A different end for every partition: partition p of topic a ends at p + 1, of b at p + 11.
  for (let p = 0; p < 4; p++) {
    await producer.send({ topic: 'a', messages: Array.from({ length: p + 1 }, () => ({ partition: p, value: 'x' })) })
    await producer.send({ topic: 'b', messages: Array.from({ length: p + 11 }, () => ({ partition: p, value: 'x' })) })
  }
  await producer.disconnect()
  const client = new ClusterClient({ model: cluster, clientId: 'offsets', logger: createLogger({ level: logLevel.NOTHING, clock: cluster.clock }), random: cluster.random.fork() })
  await client.addTargetTopics(['a', 'b'])
  const sent: { broker: number; request: ListOffsetsRequest }[] = []
  const send = cluster.send.bind(cluster)
  cluster.send = ((broker: number, request: { api: string }, from?: never) => {
    if (request.api === 'ListOffsets') sent.push({ broker, request: request as ListOffsetsRequest })
    return send(broker, request as never, from)
  }) as typeof cluster.send
  return { cluster, client, sent }
}

const end = (topic: string, partition: number) => (topic === 'a' ? partition + 1 : partition + 11)
const spec = (topic: string) => (topic === 'a' ? OffsetSpec.LATEST : OffsetSpec.EARLIEST)
const expected = (partitions: { topic: string; partition: number }[]) => partitions.map((p) => (spec(p.topic) === OffsetSpec.LATEST ? end(p.topic, p.partition) : 0))

describe('ClusterClient.fetchTopicsOffsetInOrder', () => {
  it('sends what fetchTopicsOffset sends for an assignment listed topic by topic, and answers in its order', async () => {
    const { cluster, client, sent } = await setUp()
    const partitions = [0, 1, 2, 3].flatMap((p) => [{ topic: 'a', partition: p }]).concat([3, 1, 0].map((p) => ({ topic: 'b', partition: p })))
    const answers = await client.fetchTopicsOffsetInOrder(partitions, spec, IsolationLevel.READ_COMMITTED)
    expect(answers.map((a) => a?.offset)).toEqual(expected(partitions))
    expect(answers.every((a) => a?.errorCode === 0)).toBe(true)
    const inOrder = sent.splice(0)
    await client.fetchTopicsOffset(partitions.map((p) => ({ ...p, timestamp: spec(p.topic) })), IsolationLevel.READ_COMMITTED)
    expect(inOrder).toEqual(sent)
    // One request per leader, in leader order.
    expect(inOrder.map((s) => s.broker)).toEqual([...new Set(inOrder.map((s) => s.broker))].sort((x, y) => x - y))
    await cluster.close()
  })

  it('answers in the order asked when a topic comes back after another one', async () => {
    const { cluster, client, sent } = await setUp()
    const partitions = [
      { topic: 'b', partition: 2 },
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 0 },
      { topic: 'a', partition: 3 },
      { topic: 'b', partition: 1 },
    ]
    const answers = await client.fetchTopicsOffsetInOrder(partitions, spec, IsolationLevel.READ_UNCOMMITTED)
    expect(answers.map((a) => a?.offset)).toEqual(expected(partitions))
    // Each leader is asked once, each topic once per leader.
    expect(new Set(sent.map((s) => s.broker)).size).toBe(sent.length)
    for (const s of sent) expect(new Set(s.request.topics.map((t) => t.name)).size).toBe(s.request.topics.length)
    await cluster.close()
  })
})
