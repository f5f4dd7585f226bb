/** The seeded random source: the same seed gives the same stream; ints stay in range. */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { Random } from '../../src/cluster/random.js'

describe('Random', () => {
  it('replays the same stream for the same seed, and forks deterministically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = new Random(seed)
        const b = new Random(seed)
        const draw = (r: Random) => [r.nextUint32(), r.int(7), r.hex(12), r.uuid(), r.fork().nextUint32()]
        expect(draw(a)).toEqual(draw(b))
      }),
    )
  })

  it('draws ints in [0, bound) and floats in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, bound) => {
        const r = new Random(seed)
        for (let i = 0; i < 50; i++) {
          const n = r.int(bound)
          expect(Number.isInteger(n) && n >= 0 && n < bound).toBe(true)
          const f = r.next()
          expect(f >= 0 && f < 1).toBe(true)
        }
      }),
    )
  })

  it('differs between seeds and spreads over the range', () => {
    expect(new Random(1).nextUint32()).not.toBe(new Random(2).nextUint32())
    const r = new Random(42)
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 10_000; i++) counts[r.int(10)]++
    for (const c of counts) expect(c).toBeGreaterThan(850)
    expect(() => r.int(0)).toThrow(RangeError)
    expect(new Random(5).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
