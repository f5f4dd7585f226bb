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
import { IsolationLevel, ZERO_UUID, type AbortedTransaction, type FetchPartitionResponse, type FetchRequest, type FetchResponse, type FetchTopicResponse } from './messages.js'

export function handleFetch(cluster: BrokerContext, brokerId: number, request: FetchRequest): FetchResponse | Promise<FetchResponse> {
  const first = readAll(cluster, brokerId, request)
  if (first.bytes >= request.minBytes || first.failed || request.maxWaitMs <= 0 || request.signal?.aborted) {
    return first.response
  }
  return new Promise<FetchResponse>((resolve) => {
    const cancels: (() => void)[] = []
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      for (const cancel of cancels) cancel()
      resolve(readAll(cluster, brokerId, request).response)
    }
    const recheck = (): void => {
      if (done) return
      const now = readAll(cluster, brokerId, request)
      if (now.bytes >= request.minBytes || now.failed) finish()
      else watch()
    }
    const watch = (): void => {
      for (const topic of request.topics) {
        const known = cluster.controller.topic(topic.name)
        for (const p of topic.partitions) {
          const partition = known?.partitions[p.index]
          if (partition) cancels.push(partition.onChange(recheck))
        }
      }
    }
    watch()
    const timer = cluster.clock.setTimeout(finish, request.maxWaitMs)
    cancels.push(() => cluster.clock.clearTimeout(timer))
    const closed = cluster.onClose(finish)
    cancels.push(closed)
    if (request.signal) {
      const signal = request.signal
      signal.addEventListener('abort', finish, { once: true })
      cancels.push(() => signal.removeEventListener('abort', finish))
    }
  })
}

function readAll(
  cluster: BrokerContext,
  brokerId: number,
  request: FetchRequest,
): { response: FetchResponse; bytes: number; failed: boolean } {
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
        partitions.push(empty(p.index, topicRequest.topicId !== undefined && !topic ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION))
        failed = true
        continue
      }
      if (partition.leader !== brokerId) {
        partitions.push(empty(p.index, ErrorCode.NOT_LEADER_OR_FOLLOWER, partition))
        failed = true
        continue
      }
      // KIP-320 (Fetch v9+): a client whose leader epoch is older than the leader's is fenced;
      // a newer one means this broker has not heard of that epoch yet (Partition.getLocalLog).
      const currentLeaderEpoch = p.currentLeaderEpoch ?? -1
      if (currentLeaderEpoch !== -1 && currentLeaderEpoch !== partition.leaderEpoch) {
        partitions.push(empty(p.index, currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH, partition))
        failed = true
        continue
      }
      // An offset past the log end or below the log start is out of range; one between the
      // high watermark and the log end is simply not readable yet.
      if (p.fetchOffset > partition.logEndOffset || p.fetchOffset < partition.logStartOffset) {
        partitions.push(empty(p.index, ErrorCode.OFFSET_OUT_OF_RANGE, partition))
        failed = true
        continue
      }
      const highWatermark = partition.highWatermark
      const lastStableOffset = partition.lastStableOffset
      const limit = request.isolationLevel === IsolationLevel.READ_COMMITTED ? lastStableOffset : highWatermark
      if (p.fetchOffset >= limit) {
        // Nothing readable: most partitions of a large topic in most fetches. The answer says
        // only where the partition stands, the same object until that moves (see idleAnswer).
        const idle = idleAnswer(partition, request.isolationLevel === IsolationLevel.READ_COMMITTED, p.fetchOffset, highWatermark, lastStableOffset)
        if (idle !== undefined) {
          partitions.push(idle)
          continue
        }
      }
      const budget = Math.min(p.partitionMaxBytes, Math.max(0, request.maxBytes - bytes))
      // KIP-74: the first batch of the first non-empty partition is returned even when it is
      // larger than the limits, so a consumer never gets stuck behind a large record.
      let batches: RecordBatch[] = []
      if (p.fetchOffset < limit && (budget > 0 || bytes === 0)) batches = partition.log.read(p.fetchOffset, limit, bytes === 0 ? Math.max(budget, 1) : budget)
      // Only the first partition with data may exceed the limits (ReplicaManager.readFromLog's
      // minOneMessage); later, a batch that does not fit is left for the next fetch.
      if (bytes > 0 && batches.length > 0 && batches[0]!.sizeInBytes > budget) batches = []
      for (const batch of batches) bytes += batch.sizeInBytes
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
    topics.push({ name: topic?.name ?? topicRequest.name, topicId: topic?.topicId ?? topicRequest.topicId ?? ZERO_UUID, partitions })
  }
  return { response: { errorCode: ErrorCode.NONE, topics }, bytes, failed }
}

/**
 * A partition's answer to a fetch that reads nothing, kept on the partition (Partition.answers)
 * per isolation level and handed out again while its offsets stay the same. A consumer of a
 * topic of 10 000 partitions sends full fetches (kafkajs 2.2.4 has no fetch sessions, KIP-227),
 * each naming every partition it reads from the leader, and most answers say only where the
 * partition stands: made afresh each time they were a third of such a fetch's cost, and they
 * outlive the request (the client holds the response across awaits), so V8 moved their
 * allocation to the old generation, whose collections then cost as much again (issue 15).
 * Frozen: whoever receives a shared answer reads it. Undefined where the empty range still has
 * an aborted transaction to name (one spanning the fetch offset): only a fresh answer says that.
 */
function idleAnswer(partition: Partition, readCommitted: boolean, fetchOffset: number, highWatermark: number, lastStableOffset: number): FetchPartitionResponse | undefined {
  if (readCommitted) {
    const producerState = partition.leaderReplica.producerState
    if (producerState.allAborted().length > 0 && producerState.abortedTransactions(fetchOffset, fetchOffset).length > 0) return undefined
  }
  const answers = partition.answers
  const logStartOffset = partition.logStartOffset
  const known = (readCommitted ? answers.idleFetchCommitted : answers.idleFetch) as FetchPartitionResponse | undefined
  if (known !== undefined && known.highWatermark === highWatermark && known.lastStableOffset === lastStableOffset && known.logStartOffset === logStartOffset) return known
  const answer: FetchPartitionResponse = Object.freeze({
    index: partition.index,
    errorCode: ErrorCode.NONE,
    highWatermark,
    lastStableOffset,
    logStartOffset,
    abortedTransactions: readCommitted ? (Object.freeze([]) as unknown as AbortedTransaction[]) : null,
    batches: Object.freeze([]) as unknown as RecordBatch[],
  })
  if (readCommitted) answers.idleFetchCommitted = answer
  else answers.idleFetch = answer
  return answer
}

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
    batches: [],
  }
}
