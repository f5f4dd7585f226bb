/**
 * The brokers a send plans requests for, in the order they were first planned, and what each
 * answered (kafkajs's responsePerBroker, a Map from broker to its results, `null` while not
 * answered). A broker whose request fails is forgotten, so that a retry plans it again after
 * the others. Two short lists rather than a Map per send (issue 15: an awaited send of one
 * message made a Map whose table outweighed the message).
 */
import type { RecordMetadata } from './producer-types.js'

export class BrokerAnswers {
  private brokers: number[] | undefined
  /** Per broker (same place): its results, or undefined while it has not answered. */
  private answers: (RecordMetadata[] | undefined)[] | undefined

  /** Whether the broker is planned (answered or not). */
  has(brokerId: number): boolean {
    return this.brokers !== undefined && this.brokers.includes(brokerId)
  }

  /** Whether the broker answered an earlier attempt (it is not asked again). */
  answered(brokerId: number): boolean {
    const at = this.brokers === undefined ? -1 : this.brokers.indexOf(brokerId)
    return at >= 0 && this.answers![at] !== undefined
  }

  /** Plans a broker not planned yet, after the others. */
  plan(brokerId: number): void {
    if (this.brokers === undefined) {
      this.brokers = [brokerId]
      this.answers = [undefined]
    } else {
      this.brokers.push(brokerId)
      this.answers!.push(undefined)
    }
  }

  /** The broker's results. */
  set(brokerId: number, results: RecordMetadata[]): void {
    const at = this.brokers === undefined ? -1 : this.brokers.indexOf(brokerId)
    if (at >= 0) this.answers![at] = results
    else {
      this.plan(brokerId)
      this.answers![this.answers!.length - 1] = results
    }
  }

  /** The broker's request failed: it is planned again on a retry, after the others. */
  forget(brokerId: number): void {
    const at = this.brokers === undefined ? -1 : this.brokers.indexOf(brokerId)
    if (at < 0) return
    this.brokers!.splice(at, 1)
    this.answers!.splice(at, 1)
  }

  /**
   * The brokers' results in planning order. One broker's are handed on as they are: that list
   * is this send's own.
   */
  results(): RecordMetadata[] {
    const answers = this.answers
    if (answers === undefined) return []
    if (answers.length === 1) return answers[0] ?? []
    // Made at its size: a send over 1 000 partitions has 1 000 results from three brokers, and
    // a list grown by push made and dropped five larger copies of itself on the way (issue 15).
    let size = 0
    for (const answered of answers) if (answered) size += answered.length
    const results: RecordMetadata[] = new Array(size)
    let n = 0
    for (const answered of answers) if (answered) for (let i = 0; i < answered.length; i++) results[n++] = answered[i]!
    return results
  }
}
