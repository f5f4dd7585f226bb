/**
 * The kafkajs producer (src/producer in kafkajs 2.2.4): send and sendBatch, partitioning,
 * one Produce request per leader, kafkajs's retry rules, and its events.
 *
 * Idempotent producers (`idempotent: true`) get a producer id at connect and number their
 * batches per partition; transactional producers (`transactionalId`) write through
 * `producer.transaction()`. Both follow kafkajs's eosManager (see eos-manager.ts).
 */
import { KafkaJSError, KafkaJSMetadataNotLoaded, KafkaJSNonRetriableError } from '../errors.js'
import { createErrorFromCode, isStaleMetadata } from '../protocol-error-table.js'
import { InstrumentationEmitter, PRODUCER_EVENTS, type InstrumentationListener } from '../instrumentation.js'
import type { ClusterClient } from '../cluster-client.js'
import { checkCompression } from '../compression.js'
import type { Logger } from '../logger.js'
import { Partitioners, type Partitioner } from './partitioners/index.js'
import { leadersById } from './partitioners/led-partitions.js'
import type { PartitionMetadata } from './partitioners/partitioner-types.js'
import { toProducerRecord, type Message, type TopicMessages } from './message.js'
import { PartitionGrouping } from './partition-grouping.js'
import { BrokerAnswers } from './broker-answers.js'
import type { Bail } from '../retry.js'
import type { ProducerRecord as StoredProducerRecord } from '../../cluster/log/record-batch.js'
import type { ProducePartitionData, ProduceResponse } from '../../cluster/api/messages.js'
import { EosManager, fencedAsOldEpoch } from './eos-manager.js'
import { Transaction } from './transaction.js'
import type { ProducerBatch, ProducerConfig, ProducerRecord, RecordMetadata } from './producer-types.js'

export type { ProducerBatch, ProducerConfig, ProducerRecord, RecordMetadata } from './producer-types.js'

type ConnectionStatus = 'connected' | 'disconnecting' | 'disconnected'

/**
 * The grouping tables of the last send, for the next one (any producer's: they are used up
 * before a send awaits anything). A send made from inside a partitioner finds none and makes
 * its own.
 */
let spareGrouping: PartitionGrouping | undefined

/** One broker's share of a send attempt: its Produce request's topics. */
interface BrokerRequest {
  readonly brokerId: number
  readonly topicData: { name: string; partitions: ProducePartitionData[] }[]
}

/** A send, across its attempts. */
interface ProduceSend {
  readonly eos: EosManager
  readonly topicMessages: readonly TopicMessages[]
  readonly topics: readonly string[]
  readonly acks: number
  readonly timeout: number
  /** The brokers planned and what each answered. */
  readonly answers: BrokerAnswers
}

export class Producer {
  readonly events = PRODUCER_EVENTS
  private readonly client: ClusterClient
  private readonly partitioner: Partitioner
  private readonly instrumentation: InstrumentationEmitter<typeof PRODUCER_EVENTS>
  private readonly log: Logger
  private status: ConnectionStatus = 'disconnected'
  private readonly idempotent: boolean
  private readonly transactionalId: string | undefined
  private readonly transactionTimeout: number | undefined
  /** The plain sends' manager: it holds a producer id only when the producer is idempotent. */
  private readonly idempotentEos: EosManager
  /** The transactions' manager, made by the first transaction() (kafkajs too). */
  private transactionalEos: EosManager | undefined

  constructor(client: ClusterClient, config: ProducerConfig = {}) {
    this.client = client
    this.log = client.logger.namespace('Producer')
    this.idempotent = config.idempotent ?? false
    this.transactionalId = config.transactionalId
    this.transactionTimeout = config.transactionTimeout
    // kafkajs: an idempotent producer must retry, since a retry is what its sequence numbers
    // make safe; a limit on retries is allowed but warned about.
    const retries = client.retryOptions?.retries
    if (this.idempotent && retries !== undefined && retries < 1) {
      throw new KafkaJSNonRetriableError('Idempotent producer must allow retries to protect against transient errors')
    }
    if (this.idempotent && retries !== undefined && retries < Number.MAX_SAFE_INTEGER) {
      this.log.warn('Limiting retries for the idempotent producer may invalidate EoS guarantees')
    }
    const createPartitioner = config.createPartitioner ?? Partitioners.DefaultPartitioner
    this.partitioner = createPartitioner({ random: client.random.fork() })
    this.instrumentation = new InstrumentationEmitter(PRODUCER_EVENTS, { clock: client.clock, logger: this.log })
    this.idempotentEos = new EosManager({
      client,
      logger: this.log,
      transactional: false,
      transactionalId: this.transactionalId,
      transactionTimeout: this.transactionTimeout,
    })
  }

  /** Connects; an idempotent producer then gets its producer id (InitProducerId), as kafkajs does. */
  connect = async (): Promise<void> => {
    await this.client.connect()
    this.status = 'connected'
    this.instrumentation.emit(PRODUCER_EVENTS.CONNECT)
    if (this.idempotent && !this.idempotentEos.isInitialized()) await this.idempotentEos.initProducerId()
  }

  disconnect = async (): Promise<void> => {
    this.status = 'disconnecting'
    this.client.disconnect()
    this.status = 'disconnected'
    this.instrumentation.emit(PRODUCER_EVENTS.DISCONNECT)
  }

  isIdempotent = (): boolean => this.idempotent

  on = (eventName: (typeof PRODUCER_EVENTS)[keyof typeof PRODUCER_EVENTS], listener: InstrumentationListener): (() => void) =>
    this.instrumentation.on(eventName, listener)

  logger = (): Logger => this.log

  /**
   * Begins a transaction (kafkajs's producer.transaction): one at a time per producer; the
   * producer id is fetched by the first one (InitProducerId to the transaction coordinator,
   * which fences any older producer with the same transactionalId).
   */
  transaction = async (): Promise<Transaction> => {
    if (!this.transactionalId) throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer')
    const eos = (this.transactionalEos ??= new EosManager({
      client: this.client,
      logger: this.log,
      transactional: true,
      transactionalId: this.transactionalId,
      transactionTimeout: this.transactionTimeout,
    }))
    if (eos.isInTransaction()) {
      throw new KafkaJSNonRetriableError('There is already an ongoing transaction for this producer. Please end the transaction before beginning another.')
    }
    if (!eos.isInitialized()) await eos.initProducerId()
    eos.beginTransaction()
    // A transaction's sends are idempotent whatever the producer's own `idempotent` says.
    return new Transaction(eos, {
      send: (record) => this.sendRecord(eos, true, record),
      sendBatch: (batch) => this.sending(eos, true, batch),
    })
  }

  // send and sendBatch reject (never throw) on bad input, as kafkajs's async functions do; they
  // hand back sendMessages's own promise rather than wrapping it in one more async frame per
  // call (issue 15: an awaited send went through eight of them).
  send = (record: ProducerRecord): Promise<RecordMetadata[]> => this.sendRecord(this.idempotentEos, this.idempotent, record)

  sendBatch = (batch: ProducerBatch): Promise<RecordMetadata[]> => this.sending(this.idempotentEos, this.idempotent, batch)

  private sendRecord(eos: EosManager, idempotent: boolean, record: ProducerRecord): Promise<RecordMetadata[]> {
    try {
      const { acks, timeout, compression, topic, messages } = record
      // The one entry is this send's own: nothing to merge or copy.
      return this.sendBatchWith(eos, idempotent, acks === undefined ? -1 : acks, timeout === undefined ? 30_000 : timeout, compression, [{ topic, messages }], true)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  private sending(eos: EosManager, idempotent: boolean, batch: ProducerBatch): Promise<RecordMetadata[]> {
    try {
      const { acks = -1, timeout = 30_000, compression, topicMessages = [] } = batch
      return this.sendBatchWith(eos, idempotent, acks, timeout, compression, topicMessages, false)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * kafkajs's messageProducer.sendBatch, for the plain producer or a transaction; throws on bad
   * input. `own`: topicMessages is this call's own list of one entry (send()), used as it is.
   */
  private sendBatchWith(
    eos: EosManager,
    idempotent: boolean,
    acks: number,
    timeout: number,
    compression: ProducerBatch['compression'],
    topicMessages: TopicMessages[],
    own: boolean,
  ): Promise<RecordMetadata[]> {
    // kafkajs asks topicMessages.some and messages.find; for arrays a loop asks the same, and
    // anything else is asked as kafkajs asks it, failing the same way.
    if (!Array.isArray(topicMessages) && (topicMessages as TopicMessages[]).some(({ topic }) => !topic)) throw new KafkaJSNonRetriableError('Invalid topic')
    for (const { topic } of topicMessages) if (!topic) throw new KafkaJSNonRetriableError('Invalid topic')
    // Without acks from every in-sync replica an acknowledged batch can be lost, and a retry of
    // it would not be recognised as a duplicate: kafkajs refuses.
    if (idempotent && acks !== -1) {
      throw new KafkaJSNonRetriableError(`Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees`)
    }
    for (const { topic, messages } of topicMessages) {
      if (!messages) throw new KafkaJSNonRetriableError(`Invalid messages array [${messages}] for topic "${topic}"`)
      if (!Array.isArray(messages)) {
        const withoutValue = (messages as Message[]).find((m) => m.value === undefined)
        if (withoutValue) throw new KafkaJSNonRetriableError(`Invalid message without value for topic "${topic}": ${JSON.stringify(withoutValue)}`)
      }
      for (const m of messages) {
        if (m.value === undefined) throw new KafkaJSNonRetriableError(`Invalid message without value for topic "${topic}": ${JSON.stringify(m)}`)
      }
    }
    if (this.status === 'disconnecting') {
      throw new KafkaJSNonRetriableError(`The producer is disconnecting; therefore, it can't safely accept messages anymore`)
    }
    if (this.status === 'disconnected') throw new KafkaJSError('The producer is disconnected')
    // Entries for the same topic are merged, in order (kafkajs messageProducer).
    let merged: TopicMessages[]
    if (own) merged = topicMessages
    else {
      merged = []
      for (const { topic, messages } of topicMessages) {
        const existing = merged.length === 0 ? undefined : merged.find((m) => m.topic === topic)
        if (existing) existing.messages = [...existing.messages, ...messages]
        else merged.push({ topic, messages })
      }
    }
    // kafkajs looks the codec up while encoding the batch; an unregistered one fails there.
    checkCompression(compression)
    return this.sendMessages(eos, merged, acks, timeout)
  }

  /**
   * kafkajs's sendMessages (src/producer/sendMessages.js): one Produce per leader, retried as a
   * whole per broker; a broker that has answered is not asked again on a retry. The result lists
   * brokers in the order they were first planned (by topic, then leader id) and each broker's
   * partitions in ascending order, as kafkajs's object-keyed grouping does.
   *
   * With a producer id, each broker's request holds that broker's lock while it adds new
   * partitions to the transaction (transactional), takes the partitions' next sequence numbers
   * and is answered; when it fails, the numbers are given back so that the retry carries the
   * same sequences and the broker recognises any batch it had already appended (KIP-98).
   */
  private sendMessages(eos: EosManager, topicMessages: TopicMessages[], acks: number, timeout: number): Promise<RecordMetadata[]> {
    const topics: string[] = new Array(topicMessages.length)
    for (let i = 0; i < topicMessages.length; i++) topics[i] = topicMessages[i]!.topic
    const send: ProduceSend = { eos, topicMessages, topics, acks, timeout, answers: new BrokerAnswers() }
    return this.client.retrier((bail, retryCount, retryTime) => this.attempt(send, bail, retryCount, retryTime))
  }

  /**
   * One attempt of a send. Written with handlers rather than as one async function: an async
   * function keeps every local of its body in a frame per call, larger than the message of an
   * awaited send of one (issue 15).
   */
  private attempt(send: ProduceSend, bail: Bail, retryCount: number, retryTime: number): Promise<RecordMetadata[]> {
    const client = this.client
    // Outside the attempt's error handling, as in kafkajs: a metadata error for the topics
    // themselves (unknown topic with auto-creation off, invalid name) goes straight to the
    // retrier, which retries it or, when it is not retriable, wraps it in
    // KafkaJSNonRetriableError. (The usual send targets known topics with fresh metadata:
    // nothing to wait for.)
    const now = client.clock.now()
    if (!client.hasFreshTargets(send.topics, now)) {
      return client.addTargetTopics(send.topics).then(() => this.planAndProduce(send, client.clock.now(), bail, retryCount, retryTime))
    }
    return this.planAndProduce(send, now, bail, retryCount, retryTime)
  }

  private planAndProduce(send: ProduceSend, now: number, bail: Bail, retryCount: number, retryTime: number): Promise<RecordMetadata[]> {
    let produced: Promise<unknown>
    try {
      // Brokers in the order they are first planned (the order the requests go out in).
      const perBroker: BrokerRequest[] = []
      // The grouping tables are used up before anything is awaited; a partitioner that sends
      // from inside this loop finds none spare and makes its own.
      const grouping = spareGrouping ?? new PartitionGrouping()
      spareGrouping = undefined
      try {
        for (const { topic, messages } of send.topicMessages) this.plan(grouping, send.answers, perBroker, topic, messages, now)
      } finally {
        if (grouping.keepable()) spareGrouping = grouping
      }
      if (perBroker.length === 1) {
        const { brokerId, topicData } = perBroker[0]!
        // The usual send: one broker, no producer id. Its answer goes straight to this
        // attempt's handlers (issue 15: two promises fewer on an awaited send's path).
        if (!send.eos.isInitialized() && !send.eos.isTransactional()) return this.produceAlone(send, brokerId, topicData, bail, retryCount, retryTime)
        produced = this.produceToBroker(send, brokerId, topicData)
      } else {
        const requests: Promise<void>[] = []
        for (const { brokerId, topicData } of perBroker) requests.push(this.produceToBroker(send, brokerId, topicData))
        produced = Promise.all(requests)
      }
    } catch (error) {
      return this.failedAttempt(error, bail, retryCount, retryTime)
    }
    return produced.then(
      () => send.answers.results(),
      (error: unknown) => this.failedAttempt(error, bail, retryCount, retryTime),
    )
  }

  /** An attempt's one request, when it needs no producer id: produceToBroker and planAndProduce's handlers in one. */
  private produceAlone(
    send: ProduceSend,
    brokerId: number,
    topicData: { name: string; partitions: ProducePartitionData[] }[],
    bail: Bail,
    retryCount: number,
    retryTime: number,
  ): Promise<RecordMetadata[]> {
    const client = this.client
    return client
      .requestUnmapped(brokerId, { api: 'Produce', transactionalId: null, acks: send.acks, timeoutMs: send.timeout, topics: topicData })
      .then(
        (response) => {
          let results: RecordMetadata[]
          try {
            results = produceResults(response, send.acks)
          } catch (error) {
            send.answers.forget(brokerId)
            return this.failedAttempt(error, bail, retryCount, retryTime)
          }
          send.answers.set(brokerId, results)
          return send.answers.results()
        },
        (error: unknown) => {
          send.answers.forget(brokerId)
          return this.failedAttempt(client.requestFailure(error, brokerId), bail, retryCount, retryTime)
        },
      )
  }

  /** kafkajs's handling of an attempt's error: metadata refreshed for the errors it may cure, then retried or given up. */
  private async failedAttempt(error: unknown, bail: Bail, retryCount: number, retryTime: number): Promise<RecordMetadata[]> {
    const e = error as KafkaJSError & { name: string }
    if (
      isStaleMetadata(e) ||
      e.name === 'KafkaJSMetadataNotLoaded' ||
      e.name === 'KafkaJSTopicMetadataNotLoaded' ||
      e.name === 'KafkaJSConnectionError' ||
      (e.name === 'KafkaJSProtocolError' && e.retriable)
    ) {
      this.log.error(`Failed to send messages: ${e.message}`, { retryCount, retryTime })
      // As in kafkajs, a failing refresh replaces the error the retrier sees.
      await this.client.refreshMetadata()
      throw e
    }
    this.log.error(e.message, { retryCount, retryTime })
    if (e.retriable) throw e
    bail(e)
    return []
  }

  /**
   * Plans one topic's messages of an attempt: grouped by partition (see PartitionGrouping), each
   * partition's records added to its leader's request, unless that leader answered an earlier
   * attempt.
   */
  private plan(
    grouping: PartitionGrouping,
    answers: BrokerAnswers,
    perBroker: BrokerRequest[],
    topic: string,
    messages: readonly Message[],
    now: number,
  ): void {
    const client = this.client
    const partitionMetadata = client.findTopicPartitionMetadata(topic)
    if (partitionMetadata.length === 0) throw new KafkaJSMetadataNotLoaded('Producing to topic without metadata')
    const count = messages.length
    choosePartitions(this.partitioner, topic, partitionMetadata, messages, grouping.partitions(count))
    grouping.group(count)
    const { order, runPartition, runStart, runCount } = grouping
    // Every leader is looked up before any is planned, so a partition without one fails the
    // attempt before anything is planned; the new leaders are then planned in ascending id
    // order. No per-call Map or Set (issue 15: bookkeeping).
    const leaders = leadersOf(client, topic, partitionMetadata, runPartition, runCount, grouping.leaders)
    let newLeaders: number[] | undefined
    for (let i = 0; i < runCount; i++) {
      const leader = leaders[i]!
      if (answers.has(leader)) continue
      if (newLeaders === undefined) newLeaders = [leader]
      else if (!newLeaders.includes(leader)) newLeaders.push(leader)
    }
    if (newLeaders !== undefined) {
      if (newLeaders.length > 1) newLeaders.sort((a, b) => a - b)
      for (const leader of newLeaders) answers.plan(leader)
    }
    let request: BrokerRequest | undefined
    for (let i = 0; i < runCount; i++) {
      const leader = leaders[i]!
      if (request?.brokerId !== leader) {
        if (answers.answered(leader)) continue
        request = brokerRequest(perBroker, leader, topic)
      }
      const from = runStart[i]!
      const size = runStart[i + 1]! - from
      // A partition of one record (a single send, or keyless messages dealt over many
      // partitions) gets a list of exactly one.
      let records: StoredProducerRecord[]
      if (size === 1) records = [toProducerRecord(messages[order[from]!]!, now)]
      else {
        records = new Array<StoredProducerRecord>(size)
        for (let k = 0; k < size; k++) records[k] = toProducerRecord(messages[order[from + k]!]!, now)
      }
      const entry: ProducePartitionData = { index: runPartition[i]!, records }
      // Topics are planned one after another (each once, merged above): this topic's entry, if
      // the broker has one yet, is its last.
      const topicData = request.topicData
      const topicEntry = topicData[topicData.length - 1]!
      if (topicEntry.partitions.length === 0) topicEntry.partitions = [entry]
      else if (topicEntry.name === topic) topicEntry.partitions.push(entry)
      else topicData.push({ name: topic, partitions: [entry] })
    }
  }

  /**
   * One broker's request of an attempt: its results are kept, or the broker is forgotten (a
   * failed request, or a partition error in its answer) and asked again on a retry.
   */
  private produceToBroker(send: ProduceSend, brokerId: number, topicData: { name: string; partitions: ProducePartitionData[] }[]): Promise<void> {
    const { eos, answers, acks, timeout } = send
    const forget = (error: unknown): never => {
      answers.forget(brokerId)
      throw error
    }
    // Without a producer id there is no lock to take and nothing to number (withBrokerLock and
    // produceWithSequences would hand the request straight through).
    if (eos.isInitialized() || eos.isTransactional()) {
      return eos
        .withBrokerLock(brokerId, () => this.produceWithSequences(eos, brokerId, acks, timeout, topicData))
        .then((results) => answers.set(brokerId, results), forget)
    }
    return this.produce(brokerId, acks, timeout, undefined, topicData).then((response) => {
      let results: RecordMetadata[]
      try {
        results = produceResults(response, acks)
      } catch (error) {
        return forget(error)
      }
      answers.set(brokerId, results)
    }, forget)
  }

  /** One broker's share of a send, numbered for an idempotent or transactional producer. */
  private async produceWithSequences(
    eos: EosManager,
    brokerId: number,
    acks: number,
    timeout: number,
    topicData: { name: string; partitions: ProducePartitionData[] }[],
  ): Promise<RecordMetadata[]> {
    if (eos.isTransactional()) await eos.addPartitionsToTransaction(topicData.map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.index) })))
    if (!eos.isInitialized()) return produceResults(await this.produce(brokerId, acks, timeout, undefined, topicData), acks)
    const numbered = topicData.map(({ name, partitions }) => ({
      name,
      partitions: partitions.map((data) => {
        const baseSequence = eos.getSequence(name, data.index)
        eos.updateSequence(name, data.index, data.records.length)
        return { ...data, producerId: eos.producerId, producerEpoch: eos.producerEpoch, baseSequence, isTransactional: eos.isTransactional() }
      }),
    }))
    try {
      return produceResults(await this.produce(brokerId, acks, timeout, eos.isTransactional() ? eos.transactionalId : undefined, numbered), acks)
    } catch (error) {
      for (const { name, partitions } of numbered) for (const data of partitions) eos.updateSequence(name, data.index, -data.records.length)
      throw error
    }
  }

  /** One Produce request (its response is read by produceResults). */
  private produce(
    brokerId: number,
    acks: number,
    timeout: number,
    transactionalId: string | undefined,
    topicData: { name: string; partitions: ProducePartitionData[] }[],
  ): Promise<ProduceResponse> {
    return this.client.request(brokerId, {
      api: 'Produce',
      transactionalId: transactionalId ?? null,
      acks,
      timeoutMs: timeout,
      topics: topicData,
    })
  }
}

/**
 * The response's partitions as kafkajs's RecordMetadata; the first partition error is thrown
 * (kafkajs's Produce decoder). acks=0 gets no response, so no result and no error (kafkajs).
 */
function produceResults(response: ProduceResponse, acks: number): RecordMetadata[] {
  if (acks === 0) return []
  let size = 0
  for (const t of response.topics) size += t.partitions.length
  // Sized once (a send over 1 000 partitions has 1 000 results: issue 15).
  const results: RecordMetadata[] = new Array(size)
  let n = 0
  for (const t of response.topics) {
    for (const p of t.partitions) {
      if (p.errorCode !== 0) throw fencedAsOldEpoch(p.errorCode)
      results[n++] = {
        topicName: t.name,
        partition: p.index,
        errorCode: 0,
        baseOffset: String(p.baseOffset),
        logAppendTime: String(p.logAppendTime),
        logStartOffset: String(p.logStartOffset),
      }
    }
  }
  return results
}

/**
 * The leader of each of the first `count` of `partitions` (client.leaderFor of each), written
 * into `leaders`: read from
 * the metadata's leader column when it names one, else asked of the client, which throws as it
 * always did for a partition the metadata lacks or one without a leader.
 */
function leadersOf(
  client: ClusterClient,
  topic: string,
  metadata: readonly PartitionMetadata[],
  partitions: Float64Array,
  count: number,
  leaders: Int32Array,
): Int32Array {
  const column = leadersById(metadata)
  for (let i = 0; i < count; i++) {
    const partition = partitions[i]!
    const known = column !== undefined && partition < column.length ? column[partition]! : -1
    leaders[i] = known >= 0 ? known : client.leaderFor(topic, partition)
  }
  return leaders
}

/**
 * The request planned for a broker in this attempt, made when it has none yet, with an empty
 * entry for `topic` (its first partition fills it).
 */
function brokerRequest(perBroker: BrokerRequest[], brokerId: number, topic: string): BrokerRequest {
  for (const request of perBroker) if (request.brokerId === brokerId) return request
  const request: BrokerRequest = { brokerId, topicData: [{ name: topic, partitions: EMPTY }] }
  perBroker.push(request)
  return request
}

/** An empty entry's partitions, replaced by a list of its first partition. */
const EMPTY: ProducePartitionData[] = []

/**
 * Asks the partitioner for each message's partition, in order, and writes it into
 * `partitionOf` (kafkajs's groupMessagesPerPartition: `partitioner({ topic, partitionMetadata,
 * message })`, a plain call). A function of its own, small enough for V8 to inline the
 * partitioner into it: the argument object of each call then never exists (issue 15: in plan(),
 * whose inlining budget the record conversion takes, every message of a send made one).
 */
function choosePartitions(partitioner: Partitioner, topic: string, partitionMetadata: PartitionMetadata[], messages: readonly Message[], partitionOf: Float64Array): void {
  for (let i = 0; i < messages.length; i++) {
    const partition = partitioner({ topic, partitionMetadata, message: messages[i]! })
    checkPartition(topic, partition)
    partitionOf[i] = partition
  }
}

/**
 * kafkajs hands whatever the partitioner returns to its leader lookup, which silently drops
 * messages for a partition it has no metadata for (the send resolves and nothing is written).
 * memkafka refuses instead of losing data: a partition that can never exist (negative, not an
 * integer) fails at once; one past the end is UNKNOWN_TOPIC_OR_PARTITION from the leader
 * lookup, retried with fresh metadata in case partitions were added meanwhile.
 */
function checkPartition(topic: string, partition: number): void {
  if (!Number.isInteger(partition) || partition < 0) {
    throw new KafkaJSNonRetriableError(`Invalid partition ${String(partition)} for topic "${topic}": a partition is an integer >= 0`)
  }
}
