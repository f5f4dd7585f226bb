import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { Random } from '../../../src/cluster/random.js'
import { KafkaError } from '../../../src/cluster/error-codes.js'
import {
  assignReplicasToBrokers,
  manualTopicAssignment,
  rackAlternatedBrokerList,
  startIndexForNewPartitions,
  validateManualAssignment,
  validateManualPartitionAssignment,
  validateNewPartitionAssignments,
  type BrokerPlacement,
} from '../../../src/cluster/metadata/replica-assignment.js'

const noRack = (ids: readonly number[]): BrokerPlacement[] => ids.map((id) => ({ id, rack: null }))
const withRacks = (racks: Record<number, string>): BrokerPlacement[] => Object.entries(racks).map(([id, rack]) => ({ id: Number(id), rack }))

function thrown(fn: () => unknown): KafkaError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaError)
    return error as KafkaError
  }
  throw new Error('expected a KafkaError')
}

function countBy(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return counts
}

describe("assignReplicasToBrokers reproduces Kafka's AdminUtils", () => {
  it('rack-unaware, 5 brokers, 10 partitions, RF 3, start index 0 (AdminRackAwareTest.testReplicaAssignment)', () => {
    expect(assignReplicasToBrokers({ brokers: noRack([0, 1, 2, 3, 4]), partitions: 10, replicationFactor: 3, fixedStartIndex: 0 })).toEqual([
      [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
      [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2],
    ])
  })

  it('rack-aware, the example of the AdminUtils javadoc (testGetRackAlternatedBrokerListAndAssignReplicasToBrokers)', () => {
    const racks = { 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' }
    expect(rackAlternatedBrokerList(withRacks(racks))).toEqual([0, 3, 1, 5, 4, 2])
    const { 5: _, ...withoutFive } = racks
    expect(rackAlternatedBrokerList(withRacks(withoutFive))).toEqual([0, 3, 1, 4, 2])
    expect(assignReplicasToBrokers({ brokers: withRacks(racks), partitions: 7, replicationFactor: 3, fixedStartIndex: 0 })).toEqual([
      [0, 3, 1], [3, 1, 5], [1, 5, 4], [5, 4, 2], [4, 2, 0], [2, 0, 3], [0, 4, 2],
    ])
  })

  it('orders brokers by id whatever order they are given in', () => {
    const sorted = assignReplicasToBrokers({ brokers: noRack([0, 1, 2, 3]), partitions: 6, replicationFactor: 2, fixedStartIndex: 1 })
    const shuffled = assignReplicasToBrokers({ brokers: noRack([2, 0, 3, 1]), partitions: 6, replicationFactor: 2, fixedStartIndex: 1 })
    expect(shuffled).toEqual(sorted)
  })

  it("answers Kafka's errors for impossible requests", () => {
    const brokers = noRack([0, 1, 2])
    expect(thrown(() => assignReplicasToBrokers({ brokers, partitions: 1, replicationFactor: 4, fixedStartIndex: 0 }))).toMatchObject({
      errorName: 'INVALID_REPLICATION_FACTOR',
      message: 'Replication factor: 4 larger than available brokers: 3.',
    })
    expect(thrown(() => assignReplicasToBrokers({ brokers, partitions: 1, replicationFactor: 0, fixedStartIndex: 0 }))).toMatchObject({
      errorName: 'INVALID_REPLICATION_FACTOR',
      message: 'Replication factor must be larger than 0.',
    })
    expect(thrown(() => assignReplicasToBrokers({ brokers, partitions: 0, replicationFactor: 1, fixedStartIndex: 0 }))).toMatchObject({
      errorName: 'INVALID_PARTITIONS',
      message: 'Number of partitions must be larger than 0.',
    })
    expect(thrown(() => assignReplicasToBrokers({ brokers: [{ id: 0, rack: 'a' }, { id: 1, rack: null }], partitions: 1, replicationFactor: 1, fixedStartIndex: 0 }))).toMatchObject({
      errorName: 'UNKNOWN_SERVER_ERROR',
      message: 'Not all brokers have rack information for replica rack aware assignment.',
    })
  })

  it('draws the start index and the replica shift from the Random it is given', () => {
    const brokers = noRack([0, 1, 2, 3, 4])
    const a = assignReplicasToBrokers({ brokers, partitions: 12, replicationFactor: 3, random: new Random(7) })
    const b = assignReplicasToBrokers({ brokers, partitions: 12, replicationFactor: 3, random: new Random(7) })
    expect(a).toEqual(b)
    const random = new Random(7)
    const start = random.int(5)
    const shift = random.int(5)
    // With the drawn start, partition 0's leader is broker `start`, and its first follower is at 1 + shift % 4 after it.
    expect(a[0]?.[0]).toBe(start)
    expect(a[0]?.[1]).toBe((start + 1 + (shift % 4)) % 5)
  })
})

// Generators: distinct broker ids, with a partition count, a replication factor they allow,
// a first partition id and a seed.
const brokerIds = fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 9 })
const scenario = brokerIds.chain((ids) =>
  fc.record({
    ids: fc.constant(ids),
    partitions: fc.integer({ min: 1, max: 60 }),
    replicationFactor: fc.integer({ min: 1, max: ids.length }),
    startPartitionId: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
    seed: fc.integer(),
  }),
)

describe('what the rack-unaware assignment guarantees', () => {
  it('gives every partition replicationFactor distinct brokers from the given ones', () => {
    fc.assert(
      fc.property(scenario, ({ ids, partitions, replicationFactor, startPartitionId, seed }) => {
        const result = assignReplicasToBrokers({ brokers: noRack(ids), partitions, replicationFactor, startPartitionId, random: new Random(seed) })
        expect(result).toHaveLength(partitions)
        for (const replicas of result) {
          expect(replicas).toHaveLength(replicationFactor)
          expect(new Set(replicas).size).toBe(replicationFactor)
          for (const id of replicas) expect(ids).toContain(id)
        }
      }),
    )
  })

  it('spreads preferred leaders round-robin: leader counts differ by at most one', () => {
    fc.assert(
      fc.property(scenario, ({ ids, partitions, replicationFactor, startPartitionId, seed }) => {
        const result = assignReplicasToBrokers({ brokers: noRack(ids), partitions, replicationFactor, startPartitionId, random: new Random(seed) })
        const leaders = countBy(result.map((r) => r[0] as number))
        const counts = ids.map((id) => leaders.get(id) ?? 0)
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
      }),
    )
  })

  it('gives every broker the same number of replicas when a new topic has a multiple of the broker count of partitions', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 6 }), ({ ids, replicationFactor, seed }, rounds) => {
        const partitions = ids.length * rounds
        const result = assignReplicasToBrokers({ brokers: noRack(ids), partitions, replicationFactor, random: new Random(seed) })
        const replicas = countBy(result.flat())
        for (const id of ids) expect(replicas.get(id)).toBe(rounds * replicationFactor)
      }),
    )
  })

  it('is deterministic for a seed', () => {
    fc.assert(
      fc.property(scenario, ({ ids, partitions, replicationFactor, startPartitionId, seed }) => {
        const run = () => assignReplicasToBrokers({ brokers: noRack(ids), partitions, replicationFactor, startPartitionId, random: new Random(seed) })
        expect(run()).toEqual(run())
      }),
    )
  })
})

// Racks: each broker gets one of 1..4 racks.
const rackScenario = scenario.chain((s) =>
  fc.record({
    ...Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fc.constant(v)])),
    racks: fc.array(fc.constantFrom('r1', 'r2', 'r3', 'r4'), { minLength: s.ids.length, maxLength: s.ids.length }),
  }) as fc.Arbitrary<typeof s & { racks: string[] }>,
)

describe('what the rack-aware assignment guarantees', () => {
  it('puts the replicas of a partition on min(replicationFactor, racks) distinct racks, on distinct brokers', () => {
    fc.assert(
      fc.property(rackScenario, ({ ids, racks, partitions, replicationFactor, startPartitionId, seed }) => {
        const brokers = ids.map((id, i) => ({ id, rack: racks[i] as string }))
        const rackOf = new Map(brokers.map((b) => [b.id, b.rack]))
        const rackCount = new Set(racks).size
        const result = assignReplicasToBrokers({ brokers, partitions, replicationFactor, startPartitionId, random: new Random(seed) })
        expect(result).toHaveLength(partitions)
        for (const replicas of result) {
          expect(new Set(replicas).size).toBe(replicationFactor)
          expect(new Set(replicas.map((id) => rackOf.get(id))).size).toBe(Math.min(replicationFactor, rackCount))
        }
      }),
    )
  })

  it('spreads preferred leaders round-robin over the rack-alternated list', () => {
    fc.assert(
      fc.property(rackScenario, ({ ids, racks, partitions, replicationFactor, startPartitionId, seed }) => {
        const brokers = ids.map((id, i) => ({ id, rack: racks[i] as string }))
        const result = assignReplicasToBrokers({ brokers, partitions, replicationFactor, startPartitionId, random: new Random(seed) })
        const leaders = countBy(result.map((r) => r[0] as number))
        const counts = ids.map((id) => leaders.get(id) ?? 0)
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
      }),
    )
  })

  it('alternates racks: consecutive brokers of the list are on different racks while more than one rack has brokers left', () => {
    fc.assert(
      fc.property(rackScenario, ({ ids, racks }) => {
        const brokers = ids.map((id, i) => ({ id, rack: racks[i] as string }))
        const list = rackAlternatedBrokerList(brokers)
        expect([...list].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b))
        const rackOf = new Map(brokers.map((b) => [b.id, b.rack]))
        const rackCount = new Set(racks).size
        // The first round takes one broker from every rack.
        expect(new Set(list.slice(0, rackCount).map((id) => rackOf.get(id))).size).toBe(rackCount)
      }),
    )
  })
})

describe('startIndexForNewPartitions (AdminZkClient.createNewPartitionsAssignment)', () => {
  it("starts at partition 0's leader among the brokers sorted by id", () => {
    expect(startIndexForNewPartitions([5, 1, 3], 3)).toBe(1)
    expect(startIndexForNewPartitions([5, 1, 3], 2)).toBe(1)
    expect(startIndexForNewPartitions([5, 1, 3], 9)).toBe(0)
  })
})

describe('manual assignments (ReplicationControlManager)', () => {
  const known = [0, 1, 2]

  it('accepts valid partitions', () => {
    expect(validateManualPartitionAssignment([2, 0], known, 2)).toBeUndefined()
    expect(validateManualAssignment([[0, 1], [1, 2], [2, 0]], known)).toBeUndefined()
  })

  it("refuses empty, unknown, repeated and inconsistent replica lists with Kafka's words", () => {
    expect(validateManualPartitionAssignment([], known)?.message).toBe('The manual partition assignment includes an empty replica list.')
    expect(validateManualPartitionAssignment([0, 7], known)).toMatchObject({
      errorName: 'INVALID_REPLICA_ASSIGNMENT',
      message: 'The manual partition assignment includes broker 7, but no such broker is registered.',
    })
    expect(validateManualPartitionAssignment([1, 0, 1], known)?.message).toBe('The manual partition assignment includes the broker 1 more than once.')
    expect(validateManualAssignment([[0, 1], [2]], known)?.message).toBe(
      'The manual partition assignment includes a partition with 1 replica(s), but this is not consistent with previous partitions, which have 2 replica(s).',
    )
  })

  it('refuses any replica list that names a broker twice', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...known), { minLength: 1 }), fc.nat(), (replicas, pick) => {
        const repeated = replicas[pick % replicas.length] as number
        const error = validateManualPartitionAssignment([...replicas, repeated], known)
        expect(error?.errorName).toBe('INVALID_REPLICA_ASSIGNMENT')
        expect(error?.message).toBe(`The manual partition assignment includes the broker ${repeated} more than once.`)
      }),
    )
  })

  it('builds a CreateTopics assignment by partition id, refusing gaps, repeats and explicit counts', () => {
    const topic = (assignments: { partitionIndex: number; brokerIds: number[] }[], numPartitions = -1, replicationFactor = -1) => ({
      numPartitions,
      replicationFactor,
      assignments,
    })
    expect(manualTopicAssignment(topic([{ partitionIndex: 1, brokerIds: [1, 2] }, { partitionIndex: 0, brokerIds: [0, 1] }]), known)).toEqual([[0, 1], [1, 2]])
    expect(manualTopicAssignment(topic([{ partitionIndex: 0, brokerIds: [0] }, { partitionIndex: 2, brokerIds: [1] }]), known)).toMatchObject({
      errorName: 'INVALID_REPLICA_ASSIGNMENT',
      message: 'partitions should be a consecutive 0-based integer sequence',
    })
    expect(manualTopicAssignment(topic([{ partitionIndex: 0, brokerIds: [0] }, { partitionIndex: 0, brokerIds: [1] }]), known)).toMatchObject({
      errorName: 'INVALID_REPLICA_ASSIGNMENT',
      message: 'Found multiple manual partition assignments for partition 0',
    })
    expect(manualTopicAssignment(topic([{ partitionIndex: 0, brokerIds: [0] }], 1), known)).toMatchObject({
      errorName: 'INVALID_REQUEST',
      message: 'A manual partition assignment was specified, but numPartitions was not set to -1.',
    })
    expect(manualTopicAssignment(topic([{ partitionIndex: 0, brokerIds: [0] }], -1, 1), known)).toMatchObject({
      errorName: 'INVALID_REQUEST',
      message: 'A manual partition assignment was specified, but replication factor was not set to -1.',
    })
  })

  it("checks CreatePartitions assignments against the count added and the topic's replication factor", () => {
    expect(validateNewPartitionAssignments([[0, 1]], 2, 2, known)?.message).toBe('Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.')
    expect(validateNewPartitionAssignments([[0, 1], [2]], 2, 2, known)?.errorName).toBe('INVALID_REPLICA_ASSIGNMENT')
    expect(validateNewPartitionAssignments([[0, 1], [2, 1]], 2, 2, known)).toBeUndefined()
  })
})
