import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { describe, expect, it } from 'vitest'
import {
  AssignerProtocol,
  PartitionAssigners,
  type Assignment,
  type AssignerCluster,
  type GroupMember,
  type GroupMemberAssignment,
  type MemberAssignment as MemberAssignmentValue,
  type MemberMetadata as MemberMetadataValue,
} from '../../../src/client/consumer/assigners/index.js'

// kafkajs is the oracle: its encoders and its round-robin assigner, loaded as it ships (CommonJS).
const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof KafkaJS

// Our types must be usable wherever kafkajs's are expected (a compile-time check, via tsc).
const typeChecks: {
  roundRobin: KafkaJS.PartitionAssigner
  range: KafkaJS.PartitionAssigner
  protocol: typeof KafkaJS.AssignerProtocol
} = { roundRobin: PartitionAssigners.roundRobin, range: PartitionAssigners.range, protocol: AssignerProtocol }
void typeChecks

const { MemberMetadata, MemberAssignment } = AssignerProtocol
const noLogger = { info() {}, error() {}, warn() {}, debug() {} }

// --- the fake cluster both assigners read partitions from ------------------------------------

type TopicLayout = { topic: string; partitionIds: number[] }

function fakeCluster(layout: TopicLayout[]): AssignerCluster {
  return {
    findTopicPartitionMetadata(topic) {
      const found = layout.find(t => t.topic === topic)
      if (!found) return []
      return found.partitionIds.map(partitionId => ({
        partitionErrorCode: 0,
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
      }))
    },
  }
}

function ourAssigner(name: 'roundRobin' | 'range', cluster: AssignerCluster) {
  return PartitionAssigners[name]({ cluster, groupId: 'group', logger: noLogger })
}

function kafkajsRoundRobin(cluster: AssignerCluster) {
  return kafkajs.PartitionAssigners.roundRobin({
    cluster: cluster as unknown as KafkaJS.Cluster,
    groupId: 'group',
    logger: noLogger as unknown as KafkaJS.Logger,
  })
}

function member(memberId: string, topics: string[]): GroupMember {
  return { memberId, memberMetadata: MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) }
}

/** Decoded assignments by member id (members left out of the result have none). */
function decodeAll(result: GroupMemberAssignment[]): Map<string, Assignment> {
  const byMember = new Map<string, Assignment>()
  for (const { memberId, memberAssignment } of result) {
    byMember.set(memberId, MemberAssignment.decode(memberAssignment)?.assignment ?? {})
  }
  return byMember
}

/** A topic's partitions in a decoded assignment; own keys only, since "valueOf" is a legal topic. */
function partitionsOf(assignment: Assignment, topic: string): number[] | undefined {
  return Object.hasOwn(assignment, topic) ? assignment[topic] : undefined
}

function comparable(result: GroupMemberAssignment[]) {
  return result.map(({ memberId, memberAssignment }) => ({ memberId, bytes: memberAssignment.toString('hex') }))
}

// --- arbitraries --------------------------------------------------------------------------------

// Legal Kafka topic names ([a-zA-Z0-9._-]); short, so integer-like names such as "7" turn up and
// exercise Object.keys ordering.
const topicName = fc.stringMatching(/^[a-zA-Z0-9._-]{1,8}$/)

// A topic with 1..50 partitions, listed in the (arbitrary) order the metadata happens to give.
const topicLayout = (topic: string) =>
  fc.integer({ min: 1, max: 50 }).chain(count => {
    const ids = Array.from({ length: count }, (_, i) => i)
    return fc.shuffledSubarray(ids, { minLength: count, maxLength: count }).map(partitionIds => ({ topic, partitionIds }))
  })

const layouts = fc
  .uniqueArray(topicName, { minLength: 1, maxLength: 5 })
  .chain(topics => fc.tuple(...topics.map(topicLayout)))

// kafkajs keeps its per-member map in a plain object, so a member id that names an
// Object.prototype property ("constructor", "__proto__") breaks it; real member ids are
// `${clientId}-${uuid}`. Such ids are left out of the comparison, not out of our support.
const memberId = fc
  .oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.uuid().map(uuid => `app-${uuid}`))
  .filter(id => !(id in Object.prototype))

const memberIds = fc.uniqueArray(memberId, { minLength: 1, maxLength: 30 })

// Strings as they may appear in protocol fields: any UTF-16 (lone surrogates included) for the
// byte comparison, well-formed Unicode for the round trip.
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c)), maxLength: 20 })
const wellFormed = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }))
const int16 = fc.integer({ min: -0x8000, max: 0x7fff })
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff })
const userData = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map(bytes => Buffer.from(bytes)),
  fc.constant(null as unknown as Buffer),
)

const memberMetadata = (text: fc.Arbitrary<string>): fc.Arbitrary<MemberMetadataValue> =>
  fc.record({ version: int16, topics: fc.array(text, { maxLength: 8 }), userData })

const memberAssignment = (text: fc.Arbitrary<string>): fc.Arbitrary<MemberAssignmentValue> =>
  fc.record({
    version: int16,
    assignment: fc
      .uniqueArray(fc.tuple(text, fc.array(int32, { maxLength: 10 })), { maxLength: 6, selector: ([topic]) => topic })
      .map(entries => Object.fromEntries(entries)),
    userData,
  })

// --- AssignerProtocol ---------------------------------------------------------------------------

describe('AssignerProtocol', () => {
  it('encodes MemberMetadata to the same bytes as kafkajs', () => {
    fc.assert(
      fc.property(memberMetadata(anyUtf16), metadata => {
        expect(MemberMetadata.encode(metadata).equals(kafkajs.AssignerProtocol.MemberMetadata.encode(metadata))).toBe(true)
      }),
    )
  })

  it('encodes MemberAssignment to the same bytes as kafkajs', () => {
    fc.assert(
      fc.property(memberAssignment(anyUtf16), assignment => {
        expect(
          MemberAssignment.encode(assignment).equals(kafkajs.AssignerProtocol.MemberAssignment.encode(assignment)),
        ).toBe(true)
      }),
    )
  })

  it('defaults userData to empty bytes when it is left out, as kafkajs does', () => {
    const metadata = { version: 0, topics: ['orders'] } as unknown as MemberMetadataValue
    const assignment = { version: 0, assignment: { orders: [0, 1] } } as unknown as MemberAssignmentValue
    expect(MemberMetadata.encode(metadata).toString('hex')).toBe(
      kafkajs.AssignerProtocol.MemberMetadata.encode(metadata).toString('hex'),
    )
    expect(MemberAssignment.encode(assignment).toString('hex')).toBe(
      kafkajs.AssignerProtocol.MemberAssignment.encode(assignment).toString('hex'),
    )
    // version 0, one topic "orders", userData of length 0
    expect(MemberMetadata.encode(metadata).toString('hex')).toBe('0000' + '00000001' + '0006' + '6f7264657273' + '00000000')
  })

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(memberMetadata(wellFormed), metadata => {
        expect(MemberMetadata.decode(MemberMetadata.encode(metadata))).toEqual(metadata)
      }),
    )
    fc.assert(
      fc.property(memberAssignment(wellFormed), assignment => {
        expect(MemberAssignment.decode(MemberAssignment.encode(assignment))).toEqual(assignment)
      }),
    )
  })

  it('decodes kafkajs encodings as kafkajs does', () => {
    // Except a topic named "__proto__", which kafkajs's decoder turns into the object's prototype
    // (see the next test for ours).
    const notProto = wellFormed.filter(topic => topic !== '__proto__')
    fc.assert(
      fc.property(memberMetadata(wellFormed), memberAssignment(notProto), (metadata, assignment) => {
        const metadataBytes = kafkajs.AssignerProtocol.MemberMetadata.encode(metadata)
        expect(MemberMetadata.decode(metadataBytes)).toEqual(kafkajs.AssignerProtocol.MemberMetadata.decode(metadataBytes))
        const assignmentBytes = kafkajs.AssignerProtocol.MemberAssignment.encode(assignment)
        expect(MemberAssignment.decode(assignmentBytes)).toEqual(
          kafkajs.AssignerProtocol.MemberAssignment.decode(assignmentBytes),
        )
      }),
    )
  })

  it('decodes an empty assignment (a member the leader left out) as null', () => {
    expect(MemberAssignment.decode(Buffer.alloc(0))).toBeNull()
    expect(MemberAssignment.decode(Buffer.from([0]))).toBeNull()
  })

  it('keeps a topic named "__proto__" as an own key of the decoded assignment', () => {
    const bytes = MemberAssignment.encode({
      version: 0,
      assignment: Object.fromEntries([['__proto__', [3]]]),
      userData: Buffer.alloc(0),
    })
    const decoded = MemberAssignment.decode(bytes)!
    expect(Object.keys(decoded.assignment)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(decoded.assignment)).toBe(Object.prototype)
  })

  it('refuses a truncated buffer rather than inventing fields', () => {
    const bytes = MemberMetadata.encode({ version: 0, topics: ['orders'], userData: Buffer.from('xyz') })
    expect(() => MemberMetadata.decode(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError)
  })
})

// --- round robin --------------------------------------------------------------------------------

describe('PartitionAssigners.roundRobin', () => {
  it('is named and versioned as kafkajs names it, and offers the same protocol metadata', () => {
    fc.assert(
      fc.property(fc.array(topicName, { maxLength: 5 }), topics => {
        const ours = ourAssigner('roundRobin', fakeCluster([]))
        const theirs = kafkajsRoundRobin(fakeCluster([]))
        expect([ours.name, ours.version]).toEqual(['RoundRobinAssigner', 0])
        expect(comparable([{ memberId: '', memberAssignment: ours.protocol({ topics }).metadata }])).toEqual(
          comparable([{ memberId: '', memberAssignment: theirs.protocol({ topics }).metadata }]),
        )
        expect(ours.protocol({ topics }).name).toBe(theirs.protocol({ topics }).name)
      }),
    )
  })

  it('offers the bytes kafkajs offers for the topics asked now, also when asked again or after the list changed in place', () => {
    const ours = ourAssigner('roundRobin', fakeCluster([]))
    const theirs = kafkajsRoundRobin(fakeCluster([]))
    const topics = ['a', 'b']
    const first = ours.protocol({ topics }).metadata
    expect(ours.protocol({ topics: ['a', 'b'] }).metadata.equals(first)).toBe(true)
    topics.push('c') // the same array, changed: the subscription changed
    expect(ours.protocol({ topics }).metadata.equals(theirs.protocol({ topics: ['a', 'b', 'c'] }).metadata)).toBe(true)
    expect(MemberMetadata.decode(ours.protocol({ topics: ['a'] }).metadata)?.topics).toEqual(['a'])
    // Another consumer's assigner with the same topics offers the same bytes.
    expect(ourAssigner('roundRobin', fakeCluster([])).protocol({ topics: ['a'] }).metadata.equals(theirs.protocol({ topics: ['a'] }).metadata)).toBe(true)
  })

  it('assigns exactly as kafkajs does, for any members and topics', async () => {
    await fc.assert(
      fc.asyncProperty(memberIds, layouts, async (ids, layout) => {
        const cluster = fakeCluster(layout)
        const topics = layout.map(t => t.topic)
        const members = ids.map(id => member(id, topics))
        const ours = await ourAssigner('roundRobin', cluster).assign({ members, topics })
        const theirs = await kafkajsRoundRobin(cluster).assign({ members, topics })
        expect(comparable(ours)).toEqual(comparable(theirs))
      }),
    )
  })

  it('agrees with kafkajs even when member ids repeat or a topic is unknown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'b', 'c', '1', '10'), { minLength: 1, maxLength: 10 }),
        layouts,
        async (ids, layout) => {
          const cluster = fakeCluster(layout)
          const topics = [...layout.map(t => t.topic), 'missing-topic']
          const members = ids.map(id => member(id, topics))
          const ours = await ourAssigner('roundRobin', cluster).assign({ members, topics })
          const theirs = await kafkajsRoundRobin(cluster).assign({ members, topics })
          expect(comparable(ours)).toEqual(comparable(theirs))
        },
      ),
    )
  })

  it('gives every partition to exactly one member, and nothing to members beyond the partition count', async () => {
    await fc.assert(
      fc.asyncProperty(memberIds, layouts, async (ids, layout) => {
        const topics = layout.map(t => t.topic)
        const result = await ourAssigner('roundRobin', fakeCluster(layout)).assign({
          members: ids.map(id => member(id, topics)),
          topics,
        })
        const owners = new Map<string, string[]>()
        for (const [memberId, assignment] of decodeAll(result)) {
          expect(ids).toContain(memberId)
          for (const [topic, partitions] of Object.entries(assignment)) {
            for (const partition of partitions) {
              const key = `${topic}/${partition}`
              owners.set(key, [...(owners.get(key) ?? []), memberId])
            }
          }
        }
        const expectedKeys = layout.flatMap(t => t.partitionIds.map(p => `${t.topic}/${p}`)).sort()
        expect([...owners.keys()].sort()).toEqual(expectedKeys)
        for (const memberIdsOwning of owners.values()) expect(memberIdsOwning).toHaveLength(1)

        const totalPartitions = expectedKeys.length
        expect(result).toHaveLength(Math.min(ids.length, totalPartitions))
        // Partition counts differ by at most one between busy members.
        const counts = [...decodeAll(result).values()].map(a => Object.values(a).flat().length)
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
      }),
    )
  })

  it('leaves exactly 5 of 15 consumers idle on a 10-partition topic', async () => {
    const ids = Array.from({ length: 15 }, (_, i) => `consumer-${String(i).padStart(2, '0')}`)
    const layout = [{ topic: 'orders', partitionIds: Array.from({ length: 10 }, (_, i) => i) }]
    const result = await ourAssigner('roundRobin', fakeCluster(layout)).assign({
      members: ids.map(id => member(id, ['orders'])),
      topics: ['orders'],
    })
    const assigned = decodeAll(result)
    expect([...assigned.keys()]).toEqual(ids.slice(0, 10))
    expect([...assigned.values()]).toEqual(Array.from({ length: 10 }, (_, i) => ({ orders: [i] })))
    expect(ids.filter(id => !assigned.has(id))).toEqual(ids.slice(10))
  })

  it('returns nothing for an empty group', async () => {
    expect(await ourAssigner('roundRobin', fakeCluster([])).assign({ members: [], topics: ['t'] })).toEqual([])
  })
})

// --- range --------------------------------------------------------------------------------------

describe('PartitionAssigners.range', () => {
  const threePartitions = (topic: string) => ({ topic, partitionIds: [2, 0, 1] })

  it("reproduces Kafka's documented example", async () => {
    // RangeAssignor javadoc: C0 and C1 subscribed to t0 and t1, 3 partitions each.
    const cluster = fakeCluster([threePartitions('t0'), threePartitions('t1')])
    const result = await ourAssigner('range', cluster).assign({
      members: [member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])],
      topics: ['t0', 't1'],
    })
    expect(result.map(r => r.memberId)).toEqual(['C0', 'C1'])
    expect(Object.fromEntries(decodeAll(result))).toEqual({
      C0: { t0: [0, 1], t1: [0, 1] },
      C1: { t0: [2], t1: [2] },
    })
  })

  it('is named RangeAssigner, version 0, and its metadata carries the subscription', () => {
    const assigner = ourAssigner('range', fakeCluster([]))
    expect([assigner.name, assigner.version]).toEqual(['RangeAssigner', 0])
    const { name, metadata } = assigner.protocol({ topics: ['a', 'b'] })
    expect(name).toBe('RangeAssigner')
    expect(MemberMetadata.decode(metadata)).toEqual({ version: 0, topics: ['a', 'b'], userData: Buffer.alloc(0) })
  })

  it('gives each topic only to its subscribers, even topics the leader does not subscribe to', async () => {
    const cluster = fakeCluster([threePartitions('t0'), threePartitions('t1'), { topic: 't2', partitionIds: [0] }])
    const result = await ourAssigner('range', cluster).assign({
      members: [member('A', ['t0']), member('B', ['t0', 't1']), member('C', ['t1', 't2'])],
      topics: ['t0'], // the leader A's own subscription, as kafkajs passes it
    })
    expect(Object.fromEntries(decodeAll(result))).toEqual({
      A: { t0: [0, 1] },
      B: { t0: [2], t1: [0, 1] },
      C: { t1: [2], t2: [0] },
    })
  })

  it('splits each topic into contiguous ranges, in member order, differing in size by at most one', async () => {
    const group = fc.record({
      layout: layouts,
      members: fc.uniqueArray(memberId, { minLength: 1, maxLength: 30 }),
    })
    await fc.assert(
      fc.asyncProperty(
        group.chain(({ layout, members }) =>
          fc.record({
            layout: fc.constant(layout),
            // Each member subscribes to its own subset of the topics (possibly none).
            subscriptions: fc.tuple(
              ...members.map(id =>
                fc.subarray(layout.map(t => t.topic)).map(topics => ({ id, topics })),
              ),
            ),
          }),
        ),
        async ({ layout, subscriptions }) => {
          const members = subscriptions.map(s => member(s.id, s.topics))
          const result = await ourAssigner('range', fakeCluster(layout)).assign({
            members,
            topics: subscriptions[0]!.topics,
          })
          const assigned = decodeAll(result)
          const sortedIds = subscriptions.map(s => s.id).sort()
          expect(result.map(r => r.memberId)).toEqual(sortedIds)

          for (const { topic, partitionIds } of layout) {
            const subscribers = sortedIds.filter(id => subscriptions.find(s => s.id === id)!.topics.includes(topic))
            for (const id of sortedIds) {
              if (!subscribers.includes(id)) expect(partitionsOf(assigned.get(id)!, topic)).toBeUndefined()
            }
            if (subscribers.length === 0) continue
            const ranges = subscribers.map(id => partitionsOf(assigned.get(id)!, topic) ?? [])
            // Concatenated in member order they are 0..n-1: each partition exactly once, each
            // member's share contiguous, lower partitions to earlier members.
            expect(ranges.flat()).toEqual([...partitionIds].sort((a, b) => a - b))
            // Sizes: the first (n % m) get one more than the rest.
            const sizes = ranges.map(r => r.length)
            const base = Math.floor(partitionIds.length / subscribers.length)
            const extra = partitionIds.length % subscribers.length
            expect(sizes).toEqual(subscribers.map((_, i) => base + (i < extra ? 1 : 0)))
            expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
          }
        },
      ),
    )
  })

  it('does not depend on the order members joined in', async () => {
    await fc.assert(
      fc.asyncProperty(
        layouts,
        memberIds.chain(ids => fc.tuple(fc.constant(ids), fc.shuffledSubarray(ids, { minLength: ids.length }))),
        async (layout, [ids, shuffled]) => {
          const topics = layout.map(t => t.topic)
          const assigner = ourAssigner('range', fakeCluster(layout))
          const a = await assigner.assign({ members: ids.map(id => member(id, topics)), topics })
          const b = await assigner.assign({ members: shuffled.map(id => member(id, topics)), topics })
          expect(comparable(a)).toEqual(comparable(b))
        },
      ),
    )
  })
})
