/**
 * The admin's offsets (kafkajs's admin fetchTopicOffsets, fetchTopicOffsetsByTimestamp,
 * fetchOffsets, resetOffsets, setOffsets): a topic's watermarks and offsets by time, listed by
 * the partition leaders (the cluster client's ListOffsets), and a group's committed offsets,
 * read from and written to its coordinator.
 */
import { OffsetSpec } from '../../cluster/api/messages.js'
import { KafkaJSNonRetriableError } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { giveUp, refreshMetadata, typeOf, type AdminContext } from './admin-context.js'
import type { FetchOffsetsPartition, SeekEntry } from './admin-types.js'
import { describeGroup } from './groups.js'
import { toLong } from './protocol-numbers.js'

/** kafkajs's EARLIEST_OFFSET / LATEST_OFFSET (src/constants.js), Kafka's ListOffsets specs. */
const EARLIEST_OFFSET = OffsetSpec.EARLIEST
const LATEST_OFFSET = OffsetSpec.LATEST

/** The group states in which kafkajs lets the admin move a group's offsets. */
const STOPPED_GROUP_STATES: readonly string[] = ['Empty', 'Dead']

/** The seek offsets kafkajs's consumer accepts besides non-negative ones: LATEST, EARLIEST. */
const SPECIAL_SEEK_OFFSETS: readonly bigint[] = [-1n, -2n]

/**
 * The high and low watermarks of every partition of a topic, as read_committed consumers see
 * them (kafkajs's admin lists offsets with its default isolation level, READ_COMMITTED, so
 * `high` is the last stable offset). Partitions come grouped by leader, leaders in id order,
 * as kafkajs merges its per-broker answers. An unknown topic is retried, then rejects with
 * KafkaJSNumberOfRetriesExceeded.
 */
export async function fetchTopicOffsets(context: AdminContext, topic: string): Promise<Array<SeekEntry & { high: string; low: string }>> {
  const { client } = context
  return lookUpTopicOffsets(context, topic, async (partitions) => {
    const high = await client.listOffsets(topic, partitions, LATEST_OFFSET)
    const low = await client.listOffsets(topic, partitions, EARLIEST_OFFSET)
    return high.map(({ partition, offset }) => ({
      partition,
      offset,
      high: offset,
      low: low.find((l) => l.partition === partition)!.offset,
    }))
  })
}

/**
 * For each partition, the first offset whose record timestamp is at or after `timestamp`;
 * where no record is that recent, the high watermark. Without a timestamp: the high
 * watermark.
 */
export async function fetchTopicOffsetsByTimestamp(context: AdminContext, topic: string, timestamp?: number): Promise<SeekEntry[]> {
  const { client } = context
  return lookUpTopicOffsets(context, topic, async (partitions) => {
    const high = await client.listOffsets(topic, partitions, LATEST_OFFSET)
    const spec = timestamp != null ? Number(toLong(timestamp)) : LATEST_OFFSET
    const found = await client.listOffsets(topic, partitions, spec)
    return found.map(({ partition, offset }) => ({
      partition,
      offset: parseInt(offset, 10) >= 0 ? offset : high.find((h) => h.partition === partition)!.offset,
    }))
  })
}

export interface FetchOffsetsOptions {
  groupId: string
  topics?: string[]
  resolveOffsets?: boolean
}

/**
 * A group's committed offsets for the given topics (every partition, '-1' where nothing is
 * committed), or, with no topics, for every partition it has an offset for. With
 * `resolveOffsets`, the special offsets are resolved as kafkajs does (-1 to the high
 * watermark, -2 to the low watermark) and committed back with setOffsets, so the group must
 * not be running.
 */
export async function fetchOffsets(
  context: AdminContext,
  { groupId, topics, resolveOffsets = false }: FetchOffsetsOptions,
): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> {
  if (!groupId) {
    throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`)
  }
  const wanted: unknown = topics ?? []
  if (!Array.isArray(wanted)) {
    throw new KafkaJSNonRetriableError('Expected topics array to be set')
  }

  const { client } = context
  const coordinator = await client.findCoordinator(groupId)
  const topicsToFetch = await Promise.all(
    (wanted as string[]).map(async (topic) => ({ name: topic, partitionIndexes: await findTopicPartitions(context, topic) })),
  )
  // An empty list is written as a null array: every offset the group has.
  const response = await client.request(coordinator, {
    api: 'OffsetFetch',
    groupId,
    topics: topicsToFetch.length > 0 ? topicsToFetch : null,
  })
  if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
  const failed = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)
  if (failed) throw createErrorFromCode(failed.errorCode)

  let consumerOffsets = response.topics.map((t) => ({
    topic: t.name,
    partitions: t.partitions.map((p) => ({ partition: p.index, offset: String(p.committedOffset), metadata: p.metadata })),
  }))

  if (resolveOffsets) {
    consumerOffsets = await Promise.all(
      consumerOffsets.map(async ({ topic, partitions }) => {
        const watermarks = new Map((await fetchTopicOffsets(context, topic)).map((o) => [o.partition, o]))
        const resolved = partitions.map((p) => {
          let offset = p.offset
          if (Number(offset) === EARLIEST_OFFSET) offset = watermarks.get(p.partition)!.low
          if (Number(offset) === LATEST_OFFSET) offset = watermarks.get(p.partition)!.high
          return { ...p, offset }
        })
        await setOffsets(context, { groupId, topic, partitions: resolved })
        return { topic, partitions: resolved }
      }),
    )
  }

  // The broker answers '' for "no metadata"; kafkajs reports null.
  return consumerOffsets.map(({ topic, partitions }) => ({
    topic,
    partitions: partitions.map(({ partition, offset, metadata }) => ({ partition, offset, metadata: metadata || null })),
  }))
}

/**
 * Moves every partition of a topic to the earliest (-2) or latest (-1) offset. As in kafkajs,
 * the special offset itself is committed, and a consumer starting from it applies its own
 * `fromBeginning` setting.
 */
export async function resetOffsets(context: AdminContext, { groupId, topic, earliest = false }: { groupId: string; topic: string; earliest?: boolean }): Promise<void> {
  if (!groupId) {
    throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`)
  }
  if (!topic) {
    throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
  }
  const partitions = await findTopicPartitions(context, topic)
  const offset = String(earliest ? EARLIEST_OFFSET : LATEST_OFFSET)
  return setOffsets(context, { groupId, topic, partitions: partitions.map((partition) => ({ partition, offset })) })
}

/**
 * Commits offsets for a group that has no running member (state Empty, or Dead: a group that
 * does not exist yet). kafkajs does this by running a throwaway consumer in the group and
 * seeking it; memkafka commits the same offsets directly, as Kafka's own admin client does
 * (an OffsetCommit with generation -1, which the coordinator accepts for an empty group), so
 * the group does not go through a rebalance to get there. The checks are kafkajs's: the
 * group's state first, then each entry as its consumer's seek checks it; entries for
 * partitions the topic does not have are ignored, as its consumer ignores them.
 */
export async function setOffsets(context: AdminContext, { groupId, topic, partitions }: { groupId: string; topic: string; partitions: SeekEntry[] }): Promise<void> {
  if (!groupId) {
    throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`)
  }
  if (!topic) {
    throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
  }
  if (!partitions || partitions.length === 0) {
    throw new KafkaJSNonRetriableError('Invalid partitions')
  }
  // What kafkajs's consumer.subscribe checks and does.
  if (typeof topic !== 'string') {
    throw new KafkaJSNonRetriableError(
      `Invalid topic ${topic} (${typeof topic}), the topic name has to be a String or a RegExp`,
    )
  }
  const { client } = context
  await client.addTargetTopic(topic)

  const { state } = await describeGroup(context, groupId)
  if (!STOPPED_GROUP_STATES.includes(state)) {
    throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${state}`)
  }

  // What kafkajs's consumer.seek checks, entry by entry; the last seek of a partition wins.
  const seeks = new Map<unknown, bigint>()
  for (const { partition, offset } of partitions) {
    if (Number.isNaN(Number(partition))) {
      throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${partition}`)
    }
    let seekOffset: bigint
    try {
      seekOffset = toLong(offset)
    } catch {
      throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${offset}`)
    }
    if (seekOffset < 0n && !SPECIAL_SEEK_OFFSETS.includes(seekOffset)) {
      throw new KafkaJSNonRetriableError('Offset must not be a negative number')
    }
    seeks.set(partition, seekOffset)
  }

  const existing = new Set(client.findTopicPartitionMetadata(topic).map((p) => p.partitionId))
  const commits = [...seeks]
    .filter((entry): entry is [number, bigint] => typeof entry[0] === 'number' && existing.has(entry[0]))
    .map(([index, offset]) => ({ index, committedOffset: Number(offset), committedMetadata: null }))
  if (commits.length === 0) return

  await context.retrier(async (bail) => {
    try {
      const coordinator = await client.findCoordinator(groupId)
      const response = await client.request(coordinator, {
        api: 'OffsetCommit',
        groupId,
        generationId: -1,
        memberId: '',
        topics: [{ name: topic, partitions: commits }],
      })
      const failed = response.topics.flatMap((t) => t.partitions).find((p) => p.errorCode !== 0)
      if (failed) throw createErrorFromCode(failed.errorCode)
    } catch (e) {
      if ((e as { retriable?: boolean }).retriable === true) throw e
      giveUp(bail, e)
    }
  })
}

/** The topic's partition ids, with its metadata loaded (fetchTopicOffsets' first step). */
async function loadTopicPartitions({ client }: AdminContext, topic: string): Promise<number[]> {
  await client.addTargetTopic(topic)
  await client.refreshMetadataIfNecessary()
  return client.findTopicPartitionMetadata(topic).map((p) => p.partitionId)
}

/** kafkajs's findTopicPartitions: the ids sorted by Array#sort's default, as strings (0, 1, 10, 2). */
async function findTopicPartitions(context: AdminContext, topic: string): Promise<number[]> {
  return (await loadTopicPartitions(context, topic)).sort()
}

/**
 * A lookup of a topic's offsets (fetchTopicOffsets and fetchTopicOffsetsByTimestamp): the
 * topic checked, then, under the admin's retrier, its partitions loaded and `lookup` run with
 * them. After UNKNOWN_TOPIC_OR_PARTITION or LEADER_NOT_AVAILABLE the metadata is refreshed and
 * the lookup tried again; any other error is handed back as it is. kafkajs retries only
 * UNKNOWN_TOPIC_OR_PARTITION (and fails on a partition without a leader with a
 * KafkaJSBrokerNotFound for broker -1); memkafka retries LEADER_NOT_AVAILABLE too, since an
 * election may end during the back-off.
 */
async function lookUpTopicOffsets<T>(context: AdminContext, topic: string, lookup: (partitions: number[]) => Promise<T>): Promise<T> {
  if (!topic || typeof topic !== 'string') {
    throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`)
  }
  return context.retrier(async (bail) => {
    try {
      return await lookup(await loadTopicPartitions(context, topic))
    } catch (e) {
      const type = typeOf(e)
      if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE') {
        await refreshMetadata(context)
        throw e
      }
      giveUp(bail, e)
    }
  })
}
