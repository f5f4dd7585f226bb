/**
 * Fetch (API key 1), for consumers. Reads from each partition's leader up to the high
 * watermark (read_uncommitted) or the last stable offset (read_committed), bounded by
 * partitionMaxBytes and maxBytes, and long-polls: with less than minBytes available it parks
 * until a partition's high watermark moves, maxWaitMs passes on the cluster's clock, or the
 * client goes away.
 */
import { ErrorCode } from '../error-codes.js'
import type { RecordBatch } from '../log/record-batch.js'
import type { Partition } from '../partition/partition.js'
import type { Topic } from '../metadata/topic.js'
import type { BrokerContext } from './broker-context.js'
import type { TimerHandle } from '../clock.js'
import { IsolationLevel, ZERO_UUID, type FetchPartitionResponse, type FetchRequest, type FetchResponse, type FetchTopicResponse } from './messages.js'

export function handleFetch(cluster: BrokerContext, brokerId: number, request: FetchRequest): FetchResponse | Promise<FetchResponse> {
  // A fetch that will park (nothing readable, nothing failing) parks at once, without reading
  // and building an answer that would be dropped: at each rebalance every member's new fetch
  // parks so (issue 15).
  const parks = request.minBytes > 0 && request.maxWaitMs > 0 && !request.signal?.aborted && !hasDataOrFailure(cluster, brokerId, request)
  if (!parks) {
    const first = readAll(cluster, brokerId, request, true)
    if (first.bytes >= request.minBytes || first.failed || request.maxWaitMs <= 0 || request.signal?.aborted) {
      return first.response!
    }
  }
  // Parked. What wakes it (a partition's change, the wait's end, the client's abort, the
  // cluster's close) runs `finish` or `recheck`; the partitions are watched without a canceller
  // closure each, and a recheck only counts what a read would return (the response is built
  // once, when the fetch answers): one member's fetch parks on each of its partitions at every
  // rebalance (issue 15).
  return new Promise<FetchResponse>((resolve) => {
    const watched: Partition[] = []
    let done = false
    let timer: TimerHandle | undefined
    let closed: (() => void) | undefined
    const signal = request.signal
    const finish = (): void => {
      if (done) return
      done = true
      for (const partition of watched) partition.unwatch(recheck)
      cluster.clock.clearTimeout(timer)
      closed?.()
      signal?.removeEventListener('abort', finish)
      resolve(readAll(cluster, brokerId, request, true).response!)
    }
    const recheck = (): void => {
      if (done) return
      if (!hasDataOrFailure(cluster, brokerId, request)) return watch()
      const now = readAll(cluster, brokerId, request, false)
      if (now.bytes >= request.minBytes || now.failed) finish()
      else watch()
    }
    const watch = (): void => {
      for (const topic of request.topics) {
        const known = cluster.controller.topic(topic.name)
        for (const p of topic.partitions) {
          const partition = known?.partitions[p.index]
          if (partition) {
            partition.watch(recheck)
            watched.push(partition)
          }
        }
      }
    }
    watch()
    timer = cluster.clock.setTimeout(finish, request.maxWaitMs)
    closed = cluster.onClose(finish)
    signal?.addEventListener('abort', finish, { once: true })
  })
}

/**
 * Whether some partition the request names has records below its limit (the high watermark,
 * or the last stable offset for read_committed) at the fetch offset, or would answer an error:
 * readAll's checks without its reads. When none has, readAll would read 0 bytes, without failure.
 */
function hasDataOrFailure(cluster: BrokerContext, brokerId: number, request: FetchRequest): boolean {
  for (const topicRequest of request.topics) {
    const topic = topicOf(cluster, topicRequest)
    for (const p of topicRequest.partitions) {
      const partition = topic?.partitions[p.index]
      if (!partition || partition.leader !== brokerId) return true
      const currentLeaderEpoch = p.currentLeaderEpoch ?? -1
      if (currentLeaderEpoch !== -1 && currentLeaderEpoch !== partition.leaderEpoch) return true
      if (p.fetchOffset > partition.logEndOffset || p.fetchOffset < partition.logStartOffset) return true
      const limit = request.isolationLevel === IsolationLevel.READ_COMMITTED ? partition.lastStableOffset : partition.highWatermark
      if (p.fetchOffset < limit) return true
    }
  }
  return false
}

/**
 * Reads every partition the request names. Without `build`, only counts: the same bytes and
 * failure, no response (a parked fetch's recheck).
 */
function readAll(
  cluster: BrokerContext,
  brokerId: number,
  request: FetchRequest,
  build: boolean,
): { response: FetchResponse | undefined; bytes: number; failed: boolean } {
  let bytes = 0
  let failed = false
  const topics: FetchTopicResponse[] = []
  for (const topicRequest of request.topics) {
    const topic = topicOf(cluster, topicRequest)
    const partitions: FetchPartitionResponse[] = []
    for (const p of topicRequest.partitions) {
      const partition = topic?.partitions[p.index]
      if (!partition) {
        // KafkaApis: a topic id the broker does not know is UNKNOWN_TOPIC_ID (Fetch v13+).
        if (build) partitions.push(empty(p.index, topicRequest.topicId !== undefined && !topic ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION))
        failed = true
        continue
      }
      if (partition.leader !== brokerId) {
        if (build) partitions.push(empty(p.index, ErrorCode.NOT_LEADER_OR_FOLLOWER, partition))
        failed = true
        continue
      }
      // KIP-320 (Fetch v9+): a client whose leader epoch is older than the leader's is fenced;
      // a newer one means this broker has not heard of that epoch yet (Partition.getLocalLog).
      const currentLeaderEpoch = p.currentLeaderEpoch ?? -1
      if (currentLeaderEpoch !== -1 && currentLeaderEpoch !== partition.leaderEpoch) {
        if (build) partitions.push(empty(p.index, currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH, partition))
        failed = true
        continue
      }
      // An offset past the log end or below the log start is out of range; one between the
      // high watermark and the log end is simply not readable yet.
      if (p.fetchOffset > partition.logEndOffset || p.fetchOffset < partition.logStartOffset) {
        if (build) partitions.push(empty(p.index, ErrorCode.OFFSET_OUT_OF_RANGE, partition))
        failed = true
        continue
      }
      const highWatermark = partition.highWatermark
      const lastStableOffset = partition.lastStableOffset
      const limit = request.isolationLevel === IsolationLevel.READ_COMMITTED ? lastStableOffset : highWatermark
      const budget = Math.min(p.partitionMaxBytes, Math.max(0, request.maxBytes - bytes))
      // KIP-74: the first batch of the first non-empty partition is returned even when it is
      // larger than the limits, so a consumer never gets stuck behind a large record.
      let batches = NO_BATCHES
      if (p.fetchOffset < limit && (budget > 0 || bytes === 0)) batches = partition.log.read(p.fetchOffset, limit, bytes === 0 ? Math.max(budget, 1) : budget)
      // Only the first partition with data may exceed the limits (ReplicaManager.readFromLog's
      // minOneMessage); later, a batch that does not fit is left for the next fetch.
      if (bytes > 0 && batches.length > 0 && batches[0]!.sizeInBytes > budget) batches = NO_BATCHES
      for (const batch of batches) bytes += batch.sizeInBytes
      if (!build) continue
      partitions.push({
        index: p.index,
        errorCode: ErrorCode.NONE,
        highWatermark,
        lastStableOffset,
        logStartOffset: partition.logStartOffset,
        // read_committed: the aborted transactions the fetched range overlaps (the client drops
        // their records, using the ABORT markers to know where each ends).
        abortedTransactions:
          request.isolationLevel === IsolationLevel.READ_COMMITTED
            ? partition.leaderReplica.producerState.abortedTransactions(p.fetchOffset, batches.length > 0 ? batches[batches.length - 1]!.lastOffset + 1 : p.fetchOffset)
            : null,
        batches,
      })
    }
    if (build) topics.push({ name: topic?.name ?? topicRequest.name, topicId: topic?.topicId ?? topicRequest.topicId ?? ZERO_UUID, partitions })
  }
  return { response: build ? { errorCode: ErrorCode.NONE, topics } : undefined, bytes, failed }
}

/**
 * The batches of a partition with nothing to return: one shared (frozen) list rather than one
 * per partition per fetch; a parked member's fetch answers every partition so at each rebalance.
 */
const NO_BATCHES = Object.freeze([]) as unknown as RecordBatch[]

function topicOf(cluster: BrokerContext, request: FetchRequest['topics'][number]): Topic | undefined {
  if (request.topicId === undefined) return cluster.controller.topic(request.name)
  return cluster.controller.allTopics().find((t) => t.topicId === request.topicId)
}

function empty(index: number, errorCode: number, partition?: Partition): FetchPartitionResponse {
  return {
    index,
    errorCode,
    highWatermark: partition ? partition.highWatermark : -1,
    lastStableOffset: partition ? partition.lastStableOffset : -1,
    logStartOffset: partition ? partition.logStartOffset : -1,
    abortedTransactions: null,
    batches: NO_BATCHES,
  }
}
