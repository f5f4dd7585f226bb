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

  it('keeps each partition\'s waiters its own, before any waits, after a wake and after the last is cancelled', () => {
    const p = new Partition('t', 0, [1], 0)
    const q = new Partition('t', 1, [1], 0)
    const woken: string[] = []
    const a = () => woken.push('a')
    const b = () => woken.push('b')
    q.unwatch(a) // nobody parked anywhere: nothing happens
    p.wake()
    p.watch(a)
    q.wake()
    expect(woken).toEqual([])
    p.wake()
    q.watch(b)
    p.wake()
    expect(woken).toEqual(['a'])
    q.unwatch(b)
    p.watch(a)
    q.wake()
    p.wake()
    expect(woken).toEqual(['a', 'a'])
  })
})

describe('Partition replicas', () => {
  it('finds each assigned replica by broker id and lists them in assignment order', () => {
    const partition = new Partition('t', 0, [2, 0, 1], 0)
    expect(partition.allReplicas().map((r) => r.brokerId)).toEqual([2, 0, 1])
    expect([partition.replica(0)?.brokerId, partition.replica(1)?.brokerId, partition.replica(2)?.brokerId, partition.replica(3)]).toEqual([0, 1, 2, undefined])
    expect(partition.leaderReplica).toBe(partition.replica(2))
    partition.setLeader(1, 1)
    expect(partition.leaderReplica).toBe(partition.replica(1))
  })
})
