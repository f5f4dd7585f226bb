/**
 * Fetch: v0-16, for consumers.
 *
 * Behavior: each partition's leader returns its batches from the fetch offset up to the high
 * watermark (read_uncommitted) or the last stable offset with the aborted transactions the
 * range overlaps (read_committed), within the partition and request byte limits, the first
 * batch always whole (KIP-74); with fewer than minBytes available the request long-polls until
 * data arrives, maxWaitMs passes or the connection closes (src/cluster/api/fetch.ts). A batch a
 * wire producer sent is served as the bytes it came in, with the offsets and leader epoch the
 * leader assigned, as Kafka serves what it stored (records/produced-batch-bytes.ts); any other
 * batch is encoded from the cluster's stored RecordBatch, once (cached per batch).
 *
 * Version notes:
 * - v0-1 return magic 0 message sets and v2-3 magic 1 (down-converted, control batches and
 *   headers dropped, records before the fetch offset cut off as Kafka's down-conversion does);
 *   v4+ return v2 record batches as stored. v1 adds the throttle time; v3 the request maxBytes
 *   (no limit below v3).
 * - v4 adds the isolation level, the last stable offset and the aborted transactions (KIP-98);
 *   v5 the log start offset; v9 the current leader epoch (KIP-320: FENCED_LEADER_EPOCH /
 *   UNKNOWN_LEADER_EPOCH); v11 the rack id and preferred read replica (always -1: memkafka has
 *   no replica selector); v12 is flexible (diverging epoch, current leader and snapshot id are
 *   follower or KIP-951 hints, left at their defaults); v13 names topics by id (KIP-516):
 *   an unknown id answers UNKNOWN_TOPIC_ID; v15 moves the replica id into ReplicaState.
 * - Fetch sessions (KIP-227, v7+) are answered as Kafka does when it has no session slot free:
 *   a full request (session id 0) gets a full sessionless response (session id 0); an
 *   incremental request of a session it never created gets FETCH_SESSION_ID_NOT_FOUND.
 * - Replica fetches (replica id >= 0): memkafka's followers replicate inside the cluster, so no
 *   outside process is ever a replica of a partition; every partition answers
 *   NOT_LEADER_OR_FOLLOWER, as Kafka's Partition.followerReplicaOrThrow does for a replica id
 *   it does not know.
 */
import type { FetchPartitionResponse } from '../../cluster/api/messages.js'
import type { RecordBatch } from '../../cluster/log/record-batch.js'
import type { WireApi } from '../api.js'
import { ZERO_UUID } from '../protocol/reader.js'
import type { WireMessage } from '../protocol/schema.js'
import { encodeMessageSet } from '../records/message-set.js'
import { encodeRecordBatch } from '../records/record-batch-encoder.js'

const FETCH_SESSION_ID_NOT_FOUND = 70
const INT32_MAX = 2147483647

interface PartitionIn {
  readonly partition: number
  readonly currentLeaderEpoch: number
  readonly fetchOffset: number
  readonly partitionMaxBytes: number
}
interface TopicIn {
  readonly topic: string
  readonly topicId: string
  readonly partitions: readonly PartitionIn[]
}

/**
 * The records of a fetched partition at `version`: v2 batches as stored from v4, else each
 * batch down-converted to a message set, without the messages before the fetch offset.
 */
export function fetchRecords(version: number, batches: readonly RecordBatch[], fetchOffset: number): Buffer[] {
  if (version >= 4) return batches.map(encodeRecordBatch)
  const magic = version <= 1 ? 0 : 1
  const parts: Buffer[] = []
  for (const batch of batches) {
    let set = encodeMessageSet(batch, magic)
    if (batch.baseOffset < fetchOffset) set = dropBefore(set, fetchOffset)
    if (set.length > 0) parts.push(set)
  }
  return parts
}

/** A message set without its entries (offset int64, size int32, message) below `offset`. */
function dropBefore(set: Buffer, offset: number): Buffer {
  let at = 0
  while (at + 12 <= set.length) {
    const entryOffset = Number(set.readBigInt64BE(at))
    if (entryOffset >= offset) break
    at += 12 + set.readInt32BE(at + 8)
  }
  return set.subarray(Math.min(at, set.length))
}

export const fetchApi: WireApi = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 0,
  maxVersion: 16,
  async handle(request: WireMessage, ctx) {
    const version = ctx.apiVersion
    const replicaId = version >= 15 ? ((request.replicaState as { replicaId: number }).replicaId) : (request.replicaId as number)
    const topics = request.topics as readonly TopicIn[]
    if (replicaId >= 0) return notAReplicaResponse(topics, version >= 13)
    if (version >= 7 && (request.sessionId as number) !== 0 && (request.sessionEpoch as number) > 0) {
      return { throttleTimeMs: 0, errorCode: FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] }
    }
    const byId = version >= 13
    const response = await ctx.cluster.send(
      ctx.brokerId,
      {
        api: 'Fetch',
        replicaId: -1,
        maxWaitMs: request.maxWaitMs as number,
        minBytes: request.minBytes as number,
        maxBytes: version >= 3 ? (request.maxBytes as number) : INT32_MAX,
        isolationLevel: version >= 4 ? (request.isolationLevel as number) : 0,
        topics: topics.map((t) => ({
          name: byId ? '' : t.topic,
          topicId: byId ? t.topicId : undefined,
          partitions: t.partitions.map((p) => ({
            index: p.partition,
            fetchOffset: p.fetchOffset,
            partitionMaxBytes: p.partitionMaxBytes,
            currentLeaderEpoch: version >= 9 ? p.currentLeaderEpoch : -1,
          })),
        })),
        signal: ctx.signal,
      },
      ctx.source,
    )
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      sessionId: 0,
      responses: response.topics.map((t, ti) => ({
        topic: t.name,
        topicId: byId ? (topics[ti]?.topicId ?? t.topicId) : ZERO_UUID,
        partitions: t.partitions.map((p: FetchPartitionResponse, pi) => ({
          partitionIndex: p.index,
          errorCode: p.errorCode,
          highWatermark: p.highWatermark,
          lastStableOffset: p.lastStableOffset,
          logStartOffset: p.logStartOffset,
          abortedTransactions: p.abortedTransactions ? p.abortedTransactions.map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset })) : null,
          preferredReadReplica: -1,
          records: fetchRecords(version, p.batches, topics[ti]?.partitions[pi]?.fetchOffset ?? 0),
        })),
      })),
    }
  },
}

const NOT_LEADER_OR_FOLLOWER = 6

/** The answer to a replica fetch from outside the cluster: no partition has that replica. */
function notAReplicaResponse(topics: readonly TopicIn[], byId: boolean): WireMessage {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: topics.map((t) => ({
      topic: byId ? '' : t.topic,
      topicId: byId ? t.topicId : ZERO_UUID,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partition,
        errorCode: NOT_LEADER_OR_FOLLOWER,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: null,
      })),
    })),
  }
}
