/**
 * Hand-made histories for the checker's tests: a tiny builder that writes operations the way a
 * recorder would (indexes in invocation order, completions placed with endIndex).
 */
import type { AssignOp, History, HistoryOp, PollOp, ReadToEndOp, SendOp, TopicInfo, TxnOp } from '../../src/testing/history.js'

export interface SendOptions {
  readonly acks?: number
  readonly idempotent?: boolean
  readonly txn?: TxnOp
  readonly type?: SendOp['type']
  readonly key?: string | null
  /** Leave it in flight; complete it later with complete(). */
  readonly pending?: boolean
}

export interface PollOptions {
  readonly isolation?: PollOp['isolation']
  readonly key?: string | null
  readonly type?: PollOp['type']
  readonly group?: string
}

export class HistoryBuilder {
  readonly ops: HistoryOp[] = []
  private time = 0
  private readonly topics: TopicInfo[] = []

  topic(name: string, partitions = 1, compacted = false): this {
    this.topics.push({ name, partitions, compacted })
    return this
  }

  /** One message sent, acknowledged at once (unless pending), at `offset` (null: unknown). */
  send(process: string, topic: string, partition: number | null, offset: number | null, value: string | null, options: SendOptions = {}): SendOp {
    const index = this.ops.length
    const op: SendOp = {
      kind: 'send',
      index,
      process,
      time: this.time++,
      type: options.pending ? 'info' : (options.type ?? 'ok'),
      call: index,
      topic,
      partition,
      offset: options.type === 'fail' || options.type === 'info' ? null : offset,
      key: options.key ?? null,
      value,
      acks: options.txn || options.idempotent ? -1 : (options.acks ?? -1),
      idempotent: options.idempotent ?? options.txn !== undefined,
      txn: options.txn?.index ?? null,
      error: options.type === 'fail' || options.type === 'info' ? 'KafkaJSError: failed' : null,
      completedTime: options.pending ? null : this.time,
      endIndex: options.pending ? null : index + 1,
    }
    this.ops.push(op)
    return op
  }

  /** Completes a pending send, now. */
  complete(op: SendOp, offset: number): void {
    op.type = 'ok'
    op.offset = offset
    op.completedTime = this.time++
    op.endIndex = this.ops.length
  }

  poll(process: string, topic: string, partition: number, offset: number, value: string | null, options: PollOptions = {}): PollOp {
    const op: PollOp = {
      kind: 'poll',
      index: this.ops.length,
      process,
      time: this.time++,
      type: options.type ?? 'ok',
      group: options.group ?? 'g',
      topic,
      partition,
      offset,
      key: options.key ?? null,
      value,
      isolation: options.isolation ?? 'read_committed',
    }
    this.ops.push(op)
    return op
  }

  /** Polls `values` at consecutive offsets from `from` (or at the given offsets). */
  polls(process: string, topic: string, partition: number, entries: [offset: number, value: string][], options: PollOptions = {}): PollOp[] {
    return entries.map(([offset, value]) => this.poll(process, topic, partition, offset, value, options))
  }

  assign(process: string, topic: string, partitions: number[], group = 'g'): AssignOp {
    const op: AssignOp = {
      kind: 'assign',
      index: this.ops.length,
      process,
      time: this.time++,
      type: 'ok',
      group,
      memberId: `${process}-member`,
      generation: null,
      assignment: [{ topic, partitions }],
    }
    this.ops.push(op)
    return op
  }

  /** A transaction, opened now; end it with end(). */
  txn(process: string, transactionalId = `tx-${process}`): TxnOp {
    const op: TxnOp = {
      kind: 'txn',
      index: this.ops.length,
      process,
      time: this.time++,
      type: 'info',
      transactionalId,
      result: 'aborted',
      offsets: [],
      error: null,
      completedTime: null,
      endIndex: null,
    }
    this.ops.push(op)
    return op
  }

  end(txn: TxnOp, result: TxnOp['result']): void {
    txn.result = result
    txn.type = result === 'unknown' ? 'info' : 'ok'
    txn.completedTime = this.time++
    txn.endIndex = this.ops.length
  }

  seek(process: string, topic: string, partition: number, offset: number): void {
    this.ops.push({ kind: 'seek', index: this.ops.length, process, time: this.time++, type: 'ok', topic, partition, offset })
  }

  readToEnd(process: string, topic: string, partition: number, endOffset: number): ReadToEndOp {
    const op: ReadToEndOp = { kind: 'read-to-end', index: this.ops.length, process, time: this.time++, type: 'ok', topic, partition, endOffset }
    this.ops.push(op)
    return op
  }

  build(): History {
    return { ops: this.ops, topics: this.topics, seed: null }
  }
}
