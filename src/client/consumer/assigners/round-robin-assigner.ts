/**
 * kafkajs's default assigner, `PartitionAssigners.roundRobin` (kafkajs 2.2.4,
 * src/consumer/assigners/roundRobinAssigner). It must give exactly the assignment kafkajs gives
 * for every input: a group may mix memkafka-backed code with expectations written against
 * kafkajs, and a test that pins "consumer A gets partitions 0 and 2" must hold on both.
 *
 * The rule: sort the member ids, list the partitions of the given topics in order (topics as
 * given, partitions in the order the cluster metadata lists them), and deal partition i to
 * member i % members. Unlike Kafka's own RoundRobinAssignor it does not read the members'
 * subscriptions: it assumes every member subscribes to the topics the leader passes in, which is
 * kafkajs's behaviour. Members that receive nothing are left out of the result; the coordinator
 * then hands them an empty assignment, and they sit idle (Kafka: members beyond the partition
 * count get nothing).
 */
import {
  MemberAssignment,
  SubscriptionMetadataCache,
  partitionIdsOf,
  type Assignment,
  type AssignerCluster,
  type GroupMemberAssignment,
  type PartitionAssigner,
} from './assigner-protocol.js'

const NAME = 'RoundRobinAssigner'
const VERSION = 0
/** Every consumer's subscription bytes for the last topics asked (shared: the same topics give the same bytes). */
const subscriptionMetadata = new SubscriptionMetadataCache(VERSION)

export const roundRobin: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: VERSION,

  async assign({ members, topics }): Promise<GroupMemberAssignment[]> {
    // Array#sort's default order (UTF-16 code units) is the order kafkajs sorts member ids in.
    const sortedMemberIds = members.map(member => member.memberId).sort()
    const memberCount = sortedMemberIds.length
    if (memberCount === 0) return []

    // Null-prototype records: a member id or topic named like an Object.prototype property
    // ("constructor", "__proto__") is just a key. Object.keys on them gives kafkajs's output
    // order (insertion order, integer-like keys first).
    const assignments: Record<string, Assignment> = Object.create(null)
    // Each member's share of a topic is gathered in a list by its place in the sorted ids, then
    // stored under the member and topic once: a lookup of the member's record and of the topic
    // in it per partition was most of the dealing (issue 15: 10 000 partitions to one member,
    // 4 ms). Members enter `assignments` in the order they first receive a partition, which is
    // the sorted order (dealing starts at the first member and goes round), as before.
    if (hasRepeats(sortedMemberIds)) dealOneByOne(cluster, topics, sortedMemberIds, assignments)
    else dealByShares(cluster, topics, sortedMemberIds, assignments)

    return Object.keys(assignments).map(memberId => ({
      memberId,
      memberAssignment: MemberAssignment.encode({
        version: VERSION,
        assignment: assignments[memberId]!,
        userData: Buffer.alloc(0),
      }),
    }))
  },

  protocol({ topics }) {
    // The same bytes for the same topics, encoded once (see SubscriptionMetadataCache).
    return { name: NAME, metadata: subscriptionMetadata.of(topics) }
  },
})

/** Deals the topics' partitions round-robin over the members (no id twice), a list per member and topic. */
function dealByShares(cluster: AssignerCluster, topics: readonly string[], sortedMemberIds: readonly string[], assignments: Record<string, Assignment>): void {
  const memberCount = sortedMemberIds.length
  const receivers: (Assignment | undefined)[] = new Array(memberCount)
  let i = 0
  for (const topic of topics) {
    // Indexed: once per rebalance, in V8's interpreter, where for-of makes an object per
    // partition (issue 15).
    const ids = partitionIdsOf(cluster, topic)
    const shares: (number[] | undefined)[] = new Array(memberCount)
    let member = i % memberCount
    for (let at = 0; at < ids.length; at++) {
      const share = shares[member]
      if (share === undefined) shares[member] = [ids[at]!]
      else share.push(ids[at]!)
      if (++member === memberCount) member = 0
    }
    // The members dealt to, in sorted order from this topic's first receiver round.
    const first = i % memberCount
    i += ids.length
    for (let k = 0; k < memberCount; k++) {
      const m = (first + k) % memberCount
      const share = shares[m]
      if (share === undefined) continue
      const assignment = (receivers[m] ??= assignments[sortedMemberIds[m]!] ??= Object.create(null) as Assignment)
      const known = assignment[topic]
      if (known === undefined) assignment[topic] = share
      else for (let j = 0; j < share.length; j++) known.push(share[j]!)
    }
  }
}

/** kafkajs's dealing, partition by partition (member ids given twice share one record, their partitions interleaved). */
function dealOneByOne(cluster: AssignerCluster, topics: readonly string[], sortedMemberIds: readonly string[], assignments: Record<string, Assignment>): void {
  const memberCount = sortedMemberIds.length
  let i = 0
  for (const topic of topics) {
    const ids = partitionIdsOf(cluster, topic)
    for (let at = 0; at < ids.length; at++) {
      const memberId = sortedMemberIds[i % memberCount]!
      const assignment = (assignments[memberId] ??= Object.create(null) as Assignment)
      ;(assignment[topic] ??= []).push(ids[at]!)
      i++
    }
  }
}

/** Whether a sorted list holds a value twice. */
function hasRepeats(sorted: readonly string[]): boolean {
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true
  return false
}
