/**
 * The requests the cluster has taken and not yet answered, as Kafka's RequestChannel sees its
 * in-flight requests: counted by API (settle() and the self-advancing clock wait for them), held
 * per broker (a broker that goes away fails them, as its sockets would), and watched on a
 * ManualClock, where a request that waits for time nobody advances would hang a test without a
 * word (the stall watch).
 */
import { ManualClock, describeClock, realTime, type Clock } from './clock.js'
import { BrokerUnreachableError } from './error-codes.js'

export interface InFlightRequestsDeps {
  readonly clock: Clock
  /** A request was answered (the self-advancing clock may move on). */
  readonly onAnswered: () => void
  /** Whether the cluster still waits for anything (ClusterModel.wantsTime: false once closed). */
  readonly wantsTime: () => boolean
  /** What the cluster still waits for, in a line (for the stall warning). */
  readonly describeWaiting: () => string
}

export class InFlightRequests {
  private readonly deps: InFlightRequestsDeps
  /** Requests in flight that are not long polls, by API (settle() and the clock wait for them). */
  private pendingRequests = 0
  private readonly pendingByApi = new Map<string, number>()
  /**
   * Per broker, its requests still waiting (long polls, acks=all, joins), oldest first: a list
   * linked through the requests themselves, so that one's answer unlinks it without a Set's
   * table growing and shrinking under it (a group's members each park a JoinGroup and a fetch
   * per leader at every rebalance: issue 15).
   */
  private readonly inFlight = new Map<number, HeldList>()
  private stallWatch: (() => void) | undefined
  /** The answer of the request that held itself during the handler now running (see hold()). */
  private selfHeld: Promise<unknown> | undefined

  constructor(deps: InFlightRequestsDeps) {
    this.deps = deps
  }

  /** Whether a request (not a long poll) is in flight. */
  get pending(): boolean {
    return this.pendingRequests > 0
  }

  /** The requests in flight, by API: "2 Fetch, 1 JoinGroup". */
  describe(): string {
    return [...this.pendingByApi].map(([api, n]) => `${n} ${api}`).join(', ')
  }

  /** Counts a request in flight until it is answered (unless it is a consumer's long poll). */
  counted<T>(api: string, from: { readonly background?: boolean } | undefined, answer: Promise<T>): Promise<T> {
    if (from?.background) return answer
    this.pendingRequests++
    this.pendingByApi.set(api, (this.pendingByApi.get(api) ?? 0) + 1)
    this.watchForStall()
    const done = (): void => {
      this.pendingRequests--
      const left = (this.pendingByApi.get(api) ?? 1) - 1
      if (left > 0) this.pendingByApi.set(api, left)
      else this.pendingByApi.delete(api)
      this.deps.onAnswered()
    }
    answer.then(done, done)
    return answer
  }

  /** A broker's answer still pending: it is lost if the broker's connections drop first. */
  held<T>(brokerId: number, result: Promise<T>): Promise<T> {
    // A request that held itself (hold()) during the handler that returned `result` is not
    // wrapped again; the slot is emptied either way.
    const selfHeld = this.selfHeld
    this.selfHeld = undefined
    if (selfHeld === result) return result
    const list = this.listOf(brokerId)
    return new Promise<T>((resolve, reject) => {
      const request = new HeldAnswer(reject)
      link(list, request)
      result.then(
        (value) => {
          unlink(request)
          resolve(value)
        },
        (error: unknown) => {
          unlink(request)
          reject(error)
        },
      )
    })
  }

  /**
   * A request that holds itself in its broker's list, with no promise wrapped around its answer
   * (a parked fetch: every member parks one per leader at each rebalance and keeps it until the
   * next, issue 15): `answer` is the promise its handler returns, which held() then passes on as
   * it is. The request unlinks itself (release) when it answers; a broker that goes away drops
   * it, and the cluster's close closes it.
   */
  hold(brokerId: number, request: HeldRequest, answer: Promise<unknown>): void {
    link(this.listOf(brokerId), request)
    this.selfHeld = answer
  }

  /** Answers every request held that answers at the cluster's close (closeHeld), oldest first per broker. */
  closeHeld(): void {
    const closing: HeldRequest[] = []
    for (const list of this.inFlight.values()) {
      for (let request = list.first; request; request = request.next) if (request.answersOnClose) closing.push(request)
    }
    for (const request of closing) request.closed()
  }

  private listOf(brokerId: number): HeldList {
    let list = this.inFlight.get(brokerId)
    if (!list) this.inFlight.set(brokerId, (list = new HeldList()))
    return list
  }

  /** Fails every request a broker has not answered yet: its connections are gone. */
  dropConnections(brokerId: number, reason: string): void {
    const waiting = this.inFlight.get(brokerId)
    if (!waiting) return
    this.inFlight.delete(brokerId)
    const dropped: HeldRequest[] = []
    for (let request = waiting.first; request; request = request.next) {
      dropped.push(request)
      // Detached: its later answer (if any) unlinks nothing from a list now forgotten.
      request.list = undefined
    }
    for (const request of dropped) request.dropped(new BrokerUnreachableError(brokerId, reason))
  }

  /**
   * On a ManualClock, a request or client wait that sits while nobody advances the clock would
   * hang a test without a word; after 1.5 s of real time like that, a warning says so.
   */
  watchForStall(): void {
    if (!(this.deps.clock instanceof ManualClock) || this.stallWatch) return
    const clock = this.deps.clock
    const advances = clock.advances
    this.stallWatch = realTime.watchdog(() => {
      this.stallWatch = undefined
      if (!this.deps.wantsTime()) return
      if (clock.advances === advances && clock.nextTimerAt() !== undefined) {
        realTime.warn(
          `memkafka: waiting for ${describeClock(clock)} that nobody advances for 1.5 s of real time. Still pending: ${this.deps.describeWaiting()}. ` +
            'Move it with cluster.advance(ms) or cluster.settle(), or use the default clock, which runs itself.',
        )
        return
      }
      this.watchForStall()
    }, 1_500)
  }

  /** The stall watch stops (the cluster closes). */
  close(): void {
    this.stallWatch?.()
    this.stallWatch = undefined
  }
}

/**
 * A request held for its broker, linked into that broker's list while it waits. A broker that
 * goes away drops it (its answer is lost: the client sees its connection fail); one that says
 * answersOnClose is answered (closed()) when the cluster closes.
 */
export abstract class HeldRequest {
  previous: HeldRequest | undefined = undefined
  next: HeldRequest | undefined = undefined
  /** The list it is in; undefined once answered or dropped. */
  list: HeldList | undefined = undefined
  /** Whether closeHeld() answers it (a long poll answers with what it has). */
  get answersOnClose(): boolean {
    return false
  }
  /** The broker's connections are gone: fail it. */
  abstract dropped(error: Error): void
  /** The cluster closes: answer now (only when answersOnClose). */
  closed(): void {}
  /** Answered: it leaves its broker's list. */
  release(): void {
    unlink(this)
  }
}

/** held()'s entry: the wrapper promise's reject. */
class HeldAnswer extends HeldRequest {
  constructor(private readonly reject: (error: Error) => void) {
    super()
  }
  dropped(error: Error): void {
    this.reject(error)
  }
}

class HeldList {
  first: HeldRequest | undefined
  last: HeldRequest | undefined
}

function link(list: HeldList, request: HeldRequest): void {
  request.list = list
  request.previous = list.last
  request.next = undefined
  if (list.last) list.last.next = request
  else list.first = request
  list.last = request
}

function unlink(request: HeldRequest): void {
  const list = request.list
  if (!list) return
  request.list = undefined
  if (request.previous) request.previous.next = request.next
  else list.first = request.next
  if (request.next) request.next.previous = request.previous
  else list.last = request.previous
  request.previous = undefined
  request.next = undefined
}
