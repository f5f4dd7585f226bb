/**
 * The seeded random source. Everything in memkafka that needs randomness (a partitioner's
 * starting partition, a member id suffix, a cluster id) draws from one of these, so that a
 * seed replays a run exactly. The generator is sfc32, seeded through splitmix32.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number
  readonly seed: number

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new TypeError(`Random seed must be a finite number, got ${seed}`)
    this.seed = seed >>> 0
    let s = this.seed
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0) throw new RangeError(`Random.int bound must be a positive integer, got ${bound}`)
    return Math.floor(this.next() * bound)
  }

  /** A lowercase hex string of `length` characters (member ids, cluster ids). */
  hex(length: number): string {
    let out = ''
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, '0')
    return out.slice(0, length)
  }

  /** A UUID-shaped string (version 4 layout) drawn from this source. */
  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  /** An independent stream derived from this one, for a subsystem that must not disturb others. */
  fork(): Random {
    return new Random(this.nextUint32())
  }
}

/** A seed for a cluster created without one. The one place memkafka draws entropy. */
export function entropySeed(): number {
  return Math.floor(Math.random() * 0x100000000) >>> 0
}
