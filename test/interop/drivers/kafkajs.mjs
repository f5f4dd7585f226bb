// Interop driver for the real kafkajs 2.2.4 (node_modules/kafkajs). Contract shared by every driver
// (see test/interop/support/driver.ts): env BOOTSTRAP, SCENARIO, TOPIC, GROUP, TXN_ID, COUNT; one JSON
// event per stdout line; a {"event":"paused"} line is answered by the harness with a line on stdin.
import kafkajs from 'kafkajs'
import { createInterface } from 'node:readline'

const { Kafka, logLevel } = kafkajs
const env = process.env
const topic = env.TOPIC
const group = env.GROUP
const count = Number(env.COUNT ?? 10)
const kafka = new Kafka({
  clientId: 'interop-kafkajs',
  brokers: env.BOOTSTRAP.split(','),
  logLevel: logLevel.NOTHING,
  retry: { initialRetryTime: 100, retries: 8 },
})

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function pause(what) {
  emit({ event: 'paused', what })
  await stdinLines.next()
}
const str = (b) => (b == null ? null : b.toString())
const headersOf = (h) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, str(v)]))

function produced(meta, sent) {
  for (const m of meta) {
    // kafkajs reports one baseOffset per partition for the whole batch it sent there.
    emit({ event: 'produced', topic: m.topicName, partition: m.partition, offset: Number(m.baseOffset), ...sent })
  }
}

/** Consumes with a group until `until(seen)` holds; emits one consumed event per record. */
async function consume({ groupId, member = 'a', readUncommitted = false, until, partitionsAssigned }) {
  const consumer = kafka.consumer({ groupId, readUncommitted, sessionTimeout: 10000, heartbeatInterval: 500, maxWaitTimeInMs: 200 })
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const partitions = payload.memberAssignment[topic] ?? []
    emit({ event: 'assigned', member, partitions: [...partitions].sort((a, b) => a - b) })
    partitionsAssigned?.(partitions)
  })
  await consumer.connect()
  await consumer.subscribe({ topics: [topic], fromBeginning: true })
  const seen = []
  let resolve
  const finished = new Promise((r) => (resolve = r))
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const record = { partition, offset: Number(message.offset), key: str(message.key), value: str(message.value), headers: headersOf(message.headers) }
      seen.push(record)
      emit({ event: 'consumed', member, ...record })
      if (until(seen)) resolve()
    },
  })
  return { consumer, seen, finished }
}

const messages = (from, n, extra = () => ({})) =>
  Array.from({ length: n }, (_, j) => {
    const i = from + j
    return { key: `k${i}`, value: `v${i}`, headers: { h: `${i}` }, ...extra(i) }
  })

async function produceConsume() {
  const producer = kafka.producer()
  await producer.connect()
  for (const m of messages(0, count)) produced(await producer.send({ topic, messages: [m] }), { key: m.key, value: m.value })
  await producer.disconnect()
  const c = await consume({ groupId: group, until: (seen) => seen.length >= count })
  await c.finished
  await c.consumer.disconnect()
}

async function groupScenario() {
  // Phase 1: member a alone owns both partitions and consumes the first `count` records.
  const producer = kafka.producer()
  await producer.connect()
  const send = async (from) => {
    for (const m of messages(from, count, (i) => ({ partition: i % 2 }))) produced(await producer.send({ topic, messages: [m] }), { key: m.key, value: m.value })
  }
  await send(0)
  const total = () => a.seen.length + (b?.seen.length ?? 0)
  let b
  let rebalanced
  const bothOwn = new Promise((r) => (rebalanced = r))
  const owned = { a: [], b: [] }
  // Rebalanced once both own partitions and none twice (a's old assignment may still be the last seen).
  const check = () => owned.a.length > 0 && owned.b.length > 0 && !owned.a.some((p) => owned.b.includes(p)) && rebalanced()
  const a = await consume({ groupId: group, member: 'a', until: () => total() >= count, partitionsAssigned: (p) => ((owned.a = p), check()) })
  await a.finished
  // Phase 2: member b joins; the group rebalances to one partition each; then more records arrive.
  let done
  const allDone = new Promise((r) => (done = r))
  // Distinct records: a partition that changes hands may deliver again what its last owner read
  // but had not committed yet (at least once), and duplicates must not end the wait early.
  const distinct = () => new Set([...a.seen, ...(b?.seen ?? [])].map((r) => r.value)).size
  const enough = () => distinct() >= 2 * count && done()
  b = await consume({ groupId: group, member: 'b', until: () => enough(), partitionsAssigned: (p) => ((owned.b = p), check()) })
  await bothOwn
  emit({ event: 'rebalanced' })
  const aUntil = setInterval(enough, 50)
  await send(count)
  await allDone
  clearInterval(aUntil)
  await producer.disconnect()
  await a.consumer.disconnect()
  await b.consumer.disconnect()
}

async function transactions() {
  const producer = kafka.producer({ transactionalId: env.TXN_ID, idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  const txn = async (values, outcome) => {
    const t = await producer.transaction()
    for (const value of values) produced(await t.send({ topic, messages: [{ key: value, value }] }), { key: value, value, txn: outcome })
    if (outcome === 'commit') await t.commit()
    else await t.abort()
    emit({ event: outcome === 'commit' ? 'committed' : 'aborted', values })
  }
  await txn(['c0', 'c1', 'c2'], 'commit')
  await txn(['a0', 'a1'], 'abort')
  await txn(['c3', 'c4'], 'commit')
  await producer.disconnect()
  // A read_committed consumer reads up to the last committed record (offset 9: 3 + marker + 2 +
  // marker + 2 + marker = offsets 0..9, the last record at 8).
  const c = await consume({ groupId: group, until: (seen) => seen.some((r) => r.value === 'c4') })
  await c.finished
  await c.consumer.disconnect()
}

async function admin() {
  const a = kafka.admin()
  await a.connect()
  const extra = `${topic}-extra`
  emit({ event: 'admin', op: 'createTopics', created: await a.createTopics({ topics: [{ topic, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }, { topic: extra, numPartitions: 1 }], waitForLeaders: true }) })
  await a.createPartitions({ topicPartitions: [{ topic, count: 3 }] })
  const meta = await a.fetchTopicMetadata({ topics: [topic] })
  emit({ event: 'admin', op: 'partitions', topic, partitions: meta.topics[0].partitions.length })
  await a.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'compact' }] }] }) // AlterConfigs replaces the whole dynamic config
  const configs = await a.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: ['cleanup.policy', 'retention.ms'] }] })
  emit({ event: 'admin', op: 'describeConfigs', configs: Object.fromEntries(configs.resources[0].configEntries.map((e) => [e.configName, e.configValue])) })
  await a.deleteTopics({ topics: [extra] })
  emit({ event: 'admin', op: 'listTopics', topics: (await a.listTopics()).filter((t) => t.startsWith(topic)).sort() })
  // A group with a committed offset, then listed, described and deleted.
  const producer = kafka.producer()
  await producer.connect()
  await producer.send({ topic, messages: [{ key: 'x', value: 'x', partition: 0 }] })
  await producer.disconnect()
  const c = await consume({ groupId: group, until: (seen) => seen.length >= 1 })
  await c.finished
  await c.consumer.commitOffsets([{ topic, partition: 0, offset: '1' }])
  await c.consumer.disconnect()
  emit({ event: 'admin', op: 'fetchOffsets', offsets: (await a.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions.map((p) => ({ partition: p.partition, offset: Number(p.offset) })).sort((x, y) => x.partition - y.partition) })
  emit({ event: 'admin', op: 'listGroups', groups: (await a.listGroups()).groups.map((g) => g.groupId).filter((g) => g === group) })
  const described = await a.describeGroups([group])
  emit({ event: 'admin', op: 'describeGroups', state: described.groups[0].state, protocolType: described.groups[0].protocolType })
  await a.deleteGroups([group])
  emit({ event: 'admin', op: 'deleteGroups', groups: (await a.listGroups()).groups.map((g) => g.groupId).filter((g) => g === group) })
  await a.disconnect()
}

async function compaction() {
  const producer = kafka.producer()
  await producer.connect()
  // Three keys, several values each; b ends with a tombstone (null value).
  const writes = [['a', 'a1'], ['b', 'b1'], ['c', 'c1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3'], ['b', null], ['c', 'c2']]
  for (const [key, value] of writes) produced(await producer.send({ topic, messages: [{ key, value }] }), { key, value })
  await producer.disconnect()
  await pause('compact')
  const a = kafka.admin()
  await a.connect()
  const end = Number((await a.fetchTopicOffsets(topic))[0].high)
  await a.disconnect()
  const c = await consume({ groupId: group, until: (seen) => seen.some((r) => r.offset >= end - 1) })
  await c.finished
  await c.consumer.disconnect()
}

async function idempotent() {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { initialRetryTime: 50, retries: 10 } })
  await producer.connect()
  for (let i = 0; i < count; i += 5) {
    const batch = messages(i, 5)
    const meta = await producer.send({ topic, acks: -1, messages: batch })
    produced(meta, { key: batch[0].key, value: batch[0].value, n: batch.length })
  }
  await producer.disconnect()
  const c = await consume({ groupId: group, until: (seen) => seen.length >= count })
  await c.finished
  await c.consumer.disconnect()
}

async function brokerFailure() {
  const producer = kafka.producer({ retry: { initialRetryTime: 100, retries: 15 } })
  await producer.connect()
  const half = Math.floor(count / 2)
  for (const m of messages(0, count)) {
    if (Number(m.headers.h) === half) await pause('stop-leader')
    produced(await producer.send({ topic, acks: -1, messages: [m] }), { key: m.key, value: m.value })
  }
  await producer.disconnect()
  const c = await consume({ groupId: group, until: (seen) => new Set(seen.map((r) => r.value)).size >= count })
  await c.finished
  await c.consumer.disconnect()
}

const scenarios = { 'produce-consume': produceConsume, group: groupScenario, transactions, admin, compaction, idempotent, 'broker-failure': brokerFailure }
try {
  await scenarios[env.SCENARIO]()
  emit({ event: 'done' })
  process.exit(0)
} catch (error) {
  emit({ event: 'error', message: String(error?.stack ?? error) })
  process.exit(1)
}
