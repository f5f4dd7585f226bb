/**
 * A HistoryRecorder wraps the kafkajs producers and consumers a test already has, so that what
 * they did can be checked with checkHistory(). The wrappers behave exactly like the clients they
 * wrap (same methods, same results, same errors); on the way they record:
 *
 * - producer.send / sendBatch: one SendOp per message, with the partition and offset the
 *   broker gave it (kafkajs answers one baseOffset per partition; a message's offset is the
 *   base plus its place among the call's messages for that partition);
 * - producer.transaction(): a TxnOp, with the sends, sendOffsets, commit and abort made through it;
 * - consumer.run's eachMessage / eachBatch: one PollOp per message handed to the handler;
 * - the consumer's group joins (assign), rebalances, commits (auto and explicit), seeks and crashes.
 *
 * Works with memkafka's facade and with kafkajs itself: it uses only kafkajs's public API
 * (methods, `events`, `on`).
 */
import { Partitioners, Random, type ICustomPartitioner } from 'memkafka'
import type { AssignOp, CommitOp, History, HistoryOp, OpType, PollOp, SendOp, TopicInfo, TxnOp } from './history.js'

// -------------------------------------------------------------------------------------------
// The client shapes the recorder needs (kafkajs's, loosely typed so that both kafkajs's own
// types and memkafka's fit).

/** A message as kafkajs's send() takes it. */
export interface MessageLike {
  key?: Buffer | string | null
  value: Buffer | string | null
  partition?: number
  [field: string]: unknown
}

interface RecordMetadataLike {
  topicName: string
  partition: number
  baseOffset?: string
}

/* eslint-disable @typescript-eslint/no-explicit-any -- kafkajs's signatures differ in detail between its types and ours */
export interface RecordableProducer {
  send(record: any): Promise<any>
  sendBatch(batch: any): Promise<any>
  transaction?(): Promise<any>
  isIdempotent?(): boolean
}

export interface RecordableKafka {
  producer(config?: any): RecordableProducer
  consumer(config: any): RecordableConsumer
}

export interface RecordableConsumer {
  run(config?: any): Promise<void>
  commitOffsets?(offsets: any): Promise<void>
  seek?(target: any): void
  on(event: any, listener: (event: any) => void): unknown
  readonly events: { readonly [name: string]: string }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface RecorderOptions {
  /**
   * Where op times come from: pass the cluster's clock (`cluster.clock`) to record virtual or
   * wall-clock ms. Without one, an op's time is its position in the history.
   */
  readonly clock?: { now(): number }
  /**
   * The topics the history touches. With their partition counts the recorder places keyed
   * messages the way the producer's partitioner does (see `partitioner`), so the offsets of a
   * send to several partitions are known; the checker also learns which topics are compacted.
   */
  readonly topics?: readonly TopicInfo[]
  /** The partitioner the producers use (default kafkajs's DefaultPartitioner); only keyed messages are placed with it. */
  readonly partitioner?: ICustomPartitioner
  /** How message keys and values become the history's strings (default UTF-8). */
  readonly decode?: (data: Buffer) => string
  /** The seed recorded in the history. */
  readonly seed?: number
  /**
   * The generation of a group at the moment a member joins it, when the test can tell (for
   * memkafka: `(g) => cluster.describe().groups.find((x) => x.groupId === g)?.generationId ?? null`).
   */
  readonly groupGeneration?: (groupId: string) => number | null
}

export interface RecordProducerOptions {
  /** The name the history gives this producer (Jepsen's process). Default producer-<n>. */
  readonly name?: string
  /** Whether it is idempotent; default: what `producer.isIdempotent()` says. */
  readonly idempotent?: boolean
  /** Its transactionalId, recorded with each transaction. */
  readonly transactionalId?: string
}

export interface RecordConsumerOptions {
  /** The name the history gives this consumer. Default consumer-<n>. */
  readonly name?: string
  /** Its groupId (learned from its first join otherwise). */
  readonly groupId?: string
  /** Set when the consumer was created with `readUncommitted: true`. */
  readonly readUncommitted?: boolean
}

export class HistoryRecorder {
  private readonly ops: HistoryOp[] = []
  private readonly clock: { now(): number } | undefined
  private readonly topics: TopicInfo[]
  private readonly partitionCounts = new Map<string, number>()
  private readonly placeKeyed: ReturnType<ICustomPartitioner>
  private readonly decode: (data: Buffer) => string
  private readonly seed: number | null
  private readonly groupGeneration: ((groupId: string) => number | null) | undefined
  private producers = 0
  private consumers = 0

  constructor(options: RecorderOptions = {}) {
    this.clock = options.clock
    this.topics = [...(options.topics ?? [])]
    for (const t of this.topics) this.partitionCounts.set(t.name, t.partitions)
    // Only keyed messages are placed, and a keyed placement uses no randomness; the seeded
    // source keeps the factory from drawing entropy at all.
    this.placeKeyed = (options.partitioner ?? Partitioners.DefaultPartitioner)({ random: new Random(0) })
    this.decode = options.decode ?? ((data) => data.toString('utf8'))
    this.seed = options.seed ?? null
    this.groupGeneration = options.groupGeneration
  }

  /** The history so far: a snapshot (later operations do not appear in it). */
  history(): History {
    return { ops: this.ops.map(copyOp), topics: this.topics.map((t) => ({ ...t })), seed: this.seed }
  }

  /** Tells the recorder about a topic (its partition count places keyed messages). */
  addTopic(topic: TopicInfo): void {
    const known = this.topics.findIndex((t) => t.name === topic.name)
    if (known >= 0) this.topics[known] = { ...topic }
    else this.topics.push({ ...topic })
    this.partitionCounts.set(topic.name, topic.partitions)
  }

  /** Records a fault (a nemesis operation) in the history. */
  fault(fault: { kind: string; [field: string]: string | number | boolean | null }): void {
    this.push({ kind: 'fault', index: this.ops.length, process: 'nemesis', time: this.now(), type: 'info', fault: { ...fault } })
  }

  /**
   * Records that `process` has read `topic`-`partition` to its end, `endOffset` (what a final
   * read establishes: see ReadToEndOp). Call it once the consumer has handled every record below
   * the partition's last stable offset, for example when its committed offset reached it.
   */
  readToEnd(process: string, topic: string, partition: number, endOffset: number): void {
    this.push({ kind: 'read-to-end', index: this.ops.length, process, time: this.now(), type: 'ok', topic, partition, endOffset })
  }

  // -----------------------------------------------------------------------------------------
  // A whole client

  /**
   * Wraps a kafkajs `Kafka`: every producer and consumer it makes is recorded (named
   * `<name>-producer-<n>` and `<name>-consumer-<n>`, default name: "kafka"). Hand it to the
   * code under test in place of the Kafka it would use.
   */
  kafka<K extends RecordableKafka>(kafka: K, options: { readonly name?: string } = {}): K {
    const prefix = options.name ?? 'kafka'
    let producers = 0
    let consumers = 0
    const producer = (config: { transactionalId?: string } = {}): RecordableProducer =>
      this.producer(kafka.producer(config), {
        name: `${prefix}-producer-${producers++}`,
        ...(config.transactionalId !== undefined ? { transactionalId: config.transactionalId } : {}),
      })
    const consumer = (config: { groupId: string; readUncommitted?: boolean }): RecordableConsumer =>
      this.consumer(kafka.consumer(config), { name: `${prefix}-consumer-${consumers++}`, groupId: config.groupId, readUncommitted: config.readUncommitted === true })
    return new Proxy(kafka, {
      get(target, property, receiver) {
        if (property === 'producer') return producer
        if (property === 'consumer') return consumer
        return Reflect.get(target, property, receiver)
      },
    })
  }

  // -----------------------------------------------------------------------------------------
  // Producers

  /** Wraps a producer: the same producer, its sends recorded. */
  producer<P extends RecordableProducer>(producer: P, options: RecordProducerOptions = {}): P {
    const name = options.name ?? `producer-${this.producers++}`
    const idempotent = (): boolean => options.idempotent ?? producer.isIdempotent?.() ?? false
    const send = (record: { topic: string; messages: MessageLike[]; acks?: number }): Promise<unknown> =>
      this.recordSend(name, idempotent(), null, [{ topic: record.topic, messages: record.messages }], record.acks, () => producer.send(record))
    const sendBatch = (batch: { topicMessages?: { topic: string; messages: MessageLike[] }[]; acks?: number }): Promise<unknown> =>
      this.recordSend(name, idempotent(), null, batch.topicMessages ?? [], batch.acks, () => producer.sendBatch(batch))
    const transaction = async (): Promise<unknown> => {
      const txn = await producer.transaction!()
      return this.wrapTransaction(name, options.transactionalId ?? null, txn)
    }
    return new Proxy(producer, {
      get(target, property, receiver) {
        if (property === 'send') return send
        if (property === 'sendBatch') return sendBatch
        if (property === 'transaction' && typeof target.transaction === 'function') return transaction
        return Reflect.get(target, property, receiver)
      },
    })
  }

  private wrapTransaction<T extends { send(r: any): Promise<any>; sendBatch(b: any): Promise<any>; commit(): Promise<void>; abort(): Promise<void>; sendOffsets?(o: any): Promise<void> }>(
    process: string,
    transactionalId: string | null,
    txn: T,
  ): T {
    const op: TxnOp = {
      kind: 'txn',
      index: this.ops.length,
      process,
      time: this.now(),
      type: 'info',
      transactionalId,
      // Until it commits, a transaction counts as aborted: the coordinator aborts any
      // transaction left open when transaction.timeout.ms passes.
      result: 'aborted',
      offsets: [],
      error: null,
      completedTime: null,
      endIndex: null,
    }
    this.push(op)
    let commitAsked = false
    const end = (type: OpType, result: TxnOp['result'], error: unknown): void => {
      op.type = type
      op.result = result
      op.error = error === undefined ? null : describeError(error)
      op.completedTime = this.now()
      op.endIndex = this.ops.length
    }
    const send = (record: { topic: string; messages: MessageLike[]; acks?: number }): Promise<unknown> =>
      this.recordSend(process, true, op.index, [{ topic: record.topic, messages: record.messages }], record.acks, () => txn.send(record))
    const sendBatch = (batch: { topicMessages?: { topic: string; messages: MessageLike[] }[]; acks?: number }): Promise<unknown> =>
      this.recordSend(process, true, op.index, batch.topicMessages ?? [], batch.acks, () => txn.sendBatch(batch))
    const sendOffsets = async (request: { consumerGroupId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<void> => {
      await txn.sendOffsets!(request)
      for (const t of request.topics) {
        for (const p of t.partitions) op.offsets.push({ group: request.consumerGroupId, topic: t.topic, partition: p.partition, offset: Number(p.offset) })
      }
    }
    const commit = async (): Promise<void> => {
      commitAsked = true
      op.result = 'unknown'
      try {
        await txn.commit()
      } catch (error) {
        // EndTxn may have reached the coordinator: the transaction may have committed.
        end('info', 'unknown', error)
        throw error
      }
      end('ok', 'committed', undefined)
    }
    const abort = async (): Promise<void> => {
      try {
        await txn.abort()
      } catch (error) {
        // Never committed: it ends aborted, by this abort or by the coordinator's timeout.
        if (!commitAsked) end('info', 'aborted', error)
        throw error
      }
      if (!commitAsked) end('ok', 'aborted', undefined)
    }
    return new Proxy(txn, {
      get(target, property, receiver) {
        if (property === 'send') return send
        if (property === 'sendBatch') return sendBatch
        if (property === 'sendOffsets' && typeof target.sendOffsets === 'function') return sendOffsets
        if (property === 'commit') return commit
        if (property === 'abort') return abort
        return Reflect.get(target, property, receiver)
      },
    })
  }

  /** One send call: an op per message, completed from the result (or the error). */
  private async recordSend<R>(
    process: string,
    idempotent: boolean,
    txn: number | null,
    topicMessages: readonly { topic: string; messages: readonly MessageLike[] }[],
    acks: number | undefined,
    call: () => Promise<R>,
  ): Promise<R> {
    const time = this.now()
    const first = this.ops.length
    const perTopic: { topic: string; ops: SendOp[]; messages: readonly MessageLike[] }[] = []
    for (const { topic, messages } of topicMessages) {
      if (!Array.isArray(messages)) continue
      let entry = perTopic.find((e) => e.topic === topic)
      if (!entry) perTopic.push((entry = { topic, ops: [], messages: [] }))
      for (const message of messages) {
        if (message === null || typeof message !== 'object') continue
        const op: SendOp = {
          kind: 'send',
          index: this.ops.length,
          process,
          time,
          type: 'info',
          call: first,
          topic,
          partition: this.placeMessage(topic, message),
          offset: null,
          key: this.text(message.key),
          value: this.text(message.value),
          acks: acks ?? -1,
          idempotent,
          txn,
          error: null,
          completedTime: null,
          endIndex: null,
        }
        this.push(op)
        entry.ops.push(op)
        entry.messages = [...entry.messages, message]
      }
    }
    let result: R
    try {
      result = await call()
    } catch (error) {
      const completedTime = this.now()
      for (const { ops } of perTopic) {
        for (const op of ops) {
          op.error = describeError(error)
          op.completedTime = completedTime
          op.endIndex = this.ops.length
        }
      }
      throw error
    }
    const completedTime = this.now()
    const results = (Array.isArray(result) ? result : []) as RecordMetadataLike[]
    for (const { topic, ops } of perTopic) {
      const answered = results.filter((r) => r.topicName === topic)
      // A send answered for a single partition put every message of the topic there.
      if (answered.length === 1) for (const op of ops) op.partition ??= answered[0]!.partition
      if (ops.every((op) => op.partition !== null)) {
        for (const r of answered) {
          if (r.baseOffset === undefined || r.baseOffset === '-1') continue
          const base = Number(r.baseOffset)
          ops.filter((op) => op.partition === r.partition).forEach((op, i) => (op.offset = base + i))
        }
      }
      for (const op of ops) {
        op.type = 'ok'
        op.completedTime = completedTime
        op.endIndex = this.ops.length
      }
    }
    return result
  }

  /** The partition a message goes to when the recorder can tell without the broker's answer. */
  private placeMessage(topic: string, message: MessageLike): number | null {
    if (typeof message.partition === 'number') return message.partition
    const count = this.partitionCounts.get(topic)
    if (count === 1) return 0
    if (count === undefined || message.key === undefined || message.key === null) return null
    const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }))
    return this.placeKeyed({ topic, partitionMetadata, message: message as never })
  }

  // -----------------------------------------------------------------------------------------
  // Consumers

  /** Wraps a consumer: the same consumer, what its handlers are given and its group events recorded. */
  consumer<C extends RecordableConsumer>(consumer: C, options: RecordConsumerOptions = {}): C {
    const name = options.name ?? `consumer-${this.consumers++}`
    const isolation: PollOp['isolation'] = options.readUncommitted ? 'read_uncommitted' : 'read_committed'
    let group: string | null = options.groupId ?? null
    const events = consumer.events
    consumer.on(events.GROUP_JOIN, (event: { payload: { groupId: string; memberId: string; memberAssignment: Record<string, number[]> } }) => {
      const { groupId, memberId, memberAssignment } = event.payload
      group = groupId
      const assignment = Object.keys(memberAssignment)
        .sort()
        .map((topic) => ({ topic, partitions: [...memberAssignment[topic]!].sort((a, b) => a - b) }))
      const op: AssignOp = {
        kind: 'assign',
        index: this.ops.length,
        process: name,
        time: this.now(),
        type: 'ok',
        group: groupId,
        memberId,
        generation: this.groupGeneration?.(groupId) ?? null,
        assignment,
      }
      this.push(op)
    })
    consumer.on(events.REBALANCING, (event: { payload: { groupId: string } }) => {
      this.push({ kind: 'rebalance', index: this.ops.length, process: name, time: this.now(), type: 'ok', group: event.payload.groupId })
    })
    consumer.on(events.COMMIT_OFFSETS, (event: { payload: { groupId: string; topics: { topic: string; partitions: { partition: string; offset: string }[] }[] } }) => {
      const offsets = event.payload.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: Number(p.partition), offset: Number(p.offset) })))
      this.pushCommit(name, event.payload.groupId, 'ok', offsets, null)
    })
    consumer.on(events.CRASH, (event: { payload: { error: unknown; restart: boolean } }) => {
      this.push({ kind: 'crash', index: this.ops.length, process: name, time: this.now(), type: 'info', group, error: describeError(event.payload.error), restart: event.payload.restart === true })
    })

    const poll = (topic: string, partition: number, message: { offset: string; key: Buffer | null; value: Buffer | null }): PollOp => {
      const op: PollOp = {
        kind: 'poll',
        index: this.ops.length,
        process: name,
        time: this.now(),
        type: 'fail',
        group,
        topic,
        partition,
        offset: Number(message.offset),
        key: this.text(message.key),
        value: this.text(message.value),
        isolation,
      }
      this.push(op)
      return op
    }

    type Handler<T> = (payload: T) => Promise<void>
    type MessagePayload = { topic: string; partition: number; message: { offset: string; key: Buffer | null; value: Buffer | null } }
    type BatchPayload = { batch: { topic: string; partition: number; messages: { offset: string; key: Buffer | null; value: Buffer | null }[] }; resolveOffset(offset: string): void }
    const run = (config: { eachMessage?: Handler<MessagePayload>; eachBatch?: Handler<BatchPayload>; eachBatchAutoResolve?: boolean } = {}): Promise<void> => {
      const wrapped: typeof config = { ...config }
      const { eachMessage, eachBatch } = config
      // Each wrapper is made in a local, then stored: see test/architecture/young-closures.test.ts.
      if (eachMessage) {
        const recordedEachMessage: Handler<MessagePayload> = async (payload) => {
          const op = poll(payload.topic, payload.partition, payload.message)
          await eachMessage(payload)
          op.type = 'ok'
        }
        wrapped.eachMessage = recordedEachMessage
      }
      if (eachBatch) {
        const autoResolve = config.eachBatchAutoResolve ?? true
        const recordedEachBatch: Handler<BatchPayload> = async (payload) => {
          const { topic, partition, messages } = payload.batch
          const ops = messages.map((m) => poll(topic, partition, m))
          let resolved = -1
          const resolveOffset = (offset: string): void => {
            resolved = Math.max(resolved, Number(offset))
            payload.resolveOffset(offset)
          }
          const resolvedUpTo = (): void => {
            for (const op of ops) if (op.offset <= resolved) op.type = 'ok'
          }
          try {
            await eachBatch(new Proxy(payload, { get: (target, p, r) => (p === 'resolveOffset' ? resolveOffset : Reflect.get(target, p, r)) }))
          } catch (error) {
            // kafkajs redelivers from the first message not resolved.
            resolvedUpTo()
            throw error
          }
          if (autoResolve) resolved = Number.MAX_SAFE_INTEGER
          resolvedUpTo()
        }
        wrapped.eachBatch = recordedEachBatch
      }
      return consumer.run(wrapped)
    }
    const commitOffsets = async (offsets: { topic: string; partition: number; offset: string }[]): Promise<void> => {
      try {
        await consumer.commitOffsets!(offsets)
      } catch (error) {
        this.pushCommit(name, group, 'fail', offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) })), describeError(error))
        throw error
      }
    }
    const seek = (target: { topic: string; partition: number; offset: string }): void => {
      consumer.seek!(target)
      this.push({ kind: 'seek', index: this.ops.length, process: name, time: this.now(), type: 'ok', topic: target.topic, partition: target.partition, offset: Number(target.offset) })
    }
    return new Proxy(consumer, {
      get(target, property, receiver) {
        if (property === 'run') return run
        if (property === 'commitOffsets' && typeof target.commitOffsets === 'function') return commitOffsets
        if (property === 'seek' && typeof target.seek === 'function') return seek
        return Reflect.get(target, property, receiver)
      },
    })
  }

  private pushCommit(process: string, group: string | null, type: OpType, offsets: CommitOp['offsets'], error: string | null): void {
    this.push({ kind: 'commit', index: this.ops.length, process, time: this.now(), type, group, offsets, error })
  }

  // -----------------------------------------------------------------------------------------

  private push(op: HistoryOp): void {
    this.ops.push(op)
  }

  private now(): number {
    return this.clock ? this.clock.now() : this.ops.length
  }

  private text(data: Buffer | string | null | undefined): string | null {
    if (data === null || data === undefined) return null
    return Buffer.isBuffer(data) ? this.decode(data) : String(data)
  }
}

/** `Name: message`, the way a history keeps an error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const type = (error as { type?: unknown }).type
    return `${error.name}${typeof type === 'string' ? ` (${type})` : ''}: ${error.message}`
  }
  return String(error)
}

/** A copy of an operation that later changes to the recorder's own cannot reach (plain data, nested one level). */
function copyOp(op: HistoryOp): HistoryOp {
  switch (op.kind) {
    case 'assign':
      return { ...op, assignment: op.assignment.map((a) => ({ topic: a.topic, partitions: [...a.partitions] })) }
    case 'commit':
    case 'txn':
      return { ...op, offsets: op.offsets.map((o) => ({ ...o })) } as HistoryOp
    case 'fault':
      return { ...op, fault: { ...op.fault } }
    default:
      return { ...op }
  }
}
