/**
 * checkHistory(): the black-box checks 8-14 of KAFKA-SEMANTICS.md over a recorded history,
 * after Jepsen's Kafka checker (jepsen.tests.kafka):
 *
 *  8. inconsistent-offsets  one partition offset holds two values (sends and polls disagree);
 *  9. duplicate             one value stored at two offsets (anomalous only with idempotence);
 * 10. lost-write            an acknowledged write that no poll ever read, at or below the
 *                           highest offset any poll read of its partition, or on a partition a
 *                           consumer later read to its end (a read-to-end op);
 * 11. aborted-read          a read_committed poll returned a value whose write definitely did
 *                           not commit (an aborted transaction, a failed send);
 * 12. poll-skip /           a consumer, between two group joins, jumped over an offset that
 *     nonmonotonic-poll     exists, or went back (or read one offset twice);
 * 13. nonmonotonic-send     a producer's send to a partition, begun after another had been
 *                           acknowledged, got an offset no higher than it;
 * 14. pipeline-missing /    consume-transform-produce: the output topic holds each input value
 *     -duplicate /          (transformed) exactly once, and nothing else.
 *     -unexpected
 * and for compacted topics (KAFKA-SEMANTICS.md, compaction):
 *     compaction-lost-value a consumer that read a partition to its end did not see the last
 *                           committed value of a key (nor a later one of that key).
 *
 * As in Jepsen, offsets are compared through a *version order* per partition: the offsets known
 * to hold committed data (from read_committed polls and from writes that committed), in order.
 * Transaction markers and aborted records take offsets no committed read or write ever names,
 * so they are not in it, and a consumer stepping over them skips nothing.
 *
 * Some anomalies are allowed by the configuration: a write acknowledged with acks=0/1 may be
 * lost when its leader fails (and its offset then holds another value), a producer without
 * idempotence may write a retried send twice, an unclean leader election may lose committed
 * writes. Those are reported in `allowed`, with the reason, and leave the history valid.
 */
import type { History, HistoryOp, PollOp, ReadToEndOp, SendOp, TopicInfo, TxnOp } from './history.js'

export type AnomalyKind =
  | 'inconsistent-offsets'
  | 'duplicate'
  | 'lost-write'
  | 'aborted-read'
  | 'poll-skip'
  | 'nonmonotonic-poll'
  | 'nonmonotonic-send'
  | 'pipeline-missing'
  | 'pipeline-duplicate'
  | 'pipeline-unexpected'
  | 'compaction-lost-value'

export const ANOMALY_KINDS: readonly AnomalyKind[] = [
  'inconsistent-offsets',
  'duplicate',
  'lost-write',
  'aborted-read',
  'poll-skip',
  'nonmonotonic-poll',
  'nonmonotonic-send',
  'pipeline-missing',
  'pipeline-duplicate',
  'pipeline-unexpected',
  'compaction-lost-value',
]

export interface Anomaly {
  readonly kind: AnomalyKind
  readonly topic: string
  /** The partition concerned; null when the anomaly spans partitions (a duplicate across them). */
  readonly partition: number | null
  /** The offsets concerned (the offset, the skipped ones, the two sends'...). */
  readonly offsets: number[]
  /** The values concerned. */
  readonly values: (string | null)[]
  /** What happened, in a sentence naming the operations by their index (#n). */
  readonly message: string
  /** The operations that show it. */
  readonly ops: HistoryOp[]
  /** Why the configuration allows it; set on the anomalies of `CheckResult.allowed`. */
  readonly allowedBecause?: string
}

/** A consume-transform-produce pipeline whose output must equal its input (check 14). */
export interface PipelineSpec {
  readonly input: string
  readonly output: string
  /** The output value the pipeline writes for an input value (default: the same value). */
  readonly transform?: (value: string) => string
}

export interface CheckOptions {
  /**
   * A write acknowledged with acks=0 or acks=1 may be lost: its leader acknowledged it alone and
   * failed before a follower copied it. Default true:
   * such a loss (and the other value its offset then holds, and a send or poll that seems to
   * go back or skip because of it) is allowed. false: every acknowledged write must survive.
   */
  readonly allowUnsafeAckLoss?: boolean
  /**
   * A producer without idempotence may store a value twice: a send retried after the broker had
   * written it (NOT_ENOUGH_REPLICAS_AFTER_APPEND, a timeout, a lost connection). Default true.
   */
  readonly allowDuplicatesWithoutIdempotence?: boolean
  /**
   * unclean.leader.election.enable (or losing unflushed data in a crash): committed writes may
   * be lost, offsets reused, consumers thrown back. Allows lost-write, inconsistent-offsets,
   * poll-skip, nonmonotonic-poll and nonmonotonic-send. Default false.
   */
  readonly allowUncleanLoss?: boolean
  /** Anomaly kinds the configuration allows whatever their cause. */
  readonly allow?: readonly AnomalyKind[]
  /** Consume-transform-produce pipelines to check (check 14). */
  readonly pipelines?: readonly PipelineSpec[]
}

export interface CheckStats {
  readonly ops: number
  readonly sends: { readonly ok: number; readonly fail: number; readonly info: number }
  readonly polls: number
  /** Writes known to have committed (acknowledged, or in a committed transaction). */
  readonly committedWrites: number
  /**
   * Committed writes no poll read that could not be judged: above the highest offset read of
   * their partition (or at an unknown offset), on a partition nobody read to its end afterwards.
   */
  readonly unseen: number
  /** Polled values no send in the history wrote (written by someone not recorded). */
  readonly readsWithoutWrite: number
}

export interface CheckResult {
  /** No anomaly outside what the options allow. */
  readonly valid: boolean
  /** The anomalies found that the options do not allow, by kind then position. */
  readonly anomalies: Anomaly[]
  /** The anomalies found that the options allow, each with `allowedBecause`. */
  readonly allowed: Anomaly[]
  /** How many anomalies (not allowed) of each kind. */
  readonly counts: Record<AnomalyKind, number>
  readonly stats: CheckStats
}

type WriteStatus = 'committed' | 'aborted' | 'unknown'

const UNCLEAN_KINDS: ReadonlySet<AnomalyKind> = new Set(['lost-write', 'inconsistent-offsets', 'poll-skip', 'nonmonotonic-poll', 'nonmonotonic-send', 'compaction-lost-value'])
const TOMBSTONE = '\u0000tombstone'

/** A finding before the options judge it: `allowance` is the reason it may be allowed, if any. */
/** Where a value is stored, and the operations that say so. */
interface Location {
  readonly partition: number
  readonly offset: number
  readonly ops: (SendOp | PollOp)[]
}

interface Finding {
  readonly anomaly: Omit<Anomaly, 'allowedBecause'>
  /** Why the configuration may allow it (decided by the options), or a derived reason. */
  allowance: string | undefined
}

export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  if (typeof history !== 'object' || history === null || !Array.isArray(history.ops) || !Array.isArray(history.topics)) {
    throw new TypeError(`checkHistory needs a History (simulate()'s or a HistoryRecorder's: an object with ops and topics arrays), got ${history === null ? 'null' : typeof history}`)
  }
  return new Analysis(history, options).run()
}

/** A human-readable report of a check's anomalies (for assertion messages). */
export function formatCheckResult(result: CheckResult, limit = 20): string {
  if (result.valid && result.allowed.length === 0) return 'no anomalies'
  const lines: string[] = []
  const list = (title: string, anomalies: Anomaly[]): void => {
    if (anomalies.length === 0) return
    lines.push(`${title} (${anomalies.length}):`)
    for (const a of anomalies.slice(0, limit)) lines.push(`  ${a.kind}: ${a.message}${a.allowedBecause ? ` [allowed: ${a.allowedBecause}]` : ''}`)
    if (anomalies.length > limit) lines.push(`  ... and ${anomalies.length - limit} more`)
  }
  list('anomalies', result.anomalies)
  list('allowed', result.allowed)
  return lines.join('\n')
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`
const where = (topic: string, partition: number | null, offset?: number): string => `${topic}-${partition ?? '?'}${offset === undefined ? '' : `@${offset}`}`
const quote = (value: string | null): string => (value === null ? 'a tombstone' : JSON.stringify(value))
const refs = (ops: readonly HistoryOp[]): string => ops.map((op) => `${op.kind} #${op.index}`).join(', ')

class Analysis {
  private readonly options: CheckOptions
  private readonly ops: readonly HistoryOp[]
  private readonly sends: SendOp[] = []
  private readonly polls: PollOp[] = []
  private readonly txns = new Map<number, TxnOp>()
  private readonly topics = new Map<string, TopicInfo>()
  private readonly findings: Finding[] = []
  /** topic -> value -> every poll that read it. */
  private readonly readers = new Map<string, Map<string, PollOp[]>>()
  /** topic -> value -> every send that wrote it. */
  private readonly writers = new Map<string, Map<string, SendOp[]>>()
  /** partition key -> offset -> what sends and polls say it holds. */
  private readonly claims = new Map<string, Map<number, (SendOp | PollOp)[]>>()
  /** Sends whose offset turned out to hold another value (their write was overwritten). */
  private readonly overwritten = new Set<SendOp>()
  /** Lost sends, with the finding reporting each. */
  private readonly lost = new Map<SendOp, Finding>()
  /** partition key -> offsets holding committed data, ascending (the version order). */
  private readonly committedOrder = new Map<string, number[]>()
  /** partition key -> every offset any operation names, ascending (for read_uncommitted consumers). */
  private readonly fullOrder = new Map<string, number[]>()
  /** partition key -> highest offset any poll read. */
  private readonly maxRead = new Map<string, PollOp>()
  /** partition key -> the last time a consumer read it to its end. */
  private readonly readToEnd = new Map<string, ReadToEndOp>()
  private visible: Map<string, Map<string, Map<string, Location>>> | undefined
  private unseen = 0
  /** Committed writes no poll read, at offsets above what the polls of their partition reached. */
  private readonly unseenSends = new Set<SendOp>()
  private readsWithoutWrite = 0

  constructor(history: History, options: CheckOptions) {
    this.options = options
    this.ops = history.ops
    for (const t of history.topics ?? []) this.topics.set(t.name, t)
    for (const op of this.ops) {
      if (op.kind === 'send') {
        this.sends.push(op)
        if (op.value !== null) push(nested(this.writers, op.topic), op.value, op)
      } else if (op.kind === 'poll') {
        this.polls.push(op)
        if (op.value !== null) push(nested(this.readers, op.topic), op.value, op)
        const key = keyOf(op.topic, op.partition)
        const max = this.maxRead.get(key)
        if (!max || op.offset > max.offset) this.maxRead.set(key, op)
      } else if (op.kind === 'txn') {
        this.txns.set(op.index, op)
      } else if (op.kind === 'read-to-end') {
        this.readToEnd.set(keyOf(op.topic, op.partition), op)
      }
    }
  }

  run(): CheckResult {
    this.collectClaims()
    this.inconsistentOffsets()
    this.versionOrders()
    this.lostWrites()
    this.duplicates()
    this.abortedReads()
    this.pollOrder()
    this.sendOrder()
    for (const pipeline of this.options.pipelines ?? []) this.pipeline(pipeline)
    this.compactedKeys()
    return this.result()
  }

  // -----------------------------------------------------------------------------------------
  // What each write became

  private status(send: SendOp): WriteStatus {
    if (send.txn !== null) {
      const txn = this.txns.get(send.txn)
      if (txn?.result === 'aborted') return 'aborted'
      if (txn?.result === 'committed' && send.type === 'ok') return 'committed'
      return 'unknown'
    }
    if (send.type === 'ok') return 'committed'
    return send.type === 'fail' ? 'aborted' : 'unknown'
  }

  /**
   * Jepsen's must-have-committed: it committed, or its outcome is unknown but a committed read saw
   * it — where it was written, when the send learned its offset (a transaction retried after an
   * unknown outcome writes the same value again elsewhere, and that copy's read says nothing of
   * this one).
   */
  private mustHaveCommitted(send: SendOp): boolean {
    const status = this.status(send)
    if (status === 'committed') return true
    if (status === 'aborted' || send.value === null) return false
    const placed = send.partition !== null && send.offset !== null
    return (this.readers.get(send.topic)?.get(send.value) ?? []).some(
      (p) => p.isolation === 'read_committed' && (!placed || (p.partition === send.partition && p.offset === send.offset)),
    )
  }

  private seen(send: SendOp): boolean {
    return send.value !== null && (this.readers.get(send.topic)?.get(send.value)?.length ?? 0) > 0
  }

  private compacted(topic: string): boolean {
    return this.topics.get(topic)?.compacted === true
  }

  // -----------------------------------------------------------------------------------------
  // 8. One offset, one value

  private collectClaims(): void {
    for (const op of [...this.sends, ...this.polls]) {
      if (op.partition === null || op.offset === null) continue
      push(nested(this.claims, keyOf(op.topic, op.partition)), op.offset, op)
    }
  }

  private inconsistentOffsets(): void {
    for (const offsets of this.claims.values()) {
      for (const [offset, claims] of offsets) {
        const byValue = new Map<string, (SendOp | PollOp)[]>()
        for (const c of claims) push(byValue, c.value ?? TOMBSTONE, c)
        if (byValue.size < 2) continue
        const polled = new Set(claims.filter((c) => c.kind === 'poll').map((c) => c.value ?? TOMBSTONE))
        // What the log really held is what polls read there; a send claiming something else was
        // overwritten (its write lost when a leader without it took over and reused the offset).
        if (polled.size === 1) {
          const [held] = polled
          for (const c of claims) if (c.kind === 'send' && (c.value ?? TOMBSTONE) !== held) this.overwritten.add(c)
        }
        // Only writes acknowledged with acks=0/1 disagree with the rest: their loss explains it.
        const safe = new Set(claims.filter((c) => c.kind === 'poll' || c.acks === -1).map((c) => c.value ?? TOMBSTONE))
        const { topic, partition } = claims[0]!
        const values = [...byValue.keys()].map((v) => (v === TOMBSTONE ? null : v))
        const described = [...byValue.values()].map((ops) => `${quote(ops[0]!.value)} (${refs(ops)})`).join(' and ')
        this.report(
          {
            kind: 'inconsistent-offsets',
            topic,
            partition: partition!,
            offsets: [offset],
            values,
            message: `${where(topic, partition, offset)} holds ${described}`,
            ops: uniqueOps(claims),
          },
          safe.size <= 1 ? this.unsafeAckLoss() : undefined,
        )
      }
    }
  }

  // -----------------------------------------------------------------------------------------
  // Version orders

  /** A claim that puts its offset in the committed version order. */
  private showsCommitted(claim: SendOp | PollOp): boolean {
    return claim.kind === 'poll' ? claim.isolation === 'read_committed' : this.mustHaveCommitted(claim) && !this.overwritten.has(claim)
  }

  private versionOrders(): void {
    for (const [key, offsets] of this.claims) {
      const committed: number[] = []
      for (const [offset, claims] of offsets) {
        if (claims.some((c) => this.showsCommitted(c))) committed.push(offset)
      }
      this.committedOrder.set(key, committed.sort((a, b) => a - b))
      this.fullOrder.set(key, [...offsets.keys()].sort((a, b) => a - b))
    }
  }

  // -----------------------------------------------------------------------------------------
  // 10. Lost writes

  private lostWrites(): void {
    for (const send of this.sends) {
      if (this.status(send) !== 'committed' || send.value === null) continue
      if (this.seen(send)) continue
      const key = send.partition === null ? undefined : keyOf(send.topic, send.partition)
      const max = key === undefined ? undefined : this.maxRead.get(key)
      // A read to the partition's end begun after the write was acknowledged covers every offset.
      const end = key === undefined ? undefined : this.readToEnd.get(key)
      const readPast = send.offset !== null && max !== undefined && send.offset <= max.offset
      const readToEnd = end !== undefined && send.endIndex !== null && end.index >= send.endIndex
      if ((!readPast && !readToEnd) || this.compacted(send.topic)) {
        this.unseen++
        this.unseenSends.add(send)
        continue
      }
      const at = send.offset === null ? `${send.topic}-${send.partition}` : where(send.topic, send.partition, send.offset)
      const because = readPast ? `poll #${max!.index} read up to offset ${max!.offset}` : `${end!.process} read ${send.topic}-${send.partition} to its end, offset ${end!.endOffset} (read-to-end #${end!.index})`
      const finding = this.report(
        {
          kind: 'lost-write',
          topic: send.topic,
          partition: send.partition,
          offsets: send.offset === null ? [] : [send.offset],
          values: [send.value],
          message: `${quote(send.value)} acknowledged at ${at} (send #${send.index}, acks=${send.acks}) was never read, though ${because}`,
          ops: [send, readPast ? max! : end!],
        },
        send.acks !== -1 ? this.unsafeAckLoss() : undefined,
      )
      this.lost.set(send, finding)
    }
  }

  // -----------------------------------------------------------------------------------------
  // 9. Duplicates

  private duplicates(): void {
    for (const [topic, byValue] of this.visibleValues()) {
      for (const [value, locations] of byValue) {
        if (locations.size < 2) continue
        const at = [...locations.values()]
        const ops = uniqueOps(at.flatMap((l) => l.ops))
        const partitions = new Set(at.map((l) => l.partition))
        const writers = this.writers.get(topic)?.get(value) ?? []
        this.report(
          {
            kind: 'duplicate',
            topic,
            partition: partitions.size === 1 ? at[0]!.partition : null,
            offsets: at.map((l) => l.offset),
            values: [value],
            message: `${quote(value)} is stored ${at.length} times: ${at.map((l) => `${where(topic, l.partition, l.offset)} (${refs(l.ops)})`).join(', ')}`,
            ops,
          },
          writers.length > 0 && writers.every((w) => !w.idempotent) && this.options.allowDuplicatesWithoutIdempotence !== false
            ? 'its producer is not idempotent: a send retried after the broker had written it is written again'
            : undefined,
        )
      }
    }
  }

  /** topic -> value -> where it is committed and visible, with the operations that show it. */
  private visibleValues(): Map<string, Map<string, Map<string, Location>>> {
    if (this.visible) return this.visible
    const visible = new Map<string, Map<string, Map<string, Location>>>()
    const add = (op: SendOp | PollOp): void => {
      if (op.value === null || op.partition === null || op.offset === null) return
      const locations = nested(nested(visible, op.topic), op.value)
      const place = `${op.partition}@${op.offset}`
      const known = locations.get(place)
      if (known) known.ops.push(op)
      else locations.set(place, { partition: op.partition, offset: op.offset, ops: [op] })
    }
    for (const p of this.polls) if (p.isolation === 'read_committed') add(p)
    for (const s of this.sends) if (this.mustHaveCommitted(s) && !this.overwritten.has(s)) add(s)
    this.visible = visible
    return visible
  }

  // -----------------------------------------------------------------------------------------
  // 11. Aborted reads

  private abortedReads(): void {
    for (const poll of this.polls) {
      if (poll.isolation !== 'read_committed' || poll.value === null) continue
      const writers = this.writers.get(poll.topic)?.get(poll.value)
      if (!writers || writers.length === 0) {
        this.readsWithoutWrite++
        continue
      }
      if (!writers.every((w) => this.status(w) === 'aborted')) continue
      const txns = writers.flatMap((w) => (w.txn === null ? [] : [this.txns.get(w.txn)!]))
      this.report(
        {
          kind: 'aborted-read',
          topic: poll.topic,
          partition: poll.partition,
          offsets: [poll.offset],
          values: [poll.value],
          message: `poll #${poll.index} (read_committed) read ${quote(poll.value)} at ${where(poll.topic, poll.partition, poll.offset)}, written by ${refs(writers)} which ${txns.length > 0 ? `belong${writers.length === 1 ? 's' : ''} to an aborted transaction (${refs(txns)})` : 'failed'}`,
          ops: uniqueOps([poll, ...writers, ...txns]),
        },
        undefined,
      )
    }
  }

  // -----------------------------------------------------------------------------------------
  // 12. Each consumer reads on from where it was, between group joins

  private pollOrder(): void {
    const last = new Map<string, Map<string, PollOp>>()
    for (const op of this.ops) {
      if (op.kind === 'assign' || op.kind === 'crash') {
        // A new assignment (kafkajs rejoins with eager rebalancing: everything is revoked and
        // read again from the committed offsets) or a restart: positions start afresh.
        last.delete(op.process)
      } else if (op.kind === 'seek') {
        last.get(op.process)?.delete(keyOf(op.topic, op.partition))
      } else if (op.kind === 'poll' && op.type === 'ok') {
        const positions = nested(last, op.process)
        const key = keyOf(op.topic, op.partition)
        const previous = positions.get(key)
        positions.set(key, op)
        if (previous) this.comparePolls(previous, op, key)
      }
    }
  }

  private comparePolls(previous: PollOp, next: PollOp, key: string): void {
    const { topic, partition } = next
    // Offsets ascend in the version order, so comparing offsets compares positions in it.
    if (next.offset <= previous.offset) {
      this.report(
        {
          kind: 'nonmonotonic-poll',
          topic,
          partition,
          offsets: [previous.offset, next.offset],
          values: [previous.value, next.value],
          message: `${next.process} read ${where(topic, partition, next.offset)} (poll #${next.index}) after ${where(topic, partition, previous.offset)} (poll #${previous.index}) with no rebalance between`,
          ops: [previous, next],
        },
        undefined,
      )
      return
    }
    if (this.compacted(topic)) return
    const order = (next.isolation === 'read_committed' ? this.committedOrder : this.fullOrder).get(key) ?? []
    const skipped = order.filter((offset) => offset > previous.offset && offset < next.offset)
    if (skipped.length === 0) return
    // Offsets that only lost writes put in the order hold nothing anyone could read: skipping
    // them follows from those losses, and is allowed when they are. (For a read_committed
    // consumer, the other claims on such an offset, aborted or failed writes, never made it
    // an offset to read.)
    const causes: Finding[] = []
    let onlyLost = true
    for (const offset of skipped) {
      const all = this.claims.get(key)?.get(offset) ?? []
      const claims = next.isolation === 'read_committed' ? all.filter((c) => this.showsCommitted(c)) : all
      if (claims.length === 0 || !claims.every((c) => c.kind === 'send' && this.lost.has(c))) onlyLost = false
      else for (const c of claims) causes.push(this.lost.get(c as SendOp)!)
    }
    const evidence = skipped.flatMap((offset) => (this.claims.get(key)?.get(offset) ?? []).slice(0, 2))
    this.report(
      {
        kind: 'poll-skip',
        topic,
        partition,
        offsets: skipped,
        values: [previous.value, next.value],
        message: `${next.process} read ${where(topic, partition, next.offset)} (poll #${next.index}) right after ${where(topic, partition, previous.offset)} (poll #${previous.index}), skipping offset${skipped.length === 1 ? '' : 's'} ${skipped.join(', ')} (${refs(evidence)})`,
        ops: uniqueOps([previous, next, ...evidence]),
      },
      onlyLost ? this.derivedAllowance(causes) : undefined,
    )
  }

  // -----------------------------------------------------------------------------------------
  // 13. A producer's sequential sends to one partition get increasing offsets

  private sendOrder(): void {
    const byProducer = new Map<string, SendOp[]>()
    for (const s of this.sends) if (s.type === 'ok' && s.partition !== null && s.offset !== null) push(byProducer, `${s.process}\u0000${keyOf(s.topic, s.partition)}`, s)
    for (const sends of byProducer.values()) {
      for (let b = 0; b < sends.length; b++) {
        const later = sends[b]!
        // The last of this producer's sends to the partition acknowledged before `later` began.
        let before: SendOp | undefined
        for (let a = 0; a < b; a++) {
          const s = sends[a]!
          if (s.call === later.call || s.endIndex === null || s.endIndex > later.index) continue
          if (!before || s.endIndex > before.endIndex! || (s.endIndex === before.endIndex && s.index > before.index)) before = s
        }
        if (!before || later.offset! > before.offset!) continue
        // A reused offset follows from the earlier write's loss (or the later one was answered
        // with an old write's offset and lost): allowed when that loss is. An earlier acks=0/1
        // write that no poll read, above the offsets the polls reached, was lost too (the later
        // write took its offset): allowed as its loss would be.
        const causes = [before, later].filter((s) => this.lost.has(s)).map((s) => this.lost.get(s)!)
        const unseenUnsafe = this.unseenSends.has(before) && before.acks !== -1
        this.report(
          {
            kind: 'nonmonotonic-send',
            topic: later.topic,
            partition: later.partition,
            offsets: [before.offset!, later.offset!],
            values: [before.value, later.value],
            message: `${later.process} sent ${quote(later.value)} (send #${later.index}) after ${quote(before.value)} (send #${before.index}) was acknowledged at ${where(later.topic, later.partition, before.offset!)}, and got offset ${later.offset}`,
            ops: [before, later],
          },
          causes.length > 0 ? this.derivedAllowance(causes) : unseenUnsafe ? this.unsafeAckLoss() : undefined,
        )
      }
    }
  }

  // -----------------------------------------------------------------------------------------
  // 14. Exactly-once pipelines

  private pipeline(spec: PipelineSpec): void {
    const visible = this.visibleValues()
    const inputs = visible.get(spec.input) ?? new Map<string, Map<string, Location>>()
    const outputs = visible.get(spec.output) ?? new Map<string, Map<string, Location>>()
    const transform = spec.transform ?? ((v: string) => v)
    const expected = new Set<string>()
    const placesOf = (topic: string, locations: Map<string, Location>): string => [...locations.values()].map((l) => where(topic, l.partition, l.offset)).join(', ')
    for (const [value, locations] of inputs) {
      const out = transform(value)
      expected.add(out)
      const found = outputs.get(out)
      const inputOps = uniqueOps([...locations.values()].flatMap((l) => l.ops))
      if (!found) {
        this.report(
          {
            kind: 'pipeline-missing',
            topic: spec.output,
            partition: null,
            offsets: [],
            values: [value, out],
            message: `${quote(value)} of ${placesOf(spec.input, locations)} (${refs(inputOps)}) never reached ${spec.output} as ${quote(out)}`,
            ops: inputOps,
          },
          undefined,
        )
      } else if (found.size > 1) {
        const outputOps = uniqueOps([...found.values()].flatMap((l) => l.ops))
        this.report(
          {
            kind: 'pipeline-duplicate',
            topic: spec.output,
            partition: null,
            offsets: [...found.values()].map((l) => l.offset),
            values: [value, out],
            message: `${quote(value)} of ${spec.input} reached ${spec.output} ${found.size} times: ${placesOf(spec.output, found)} (${refs(outputOps)})`,
            ops: uniqueOps([...inputOps, ...outputOps]),
          },
          undefined,
        )
      }
    }
    for (const [value, locations] of outputs) {
      if (expected.has(value)) continue
      const outputOps = uniqueOps([...locations.values()].flatMap((l) => l.ops))
      this.report(
        {
          kind: 'pipeline-unexpected',
          topic: spec.output,
          partition: null,
          offsets: [...locations.values()].map((l) => l.offset),
          values: [value],
          message: `${quote(value)} at ${placesOf(spec.output, locations)} (${refs(outputOps)}) comes from no value of ${spec.input}`,
          ops: outputOps,
        },
        undefined,
      )
    }
  }

  // -----------------------------------------------------------------------------------------
  // Compaction: the last value of every key survives

  /**
   * On a compacted topic the cleaner removes a key's older values, never its last: a consumer
   * that read a partition to its end (a read-to-end op, after the write was acknowledged) has
   * seen, for every key, the last committed value, or a later value of that key (from a write
   * whose outcome its producer did not learn). Tombstones (null values) are not traced.
   */
  private compactedKeys(): void {
    const lastByKey = new Map<string, SendOp>()
    for (const send of this.sends) {
      if (!this.compacted(send.topic) || send.key === null || send.value === null || send.partition === null || send.offset === null) continue
      if (this.status(send) !== 'committed' || this.overwritten.has(send)) continue
      const id = `${keyOf(send.topic, send.partition)}\u0000${send.key}`
      const known = lastByKey.get(id)
      if (!known || send.offset > known.offset!) lastByKey.set(id, send)
    }
    for (const send of lastByKey.values()) {
      const end = this.readToEnd.get(keyOf(send.topic, send.partition!))
      if (!end || send.endIndex === null || end.index < send.endIndex) continue
      const read = this.polls.some(
        (p) => p.process === end.process && p.topic === send.topic && p.partition === send.partition && p.key === send.key && p.offset >= send.offset! && p.index < end.index,
      )
      if (read) continue
      const finding = this.lost.get(send)
      this.report(
        {
          kind: 'compaction-lost-value',
          topic: send.topic,
          partition: send.partition,
          offsets: [send.offset!],
          values: [send.value],
          message: `${quote(send.value)}, the last value of key ${quote(send.key)} (send #${send.index}, ${where(send.topic, send.partition, send.offset!)}), was not read by ${end.process}, which read ${send.topic}-${send.partition} to its end (read-to-end #${end.index})`,
          ops: [send, end],
        },
        finding ? this.derivedAllowance([finding]) : send.acks !== -1 ? this.unsafeAckLoss() : undefined,
      )
    }
  }

  // -----------------------------------------------------------------------------------------
  // Judging

  private unsafeAckLoss(): string | undefined {
    return this.options.allowUnsafeAckLoss === false ? undefined : 'a write acknowledged with acks=0/1 may be lost when its leader fails before a follower copies it'
  }

  private uncleanLoss(): string {
    return 'unclean leader election may lose committed writes (options.allowUncleanLoss)'
  }

  /** An anomaly that follows from lost writes is allowed when every one of those losses is. */
  private derivedAllowance(causes: readonly Finding[]): string | undefined {
    if (causes.length === 0) return undefined
    const reasons = causes.map((c) => this.judge(c))
    if (reasons.some((r) => r === undefined)) return undefined
    return `it follows from lost write${causes.length === 1 ? '' : 's'} the configuration allows (${[...new Set(reasons)].join('; ')})`
  }

  private report(anomaly: Finding['anomaly'], allowance: string | undefined): Finding {
    const finding: Finding = { anomaly, allowance }
    this.findings.push(finding)
    return finding
  }

  /** Why a finding is allowed, or undefined when it is an anomaly. */
  private judge(finding: Finding): string | undefined {
    const kind = finding.anomaly.kind
    if (this.options.allow?.includes(kind)) return 'options.allow lists it'
    if (finding.allowance) return finding.allowance
    if (this.options.allowUncleanLoss && UNCLEAN_KINDS.has(kind)) return this.uncleanLoss()
    return undefined
  }

  private result(): CheckResult {
    const anomalies: Anomaly[] = []
    const allowed: Anomaly[] = []
    for (const f of this.findings) {
      const reason = this.judge(f)
      if (reason === undefined) anomalies.push({ ...f.anomaly })
      else allowed.push({ ...f.anomaly, allowedBecause: reason })
    }
    const rank = (a: Anomaly): number => ANOMALY_KINDS.indexOf(a.kind)
    const byKind = (a: Anomaly, b: Anomaly): number => rank(a) - rank(b) || (a.ops[0]?.index ?? 0) - (b.ops[0]?.index ?? 0)
    anomalies.sort(byKind)
    allowed.sort(byKind)
    const counts = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>
    for (const a of anomalies) counts[a.kind]++
    const sends = { ok: 0, fail: 0, info: 0 }
    for (const s of this.sends) sends[s.type]++
    return {
      valid: anomalies.length === 0,
      anomalies,
      allowed,
      counts,
      stats: {
        ops: this.ops.length,
        sends,
        polls: this.polls.length,
        committedWrites: this.sends.filter((s) => this.status(s) === 'committed').length,
        unseen: this.unseen,
        readsWithoutWrite: this.readsWithoutWrite,
      },
    }
  }
}

// ---------------------------------------------------------------------------------------------

function nested<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key)
  if (!inner) map.set(key, (inner = new Map()))
  return inner
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function uniqueOps<T extends HistoryOp>(ops: readonly T[]): T[] {
  const seen = new Set<number>()
  return ops.filter((op) => !seen.has(op.index) && (seen.add(op.index), true)).sort((a, b) => a.index - b.index)
}
