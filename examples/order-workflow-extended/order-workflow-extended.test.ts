/**
 * Concept 12, checked: with a broker crashing in the middle of a confirmation transaction, the
 * workflow reaches the same outcomes as on a healthy cluster (../order-workflow), publishes
 * exactly one confirmation per order, moves every leadership off the dead broker, and the
 * transaction that was writing at the crash commits after the election instead of failing.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { runExample, type ExampleRun } from '../kit/example.js'
import example from './main.js'
import { sampleOrders } from '../order-workflow/workflow.js'

// One run of the example; every check below reads it (and the last one runs it again).
let run!: ExampleRun<Awaited<ReturnType<typeof example.run>>>
let result!: Awaited<ReturnType<typeof example.run>>
beforeAll(async () => {
  run = await runExample(example)
  result = run.result
})
const SESSION_TIMEOUT = 9_000

describe('the order workflow with exactly-once confirmations and a broker crash', () => {
  it('reaches the outcome each order calls for, as on a healthy cluster', () => {
    expect(result.orders).toEqual([
      { orderId: 'o-5001', status: 'confirmed' },
      { orderId: 'o-5002', status: 'confirmed' },
      { orderId: 'o-5003', status: 'rejected', reason: 'out-of-stock' },
      { orderId: 'o-5004', status: 'rejected', reason: 'payment-declined' },
      { orderId: 'o-5005', status: 'confirmed' },
      { orderId: 'o-5006', status: 'rejected', reason: 'payment-declined' },
      { orderId: 'o-5007', status: 'confirmed' },
      { orderId: 'o-5008', status: 'confirmed' },
    ])
    expect(result.waiting).toEqual([])
    // The same stock and money as the healthy run (order-workflow.test.ts).
    expect(result.stock).toEqual({ widget: 100 - 2 - 4, gadget: 5 - 1, gizmo: 20 - 1 - 2 - 1 })
    expect(result.captured).toBe(40 + 35 + 85 + 80 + 35)
  })

  it('publishes exactly one committed confirmation per order', () => {
    expect(result.committedConfirmations).toEqual(Object.fromEntries(sampleOrders.map((o) => [o.orderId, 1])))
    // Whatever a transaction wrote and aborted is the only thing a read_uncommitted reader may see in addition.
    for (const [orderId, n] of Object.entries(result.uncommittedConfirmations)) expect(n, orderId).toBeGreaterThanOrEqual(1)
  })

  it('moves every partition the crashed broker led to another broker', () => {
    expect(Object.keys(result.movedLeaders).length).toBeGreaterThan(0)
    for (const [tp, leader] of Object.entries(result.movedLeaders)) expect(leader, tp).not.toBe(result.crashedBroker)
  })

  it('commits the transaction that was writing at the crash once the new leader is elected', () => {
    expect(result.inFlightCommittedAt).toBeGreaterThanOrEqual(result.crashedAt + SESSION_TIMEOUT)
  })

  it('prints the same text on every run', async () => {
    expect((await runExample(example)).text).toBe(run.text)
  })
})
