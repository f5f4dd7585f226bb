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
import { HeldRequest } from '../in-flight-requests.js'
import { IsolationLevel, ZERO_UUID, type AbortedTransaction, type FetchPartitionResponse, type FetchRequest, type FetchResponse, type FetchTopicResponse } from './messages.js'

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
  let parked: ParkedFetch | undefined
  const answer = new Promise<FetchResponse>((resolve, reject) => {
    parked = new ParkedFetch(cluster, brokerId, request, resolve, reject)
  })
  parked!.park(answer)
  return answer
}

/**
 * A fetch parked until a partition it names changes enough, its wait ends, the client aborts it
 * or the cluster closes: one record per parked fetch, its own abort listener (handleEvent), with
 * a callback for the clock and the cluster's close and one for the partitions it watches. The
 * partitions are watched without a canceller closure each, and a recheck only counts what a read
 * would return (the response is built once, when the fetch answers). Every member of a group
 * parks one per leader at each rebalance and holds it until the next, so what a parked fetch is
 * made of is copied to the old generation by the young generation's collections (issue 15).
 */
class ParkedFetch extends HeldRequest {
  /** The partitions watched; NOT_WATCHING once the fetch has stopped. */
  private watched: Partition[] = []
  private done = false
  private timer: TimerHandle | undefined

  constructor(
    private readonly cluster: BrokerContext,
    private readonly brokerId: number,
    private readonly request: FetchRequest,
    private readonly resolve: (response: FetchResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {
    super()
  }

  /**
   * Starts waiting. The fetch holds itself in its broker's in-flight requests (answered at the
   * cluster's close, failed when the broker goes away), with no promise wrapped around `answer`.
   */
  park(answer: Promise<FetchResponse>): void {
    this.watch()
    this.timer = this.cluster.clock.setTimeout(this.finish, this.request.maxWaitMs)
    this.cluster.holdRequest(this.brokerId, this, answer)
    const signal = this.request.signal
    if (signal !== undefined) parkedOn(signal).push(this)
  }

  /** The client's abort (see parkedOn). */
  aborted(): void {
    this.finish()
  }

  override get answersOnClose(): boolean {
    return true
  }

  /** The cluster closes: the fetch answers with what it has. */
  override closed(): void {
    this.finish()
  }

  /** The broker's connections are gone: the answer is lost, the client's request fails. */
  dropped(error: Error): void {
    if (this.done) return
    this.stop()
    this.reject(error)
  }

  /** Answers with what is readable now (the wait's end, the client's abort, the cluster's close). */
  private readonly finish = (): void => {
    if (this.done) return
    this.stop()
    this.release()
    // One microtask later, as when a promise wrapped the answer for the broker's in-flight
    // list: a client sees the answer at the same turn as before, and concurrent consumers'
    // work interleaves as it did (the examples' printed output shows it).
    Promise.resolve(readAll(this.cluster, this.brokerId, this.request, true).response!).then(this.resolve)
  }

  /** Waits no more: off its partitions, its timer and the client's signal. */
  private stop(): void {
    this.done = true
    const recheck = this.recheck
    const watched = this.watched
    for (let i = 0; i < watched.length; i++) watched[i]!.unwatch(recheck)
    // Dropped rather than emptied in place (a runtime call per fetch): a stopped fetch watches nothing again.
    this.watched = NOT_WATCHING
    this.cluster.clock.clearTimeout(this.timer)
    this.timer = undefined
    const signal = this.request.signal
    if (signal !== undefined) unpark(signal, this)
  }

  /** A watched partition changed: answers when the fetch now has enough, or watches again. */
  private readonly recheck = (): void => {
    if (this.done) return
    if (!hasDataOrFailure(this.cluster, this.brokerId, this.request)) return this.watch()
    const now = readAll(this.cluster, this.brokerId, this.request, false)
    if (now.bytes >= this.request.minBytes || now.failed) this.finish()
    else this.watch()
  }

  /** Watches every partition the request names (again, after a wake: a woken partition forgets its waiters). */
  private watch(): void {
    const recheck = this.recheck
    // Empty when it parks; after a wake the list is made again (a woken partition forgot it).
    if (this.watched.length > 0) this.watched = []
    for (const topic of this.request.topics) {
      const known = this.cluster.controller.topic(topic.name)
      for (const p of topic.partitions) {
        const partition = known?.partitions[p.index]
        if (partition) {
          partition.watch(recheck)
          this.watched.push(partition)
        }
      }
    }
  }
}

/**
 * The fetches parked on each client signal, in the order they parked, and one abort listener per
 * signal that answers them in that order (as a listener each would have been called). A consumer
 * keeps its fetch round's controller for the next round when no leader's answer aborted it, so
 * its signal outlives many rounds: a listener added and removed by each parked fetch was two
 * calls into the EventTarget machinery and a listener record per fetch, one per leader per member
 * at each rebalance, kept until the next (issue 15).
 */
const parkedBySignal = new WeakMap<AbortSignal, ParkedFetch[]>()

function parkedOn(signal: AbortSignal): ParkedFetch[] {
  let parked = parkedBySignal.get(signal)
  if (parked === undefined) {
    const list: ParkedFetch[] = []
    parked = list
    parkedBySignal.set(signal, list)
    signal.addEventListener(
      'abort',
      () => {
        // Each one's stop takes it off the list: answer a copy, in the order they parked.
        const waiting = list.slice()
        for (let i = 0; i < waiting.length; i++) waiting[i]!.aborted()
      },
      { once: true },
    )
  }
  return parked
}

function unpark(signal: AbortSignal, fetch: ParkedFetch): void {
  const parked = parkedBySignal.get(signal)
  if (parked === undefined) return
  const at = parked.indexOf(fetch)
  if (at < 0) return
  // The later ones move up one place (no splice: it makes an array of what it removes).
  for (let i = at + 1; i < parked.length; i++) parked[i - 1] = parked[i]!
  parked.pop()
}

/** What a stopped fetch watches (never added to: a stopped fetch does not watch again). */
const NOT_WATCHING: Partition[] = Object.freeze([]) as unknown as Partition[]

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
  const readCommitted = request.isolationLevel === IsolationLevel.READ_COMMITTED
  const topics: FetchTopicResponse[] = build ? new Array(request.topics.length) : NO_TOPICS
  for (let t = 0; t < request.topics.length; t++) {
    const topicRequest = request.topics[t]!
    const topic = topicOf(cluster, topicRequest)
    const asked = topicRequest.partitions
    // Sized once: a full fetch (kafkajs sends no incremental fetch sessions, KIP-227) names every
    // partition the consumer reads from this leader, 3 000 and more on a large topic (issue 15).
    const partitions: FetchPartitionResponse[] = build ? new Array(asked.length) : NO_PARTITIONS
    for (let i = 0; i < asked.length; i++) {
      const p = asked[i]!
      const partition = topic?.partitions[p.index]
      if (!partition) {
        // KafkaApis: a topic id the broker does not know is UNKNOWN_TOPIC_ID (Fetch v13+).
        if (build) partitions[i] = empty(p.index, topicRequest.topicId !== undefined && !topic ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
        failed = true
        continue
      }
      if (partition.leader !== brokerId) {
        if (build) partitions[i] = empty(p.index, ErrorCode.NOT_LEADER_OR_FOLLOWER, partition)
        failed = true
        continue
      }
      // KIP-320 (Fetch v9+): a client whose leader epoch is older than the leader's is fenced;
      // a newer one means this broker has not heard of that epoch yet (Partition.getLocalLog).
      const currentLeaderEpoch = p.currentLeaderEpoch ?? -1
      if (currentLeaderEpoch !== -1 && currentLeaderEpoch !== partition.leaderEpoch) {
        if (build) partitions[i] = empty(p.index, currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH, partition)
        failed = true
        continue
      }
      const log = partition.log
      const logStartOffset = log.logStartOffset
      // An offset past the log end or below the log start is out of range; one between the
      // high watermark and the log end is simply not readable yet.
      if (p.fetchOffset > log.logEndOffset || p.fetchOffset < logStartOffset) {
        if (build) partitions[i] = empty(p.index, ErrorCode.OFFSET_OUT_OF_RANGE, partition)
        failed = true
        continue
      }
      const highWatermark = partition.highWatermark
      const lastStableOffset = partition.lastStableOffset
      const limit = readCommitted ? lastStableOffset : highWatermark
      let batches: RecordBatch[]
      if (p.fetchOffset >= limit) {
        if (!build) continue
        // Nothing readable: most partitions of a large topic in most fetches. The answer is the
        // partition's offsets and nothing else, the same object until they move (see idleAnswer).
        const idle = idleAnswer(partition, readCommitted, p.fetchOffset, highWatermark, lastStableOffset, logStartOffset)
        if (idle !== undefined) {
          partitions[i] = idle
          continue
        }
        batches = NO_BATCHES
      } else {
        const budget = Math.min(p.partitionMaxBytes, Math.max(0, request.maxBytes - bytes))
        // KIP-74: the first batch of the first non-empty partition is returned even when it is
        // larger than the limits, so a consumer never gets stuck behind a large record.
        batches = budget > 0 || bytes === 0 ? log.read(p.fetchOffset, limit, bytes === 0 ? Math.max(budget, 1) : budget) : NO_BATCHES
        // Only the first partition with data may exceed the limits (ReplicaManager.readFromLog's
        // minOneMessage); later, a batch that does not fit is left for the next fetch.
        if (bytes > 0 && batches.length > 0 && batches[0]!.sizeInBytes > budget) batches = NO_BATCHES
        bytes += log.sizeOf(batches)
        if (!build) continue
      }
      partitions[i] = {
        index: p.index,
        errorCode: ErrorCode.NONE,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        // read_committed: the aborted transactions the fetched range overlaps (the client drops
        // their records, using the ABORT markers to know where each ends).
        abortedTransactions: readCommitted
          ? partition.leaderReplica.producerState.abortedTransactions(p.fetchOffset, batches.length > 0 ? batches[batches.length - 1]!.lastOffset + 1 : p.fetchOffset)
          : null,
        batches,
      }
    }
    if (build) topics[t] = { name: topic?.name ?? topicRequest.name, topicId: topic?.topicId ?? topicRequest.topicId ?? ZERO_UUID, partitions }
  }
  return { response: build ? { errorCode: ErrorCode.NONE, topics } : undefined, bytes, failed }
}

/** Empty lists shared by every answer that has nothing to list (frozen: answers are read, never changed). */
const NO_BATCHES: RecordBatch[] = Object.freeze([]) as unknown as RecordBatch[]
/** What a count-only read (no `build`) fills: nothing. */
const NO_TOPICS: FetchTopicResponse[] = Object.freeze([]) as unknown as FetchTopicResponse[]
const NO_PARTITIONS: FetchPartitionResponse[] = Object.freeze([]) as unknown as FetchPartitionResponse[]
const NO_ABORTED: AbortedTransaction[] = Object.freeze([]) as unknown as AbortedTransaction[]

/**
 * A partition's answer to a fetch that reads nothing, kept per partition and isolation level
 * and handed out again while its offsets stay the same. A consumer of a topic of 10 000
 * partitions sends full fetches (kafkajs 2.2.4 has no fetch sessions, KIP-227), each naming
 * every partition it reads from the leader, and most answers say only where the partition stands:
 * made afresh each time they were a third of a fetch's cost, and they outlived the request
 * (the client holds the response across awaits), so V8 moved their allocation to the old
 * generation, whose collections then took as much again (issue 15). Frozen: shared answers are
 * read, never changed, by whoever receives them. Kept in Partition.answers. Undefined where the empty range still has
 * aborted transactions to name (one spanning the fetch offset), which only a fresh answer says.
 */
function idleAnswer(partition: Partition, readCommitted: boolean, fetchOffset: number, highWatermark: number, lastStableOffset: number, logStartOffset: number): FetchPartitionResponse | undefined {
  if (readCommitted) {
    const producerState = partition.leaderReplica.producerState
    if (producerState.allAborted().length > 0 && producerState.abortedTransactions(fetchOffset, fetchOffset).length > 0) return undefined
  }
  const answers = partition.answers
  const known = (readCommitted ? answers.idleFetchCommitted : answers.idleFetch) as FetchPartitionResponse | undefined
  if (known !== undefined && known.highWatermark === highWatermark && known.lastStableOffset === lastStableOffset && known.logStartOffset === logStartOffset) return known
  const answer: FetchPartitionResponse = Object.freeze({
    index: partition.index,
    errorCode: ErrorCode.NONE,
    highWatermark,
    lastStableOffset,
    logStartOffset,
    abortedTransactions: readCommitted ? NO_ABORTED : null,
    batches: NO_BATCHES,
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
    batches: NO_BATCHES,
  }
}
