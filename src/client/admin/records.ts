/**
 * The admin's deletion of records (kafkajs's admin deleteTopicRecords): DeleteRecords to each
 * partition's leader, moving the partition's log start offset up to the given offset.
 */
import { KafkaJSBrokerNotFound, KafkaJSDeleteTopicRecordsError, KafkaJSNonRetriableError, type KafkaJSDeleteTopicRecordsErrorPartition } from '../errors.js'
import { createErrorFromCode, isStaleMetadata } from '../protocol-error-table.js'
import { DEFAULT_REQUEST_TIMEOUT, refreshMetadata, type AdminContext } from './admin-context.js'
import type { SeekEntry } from './admin-types.js'
import { fetchTopicOffsets } from './offsets.js'
import { toLong } from './protocol-numbers.js'

/**
 * Deletes the records of a topic's partitions below the given offsets ('-1': below the high
 * watermark). A partition the topic does not have rejects with a KafkaJSDeleteTopicRecordsError
 * naming it; an offset below the low watermark deletes nothing (and logs a warning). The
 * broker refuses an offset above the high watermark with OFFSET_OUT_OF_RANGE: not retriable,
 * so the retrier rejects with a KafkaJSNonRetriableError whose cause is the
 * KafkaJSDeleteTopicRecordsError listing each failed partition's offset and error.
 */
export async function deleteTopicRecords(context: AdminContext, { topic, partitions }: { topic: string; partitions: SeekEntry[] }): Promise<void> {
  if (!topic || typeof topic !== 'string') {
    throw new KafkaJSNonRetriableError(`Invalid topic "${topic}"`)
  }
  if (!partitions || partitions.length === 0) {
    throw new KafkaJSNonRetriableError('Invalid partitions')
  }

  const { client } = context
  // kafkajs looks the leaders up in the metadata it held before fetchTopicOffsets refreshed
  // it, which fails for a topic created after connect(); memkafka looks after the refresh.
  const topicOffsets = await fetchTopicOffsets(context, topic)
  const known = new Set(client.findTopicPartitionMetadata(topic).map((p) => p.partitionId))

  const leaderNotFound: KafkaJSDeleteTopicRecordsErrorPartition[] = []
  for (const { partition, offset } of partitions) {
    if (!known.has(partition)) {
      leaderNotFound.push({
        partition,
        offset,
        error: new KafkaJSBrokerNotFound('Could not find the leader for the partition', { retriable: false }),
      })
      continue
    }
    const low = topicOffsets.find((p) => p.partition === partition)?.low
    if (parseInt(offset, 10) < parseInt(low as string, 10) && parseInt(offset, 10) !== -1) {
      context.log.warn(
        'The requested offset is before the earliest offset maintained on the partition - no records will be deleted from this partition',
        { topic, partition, offset },
      )
    }
  }
  if (leaderNotFound.length > 0) {
    throw new KafkaJSDeleteTopicRecordsError({ topic, partitions: leaderNotFound })
  }

  // Entries still to delete; a broker's entries leave once it has answered without errors,
  // so a retry only repeats what failed. (kafkajs retries each failed batch on the broker it
  // first chose; memkafka regroups by the current leaders, so a moved leader is followed.)
  let pending = [...partitions]
  await context.retrier(async () => {
    try {
      const errors: KafkaJSDeleteTopicRecordsErrorPartition[] = []
      const byLeader = new Map<number, SeekEntry[]>()
      for (const entry of pending) {
        const leader = client.findTopicPartitionMetadata(topic).find((p) => p.partitionId === entry.partition)?.leader ?? -1
        if (leader < 0) {
          errors.push({ partition: entry.partition, offset: entry.offset, error: createErrorFromCode(5) })
          continue
        }
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), entry])
      }
      await Promise.all(
        [...byLeader].map(async ([leader, entries]) => {
          const response = await client.request(leader, {
            api: 'DeleteRecords',
            topics: [{ name: topic, partitions: entries.map(({ partition, offset }) => ({ index: partition, offset: longOffset(offset) })) }],
            timeoutMs: DEFAULT_REQUEST_TIMEOUT,
          })
          const failed = response.topics.flatMap((t) => t.partitions).filter((p) => p.errorCode !== 0)
          for (const p of failed) {
            errors.push({
              partition: p.index,
              error: createErrorFromCode(p.errorCode),
              // The offset the caller asked for, as kafkajs attaches it.
              offset: entries.find((e) => e.partition === p.index)!.offset,
            })
          }
          if (failed.length === 0) pending = pending.filter((e) => !entries.includes(e))
        }),
      )
      if (errors.length > 0) throw new KafkaJSDeleteTopicRecordsError({ topic, partitions: errors })
    } catch (e) {
      const failedPartitions = (e as { partitions?: KafkaJSDeleteTopicRecordsErrorPartition[] }).partitions
      if (
        (e as { retriable?: boolean }).retriable &&
        failedPartitions?.some(({ error }) => isStaleMetadata(error) || (error as { name?: string } | null | undefined)?.name === 'KafkaJSMetadataNotLoaded')
      ) {
        await refreshMetadata(context)
      }
      throw e
    }
  })
}

/** A DeleteRecords offset, through kafkajs's Long coercion. */
function longOffset(offset: unknown): number {
  try {
    return Number(toLong(offset))
  } catch {
    throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${offset}`)
  }
}
