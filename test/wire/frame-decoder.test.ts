import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FrameDecoder, FrameSizeError } from '../../src/wire/frame-decoder.js'

function framed(bodies: readonly Uint8Array[]): Buffer {
  return Buffer.concat(
    bodies.map((b) => {
      const size = Buffer.alloc(4)
      size.writeInt32BE(b.length)
      return Buffer.concat([size, Buffer.from(b)])
    }),
  )
}

describe('FrameDecoder', () => {
  it('hands out the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1 }), (bodies, cuts) => {
        const stream = framed(bodies)
        const decoder = new FrameDecoder(1000)
        const out: Buffer[] = []
        let at = 0
        for (let i = 0; at < stream.length; i++) {
          const next = Math.min(stream.length, at + cuts[i % cuts.length]!)
          decoder.push(stream.subarray(at, next))
          at = next
          for (let f = decoder.next(); f; f = decoder.next()) out.push(Buffer.from(f))
        }
        expect(out.map((f) => [...f])).toEqual(bodies.map((b) => [...b]))
        expect(decoder.bufferedBytes).toBe(0)
      }),
    )
  })

  it('refuses a size over the cap as soon as the size is read, before the body arrives', () => {
    const decoder = new FrameDecoder(100)
    decoder.push(Buffer.from([0, 0, 0, 101]))
    let thrown: unknown
    try {
      decoder.next()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(FrameSizeError)
    expect((thrown as FrameSizeError).message).toBe('Invalid receive (size = 101 larger than 100)')
  })

  it('refuses a negative size', () => {
    const decoder = new FrameDecoder(100)
    decoder.push(Buffer.from([0x80, 0, 0, 0]))
    expect(() => decoder.next()).toThrow('Invalid receive (size = -2147483648)')
  })

  it('takes a frame of exactly the cap, and an empty frame', () => {
    const decoder = new FrameDecoder(3)
    decoder.push(framed([new Uint8Array([1, 2, 3]), new Uint8Array()]))
    expect([...decoder.next()!]).toEqual([1, 2, 3])
    expect(decoder.next()?.length).toBe(0)
    expect(decoder.next()).toBeUndefined()
  })
})
