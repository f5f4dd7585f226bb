/**
 * Replica placement as Kafka's classic AdminUtils.assignReplicasToBrokers does it
 * (org.apache.kafka.admin.AdminUtils, Kafka 3.7), and the checks Kafka's controller makes on a
 * manual assignment (ReplicationControlManager in 3.7).
 *
 * Rack-unaware: the first replica (the preferred leader) of partition p goes to broker
 * (p + startIndex) % n; the others follow it at a shift of 1 + (nextReplicaShift + j) % (n - 1),
 * and nextReplicaShift grows by one after every n partitions, so successive rounds do not repeat
 * the same follower sets. Rack-aware: the same over a broker list that alternates racks, skipping
 * a broker while some rack (or some broker) has no replica of the partition yet.
 *
 * What this guarantees (and the tests check):
 * - every partition gets `replicationFactor` distinct brokers;
 * - preferred leaders go round-robin, so leader counts differ by at most one between brokers,
 *   and with startPartitionId 0 and a partition count that is a multiple of the broker count
 *   (rack-unaware), every broker holds exactly the same number of replicas;
 * - rack-aware: the replicas of a partition cover min(replicationFactor, racks) distinct racks;
 * - the same brokers, arguments and Random seed give the same assignment.
 * Kafka draws startIndex and nextReplicaShift from java.util.Random; memkafka draws them, in
 * that order, from the injected seeded Random.
 */
import { KafkaError } from '../error-codes.js'
import type { Random } from '../random.js'

export interface BrokerPlacement {
  readonly id: number
  /** The broker's broker.rack, or null. */
  readonly rack: string | null
}

export interface AssignReplicasRequest {
  readonly brokers: readonly BrokerPlacement[]
  /** How many partitions to place. */
  readonly partitions: number
  readonly replicationFactor: number
  /** The id of the first partition placed: 0 for a new topic, the current count for CreatePartitions. */
  readonly startPartitionId?: number
  /** A fixed start index (and initial shift), as Kafka's tests and CreatePartitions use; otherwise drawn from `random`. */
  readonly fixedStartIndex?: number
  /** Draws startIndex and nextReplicaShift when no fixedStartIndex is given. */
  readonly random?: Random
}

/**
 * The replicas of each placed partition, the first being the preferred leader:
 * result[i] belongs to partition startPartitionId + i. Throws KafkaError with Kafka's error:
 * INVALID_PARTITIONS "Number of partitions must be larger than 0.", INVALID_REPLICATION_FACTOR
 * "Replication factor must be larger than 0." or "Replication factor: 4 larger than available
 * brokers: 3.".
 */
export function assignReplicasToBrokers(request: AssignReplicasRequest): number[][] {
  const { brokers, partitions, replicationFactor } = request
  if (partitions <= 0) throw new KafkaError('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.')
  if (replicationFactor <= 0) throw new KafkaError('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0.')
  if (replicationFactor > brokers.length) {
    throw new KafkaError('INVALID_REPLICATION_FACTOR', `Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`)
  }
  if (brokers.every((b) => b.rack === null)) {
    // Kafka's callers hand AdminUtils the brokers sorted by id; so does memkafka.
    const brokerList = brokers.map((b) => b.id).sort((a, b) => a - b)
    return assignRackUnaware(request, brokerList)
  }
  if (brokers.some((b) => b.rack === null)) {
    // AdminUtils throws AdminOperationException, which is not an ApiException: the client sees
    // UNKNOWN_SERVER_ERROR.
    throw new KafkaError('UNKNOWN_SERVER_ERROR', 'Not all brokers have rack information for replica rack aware assignment.')
  }
  return assignRackAware(request)
}

function startPositions(request: AssignReplicasRequest, brokerCount: number): { startIndex: number; nextReplicaShift: number } {
  if (request.fixedStartIndex !== undefined && request.fixedStartIndex >= 0) {
    return { startIndex: request.fixedStartIndex, nextReplicaShift: request.fixedStartIndex }
  }
  if (!request.random) throw new TypeError('assignReplicasToBrokers needs a Random when no fixedStartIndex is given')
  const startIndex = request.random.int(brokerCount)
  const nextReplicaShift = request.random.int(brokerCount)
  return { startIndex, nextReplicaShift }
}

/** AdminUtils.replicaIndex: where the j-th follower of a partition goes. */
function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, j: number, brokerCount: number): number {
  const shift = 1 + ((secondReplicaShift + j) % (brokerCount - 1))
  return (firstReplicaIndex + shift) % brokerCount
}

function assignRackUnaware(request: AssignReplicasRequest, brokerList: readonly number[]): number[][] {
  const n = brokerList.length
  const { startIndex, nextReplicaShift: initialShift } = startPositions(request, n)
  let nextReplicaShift = initialShift
  let partitionId = Math.max(0, request.startPartitionId ?? 0)
  const result: number[][] = []
  for (let i = 0; i < request.partitions; i++, partitionId++) {
    if (partitionId > 0 && partitionId % n === 0) nextReplicaShift += 1
    const firstReplicaIndex = (partitionId + startIndex) % n
    const replicas = [brokerList[firstReplicaIndex] as number]
    for (let j = 0; j < request.replicationFactor - 1; j++) {
      replicas.push(brokerList[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)] as number)
    }
    result.push(replicas)
  }
  return result
}

function assignRackAware(request: AssignReplicasRequest): number[][] {
  const rackOf = new Map<number, string>(request.brokers.map((b) => [b.id, b.rack as string]))
  const numRacks = new Set(rackOf.values()).size
  const arranged = rackAlternatedBrokerList(request.brokers)
  const n = arranged.length
  const { startIndex, nextReplicaShift: initialShift } = startPositions(request, n)
  let nextReplicaShift = initialShift
  let partitionId = Math.max(0, request.startPartitionId ?? 0)
  const result: number[][] = []
  for (let i = 0; i < request.partitions; i++, partitionId++) {
    if (partitionId > 0 && partitionId % n === 0) nextReplicaShift += 1
    const firstReplicaIndex = (partitionId + startIndex) % n
    const leader = arranged[firstReplicaIndex] as number
    const replicas = [leader]
    const racksWithReplicas = new Set([rackOf.get(leader)])
    const brokersWithReplicas = new Set([leader])
    let k = 0
    for (let j = 0; j < request.replicationFactor - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * numRacks, k, n)] as number
        const rack = rackOf.get(broker)
        k += 1
        // Skip the broker while its rack already has a replica and another rack has none, or
        // while it has a replica itself and another broker has none.
        const rackOk = !racksWithReplicas.has(rack) || racksWithReplicas.size === numRacks
        const brokerOk = !brokersWithReplicas.has(broker) || brokersWithReplicas.size === n
        if (rackOk && brokerOk) {
          replicas.push(broker)
          racksWithReplicas.add(rack)
          brokersWithReplicas.add(broker)
          break
        }
      }
    }
    result.push(replicas)
  }
  return result
}

/**
 * AdminUtils.getRackAlternatedBrokerList: brokers taken one per rack in turn (racks in sorted
 * order, brokers of a rack by id). Racks {rack1: 0,1,2, rack2: 3,4,5} give 0, 3, 1, 4, 2, 5.
 */
export function rackAlternatedBrokerList(brokers: readonly BrokerPlacement[]): number[] {
  const byRack = new Map<string, number[]>()
  for (const b of brokers) {
    const rack = b.rack as string
    const list = byRack.get(rack) ?? []
    list.push(b.id)
    byRack.set(rack, list)
  }
  const racks = [...byRack.keys()].sort()
  const iterators = racks.map((rack) => (byRack.get(rack) as number[]).sort((a, b) => a - b)[Symbol.iterator]())
  const result: number[] = []
  for (let r = 0; result.length < brokers.length; r = (r + 1) % racks.length) {
    const next = (iterators[r] as Iterator<number>).next()
    if (!next.done) result.push(next.value)
  }
  return result
}

/**
 * The fixedStartIndex Kafka uses when CreatePartitions places new partitions
 * (AdminZkClient.createNewPartitionsAssignment): the position, among the brokers sorted by id,
 * of the first broker whose id is at least partition 0's preferred leader.
 */
export function startIndexForNewPartitions(brokerIds: readonly number[], partition0Leader: number): number {
  const sorted = [...brokerIds].sort((a, b) => a - b)
  return Math.max(0, sorted.findIndex((id) => id >= partition0Leader))
}

// ---------------------------------------------------------------------------------------------
// Manual assignments

/**
 * ReplicationControlManager.validateManualPartitionAssignment: the replicas of one partition are
 * non-empty, name registered brokers, name each broker once, and (when given) match the
 * replication factor. INVALID_REPLICA_ASSIGNMENT with Kafka's message, or undefined.
 */
export function validateManualPartitionAssignment(
  replicas: readonly number[],
  knownBrokerIds: Iterable<number>,
  replicationFactor?: number,
): KafkaError | undefined {
  if (replicas.length === 0) return new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'The manual partition assignment includes an empty replica list.')
  const known = knownBrokerIds instanceof Set ? (knownBrokerIds as ReadonlySet<number>) : new Set(knownBrokerIds)
  const sorted = [...replicas].sort((a, b) => a - b)
  let previous: number | undefined
  for (const brokerId of sorted) {
    if (!known.has(brokerId)) {
      return new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes broker ${brokerId}, but no such broker is registered.`)
    }
    if (brokerId === previous) {
      return new KafkaError('INVALID_REPLICA_ASSIGNMENT', `The manual partition assignment includes the broker ${brokerId} more than once.`)
    }
    previous = brokerId
  }
  if (replicationFactor !== undefined && sorted.length !== replicationFactor) {
    return new KafkaError(
      'INVALID_REPLICA_ASSIGNMENT',
      `The manual partition assignment includes a partition with ${sorted.length} replica(s), but this is not consistent with previous partitions, which have ${replicationFactor} replica(s).`,
    )
  }
  return undefined
}

/**
 * A list of partition assignments (index i = partition i, or the i-th new partition): each valid
 * on its own and all with the same replication factor (the given one, else the first
 * partition's).
 */
export function validateManualAssignment(
  assignment: readonly (readonly number[])[],
  knownBrokerIds: Iterable<number>,
  replicationFactor?: number,
): KafkaError | undefined {
  const known = new Set(knownBrokerIds)
  let expected = replicationFactor
  for (const replicas of assignment) {
    const error = validateManualPartitionAssignment(replicas, known, expected)
    if (error) return error
    expected = replicas.length
  }
  return undefined
}

export interface CreatableTopicAssignment {
  readonly numPartitions: number
  readonly replicationFactor: number
  readonly assignments: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[]
}

/**
 * The manual assignment of a CreateTopics entry, checked as ReplicationControlManager.createTopic
 * checks it: numPartitions and replicationFactor must both be -1 (INVALID_REQUEST), a partition
 * may appear once, every partition is valid and of the same replication factor, and the
 * partition ids are 0..n-1 (INVALID_REPLICA_ASSIGNMENT). Returns the replicas by partition id.
 */
export function manualTopicAssignment(topic: CreatableTopicAssignment, knownBrokerIds: Iterable<number>): number[][] | KafkaError {
  if (topic.replicationFactor !== -1) {
    return new KafkaError('INVALID_REQUEST', 'A manual partition assignment was specified, but replication factor was not set to -1.')
  }
  if (topic.numPartitions !== -1) {
    return new KafkaError('INVALID_REQUEST', 'A manual partition assignment was specified, but numPartitions was not set to -1.')
  }
  const known = new Set(knownBrokerIds)
  const byPartition = new Map<number, number[]>()
  let replicationFactor: number | undefined
  for (const { partitionIndex, brokerIds } of topic.assignments) {
    if (byPartition.has(partitionIndex)) {
      return new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Found multiple manual partition assignments for partition ${partitionIndex}`)
    }
    const error = validateManualPartitionAssignment(brokerIds, known, replicationFactor)
    if (error) return error
    replicationFactor = brokerIds.length
    byPartition.set(partitionIndex, [...brokerIds])
  }
  const result: number[][] = []
  for (let i = 0; i < byPartition.size; i++) {
    const replicas = byPartition.get(i)
    if (!replicas) return new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'partitions should be a consecutive 0-based integer sequence')
    result.push(replicas)
  }
  return result
}

/**
 * The manual assignments of a CreatePartitions entry (ReplicationControlManager.createPartitions):
 * one per added partition, each valid and with the topic's replication factor.
 */
export function validateNewPartitionAssignments(
  assignments: readonly (readonly number[])[],
  additional: number,
  replicationFactor: number,
  knownBrokerIds: Iterable<number>,
): KafkaError | undefined {
  if (assignments.length !== additional) {
    return new KafkaError(
      'INVALID_REPLICA_ASSIGNMENT',
      `Attempted to add ${additional} additional partition(s), but only ${assignments.length} assignment(s) were specified.`,
    )
  }
  return validateManualAssignment(assignments, knownBrokerIds, replicationFactor)
}
