/**
 * The slabs the batch indexes take their storage from (SlotSlabs): a range handed out is never
 * handed out again while its lease holds it (two indexes writing the same memory would corrupt
 * each other's offsets), a move keeps what the lease asked to keep, and a range given back is
 * reused, by its own size or, once its whole slab is back, by another.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SlotLease, SlotSlabs } from '../../../src/cluster/log/slot-slabs.js'
import { fullGc, nextTurn } from '../../support/full-gc.js'

/** Small slabs (512 B: ranges of up to 32 doubles share them, longer ones are arrays of their own) and two spare ones, so that the tests reach every case quickly. */
const SLAB_BYTES = 512

/** The doubles a lease's range holds, as a view (for the test's reads and writes). */
function viewOf(lease: SlotLease): Float64Array {
  return lease.array.subarray(lease.base, lease.base + lease.length)
}

function overlaps(a: SlotLease, b: SlotLease): boolean {
  return a.array.buffer === b.array.buffer && a.length > 0 && b.length > 0 && a.base < b.base + b.length && b.base < a.base + a.length
}

type Op = { kind: 'lease' } | { kind: 'move'; which: number; log2: number; keep: number } | { kind: 'release'; which: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'lease' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('move' as const), which: fc.nat(), log2: fc.integer({ min: 1, max: 7 }), keep: fc.nat(128) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('release' as const), which: fc.nat() }) },
)

describe('SlotSlabs', () => {
  it('property: live ranges never overlap, and each keeps its contents through every other lease\'s moves and releases', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const slabs = new SlotSlabs(SLAB_BYTES, 2)
        const owners: object[] = []
        const leases: SlotLease[] = []
        /** What each lease's view must hold (its own mark in every kept double). */
        const expected: number[][] = []
        let mark = 0
        for (const op of ops) {
          if (op.kind === 'lease') {
            const owner = {}
            owners.push(owner)
            leases.push(slabs.lease(owner, new Float64Array(2)))
            expected.push([0, 0])
          } else if (leases.length > 0) {
            const i = op.which % leases.length
            const lease = leases[i]!
            if (op.kind === 'release') {
              slabs.release(lease)
              expected[i] = []
            } else {
              const length = 2 ** op.log2
              const keep = Math.min(op.keep, lease.length, length)
              slabs.move(lease, length, keep)
              const view = viewOf(lease)
              expect(view.length).toBe(length)
              // The kept part came along; the rest is whatever the range held: write it.
              const kept = expected[i]!.slice(0, keep)
              mark++
              for (let j = keep; j < length; j++) {
                view[j] = mark
                kept.push(mark)
              }
              expected[i] = kept
            }
          }
          for (let a = 0; a < leases.length; a++) {
            expect(Array.from(viewOf(leases[a]!))).toEqual(expected[a])
            for (let b = a + 1; b < leases.length; b++) expect(overlaps(leases[a]!, leases[b]!)).toBe(false)
          }
          const handedOut = leases.filter((l) => l.slab !== undefined).length
          // The ranges counted live lie in listed slabs, or in full ones off the lists.
          expect(slabs.stats.liveRanges).toBeLessThanOrEqual(handedOut)
          expect(slabs.stats.spareSlabs).toBeLessThanOrEqual(2)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('hands a range given back out again, to the next lease of its size', () => {
    const slabs = new SlotSlabs(SLAB_BYTES, 2)
    const a = slabs.lease({}, new Float64Array(2))
    const b = slabs.lease({}, new Float64Array(2))
    slabs.move(a, 8, 2)
    slabs.move(b, 8, 2)
    const freed = { array: a.array, base: a.base }
    // Growing gives the old range back...
    slabs.move(a, 16, 8)
    const c = slabs.lease({}, new Float64Array(2))
    slabs.move(c, 8, 0)
    // ...and the next range of its size is that one.
    expect({ array: c.array, base: c.base }).toEqual(freed)
    expect(c.array).toBe(freed.array)
    expect(overlaps(c, b)).toBe(false)
  })

  it('cuts a slab whose ranges are all back for another size, and keeps at most the spare ones asked for', () => {
    const slabs = new SlotSlabs(SLAB_BYTES, 1)
    // A slab of 512 B holds 8 ranges of 8 doubles.
    const leases = Array.from({ length: 8 }, () => slabs.lease({}, new Float64Array(2)))
    for (const lease of leases) slabs.move(lease, 8, 0)
    const array = leases[0]!.array
    expect(leases.every((l) => l.array === array)).toBe(true)
    for (const lease of leases) slabs.release(lease)
    expect(slabs.stats).toEqual({ listedSlabs: 0, spareSlabs: 1, liveRanges: 0 })
    const other = slabs.lease({}, new Float64Array(2))
    slabs.move(other, 32, 0)
    expect(other.array).toBe(array)
    expect(slabs.stats.spareSlabs).toBe(0)
  })

  it('gives a range longer than half a slab an array of its own, which nothing else shares', () => {
    const slabs = new SlotSlabs(SLAB_BYTES, 2)
    const lease = slabs.lease({}, new Float64Array(2))
    slabs.move(lease, 64, 0)
    expect(lease.slab).toBeUndefined()
    expect(lease.array.length).toBe(64)
    expect(lease.base).toBe(0)
    slabs.release(lease)
    expect(lease.length).toBe(0)
  })

  it('takes back the range of an owner that was collected (a segment dropped by any path), and only then', async () => {
    const slabs = new SlotSlabs(SLAB_BYTES, 2)
    const kept = {}
    const keptLease = slabs.lease(kept, new Float64Array(2))
    slabs.move(keptLease, 8, 0)
    ;(() => {
      // An owner nothing refers to once this function returns, as a segment retention dropped.
      const dropped = {}
      slabs.move(slabs.lease(dropped, new Float64Array(2)), 8, 0)
    })()
    expect(slabs.stats.liveRanges).toBe(2)
    // The registry's callback runs in a later turn, after a collection found the owner gone.
    for (let i = 0; i < 20 && slabs.stats.liveRanges > 1; i++) {
      await nextTurn()
      fullGc()
      await nextTurn()
    }
    expect(slabs.stats.liveRanges).toBe(1)
    // The range came back, and the next lease of its size gets it, not the kept one's.
    const next = slabs.lease({}, new Float64Array(2))
    slabs.move(next, 8, 0)
    expect(overlaps(next, keptLease)).toBe(false)
    expect(kept).toBeDefined()
  })
})
