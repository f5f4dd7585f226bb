/**
 * A partition's waiters (parked fetches, acks=all produces): each woken once per change, in the
 * order it came, and not again once cancelled.
 */
import { describe, expect, it } from 'vitest'
import { Partition } from '../../../src/cluster/partition/partition.js'

describe('Partition waiters', () => {
  it('wakes each waiter once, in arrival order, and forgets them all', () => {
    const partition = new Partition('t', 0, [1], 0)
    const woken: string[] = []
    const a = () => woken.push('a')
    const b = () => woken.push('b')
    partition.watch(a)
    partition.onChange(b)
    partition.watch(a) // already parked: not twice
    partition.wake()
    expect(woken).toEqual(['a', 'b'])
    partition.wake()
    expect(woken).toEqual(['a', 'b'])
  })

  it('does not wake a cancelled waiter, by unwatch or by onChange\'s canceller', () => {
    const partition = new Partition('t', 0, [1], 0)
    const woken: string[] = []
    const a = () => woken.push('a')
    const b = () => woken.push('b')
    const c = () => woken.push('c')
    partition.watch(a)
    const cancelB = partition.onChange(b)
    partition.watch(c)
    partition.unwatch(a)
    cancelB()
    partition.unwatch(a) // not parked any more: nothing happens
    partition.wake()
    expect(woken).toEqual(['c'])
  })

  it('a waiter that parks again while woken waits for the next change', () => {
    const partition = new Partition('t', 0, [1], 0)
    let count = 0
    const again = () => {
      count++
      partition.watch(again)
    }
    partition.watch(again)
    partition.wake()
    expect(count).toBe(1)
    partition.wake()
    expect(count).toBe(2)
  })
})
