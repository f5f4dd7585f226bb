/**
 * A history: what clients did and saw, operation by operation, in the order they were invoked.
 * It is the input of checkHistory() and the output of simulate() and of a HistoryRecorder.
 *
 * The shape follows Jepsen's Kafka workload (jepsen.tests.kafka): producers *send* values to
 * topic-partitions and learn the offsets they were given; consumers *poll* values at offsets;
 * both are Jepsen's *processes*. Jepsen keeps an invocation and a completion per operation; here
 * one record carries both, with the completion's place in the order (`endIndex`), so that "B was
 * invoked after A completed" is `B.index >= A.endIndex`.
 *
 * Every value is plain data (strings, numbers, null): `JSON.stringify` of a history is its
 * complete, canonical form, and two runs of one seeded simulation give the same string.
 *
 * Values are text (message values decoded as UTF-8). The checker assumes each value is sent once
 * per topic, as Jepsen does: it is how a read is traced back to its write.
 */

/** How an operation ended (Jepsen's completion types). */
export type OpType =
  /** It happened, and the client knows its result. */
  | 'ok'
  /** It definitely did not happen (nothing was written, the read is not a read). */
  | 'fail'
  /** Unknown: it may or may not have happened (a timeout, a broken connection, retries exhausted). */
  | 'info'

/** Fields every operation has. */
export interface OpBase {
  /** Position in `History.ops`: operations are listed in the order they were invoked. */
  readonly index: number
  /** The client that performed it (a producer's or consumer's name): Jepsen's *process*. */
  readonly process: string
  /** When it was invoked (or happened), in the recorder's clock's ms: virtual time in a simulation. */
  readonly time: number
}

/**
 * One message sent. A `send()` of several messages gives one SendOp per message, in message
 * order, sharing `call` (the index of the call's first message).
 */
export interface SendOp extends OpBase {
  readonly kind: 'send'
  type: OpType
  readonly call: number
  readonly topic: string
  /** The partition it was written to; null when unknown (failed before it was placed, or not attributable). */
  partition: number | null
  /** The offset the broker gave it; null when unknown (acks=0, failed, info). */
  offset: number | null
  readonly key: string | null
  /** null for a tombstone (a tombstone has no identity: the value-tracing checks skip it). */
  readonly value: string | null
  /** The send's acks: -1 (all), 1 (leader) or 0 (none). */
  readonly acks: number
  /** Sent by an idempotent producer, or inside a transaction (transactions are idempotent too). */
  readonly idempotent: boolean
  /** The index of the TxnOp this send belongs to; null outside a transaction. */
  readonly txn: number | null
  /** The error's name and message when it did not end 'ok'. */
  error: string | null
  /** When it completed (null while pending, or never completed: then type is 'info'). */
  completedTime: number | null
  /** How many operations had been invoked when it completed: later ones have index >= endIndex. */
  endIndex: number | null
}

/** One message a consumer's handler was given (eachMessage, or one message of an eachBatch batch). */
export interface PollOp extends OpBase {
  readonly kind: 'poll'
  /** 'ok': the handler processed it; 'fail': the handler threw (kafkajs delivers it again). */
  type: 'ok' | 'fail'
  readonly group: string | null
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  /** null for a tombstone. */
  readonly value: string | null
  /** read_committed (kafkajs's default) never returns aborted or uncommitted transactional data. */
  readonly isolation: 'read_committed' | 'read_uncommitted'
}

/** A consumer joined its group (consumer.group_join): what it owns from now until its next rebalance. */
export interface AssignOp extends OpBase {
  readonly kind: 'assign'
  readonly type: 'ok'
  readonly group: string
  readonly memberId: string
  /** The group's generation, when the recorder could learn it; null otherwise. */
  readonly generation: number | null
  /** Partitions by topic, sorted. */
  readonly assignment: { readonly topic: string; readonly partitions: readonly number[] }[]
}

/** A consumer learned that its group is rebalancing (consumer.rebalancing): it will rejoin. */
export interface RebalanceOp extends OpBase {
  readonly kind: 'rebalance'
  readonly type: 'ok'
  readonly group: string
}

/** Offsets committed for a group: by a consumer (auto or explicit commit). */
export interface CommitOp extends OpBase {
  readonly kind: 'commit'
  readonly type: OpType
  readonly group: string | null
  readonly offsets: { readonly topic: string; readonly partition: number; readonly offset: number }[]
  readonly error: string | null
}

/** consumer.seek(): the consumer's position in one partition moves; what follows starts there. */
export interface SeekOp extends OpBase {
  readonly kind: 'seek'
  readonly type: 'ok'
  readonly topic: string
  readonly partition: number
  readonly offset: number
}

/**
 * A transaction (producer.transaction()): its sends carry its index. `result` is what became of
 * it, as far as the client can tell:
 * - 'committed': commit() resolved;
 * - 'aborted': abort() was called, or it was never committed (a transaction that is not
 *   committed is aborted by the coordinator once transaction.timeout.ms passes);
 * - 'unknown': commit() was called and failed or never returned (it may have committed).
 */
export interface TxnOp extends OpBase {
  readonly kind: 'txn'
  type: OpType
  readonly transactionalId: string | null
  result: 'committed' | 'aborted' | 'unknown'
  /** Consumer offsets sent into the transaction (sendOffsets), by group. */
  readonly offsets: { readonly group: string; readonly topic: string; readonly partition: number; readonly offset: number }[]
  error: string | null
  completedTime: number | null
  endIndex: number | null
}

/** A consumer crashed (consumer.crash); `restart` says whether kafkajs restarts it. */
export interface CrashOp extends OpBase {
  readonly kind: 'crash'
  readonly type: 'info'
  readonly group: string | null
  readonly error: string
  readonly restart: boolean
}

/** A fault the simulation (Jepsen's nemesis) injected; plain data describing it. */
export interface FaultOp extends OpBase {
  readonly kind: 'fault'
  readonly type: 'info'
  readonly fault: { readonly kind: string; readonly [field: string]: string | number | boolean | null }
}

/**
 * A consumer read a partition to its end: everything the partition held below `endOffset` that a
 * consumer of its isolation level can read was handed to it (the final reads of a simulation).
 * It lets the checker call a write lost even where no poll reached its offset.
 */
export interface ReadToEndOp extends OpBase {
  readonly kind: 'read-to-end'
  readonly type: 'ok'
  readonly topic: string
  readonly partition: number
  /** The partition's end when the reader got there (its last stable offset, for read_committed). */
  readonly endOffset: number
}

export type HistoryOp = SendOp | PollOp | AssignOp | RebalanceOp | CommitOp | SeekOp | TxnOp | CrashOp | FaultOp | ReadToEndOp

export type OpKind = HistoryOp['kind']

/** What the checker should know of a topic. */
export interface TopicInfo {
  readonly name: string
  readonly partitions: number
  /**
   * cleanup.policy includes compact: the cleaner removes older values of a key, so a value never
   * read is not a lost write and a consumer may jump over removed offsets.
   */
  readonly compacted: boolean
}

export interface History {
  /** Every operation, in invocation order (`ops[i].index === i`). */
  readonly ops: HistoryOp[]
  /** The topics the history touches, when known (simulate() fills it; a recorder is told). */
  readonly topics: TopicInfo[]
  /** The seed of the simulation that produced it, or null. */
  readonly seed: number | null
}
