/**
 * The consumer's run loop (kafkajs's src/consumer/runner.js and fetchManager): join the group,
 * fetch from every leader of the assigned partitions (a long poll that returns as soon as any
 * partition has data), hand the batches to eachMessage or eachBatch, resolve and commit
 * offsets, heartbeat, and rejoin when the group rebalances. Handler failures are retried with
 * kafkajs's back-off and then crash the consumer, as kafkajs does.
 */
import { IsolationLevel, type ResponseOf } from '../../cluster/api/messages.js'
import { KafkaJSNumberOfRetriesExceeded, isKafkaJSError } from '../errors.js'
import { createErrorFromCode, isStaleMetadata, protocolErrorEntry } from '../protocol-error-table.js'
import { CONSUMER_EVENTS, InstrumentationEmitter } from '../instrumentation.js'
import { nextRetryTime, retryConfig, isErrorRetriable, type RetryOptions } from '../retry.js'
import type { ClusterClient } from '../cluster-client.js'
import type { Logger } from '../logger.js'
import { ConsumerGroup } from './consumer-group.js'
import { fetchedRange, MessageCursor, toBatch, type Batch, type KafkaMessage } from './batch.js'
import type { AbortedTransaction } from '../../cluster/api/messages.js'
import type { RecordBatch } from '../../cluster/log/record-batch.js'
import type { Partition } from '../../cluster/partition/partition.js'

export interface EachMessagePayload {
  topic: string
  partition: number
  message: KafkaMessage
  heartbeat(): Promise<void>
  pause(): () => void
}

export interface EachBatchPayload {
  batch: Batch
  resolveOffset(offset: string): void
  heartbeat(): Promise<void>
  pause(): () => void
  commitOffsetsIfNecessary(offsets?: unknown): Promise<void>
  uncommittedOffsets(): ReturnType<ConsumerGroup['uncommittedOffsets']>
  isRunning(): boolean
  isStale(): boolean
}

export interface RunnerOptions {
  readonly eachMessage?: ((payload: EachMessagePayload) => Promise<void>) | undefined
  readonly eachBatch?: ((payload: EachBatchPayload) => Promise<void>) | undefined
  readonly eachBatchAutoResolve: boolean
  readonly autoCommit: boolean
  readonly partitionsConsumedConcurrently: number
  readonly maxWaitTimeInMs: number
  readonly minBytes: number
  readonly maxBytes: number
  readonly maxBytesPerPartition: number
  readonly isolationLevel: number
  readonly retry: RetryOptions | undefined
  readonly onCrash: (error: Error & { retryCount?: number; retryTime?: number }) => void
}

/** A partition's entry in a Fetch request, as the runner sends it (never changed once sent). */
interface FetchPartitionRequest {
  readonly index: number
  readonly fetchOffset: number
  readonly partitionMaxBytes: number
}

/**
 * A partition's share of a fetch: what toBatch needs to build its Batch, which processBatch does
 * when the partition's turn comes, and what that Batch will hold (fetchedRange). Only partitions
 * that fetched something (messages, or records filtered out that the position moves past) have one.
 */
interface FetchedPartition {
  readonly topic: string
  readonly partition: number
  readonly highWatermark: number
  readonly batches: readonly RecordBatch[]
  /** The position the fetch read from. */
  readonly fromOffset: number
  readonly abortedTransactions: readonly AbortedTransaction[] | null
  /** Whether the Batch would hold any message (else every record fetched was filtered out). */
  readonly hasMessages: boolean
  /** The Batch's last fetched offset (Batch.lastOffset(); control and aborted records included). */
  readonly lastOffset: number
}

/** A leader's request entries for one topic, as a Fetch request lists them. */
interface FetchTopic {
  readonly name: string
  readonly partitions: FetchPartitionRequest[]
}

/** How far fetchFrom has read a leader's answer, and what it found (see readAnswer). */
interface AnswerReading {
  topic: number
  partition: number
  gotData: boolean
  numberOfBatches: number
}

/** The request options of a long poll: the consumer itself tells settle() what it waits for. */
const BACKGROUND = { background: true } as const

/** Why a fetch round ends the other leaders' long polls (AbortController.abort's reason). */
const FETCH_ROUND_ANSWERED = 'another leader answered the fetch round'

export class Runner {
  private readonly client: ClusterClient
  /**
   * The client's model and id, read per batch: kept here so that processBatch reads no field of
   * the client, an object each consumer has its own of (see runnerShapeKeeper).
   */
  private readonly model: ClusterClient['model']
  private readonly clientId: string
  private readonly group: ConsumerGroup
  private readonly emitter: InstrumentationEmitter<typeof CONSUMER_EVENTS>
  private readonly log: Logger
  private readonly options: RunnerOptions
  running = false
  private needsJoin = true
  private inFlight = 0
  private loop: Promise<void> | undefined
  private fetchAbort: AbortController | undefined
  /** The request entry last sent for each assigned partition (by assignedPartitions() index), and the list they belong to. */
  private fetchEntries: (FetchPartitionRequest | undefined)[] = []
  private fetchEntriesOf: readonly unknown[] | undefined
  /** A controller no fetch round aborted, for the next round (see fetch). */
  private spareAbort: AbortController | undefined
  private wakeSleep: (() => void) | undefined
  /** In a retry back-off (pending work), not an idle wait. */
  private backingOff = false
  private stopped = false
  private joining: Promise<boolean> | undefined
  /** Why the clock is held while a handler runs (made once: it names the group). */
  private handlerReason: string | undefined
  /**
   * Ends the clock hold of the current process() round: taken when the round's first handler
   * starts and kept until its last one has ended, one hold per round rather than per batch (the
   * runner only passes microtasks between two batches of a round, so the self-advancing clock,
   * which moves on quiet event-loop turns, sees the same either way).
   */
  private releaseRound: (() => void) | undefined

  constructor(client: ClusterClient, group: ConsumerGroup, emitter: InstrumentationEmitter<typeof CONSUMER_EVENTS>, logger: Logger, options: RunnerOptions) {
    this.client = client
    this.model = client.model
    this.clientId = client.clientId
    this.group = group
    this.emitter = emitter
    this.log = logger
    this.options = options
  }

  /** Joins the group (run() resolves after this, as kafkajs's does) and starts the loop. */
  async start(): Promise<void> {
    this.running = true
    // Made in a local, then stored: see test/architecture/young-closures.test.ts.
    const onWake = (): void => this.wake()
    this.group.onWake = onWake
    const joining = this.group.joinAndSync(() => this.running)
    this.joining = joining
    try {
      const joined = await joining
      if (!joined) return
      this.needsJoin = false
    } catch (error) {
      if (!this.running) return
      this.running = false
      this.options.onCrash(error as Error)
      return
    } finally {
      this.joining = undefined
    }
    this.loop = this.runLoop()
  }

  /**
   * Stops fetching, waits for the handler in flight, leaves the group. Leaving first ends a
   * JoinGroup still parked at the coordinator, so stopping while run() is joining leaves no
   * member behind.
   */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.running = false
    this.wake()
    if (this.joining) await this.group.leave()
    await this.joining?.catch(() => {})
    await this.loop
    this.loop = undefined
    await this.group.leave()
  }

  /** Ends a waiting fetch or back-off now (a seek, a resume, a stop). */
  wake(): void {
    this.fetchAbort?.abort()
    this.wakeSleep?.()
  }

  /**
   * Nothing in flight, the group joined, and every assigned partition read to its end: the high
   * watermark, also for read_committed (records behind an open transaction are not read yet;
   * the transaction's timeout is what they wait for). A consumer of a paused (hung) client is
   * settled unless it is still a member holding unread partitions, which only its session
   * timeout can move away.
   */
  isSettled(): boolean {
    if (!this.running) return true
    // The runner's own fields and the group's: settle() asks every consumer, twice per settle,
    // and each object read is one more of every consumer's objects to bring into the cache.
    const model = this.model
    const group = this.group
    const hung = model.isClientPaused(this.clientId)
    if (hung) {
      if (this.needsJoin || !group.memberId || !model.groups.hasMember(group.groupId, group.memberId)) return true
      // What a hung process has read but not committed is as good as unread: after its session
      // timeout another member reads it again from the committed offset.
      return this.caughtUp(true)
    }
    if (this.needsJoin || this.inFlight > 0 || this.backingOff || group.hasPendingSeeks) return false
    const state = model.groups.groupStatus(group.groupId)
    if (!state || state.state !== 'Stable' || state.generationId !== group.generationId) return false
    return this.caughtUp()
  }

  private caughtUp(committed = false): boolean {
    const model = this.model
    const group = this.group
    const assigned = group.assignedPartitions()
    // The assignment lists a topic's partitions together: its partitions are looked up once.
    let topic: string | undefined
    let partitions: readonly Partition[] | undefined
    for (let i = 0; i < assigned.length; i++) {
      const entry = assigned[i]!
      if (entry.topic !== topic) {
        topic = entry.topic
        partitions = model.controller.topic(topic)?.partitions
      }
      const partition = entry.partition
      if (group.isPaused(topic, partition)) continue
      const p = partitions?.[partition]
      if (!p) continue
      const position = committed ? (model.groups.committedOffset(group.groupId, topic, partition) ?? p.logStartOffset) : group.position(topic, partition)
      if (position === undefined || position < p.highWatermark) return false
    }
    return true
  }

  describePending(): string {
    if (this.needsJoin) return `consumer of group ${this.group.groupId} is joining`
    if (this.inFlight > 0) return `consumer of group ${this.group.groupId} has a handler in flight`
    return `consumer of group ${this.group.groupId} (member ${this.group.memberId}) is not caught up or its group is rebalancing`
  }

  private async runLoop(): Promise<void> {
    const retry = retryConfig(this.options.retry)
    let retryCount = 0
    let retryTime = retry.initialRetryTime
    let staleInARow = 0
    while (this.running) {
      try {
        if (this.needsJoin) {
          if (!(await this.group.joinAndSync(() => this.running))) break
          this.needsJoin = false
        }
        await this.group.applySeeks()
        // A rebalance answered to the runner's heartbeat comes back as its code, handled as the
        // catch below handles that error (see heartbeatOrRejoinCode).
        const rejoinBeforeFetch = await this.group.heartbeatOrRejoinCode()
        if (rejoinBeforeFetch !== 0) {
          if (!this.running) break
          const committing = this.rebalancing(protocolErrorEntry(rejoinBeforeFetch).message)
          if (committing) await committing
          this.needsJoin = true
          continue
        }
        if (!this.running) break
        const fetched = await this.fetch()
        if (!this.running) break
        const rejoinAfterBatches = await this.process(fetched)
        if (rejoinAfterBatches !== 0) {
          if (!this.running) break
          const committing = this.rebalancing(protocolErrorEntry(rejoinAfterBatches).message)
          if (committing) await committing
          this.needsJoin = true
          continue
        }
        staleInARow = 0
        retryCount = 0
        retryTime = retry.initialRetryTime
      } catch (error) {
        if (!this.running) break
        const e = error as Error & { type?: string; retriable?: boolean }
        if (ConsumerGroup.isRebalance(e)) {
          const committing = this.rebalancing(e.message)
          if (committing) await committing
          this.needsJoin = true
          continue
        }
        if (e.type === 'UNKNOWN_MEMBER_ID') {
          this.log.error('The coordinator is not aware of this member, re-joining the group', { groupId: this.group.groupId, memberId: this.group.memberId })
          this.group.memberId = ''
          this.needsJoin = true
          continue
        }
        if (isStaleMetadata(e) || e.name === 'KafkaJSTopicMetadataNotLoaded') {
          // kafkajs's recoverFromFetch: refresh the metadata and rejoin at once. When that did
          // not help (a partition still without a leader), the retrier's back-off applies, so a
          // consumer never spins without time passing.
          await this.client.refreshMetadata().catch(() => {})
          this.needsJoin = true
          if (staleInARow++ === 0) continue
        }
        if (e.name === 'KafkaJSConnectionError') await this.client.refreshMetadata().catch(() => {})
        if (!isKafkaJSError(e)) this.log.error(`Error when calling eachMessage/eachBatch: ${e.message}`, { groupId: this.group.groupId, stack: e.stack })
        if (!isErrorRetriable(e)) {
          this.running = false
          this.options.onCrash(e)
          break
        }
        if (retryCount >= retry.retries) {
          this.running = false
          this.options.onCrash(new KafkaJSNumberOfRetriesExceeded(e, { retryCount, retryTime }))
          break
        }
        const wait = retryTime
        retryCount++
        retryTime = nextRetryTime(retry, retryTime, this.client.random)
        this.backingOff = true
        // A closed cluster ends the wait at once; the next attempt then fails and ends the loop.
        await this.sleep(wait, false).catch(() => {})
        this.backingOff = false
      }
    }
  }

  /**
   * The group rebalances (an error with `message` said so): the log line and event, and with
   * autoCommit the commit to wait for before rejoining. Not async, so that the caller awaits the
   * commit itself, the same turns as when this was written out in the catch below.
   */
  private rebalancing(message: string): Promise<void> | undefined {
    this.log.warn('The group is rebalancing, re-joining', { groupId: this.group.groupId, memberId: this.group.memberId, error: message })
    this.emitter.emit(CONSUMER_EVENTS.REBALANCING, { groupId: this.group.groupId, memberId: this.group.memberId })
    // What was processed is committed before rejoining (the coordinator still accepts the
    // current generation's commits while preparing the rebalance); the rest is redelivered.
    return this.options.autoCommit ? this.group.commitOffsets().catch(() => {}) : undefined
  }

  /** Waits on the cluster's clock; wake() ends it early. An idle wait is no pending work. */
  private async sleep(ms: number, idle: boolean): Promise<void> {
    const sleep = this.client.sleeper(ms, `consumer of group ${this.group.groupId} ${idle ? 'waiting for its next fetch' : 'in a retry back-off'}`, { idle })
    this.wakeSleep = sleep.wake
    try {
      await sleep.done
    } finally {
      if (this.wakeSleep === sleep.wake) this.wakeSleep = undefined
    }
  }

  /**
   * One fetch round: a request per leader; the first with data ends the others' long polls.
   * The requests are built by fetchRequests and each leader's answer read by readAnswer: the
   * frames that wait out the long polls (this one and fetchFrom's) keep room for every local
   * of their function while parked, from one rebalance to the next for every member of a
   * group, so they keep only what they need after the wait (issue 15).
   */
  private async fetch(): Promise<FetchedPartition[]> {
    const { leaders, topicsOf } = this.fetchRequests()
    const untilHeartbeat = Math.max(0, this.group.nextHeartbeatAt - this.client.clock.now())
    const maxWaitMs = Math.min(this.options.maxWaitTimeInMs, untilHeartbeat)
    if (leaders.length === 0) {
      // Nothing to fetch (no assignment, or all paused): wait as a fetch would, then heartbeat.
      // The wait fails only when the cluster is closed: that is a connection error, as the
      // fetch's would be (swallowing it spun this loop at one instant, found by test:long).
      await this.sleep(maxWaitMs, true)
      return []
    }
    // A round that ended without an abort (its long polls timed out) leaves its controller
    // unused: the next round takes it instead of making a new one with its signal (issue 15: a
    // member's fetch ends this way at each heartbeat, and at each rebalance).
    const abort = this.spareAbort ?? new AbortController()
    this.spareAbort = undefined
    this.fetchAbort = abort
    const out: FetchedPartition[] = []
    const polls: Promise<void>[] = new Array(leaders.length)
    for (let i = 0; i < leaders.length; i++) polls[i] = this.fetchFrom(leaders[i]!, topicsOf[i]!, maxWaitMs, abort, out)
    await Promise.all(polls)
    this.fetchAbort = undefined
    if (!abort.signal.aborted) this.spareAbort = abort
    return out
  }

  /**
   * The round's Fetch request entries: the leaders in the order the assigned partitions name
   * them, and each one's topics. Lists by leader slot rather than maps by leader id: a member
   * has a few leaders, and two maps and their tables per round were a good part of what each
   * member of a large group allocated per rebalance (issue 15).
   */
  private fetchRequests(): { leaders: number[]; topicsOf: FetchTopic[][] } {
    const leaders: number[] = []
    const topicsOf: FetchTopic[][] = []
    // Each leader slot's entry for the topic at hand: found at its slot, not by a search of the
    // leader's list per partition (quadratic over an assignment of 1 000 topics, issue 15).
    const entries: (FetchTopic | undefined)[] = []
    let entriesTopic: string | undefined
    const assigned = this.group.assignedPartitions()
    // The last round's request entries, one per assigned partition: a partition whose position
    // did not move is asked for with the same (never changed) entry, not a new one each round.
    if (this.fetchEntriesOf !== assigned) {
      this.fetchEntriesOf = assigned
      this.fetchEntries = new Array(assigned.length)
    }
    const fetchEntries = this.fetchEntries
    const partitionMaxBytes = this.options.maxBytesPerPartition
    for (let i = 0; i < assigned.length; i++) {
      const { topic, partition } = assigned[i]!
      if (this.group.isPaused(topic, partition)) continue
      const position = this.group.position(topic, partition)
      if (position === undefined) continue
      const leader = this.client.leaderFor(topic, partition)
      let slot = leaders.indexOf(leader)
      if (slot < 0) {
        slot = leaders.length
        leaders.push(leader)
        topicsOf.push([])
        entries.push(undefined)
      }
      // assignedPartitions lists a topic's partitions together, so a new topic starts new entries.
      if (entriesTopic !== topic) {
        entries.fill(undefined)
        entriesTopic = topic
      }
      let entry = entries[slot]
      if (!entry) {
        topicsOf[slot]!.push((entry = { name: topic, partitions: [] }))
        entries[slot] = entry
      }
      let asked = fetchEntries[i]
      if (asked === undefined || asked.fetchOffset !== position) fetchEntries[i] = asked = { index: partition, fetchOffset: position, partitionMaxBytes }
      entry.partitions.push(asked)
    }
    return { leaders, topicsOf }
  }

  /** One leader's share of a fetch round: its long poll, then its answer read into `out`. */
  private async fetchFrom(leader: number, topics: FetchTopic[], maxWaitMs: number, abort: AbortController, out: FetchedPartition[]): Promise<void> {
    // The payload is built only for a listener to receive it (emit drops it otherwise).
    if (this.emitter.listenerCount(CONSUMER_EVENTS.FETCH_START) > 0) this.emitter.emit(CONSUMER_EVENTS.FETCH_START, { nodeId: leader })
    const startedAt = this.client.clock.now()
    const response = await this.client.request(
      leader,
      {
        api: 'Fetch',
        maxWaitMs,
        minBytes: this.options.minBytes,
        maxBytes: this.options.maxBytes,
        isolationLevel: this.options.isolationLevel,
        topics,
        signal: abort.signal,
      },
      BACKGROUND,
    )
    // Read by readAnswer, which stops at a partition whose offset is out of range: its reset
    // is awaited here, in the answer's order, and the reading goes on after it.
    const reading: AnswerReading = { topic: 0, partition: 0, gotData: false, numberOfBatches: 0 }
    while (!this.readAnswer(response, topics, out, reading)) {
      // OFFSET_OUT_OF_RANGE: apply the reset policy, as kafkajs does, and carry on.
      const t = response.topics[reading.topic]!
      const index = t.partitions[reading.partition]!.index
      const offset = await this.group.resetOffset(t.name, index)
      this.log.error('Offset out of range, resetting to the default offset', { topic: t.name, partition: index, groupId: this.group.groupId, offset })
      this.group.setPosition(t.name, index, offset)
      reading.partition++
    }
    // The payload is built only for a listener to receive it (emit drops it otherwise). Its
    // count is this leader's: the leaders' answers share `out`, which a count from the length
    // it had before the request took in the other leaders' answers that came first.
    if (this.emitter.listenerCount(CONSUMER_EVENTS.FETCH) > 0) {
      this.emitter.emit(CONSUMER_EVENTS.FETCH, { numberOfBatches: reading.numberOfBatches, duration: this.client.clock.now() - startedAt, nodeId: leader })
    }
    // A shared reason: the default one is a new DOMException with a stack trace, for a
    // signal only the brokers' parked fetches listen to.
    if (reading.gotData) abort.abort(FETCH_ROUND_ANSWERED)
  }

  /**
   * Reads a leader's Fetch answer from where `reading` points, adding each partition that
   * fetched something to `out`. Answers true when done, false when it stopped at a partition
   * whose offset is out of range (`reading` then points at it). Throws another partition error.
   */
  private readAnswer(response: ResponseOf<'Fetch'>, topics: readonly FetchTopic[], out: FetchedPartition[], reading: AnswerReading): boolean {
    const answeredTopics = response.topics
    const firstTopic = reading.topic
    for (let ti = firstTopic; ti < answeredTopics.length; ti++) {
      const t = answeredTopics[ti]!
      // The leader answers in the order asked: each answer's request entry is at the same
      // place, and says where the fetch read from (the position when it was sent).
      const askedTopic = topics[ti]
      const asked = askedTopic !== undefined && askedTopic.name === t.name ? askedTopic.partitions : undefined
      // Indexed: the first round runs in V8's interpreter, where for-of makes an object per
      // partition, of which a fetch names thousands (issue 15).
      const answered = t.partitions
      for (let i = ti === firstTopic ? reading.partition : 0; i < answered.length; i++) {
        const p = answered[i]!
        if (p.errorCode === 1) {
          reading.topic = ti
          reading.partition = i
          return false
        }
        if (p.errorCode !== 0) throw createErrorFromCode(p.errorCode)
        // A partition with nothing fetched has nothing to process (process() would drop its
        // empty batch): on a topic of 10 000 partitions most answers are such (issue 15).
        if (p.batches.length === 0) continue
        const entry = asked?.[i]
        const position = entry !== undefined && entry.index === p.index ? entry.fetchOffset : (this.group.position(t.name, p.index) ?? 0)
        const range = fetchedRange(p.highWatermark, p.batches, position, p.abortedTransactions)
        // Nothing fetched after all (every batch below the position): nothing to process.
        if (range.last === undefined) continue
        reading.gotData = true
        if (range.hasMessages) reading.numberOfBatches++
        out.push({
          topic: t.name,
          partition: p.index,
          highWatermark: p.highWatermark,
          batches: p.batches,
          fromOffset: position,
          abortedTransactions: p.abortedTransactions,
          hasMessages: range.hasMessages,
          lastOffset: range.last,
        })
      }
    }
    return true
  }

  /** Hands the fetched batches to the handler, commits, heartbeats; answers the heartbeat's rejoin code (0: none). */
  private async process(fetched: FetchedPartition[]): Promise<number> {
    // Every entry fetched something: messages, or records filtered out that the position moves past.
    const work = fetched
    const concurrency = Math.max(1, this.options.partitionsConsumedConcurrently)
    let next = 0
    let failure: unknown
    const worker = async (): Promise<void> => {
      while (next < work.length && failure === undefined && this.running) {
        const item = work[next++]!
        try {
          await this.processBatch(item)
        } catch (error) {
          failure ??= error
        }
      }
    }
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, worker))
    } finally {
      this.releaseRound?.()
      this.releaseRound = undefined
    }
    if (failure !== undefined) throw failure
    if (this.options.autoCommit) await this.group.commitOffsets()
    // Awaited, not returned: an async function's return of a promise takes two turns more.
    const rejoinCode = await this.group.heartbeatOrRejoinCode()
    return rejoinCode
  }

  private async processBatch(fetched: FetchedPartition): Promise<void> {
    const { topic, partition } = fetched
    const group = this.group
    // Data for a partition paused, sought or revoked since the fetch is dropped (kafkajs too).
    if (!group.isAssigned(topic, partition) || group.hasSeekOffset(topic, partition) || group.isPaused(topic, partition)) return
    // Everything fetched was filtered out (control records): the position moves past it.
    if (!fetched.hasMessages) {
      const slot = group.offsetSlot(topic, partition)
      group.resolveOffsetAt(slot, fetched.lastOffset)
      group.setPositionAt(slot, fetched.lastOffset + 1)
      return
    }
    // What START_BATCH_PROCESS and END_BATCH_PROCESS report, as it stands before the handler
    // runs (the handler may change batch.messages): the payload is only built when a listener
    // is there to receive it (issue 15: built and spread for every batch, it was most of a small
    // batch's own cost), from a walk of the fetch that builds no message.
    let batchInfo: BatchInfo | undefined
    if (this.emitter.listenerCount(CONSUMER_EVENTS.START_BATCH_PROCESS) > 0 || this.emitter.listenerCount(CONSUMER_EVENTS.END_BATCH_PROCESS) > 0) {
      batchInfo = cursorBatchInfo(topic, partition, fetched)
      this.emitter.emit(CONSUMER_EVENTS.START_BATCH_PROCESS, batchInfo)
    }
    const startedAt = this.model.clock.now()
    this.inFlight++
    // The handler is the user's code: the self-advancing clock does not jump while it runs.
    this.releaseRound ??= this.model.holdClockFor(this.clientId, (this.handlerReason ??= `a consumer's ${this.options.eachMessage ? 'eachMessage' : 'eachBatch'} handler (group ${group.groupId})`))
    try {
      // Built from what the fetch read (the log's batches never change), now that it is needed:
      // for eachMessage each message just before its handler runs, for eachBatch the whole Batch.
      const eachMessage = this.options.eachMessage
      const eachBatch = this.options.eachBatch
      if (eachMessage) {
        const cursor = new MessageCursor(fetched.highWatermark, fetched.batches, fetched.fromOffset, fetched.abortedTransactions)
        await this.eachMessageLoop(eachMessage, topic, partition, cursor, cursor.next())
      } else if (eachBatch) {
        const slot = group.offsetSlot(topic, partition)
        const start = group.positionAt(slot) ?? 0
        let resolvedAny = false
        const common = this.commonHelpers
        // The Batch is built into the payload and held by no variable or closure of this frame:
        // once the handler's promise has settled, nothing here keeps its messages alive while
        // this frame waits for its turn to resume. Ten consumers of one process answered at once
        // each build a Batch before any of them resumes; held here (a closure read it, which put
        // it in the frame's context), ten partitions' messages were alive together and the young
        // generation's collections copied and promoted most of them (issue 15: eachBatch with ten
        // consumers 2x slower, 60% of what it allocated surviving a scavenge).
        await eachBatch({
          batch: toBatch(topic, partition, fetched.highWatermark, fetched.batches, fetched.fromOffset, fetched.abortedTransactions),
          resolveOffset(offset: string) {
            resolvedAny = true
            group.resolveOffset(topic, partition, offset)
            group.setPosition(topic, partition, Number(offset) + 1)
          },
          heartbeat: common.heartbeat,
          pause(): () => void {
            group.pause([{ topic, partitions: [partition] }])
            return () => group.resume([{ topic, partitions: [partition] }])
          },
          commitOffsetsIfNecessary: common.commitOffsetsIfNecessary,
          uncommittedOffsets: common.uncommittedOffsets,
          isRunning: common.isRunning,
          // kafkajs: a batch is stale once its partition has a pending seek.
          isStale() {
            return group.hasSeekOffset(topic, partition)
          },
        })
        if (this.options.eachBatchAutoResolve && this.running && !group.hasSeekOffset(topic, partition)) {
          // Batch.lastOffset(): the last offset fetched (the batch holds a message, so there is one).
          group.resolveOffsetAt(slot, fetched.lastOffset)
          group.setPositionAt(slot, fetched.lastOffset + 1)
        } else if (!resolvedAny) {
          group.setPositionAt(slot, start)
        }
      }
    } finally {
      this.inFlight--
    }
    if (this.emitter.listenerCount(CONSUMER_EVENTS.END_BATCH_PROCESS) > 0) {
      // A listener added while the handler ran still gets the batch as it was before it.
      batchInfo ??= cursorBatchInfo(topic, partition, fetched)
      this.emitter.emit(CONSUMER_EVENTS.END_BATCH_PROCESS, {
        topic: batchInfo.topic,
        partition: batchInfo.partition,
        highWatermark: batchInfo.highWatermark,
        offsetLag: batchInfo.offsetLag,
        offsetLagLow: batchInfo.offsetLagLow,
        batchSize: batchInfo.batchSize,
        firstOffset: batchInfo.firstOffset,
        lastOffset: batchInfo.lastOffset,
        duration: this.model.clock.now() - startedAt,
      })
    }
  }

  /**
   * The handler payloads' functions that name no partition (heartbeat, commitOffsetsIfNecessary,
   * uncommittedOffsets, isRunning), made once per runner and put in every payload: with one
   * batch per partition, a consumer of 10 000 partitions made 10 000 of each per fetch round
   * (issue 15). kafkajs's names, and they work when taken off the payload.
   */
  private readonly commonHelpers: CommonHelpers = {
    heartbeat: async (): Promise<void> => this.group.heartbeat(),
    commitOffsetsIfNecessary: async (offsets?: { topics: { topic: string; partitions: { partition: number | string; offset: string }[] }[] }): Promise<void> => {
      // With offsets, kafkajs commits exactly those (its Offsets shape); without, what is due.
      if (offsets) {
        await this.group.commitOffsets(offsets.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: Number(p.partition), offset: String(p.offset) }))))
      } else {
        await this.group.commitOffsetsIfNecessary()
      }
    },
    uncommittedOffsets: () => this.group.uncommittedOffsets(),
    isRunning: () => this.running,
  }

  /**
   * eachMessage over one partition's fetched messages, the first already taken from the cursor
   * (undefined: there are none): kafkajs's processEachMessage. Its own method, small, so that
   * it is optimized apart from the rest of a batch's handling: a fresh consumer's handler (and,
   * after a full GC, the consumer's hidden classes) are new to the optimized code, which is
   * compiled again, and a small loop is compiled again soon (issue 15).
   */
  private async eachMessageLoop(
    eachMessage: (payload: EachMessagePayload) => Promise<void>,
    topic: string,
    partition: number,
    cursor: MessageCursor,
    first: KafkaMessage | undefined,
  ): Promise<void> {
    const group = this.group
    const heartbeat = this.commonHelpers.heartbeat
    let pausedNow = false
    const pause = (): (() => void) => {
      group.pause([{ topic, partitions: [partition] }])
      pausedNow = true
      return () => group.resume([{ topic, partitions: [partition] }])
    }
    // The partition's offsets slot, found once (no join reloads the offsets while a batch runs).
    const slot = group.offsetSlot(topic, partition)
    for (let message: KafkaMessage | undefined = first; message !== undefined; message = cursor.next()) {
      if (!this.running || group.hasSeekOffset(topic, partition)) break
      // kafkajs resolves the message's offset as the handler leaves it: the number the cursor
      // made it from unless the handler replaced the string.
      const offsetText = message.offset
      const offsetNumber = cursor.offset
      try {
        await eachMessage({ topic, partition, message, heartbeat, pause })
      } catch (error) {
        // kafkajs commits what was processed before rethrowing, unless autoCommit is off.
        if (this.options.autoCommit) await group.commitOffsets().catch(() => {})
        throw error
      }
      const offset = message.offset === offsetText ? offsetNumber : Number(message.offset)
      group.resolveOffsetAt(slot, offset)
      group.setPositionAt(slot, offset + 1)
      // kafkajs awaits heartbeat() and commitOffsetsIfNecessary() after each message; when
      // neither is due (nearly always) both return at once having done nothing, so they are
      // only called, and awaited, when due. The handler's await is then the message's one
      // microtask turn (issue 15: two more awaits of nothing, each a promise and a turn,
      // were a third of a message's cost).
      if (group.heartbeatDue()) await group.heartbeat()
      if (group.commitDue()) await group.commitOffsetsIfNecessary()
      if (pausedNow || group.isPaused(topic, partition)) break
    }
  }
}

/** The payload functions every batch of a runner shares (Runner.commonHelpers). */
interface CommonHelpers {
  heartbeat(): Promise<void>
  commitOffsetsIfNecessary(offsets?: { topics: { topic: string; partitions: { partition: number | string; offset: string }[] }[] }): Promise<void>
  uncommittedOffsets(): ReturnType<ConsumerGroup['uncommittedOffsets']>
  isRunning(): boolean
}

/** START_BATCH_PROCESS's payload (END_BATCH_PROCESS adds the duration), in kafkajs's field order. */
interface BatchInfo {
  readonly topic: string
  readonly partition: number
  readonly highWatermark: string
  readonly offsetLag: string
  readonly offsetLagLow: string
  readonly batchSize: number
  readonly firstOffset: string | null
  readonly lastOffset: string
}

/**
 * The batch's START_BATCH_PROCESS payload from what Batch's methods answer: offsetLag is
 * hw - 1 - lastOffset, offsetLagLow hw - 1 - firstOffset ('0' when empty).
 */
function batchInfoOf(topic: string, partition: number, highWatermark: string, batchSize: number, firstOffset: string | null, lastOffset: string): BatchInfo {
  return {
    topic,
    partition,
    highWatermark,
    offsetLag: String(Number(highWatermark) - 1 - Number(lastOffset)),
    offsetLagLow: batchSize === 0 ? '0' : String(Number(highWatermark) - 1 - Number(firstOffset)),
    batchSize,
    firstOffset,
    lastOffset,
  }
}

/** batchInfoOf for the Batch toBatch would build of `fetched`, from a walk that builds no message. */
function cursorBatchInfo(topic: string, partition: number, fetched: FetchedPartition): BatchInfo {
  const walk = new MessageCursor(fetched.highWatermark, fetched.batches, fetched.fromOffset, fetched.abortedTransactions)
  const { count, firstOffset } = walk.skipRest()
  const highWatermark = String(fetched.highWatermark)
  // Batch.lastOffset(): hw - 1 when nothing was fetched at all.
  const lastOffset = walk.last === undefined ? String(fetched.highWatermark - 1) : String(walk.last)
  return batchInfoOf(topic, partition, highWatermark, count, firstOffset === undefined ? null : String(firstOffset), lastOffset)
}

/**
 * A Runner that lives as long as the module, as batch.ts keeps a cursor and a Batch: V8 drops a
 * class's hidden class at a full collection once no instance has it, and throws away every
 * optimized function that read one (the fetch loop, processBatch). Each fresh consumer after a
 * full GC then ran its first fetch rounds in the interpreter, on a topic of 10 000 partitions its
 * whole first round: 10 000 request entries, answers and batches (issue 15). Never started; its
 * fields hold objects, as a real one's do.
 */
const runnerShapeKeeper = new Runner({ model: {}, clientId: '' } as never, {} as never, {} as never, {} as never, {} as never)
void runnerShapeKeeper

/**
 * The same for ConsumerGroup, whose methods the fetch loop and processBatch inline: a group never
 * joined, of a client that is no client. Its clock readings are set to a fraction, as a real
 * clock's milliseconds since 1970 are beyond a small integer: the fields' hidden class is then
 * the one every real group's ends up with.
 */
const groupShapeKeeper = new ConsumerGroup(
  { model: {} } as never,
  {} as never,
  { namespace: () => ({}) } as never,
  { groupId: '', topics: [] } as never,
)
Object.assign(groupShapeKeeper, { lastHeartbeat: 0.5, lastCommit: 0.5 })

/** And for the consumer's InstrumentationEmitter, whose listenerCount processBatch asks per batch. */
const emitterShapeKeeper = new InstrumentationEmitter(CONSUMER_EVENTS, { clock: {} as never, logger: {} as never })
void emitterShapeKeeper
