// Interop driver for @platformatic/kafka 1.35.0 (the last release for Node 20; it needs ApiVersions v3
// and flexible versions). Contract: test/interop/support/driver.ts.
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka'
import { createInterface } from 'node:readline'

const env = process.env
const topic = env.TOPIC
const group = env.GROUP
const count = Number(env.COUNT ?? 10)
const bootstrapBrokers = env.BOOTSTRAP.split(',')
const base = { bootstrapBrokers, retries: 10, retryDelay: 200, timeout: 10000 }

const emit = (event) => process.stdout.write(JSON.stringify(event, (_, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n')
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function pause(what) {
  emit({ event: 'paused', what })
  await stdinLines.next()
}

const producer = (extra = {}) => new Producer({ ...base, clientId: 'interop-platformatic', serializers: stringSerializers, ...extra })

async function produceAll(p, messages, extra = {}) {
  for (const m of messages) {
    const result = await p.send({ messages: [{ topic, ...m }], ...extra })
    const o = result.offsets?.[0]
    emit({ event: 'produced', topic, partition: o?.partition ?? -1, offset: o ? Number(o.offset) : -1, key: m.key, value: m.value ?? null })
  }
}

const numbered = (from, n, partitions) =>
  Array.from({ length: n }, (_, j) => {
    const i = from + j
    return { key: `k${i}`, value: `v${i}`, headers: new Map([['h', `${i}`]]), ...(partitions ? { partition: i % partitions } : {}) }
  })

/** A group member: its stream, the records it read, its assignments as they change. */
async function join(member, seen, extra = {}) {
  const consumer = new Consumer({ ...base, clientId: `interop-platformatic-${member}`, groupId: group, deserializers: stringDeserializers, sessionTimeout: 10000, rebalanceTimeout: 10000, heartbeatInterval: 500, ...extra })
  const state = { consumer, partitions: [] }
  consumer.on('consumer:group:join', ({ assignments }) => {
    state.partitions = (assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions).sort((a, b) => a - b)
    emit({ event: 'assigned', member, partitions: state.partitions })
  })
  // Each record is committed as it is read (not on a timer), so that the committed offsets are
  // known when the member leaves.
  const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false, maxWaitTime: 100, ...extra })
  state.stream = stream
  const commits = []
  stream.on('data', (m) => {
    commits.push(m.commit())
    const headers = Object.fromEntries([...(m.headers ?? new Map())].map(([k, v]) => [String(k), v == null ? null : String(v)]))
    const r = { member, partition: m.partition, offset: Number(m.offset), key: m.key ?? null, value: m.value ?? null, headers }
    seen.push(r)
    emit({ event: 'consumed', ...r })
  })
  state.close = async () => {
    await Promise.all(commits)
    await stream.close()
    await consumer.close()
  }
  return state
}

async function until(condition, what) {
  const deadline = Date.now() + 45000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function produceConsume() {
  const p = producer()
  await produceAll(p, numbered(0, count))
  await p.close()
  const seen = []
  const a = await join('a', seen)
  await until(() => seen.length >= count, `${count} records`)
  await a.close()
}

async function groupScenario() {
  const p = producer()
  await produceAll(p, numbered(0, count, 2))
  const seen = []
  const a = await join('a', seen)
  await until(() => seen.length >= count, 'the first records')
  const b = await join('b', seen)
  await until(() => a.partitions.length === 1 && b.partitions.length === 1 && a.partitions[0] !== b.partitions[0], 'the rebalance')
  emit({ event: 'rebalanced' })
  await produceAll(p, numbered(count, count, 2))
  // Distinct records: a partition that changes hands may deliver again what its last owner read
  // but had not committed yet (at least once), and duplicates must not end the wait early.
  await until(() => new Set(seen.map((r) => r.value)).size >= 2 * count, 'the second records')
  await p.close()
  await a.close()
  await b.close()
}

async function transactions() {
  const p = producer({ idempotent: true, transactionalId: env.TXN_ID })
  const txn = async (values, outcome) => {
    const t = await p.beginTransaction()
    for (const value of values) {
      const result = await t.send({ messages: [{ topic, key: value, value }] })
      emit({ event: 'produced', topic, partition: 0, offset: Number(result.offsets?.[0]?.offset ?? -1), key: value, value, txn: outcome })
    }
    if (outcome === 'commit') await t.commit()
    else await t.abort()
    emit({ event: outcome === 'commit' ? 'committed' : 'aborted', values })
  }
  await txn(['c0', 'c1', 'c2'], 'commit')
  await txn(['a0', 'a1'], 'abort')
  await txn(['c3', 'c4'], 'commit')
  await p.close()
  const seen = []
  const a = await join('a', seen, { isolationLevel: 1 })
  await until(() => seen.some((r) => r.value === 'c4'), 'c4')
  await a.close()
}

async function admin() {
  const a = new Admin({ ...base, clientId: 'interop-platformatic-admin' })
  const extra = `${topic}-extra`
  await a.createTopics({ topics: [topic], partitions: 2, replicas: 1, configs: [{ name: 'cleanup.policy', value: 'compact' }] })
  await a.createTopics({ topics: [extra], partitions: 1, replicas: 1 })
  emit({ event: 'admin', op: 'createTopics' })
  await a.createPartitions({ topics: [{ name: topic, count: 3 }] }) // no assignments: null, the broker places them
  const meta = await a.metadata({ topics: [topic] })
  emit({ event: 'admin', op: 'partitions', topic, partitions: meta.topics.get(topic).partitionsCount })
  await a.alterConfigs({ resources: [{ resourceType: 2, resourceName: topic, configs: [{ name: 'retention.ms', value: '3600000' }, { name: 'cleanup.policy', value: 'compact' }] }] })
  const described = await a.describeConfigs({ resources: [{ resourceType: 2, resourceName: topic, configurationKeys: ['cleanup.policy', 'retention.ms'] }] })
  emit({ event: 'admin', op: 'describeConfigs', configs: Object.fromEntries(described[0].configs.map((c) => [c.name, c.value])) })
  await a.deleteTopics({ topics: [extra] })
  emit({ event: 'admin', op: 'listTopics', topics: (await a.listTopics()).filter((t) => t.startsWith(topic)).sort() })
  const p = producer()
  await produceAll(p, [{ key: 'x', value: 'x', partition: 0 }])
  await p.close()
  const seen = []
  const c = await join('a', seen)
  await until(() => seen.length >= 1, 'one record')
  await c.close()
  const offsets = await a.listConsumerGroupOffsets({ groups: [group] })
  emit({ event: 'admin', op: 'fetchOffsets', offsets: offsets[0].topics.filter((t) => t.name === topic).flatMap((t) => t.partitions.map((p) => ({ partition: p.partitionIndex, offset: Number(p.committedOffset) }))) })
  emit({ event: 'admin', op: 'listGroups', groups: [...(await a.listGroups()).keys()].filter((g) => g === group) })
  const g = (await a.describeGroups({ groups: [group] })).get(group)
  emit({ event: 'admin', op: 'describeGroups', state: g.state, protocolType: g.protocolType })
  await a.deleteGroups({ groups: [group] })
  emit({ event: 'admin', op: 'deleteGroups', groups: [...(await a.listGroups()).keys()].filter((x) => x === group) })
  await a.close()
}

async function compaction() {
  const p = producer()
  const writes = [['a', 'a1'], ['b', 'b1'], ['c', 'c1'], ['a', 'a2'], ['b', 'b2'], ['a', 'a3'], ['b', null], ['c', 'c2']]
  await produceAll(p, writes.map(([key, value]) => ({ key, value: value ?? undefined })))
  await p.close()
  await pause('compact')
  const a = new Admin({ ...base, clientId: 'interop-platformatic-admin' })
  const listed = await a.listOffsets({ topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] })
  await a.close()
  const end = Number(listed[0].partitions[0].offset)
  const seen = []
  const c = await join('a', seen)
  await until(() => seen.some((r) => r.offset >= end - 1), 'the end of the log')
  await c.close()
}

async function idempotent() {
  const p = producer({ idempotent: true })
  await produceAll(p, numbered(0, count), { acks: -1 })
  await p.close()
  const seen = []
  const a = await join('a', seen)
  await until(() => seen.length >= count, `${count} records`)
  await a.close()
}

async function brokerFailure() {
  const p = producer({ retries: 3 })
  const half = Math.floor(count / 2)
  await produceAll(p, numbered(0, half), { acks: -1 })
  await pause('stop-leader')
  // platformatic 1.35 retries a send on the leader its metadata named and refreshes metadata only
  // after a Kafka "stale metadata" error, not after connection errors: against a dead leader the
  // send fails. The application retries it with fresh metadata, as a user of this client must.
  for (const m of numbered(half, count - half)) {
    for (let attempt = 1; ; attempt++) {
      try {
        await produceAll(p, [m], { acks: -1 })
        break
      } catch (error) {
        if (attempt >= 5) throw error
        emit({ event: 'log', message: `send failed (${error.message}); retrying with fresh metadata` })
        p.clearMetadata()
      }
    }
  }
  await p.close()
  const seen = []
  const a = await join('a', seen)
  await until(() => new Set(seen.map((r) => r.value)).size >= count, `${count} distinct records`)
  await a.close()
}

/** platformatic nests the real cause (a Kafka error code, a response) inside AggregateErrors. */
function explain(error, depth = 0) {
  if (!error || depth > 4) return null
  return {
    message: error.message,
    code: error.code,
    apiCode: error.apiCode,
    response: error.response,
    errors: (error.errors ?? []).map((e) => explain(e, depth + 1)),
    cause: explain(error.cause, depth + 1),
  }
}

const scenarios = { 'produce-consume': produceConsume, group: groupScenario, transactions, admin, compaction, idempotent, 'broker-failure': brokerFailure }
try {
  await scenarios[env.SCENARIO]()
  emit({ event: 'done' })
  process.exit(0)
} catch (error) {
  emit({ event: 'error', message: String(error?.stack ?? error), detail: explain(error) })
  process.exit(1)
}
