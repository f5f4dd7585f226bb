import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Random } from '../../../src/cluster/random.js'
import {
  DefaultPartitioner,
  LegacyPartitioner,
  Partitioners,
  legacyMurmur2,
  murmur2,
  type ICustomPartitioner,
  type PartitionMetadata,
  type PartitionerArgs,
  type PartitionerMessage,
} from '../../../src/client/producer/partitioners/index.js'

// kafkajs is the oracle: its partitioners and hashes must agree with ours on every input.
const require = createRequire(import.meta.url)
const kafkajs = require('kafkajs') as typeof KafkaJS
type KeyHash = (key: Buffer | string) => number
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as KeyHash
const kafkajsLegacyMurmur2 = require('kafkajs/src/producer/partitioners/legacy/murmur2') as KeyHash

// Compile-time: each side's factories fit the other's ICustomPartitioner type, so a custom
// partitioner written for kafkajs can be handed to memkafka's producer and vice versa.
const oursAsKafkaJS: KafkaJS.ICustomPartitioner = Partitioners.DefaultPartitioner
const kafkajsAsOurs: ICustomPartitioner = kafkajs.Partitioners.LegacyPartitioner
const argsAsKafkaJS = (args: PartitionerArgs): KafkaJS.PartitionerArgs => args
const kafkajsArgsAsOurs = (args: KafkaJS.PartitionerArgs): PartitionerArgs => args
void [oursAsKafkaJS, kafkajsAsOurs, argsAsKafkaJS, kafkajsArgsAsOurs]

/** A Random whose draws are given in advance, to pin a topic's round-robin start. */
class ScriptedRandom extends Random {
  // Unset while Random's constructor warms its generator up through nextUint32.
  private draws: number[] | undefined
  constructor(draws: readonly number[]) {
    super(0)
    this.draws = [...draws]
  }
  override nextUint32(): number {
    if (this.draws === undefined) return super.nextUint32()
    const draw = this.draws.shift()
    if (draw === undefined) throw new Error('ScriptedRandom ran out of draws')
    return draw
  }
}

/**
 * Makes kafkajs's per-topic start deterministic: it reads the start as readUInt32BE(0) of
 * randomBytes(32), which on Node 20 is globalThis.crypto.getRandomValues(Buffer.allocUnsafe(32)).
 */
function scriptKafkaJSEntropy(draws: readonly number[]): void {
  const queue = [...draws]
  vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    const draw = queue.shift()
    if (draw === undefined) throw new Error('kafkajs drew more entropy than scripted')
    const bytes = array as unknown as Buffer
    bytes.fill(0)
    bytes.writeUInt32BE(draw, 0)
    return array
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

function partitionsWithLeaders(leaders: readonly number[]): PartitionMetadata[] {
  return leaders.map((leader, partitionId) => ({
    partitionErrorCode: leader >= 0 ? 0 : 5, // LEADER_NOT_AVAILABLE when there is none
    partitionId,
    leader,
    replicas: [0, 1, 2],
    isr: leader >= 0 ? [leader] : [],
  }))
}

function allLed(count: number): PartitionMetadata[] {
  return partitionsWithLeaders(Array.from({ length: count }, (_, i) => i % 3))
}

function keylessMessage(): PartitionerMessage {
  return { value: 'v' }
}

// Keys as users pass them: any string (astral characters and lone surrogates included, which
// UTF-8 encoding turns into replacement characters on both sides) or any bytes.
const keyArb: fc.Arbitrary<Buffer | string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 64 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
)

// Starts anywhere, and close to where kafkajs's counter wraps (2^31 and 2^32), where the
// round-robin skips and both implementations must skip alike.
const startArb = fc.oneof(
  fc.nat({ max: 0xffffffff }),
  fc.integer({ min: 2 ** 31 - 40, max: 2 ** 31 + 5 }),
  fc.integer({ min: 2 ** 32 - 40, max: 2 ** 32 - 1 }),
)

describe('murmur2 (Java-compatible, used by the DefaultPartitioner)', () => {
  it('matches the Java client on known keys', () => {
    expect(murmur2('0')).toBe(971027396)
    expect(murmur2('1')).toBe(-1993445489)
    expect(murmur2('100:48069')).toBe(1009543857)
  })

  it('hashes a string as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (key) => {
        expect(murmur2(key)).toBe(murmur2(Buffer.from(key, 'utf8')))
      }),
    )
  })

  it('hashes an ASCII string (read without a Buffer) as its bytes, at every tail length and up to 0x7f', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (key) => {
        expect(murmur2(key)).toBe(murmur2(Buffer.from(key, 'latin1')))
        expect(murmur2(key)).toBe(kafkajsMurmur2(key))
      }),
      { numRuns: 1000 },
    )
    // One character past ASCII takes the UTF-8 path: 0x80 is two bytes there.
    expect(murmur2('abc\u0080')).toBe(murmur2(Buffer.from([0x61, 0x62, 0x63, 0xc2, 0x80])))
  })

  it('agrees with kafkajs on any key', () => {
    fc.assert(
      fc.property(keyArb, (key) => {
        const hash = murmur2(key)
        expect(hash).toBe(kafkajsMurmur2(key))
        expect(hash | 0).toBe(hash) // a signed 32-bit integer, like Java's int
      }),
      { numRuns: 1000 },
    )
  })
})

describe('legacyMurmur2 (kafkajs 1.x, used by the LegacyPartitioner)', () => {
  it('gives kafkajs 1.x results, which differ from the Java client', () => {
    expect(legacyMurmur2('0')).toBe(272173970)
    expect(legacyMurmur2('1')).toBe(1311020360)
    expect(legacyMurmur2('100:48069')).toBe(1713501762)
    // Its double-precision multiplies lose low bits even on the empty key.
    expect(legacyMurmur2('')).toBe(275646684)
    expect(murmur2('')).toBe(275646681)
  })

  it('agrees with kafkajs on any key', () => {
    fc.assert(
      fc.property(keyArb, (key) => {
        expect(legacyMurmur2(key)).toBe(kafkajsLegacyMurmur2(key))
      }),
      { numRuns: 1000 },
    )
  })
})

describe('Partitioners', () => {
  it('has the names kafkajs exports, with JavaCompatiblePartitioner the same as DefaultPartitioner', () => {
    expect(Object.keys(Partitioners).sort()).toEqual(Object.keys(kafkajs.Partitioners).sort())
    expect(Partitioners.DefaultPartitioner).toBe(DefaultPartitioner)
    expect(Partitioners.LegacyPartitioner).toBe(LegacyPartitioner)
    expect(Partitioners.JavaCompatiblePartitioner).toBe(Partitioners.DefaultPartitioner)
    expect(kafkajs.Partitioners.JavaCompatiblePartitioner).toBe(kafkajs.Partitioners.DefaultPartitioner)
  })
})

const flavours = [
  { name: 'DefaultPartitioner', ours: DefaultPartitioner, theirs: kafkajs.Partitioners.DefaultPartitioner, hash: murmur2 },
  { name: 'LegacyPartitioner', ours: LegacyPartitioner, theirs: kafkajs.Partitioners.LegacyPartitioner, hash: legacyMurmur2 },
] as const

describe.each(flavours)('$name', ({ ours, theirs, hash }) => {
  it('sends a keyed message where kafkajs does, for any key and 1..1000 partitions', () => {
    const partitionOf = ours({ random: new Random(1) })
    const kafkajsPartitionOf = theirs()
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 1, max: 1000 }), (key, count) => {
        const args = { topic: 't', partitionMetadata: allLed(count), message: { key, value: 'v' } }
        const partition = partitionOf(args)
        expect(partition).toBe(kafkajsPartitionOf(args))
        expect(partition).toBe((hash(key) & 0x7fffffff) % count)
      }),
      { numRuns: 500 },
    )
  })

  it('hashes a key over all partitions, even those without a leader', () => {
    fc.assert(
      fc.property(keyArb, fc.array(fc.constantFrom(-1, 0, 1, 2), { minLength: 1, maxLength: 100 }), (key, leaders) => {
        const partitionMetadata = partitionsWithLeaders(leaders)
        const expected = (hash(key) & 0x7fffffff) % leaders.length
        const partition = ours({ random: new Random(7) })({ topic: 't', partitionMetadata, message: { key, value: 'v' } })
        expect(partition).toBe(expected)
        expect(partition).toBe(theirs()({ topic: 't', partitionMetadata, message: { key, value: 'v' } }))
      }),
    )
  })

  it('coerces a non-Buffer key with String(), as kafkajs does', () => {
    const partitionOf = ours({ random: new Random(3) })
    const partitionMetadata = allLed(997)
    const numericKey = 12345 as unknown as string
    expect(partitionOf({ topic: 't', partitionMetadata, message: { key: numericKey, value: 'v' } })).toBe(
      partitionOf({ topic: 't', partitionMetadata, message: { key: '12345', value: 'v' } }),
    )
    expect(partitionOf({ topic: 't', partitionMetadata, message: { key: numericKey, value: 'v' } })).toBe(
      theirs()({ topic: 't', partitionMetadata, message: { key: numericKey, value: 'v' } }),
    )
  })

  it('lets an explicit partition win over the key and the round-robin', () => {
    const partitionOf = ours({ random: new Random(5) })
    const kafkajsPartitionOf = theirs()
    fc.assert(
      fc.property(
        fc.option(keyArb, { nil: undefined }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 2000 }), // unchecked: kafkajs does not clamp it either
        (key, count, partition) => {
          const args = { topic: 't', partitionMetadata: allLed(count), message: { key, value: 'v', partition } }
          expect(partitionOf(args)).toBe(partition)
          expect(kafkajsPartitionOf(args)).toBe(partition)
        },
      ),
    )
  })

  it('round-robins keyless messages over the partitions with a leader, each once per cycle', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-1, 0, 1, 2), { minLength: 1, maxLength: 50 }).filter((ls) => ls.some((l) => l >= 0)),
        fc.nat({ max: 0xffffffff }),
        fc.integer({ min: 1, max: 4 }),
        (leaders, seed, cycles) => {
          const available = leaders.flatMap((leader, partitionId) => (leader >= 0 ? [partitionId] : []))
          const count = available.length * cycles
          // The first draw of the seeded Random is the topic's start. Near the counter's wrap
          // (every 2^31) kafkajs's cycle skips; that case is pinned separately below.
          const start = new Random(seed).nextUint32()
          fc.pre((start % 2 ** 31) + count < 2 ** 31)

          const partitionOf = ours({ random: new Random(seed) })
          const partitionMetadata = partitionsWithLeaders(leaders)
          const picks = Array.from({ length: count }, () => partitionOf({ topic: 't', partitionMetadata, message: keylessMessage() }))

          for (let i = 1; i < picks.length; i++) {
            const previous = available.indexOf(picks[i - 1]!)
            expect(picks[i]).toBe(available[(previous + 1) % available.length])
          }
          for (let c = 0; c < cycles; c++) {
            const cycle = picks.slice(c * available.length, (c + 1) * available.length)
            expect([...cycle].sort((a, b) => a - b)).toEqual(available)
          }
        },
      ),
    )
  })

  it('follows the metadata order, not the partition ids, when round-robining', () => {
    const partitionMetadata = partitionsWithLeaders([0, 1, 2, 0]).reverse()
    const partitionOf = ours({ random: new ScriptedRandom([0]) })
    const picks = Array.from({ length: 8 }, () => partitionOf({ topic: 't', partitionMetadata, message: keylessMessage() }))
    // The counter starts at 0 and is incremented before use: index 1 of [3, 2, 1, 0] comes first.
    expect(picks).toEqual([2, 1, 0, 3, 2, 1, 0, 3])
  })

  it('keeps a separate round-robin per topic, each with its own random start', () => {
    const partitionOf = ours({ random: new ScriptedRandom([10, 20]) })
    const partitionMetadata = allLed(7)
    const send = (topic: string) => partitionOf({ topic, partitionMetadata, message: keylessMessage() })
    expect([send('a'), send('b'), send('a'), send('b'), send('b')]).toEqual([11 % 7, 21 % 7, 12 % 7, 22 % 7, 23 % 7])
  })

  it("draws a topic's start on its first message, even one with an explicit partition", () => {
    const partitionMetadata = allLed(5)
    const partitionOf = ours({ random: new ScriptedRandom([0, 2]) })
    expect(partitionOf({ topic: 'a', partitionMetadata, message: { value: 'v', partition: 4 } })).toBe(4)
    // 'a' took the first draw (0), so 'b' starts from the second (2), and 'a' goes on from 0.
    expect(partitionOf({ topic: 'b', partitionMetadata, message: keylessMessage() })).toBe(3)
    expect(partitionOf({ topic: 'a', partitionMetadata, message: keylessMessage() })).toBe(1)
  })

  it('skips in the cycle where the counter wraps at 2^31, as kafkajs does', () => {
    const partitionMetadata = allLed(3)
    const partitionOf = ours({ random: new ScriptedRandom([2 ** 31 - 3]) })
    const picks = Array.from({ length: 5 }, () => partitionOf({ topic: 't', partitionMetadata, message: keylessMessage() }))
    // Counter values 2^31-2, 2^31-1, then 2^31 and 2^31+1 read as 0 and 1 after toPositive.
    expect(picks).toEqual([(2 ** 31 - 2) % 3, (2 ** 31 - 1) % 3, 0, 1, 2])
    scriptKafkaJSEntropy([2 ** 31 - 3])
    const kafkajsPartitionOf = theirs()
    expect(Array.from({ length: 5 }, () => kafkajsPartitionOf({ topic: 't', partitionMetadata, message: keylessMessage() }))).toEqual(picks)
  })

  it('picks among all partitions when none has a leader', () => {
    const partitionMetadata = partitionsWithLeaders([-1, -1, -1, -1, -1])
    const partitionOf = ours({ random: new ScriptedRandom([41]) })
    const picks = Array.from({ length: 6 }, () => partitionOf({ topic: 't', partitionMetadata, message: keylessMessage() }))
    expect(picks).toEqual([2, 3, 4, 0, 1, 2])
  })

  it('answers NaN for a topic with no partitions in its metadata, as kafkajs does (the producer must not ask)', () => {
    const partitionOf = ours({ random: new Random(9) })
    expect(partitionOf({ topic: 't', partitionMetadata: [], message: keylessMessage() })).toBeNaN()
    expect(partitionOf({ topic: 't', partitionMetadata: [], message: { key: 'k', value: 'v' } })).toBeNaN()
    expect(theirs()({ topic: 't', partitionMetadata: [], message: keylessMessage() })).toBeNaN()
  })

  it('gives the same sequence for the same seed', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.array(
          fc.record({ topic: fc.constantFrom('a', 'b', 'c'), key: fc.option(keyArb, { nil: undefined }) }),
          { maxLength: 100 },
        ),
        (seed, sends) => {
          const partitionMetadata = partitionsWithLeaders([0, -1, 1, 2, -1, 0, 1])
          const run = () => {
            const partitionOf = ours({ random: new Random(seed) })
            return sends.map(({ topic, key }) => partitionOf({ topic, partitionMetadata, message: { key, value: 'v' } }))
          }
          expect(run()).toEqual(run())
        },
      ),
    )
  })

  it('starts the round-robin from the Random it is given', () => {
    const partitionMetadata = allLed(1000)
    const starts = new Set<number>()
    for (let seed = 0; seed < 50; seed++) {
      starts.add(ours({ random: new Random(seed) })({ topic: 't', partitionMetadata, message: keylessMessage() }))
    }
    // 50 seeds over 1000 partitions: a fixed start would give one value.
    expect(starts.size).toBeGreaterThan(40)
  })

  it('works without options, drawing its own seed', () => {
    const partitionOf = ours()
    const partitionMetadata = allLed(4)
    const picks = Array.from({ length: 8 }, () => partitionOf({ topic: 't', partitionMetadata, message: keylessMessage() }))
    for (let i = 1; i < picks.length; i++) expect(picks[i]).toBe((picks[i - 1]! + 1) % 4)
  })

  it('matches kafkajs message for message when both start from the same counters', () => {
    const topicArb = fc.array(fc.constantFrom(-1, 0, 1, 2), { minLength: 1, maxLength: 40 }).map((leaders) => partitionsWithLeaders(leaders))
    const messageArb = fc.record(
      {
        topic: fc.nat({ max: 2 }),
        key: fc.oneof(fc.constant(undefined), fc.constant(null), keyArb),
        partition: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.nat({ max: 50 }), weight: 1 }),
      },
      { requiredKeys: ['topic'] },
    )
    fc.assert(
      fc.property(
        fc.tuple(topicArb, topicArb, topicArb),
        fc.tuple(startArb, startArb, startArb),
        fc.array(messageArb, { maxLength: 200 }),
        (topics, starts, messages) => {
          scriptKafkaJSEntropy(starts)
          const kafkajsPartitionOf = theirs()
          const partitionOf = ours({ random: new ScriptedRandom(starts) })
          for (const { topic, ...fields } of messages) {
            const args = { topic: `topic-${topic}`, partitionMetadata: topics[topic]!, message: { ...fields, value: 'v' } }
            expect(partitionOf(args)).toBe(kafkajsPartitionOf(args))
          }
          vi.restoreAllMocks()
        },
      ),
      { numRuns: 300 },
    )
  })
})
