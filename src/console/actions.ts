/**
 * The console's actions. Each reads its fields with the admin API's checks (request-fields.ts),
 * then goes through the request boundary (CreateTopics, DeleteTopics, Produce, DeleteRecords,
 * OffsetCommit, ...) or the control API (stopBroker, isolate, heal, runCleaner, advance), and
 * answers what Kafka answered: a result, or Kafka's error name and message (console-error.ts).
 */
import { ManualClock } from '../cluster/clock.js'
import { ErrorCode } from '../cluster/error-codes.js'
import { ConsoleError, badRequest, fromThrown, kafkaRefused } from './console-error.js'
import { adminBroker, coordinatorOf, earliest, latest, leaderOf, listOffset, send, type ConsoleCluster } from './cluster-requests.js'
import { oneOf, optionalInteger, optionalString, requiredInteger, requiredString, stringMap, type Fields } from './request-fields.js'

export type ActionResult = Record<string, unknown>
type Action = (cluster: ConsoleCluster, fields: Fields) => Promise<ActionResult> | ActionResult

async function createTopic(cluster: ConsoleCluster, fields: Fields): Promise<ActionResult> {
  const name = requiredString(fields, 'name')
  const numPartitions = optionalInteger(fields, 'partitions') ?? -1
  const replicationFactor = optionalInteger(fields, 'replicationFactor') ?? -1
  const configs = Object.entries(stringMap(fields, 'configs')).map(([k, v]) => ({ name: k, value: v }))
  const response = await send(cluster, adminBroker(cluster), {
    api: 'CreateTopics',
    topics: [{ name, numPartitions, replicationFactor, assignments: [], configs }],
    timeoutMs: 30_000,
    validateOnly: false,
  })
  const answer = response.topics[0]!
  if (answer.errorCode !== 0) throw kafkaRefused(answer.errorCode, answer.errorMessage)
  return { topic: name, partitions: answer.numPartitions, replicationFactor: answer.replicationFactor }
}

async function deleteTopic(cluster: ConsoleCluster, fields: Fields): Promise<ActionResult> {
  const name = requiredString(fields, 'name')
  const response = await send(cluster, adminBroker(cluster), { api: 'DeleteTopics', topicNames: [name], timeoutMs: 30_000 })
  const answer = response.responses[0]!
  if (answer.errorCode !== 0) throw kafkaRefused(answer.errorCode, answer.errorMessage)
  return { deleted: name }
}

/** Text as UTF-8, or hex digits (spaces allowed) for bytes that are not text. */
function bytesOf(text: string | null, encoding: 'text' | 'hex', field: string): Buffer | null {
  if (text === null) return null
  if (encoding === 'text') return Buffer.from(text, 'utf8')
  const digits = text.replace(/\s+/g, '')
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw badRequest(`'${field}' is not hex: an even number of hex digits was expected`)
  return Buffer.from(digits, 'hex')
}

async function produce(cluster: ConsoleCluster, fields: Fields): Promise<ActionResult> {
  const topic = requiredString(fields, 'topic')
  const partition = requiredInteger(fields, 'partition', { min: 0 })
  const encoding = oneOf(fields, 'encoding', ['text', 'hex'] as const, 'text')
  const acks = optionalInteger(fields, 'acks') ?? -1
  if (acks !== -1 && acks !== 1) throw badRequest(`'acks' must be -1 (all) or 1; acks=0 has no answer to show`)
  const key = bytesOf(optionalString(fields, 'key'), encoding, 'key')
  const value = bytesOf(optionalString(fields, 'value'), encoding, 'value')
  const headers = Object.entries(stringMap(fields, 'headers')).map(([k, v]) => ({ key: k, value: Buffer.from(v, 'utf8') }))
  const response = await send(cluster, leaderOf(cluster, topic, partition), {
    api: 'Produce',
    acks,
    timeoutMs: 30_000,
    topics: [{ name: topic, partitions: [{ index: partition, records: [{ key, value, headers }] }] }],
  })
  const answer = response.topics[0]!.partitions[0]!
  if (answer.errorCode !== 0) throw kafkaRefused(answer.errorCode, answer.errorMessage)
  return { topic, partition, offset: answer.baseOffset }
}

function brokerControl(what: 'stop' | 'crash' | 'start' | 'isolate'): Action {
  return (cluster, fields) => {
    const brokerId = requiredInteger(fields, 'brokerId')
    try {
      if (what === 'stop') cluster.stopBroker(brokerId)
      else if (what === 'crash') cluster.stopBroker(brokerId, { crash: true })
      else if (what === 'start') cluster.startBroker(brokerId)
      else cluster.isolate(brokerId)
    } catch (error) {
      throw fromThrown(error)
    }
    return { brokerId, done: what }
  }
}

function heal(cluster: ConsoleCluster): ActionResult {
  cluster.heal()
  return { healed: true }
}

function runCleaner(cluster: ConsoleCluster): ActionResult {
  const results = cluster.runCleaner()
  return { logs: results.length, results }
}

async function deleteRecords(cluster: ConsoleCluster, fields: Fields): Promise<ActionResult> {
  const topic = requiredString(fields, 'topic')
  const partition = requiredInteger(fields, 'partition', { min: 0 })
  // -1 is Kafka's "up to the high watermark" (RecordsToDelete.beforeOffset(-1) in the admin API).
  const offset = requiredInteger(fields, 'offset', { min: -1 })
  const response = await send(cluster, leaderOf(cluster, topic, partition), {
    api: 'DeleteRecords',
    topics: [{ name: topic, partitions: [{ index: partition, offset }] }],
    timeoutMs: 30_000,
  })
  const answer = response.topics[0]!.partitions[0]!
  if (answer.errorCode !== 0) throw kafkaRefused(answer.errorCode)
  return { topic, partition, lowWatermark: answer.lowWatermark }
}

/**
 * kafka-consumer-groups --reset-offsets: to-earliest, to-latest, to-offset, to-datetime or
 * shift-by, for one partition or every partition of a topic; a preview (the tool's --dry-run)
 * unless `execute`. As the tool does, it refuses a group that is not inactive, and clamps a
 * target outside [earliest, latest] to the nearest end (ResetOffsetsCommand's checkOffsetRange).
 */
async function resetOffsets(cluster: ConsoleCluster, fields: Fields): Promise<ActionResult> {
  const groupId = requiredString(fields, 'groupId')
  const topic = requiredString(fields, 'topic')
  const only = optionalInteger(fields, 'partition', { min: 0 })
  const to = oneOf(fields, 'to', ['earliest', 'latest', 'offset', 'datetime', 'shift'] as const)
  const value = to === 'earliest' || to === 'latest' ? 0 : requiredInteger(fields, 'value')
  const execute = fields['execute'] === true
  if (fields['execute'] !== undefined && typeof fields['execute'] !== 'boolean') throw badRequest(`'execute' must be true or false`)

  const coordinator = await coordinatorOf(cluster, groupId)
  const described = (await send(cluster, coordinator, { api: 'DescribeGroups', groups: [groupId] })).groups[0]!
  if (described.errorCode !== 0) throw kafkaRefused(described.errorCode)
  if (described.groupState !== 'Empty' && described.groupState !== 'Dead') {
    throw new ConsoleError(422, 'NON_EMPTY_GROUP', `Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${described.groupState}.`)
  }
  const t = cluster.describe().topics.find((x) => x.name === topic)
  if (!t) throw new ConsoleError(422, 'UNKNOWN_TOPIC_OR_PARTITION', `The topic '${topic}' does not exist.`)
  if (only !== null && only >= t.partitions.length) throw new ConsoleError(422, 'UNKNOWN_TOPIC_OR_PARTITION', `Topic '${topic}' has no partition ${only}.`)
  const partitions = only !== null ? [only] : t.partitions.map((p) => p.partition)

  const fetched = await send(cluster, coordinator, { api: 'OffsetFetch', groupId, topics: [{ name: topic, partitionIndexes: partitions }] })
  if (fetched.errorCode !== 0) throw kafkaRefused(fetched.errorCode)
  const current = new Map(fetched.topics[0]?.partitions.map((p) => [p.index, p.committedOffset]) ?? [])

  const plan: { topic: string; partition: number; currentOffset: number | null; newOffset: number }[] = []
  for (const partition of partitions) {
    const low = await earliest(cluster, topic, partition)
    const high = await latest(cluster, topic, partition)
    const committed = current.get(partition)
    const currentOffset = committed === undefined || committed < 0 ? null : committed
    let target: number
    if (to === 'earliest') target = low
    else if (to === 'latest') target = high
    else if (to === 'offset') target = value
    else if (to === 'shift') target = (currentOffset ?? low) + value
    else {
      const byTime = await listOffset(cluster, topic, partition, value)
      target = byTime < 0 ? high : byTime
    }
    plan.push({ topic, partition, currentOffset, newOffset: Math.min(high, Math.max(low, target)) })
  }
  if (!execute) return { groupId, executed: false, plan }
  const committed = await send(cluster, coordinator, {
    api: 'OffsetCommit',
    groupId,
    generationId: -1,
    memberId: '',
    topics: [{ name: topic, partitions: plan.map((p) => ({ index: p.partition, committedOffset: p.newOffset, committedMetadata: null })) }],
  })
  for (const p of committed.topics[0]?.partitions ?? []) if (p.errorCode !== ErrorCode.NONE) throw kafkaRefused(p.errorCode)
  return { groupId, executed: true, plan }
}

async function advance(cluster: ConsoleCluster, fields: Fields): Promise<ActionResult> {
  const ms = requiredInteger(fields, 'ms', { min: 0 })
  if (!(cluster.clock instanceof ManualClock)) {
    throw new ConsoleError(409, 'INVALID_REQUEST', 'Time can only be stepped on a ManualClock; this cluster runs on real time.')
  }
  await cluster.advance(ms)
  return { time: cluster.clock.now() }
}

/** Every action, by the name the page posts to (/api/actions/<name>). */
export const actions: Record<string, Action> = {
  'create-topic': createTopic,
  'delete-topic': deleteTopic,
  produce,
  'stop-broker': brokerControl('stop'),
  'crash-broker': brokerControl('crash'),
  'start-broker': brokerControl('start'),
  'isolate-broker': brokerControl('isolate'),
  heal,
  'run-cleaner': runCleaner,
  'delete-records': deleteRecords,
  'reset-offsets': resetOffsets,
  advance,
}
