/**
 * Concept 1: topics, partitions and offsets.
 *
 * A topic is split into partitions; each partition is an append-only log whose records are
 * numbered by offset. The producer picks the partition: a keyed message goes to
 * toPositive(murmur2(key)) % partitions, so one key always lands in one partition and stays in
 * order there. Across partitions there is no order at all. And an offset means nothing on its
 * own: a record is named by topic + partition + offset.
 *
 *   npm run example -- topics-partitions-offsets
 */
import { defineExample } from '../kit/example.js'
import { runIfMain } from '../kit/cli.js'
import { murmur2 } from '../../src/client/producer/partitioners/murmur2.js'

export interface Delivery {
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  readonly value: string
}

export interface TopicsResult {
  /** Per key, every partition its messages went to. */
  readonly partitionsByKey: Record<string, number[]>
  /** The send order of the keyed messages (their values). */
  readonly sent: string[]
  /** What one consumer received, in the order it received it. */
  readonly received: Delivery[]
  /** The records stored at offset 0 of each partition. */
  readonly atOffsetZero: { partition: number; value: string }[]
  /** Where the unkeyed messages and the one sent to an explicit partition went. */
  readonly unkeyedPartitions: number[]
  readonly explicitPartition: number
}

const TOPIC = 'orders'
const PARTITIONS = 3

/** Nine orders from five customers, in the order they are placed. */
const orders: { customer: string; item: string }[] = [
  { customer: 'alice', item: 'book' },
  { customer: 'bob', item: 'lamp' },
  { customer: 'carol', item: 'desk' },
  { customer: 'alice', item: 'pen' },
  { customer: 'dave', item: 'mug' },
  { customer: 'bob', item: 'rug' },
  { customer: 'alice', item: 'ink' },
  { customer: 'erin', item: 'cup' },
  { customer: 'carol', item: 'chair' },
]

const example = defineExample<TopicsResult>({
  name: 'topics-partitions-offsets',
  title: 'Topics, partitions and offsets',
  async run(ctx) {
    const cluster = ctx.cluster({ brokers: 3, seed: 1 })
    const kafka = ctx.kafka(cluster, 'shop')
    const admin = kafka.admin()
    const producer = kafka.producer()
    await admin.connect()
    await producer.connect()
    ctx.defer(() => admin.disconnect())
    ctx.defer(() => producer.disconnect())
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }] })

    // --- Keys choose partitions -------------------------------------------------------------
    ctx.part('keys', 'Keys choose the partition')
    ctx.log(`Topic ${TOPIC} has ${PARTITIONS} partitions. Each order is keyed by its customer:`)
    ctx.log()
    const partitionsByKey: Record<string, number[]> = {}
    const sent: string[] = []
    for (const [i, order] of orders.entries()) {
      const value = `#${i + 1} ${order.item}`
      // One send per order, so each result names the one partition and offset it got.
      const [written] = await producer.send({ topic: TOPIC, messages: [{ key: order.customer, value }] })
      const partition = written!.partition
      ;(partitionsByKey[order.customer] ??= []).push(partition)
      sent.push(value)
      ctx.log(`  send key=${order.customer.padEnd(5)} value="${value}"`.padEnd(40) + `-> ${TOPIC}-${partition} @ offset ${written!.baseOffset}`)
    }
    ctx.log()
    ctx.log('The DefaultPartitioner hashes the key: toPositive(murmur2(key)) % 3.')
    for (const customer of Object.keys(partitionsByKey)) {
      const hash = murmur2(customer)
      ctx.log(`  ${customer.padEnd(5)} murmur2 = ${String(hash).padStart(11)}  -> partition ${(hash & 0x7fffffff) % PARTITIONS}`)
    }
    ctx.log("Same key, same partition, every time: all of alice's orders are in one log.")
    ctx.log('A partition holds many keys (bob hashes to the same one as alice): keys choose, they do not own.')

    // --- Order within a partition, not across ------------------------------------------------
    ctx.part('order', 'Order holds within a partition, not across partitions')
    const consumer = kafka.consumer({ groupId: 'reader' })
    ctx.defer(() => consumer.disconnect())
    const received: Delivery[] = []
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true })
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value!.toString() })
      },
    })
    await cluster.settle()
    ctx.log(`Sent:     ${sent.map((v) => v.split(' ')[0]).join(' ')}`)
    ctx.log(`Received: ${received.map((d) => d.value.split(' ')[0]).join(' ')}`)
    ctx.log()
    ctx.log('One consumer reads each partition in offset order:')
    for (let p = 0; p < PARTITIONS; p++) {
      const inPartition = received.filter((d) => d.partition === p)
      ctx.log(`  ${TOPIC}-${p}: ${inPartition.map((d) => `${d.offset}:${d.value.split(' ')[0]}(${d.key})`).join('  ')}`)
    }
    ctx.log('Within a partition the send order is kept; across partitions it is not.')

    // --- Identity = topic + partition + offset ---------------------------------------------------
    ctx.part('identity', 'A record is named by topic + partition + offset')
    const atOffsetZero = received.filter((d) => d.offset === 0).map((d) => ({ partition: d.partition, value: d.value }))
    ctx.log('Offset 0 exists once per partition, holding a different record each time:')
    for (const r of [...atOffsetZero].sort((a, b) => a.partition - b.partition)) ctx.log(`  ${TOPIC}-${r.partition} @ 0 = "${r.value}"`)
    ctx.log()
    // No key: kafkajs deals messages round-robin over the partitions (from a random start).
    const unkeyed = await producer.send({ topic: TOPIC, messages: [{ value: 'no key 1' }, { value: 'no key 2' }, { value: 'no key 3' }] })
    const unkeyedPartitions = unkeyed.map((r) => r.partition).sort((a, b) => a - b)
    ctx.log(`Three messages without a key went round-robin: to partitions ${unkeyedPartitions.join(', ')}.`)
    const [explicit] = await producer.send({ topic: TOPIC, messages: [{ key: 'alice', value: 'pinned', partition: 2 }] })
    ctx.log(`A message with partition: 2 goes to ${TOPIC}-${explicit!.partition}, whatever its key.`)
    ctx.log()
    ctx.log('Each partition numbers its own records (low = first offset, high = next offset):')
    const offsets = (await admin.fetchTopicOffsets(TOPIC)).sort((a, b) => a.partition - b.partition)
    for (const o of offsets) ctx.log(`  ${TOPIC}-${o.partition}: low ${o.low}, high ${o.high}`)

    ctx.part('view', 'The cluster, as cluster.format() shows it')
    await cluster.settle()
    ctx.view(cluster)

    return { partitionsByKey, sent, received, atOffsetZero, unkeyedPartitions, explicitPartition: explicit!.partition }
  },
})

export default example

await runIfMain(import.meta.url, example)
