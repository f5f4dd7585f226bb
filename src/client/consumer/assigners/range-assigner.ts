/**
 * A range assigner, as Kafka's `org.apache.kafka.clients.consumer.RangeAssignor` does it
 * (kafkajs ships only round-robin; this is memkafka's addition, so that groups can reproduce the
 * assignments the Kafka documentation describes).
 *
 * From the RangeAssignor javadoc: "The range assignor works on a per-topic basis. For each
 * topic, we lay out the available partitions in numeric order and the consumers in
 * lexicographic order. We then divide the number of partitions by the total number of consumers
 * to determine the number of partitions to assign to each consumer. If it does not evenly
 * divide, then the first few consumers will have one extra partition."
 *
 * "The consumers" of a topic are the members subscribed to it, read from each member's own
 * metadata (the subscription it sent in JoinGroup), so members with different subscriptions get
 * what Kafka would give them. Kafka's example: C0 and C1 both subscribed to t0 and t1, three
 * partitions each -> C0: [t0p0, t0p1, t1p0, t1p1], C1: [t0p2, t1p2].
 *
 * Every member gets an entry in the result, an empty assignment if nothing falls to it, as
 * Kafka's assignor returns one for each member. Member ids are unique within a generation (the
 * coordinator hands them out); were one repeated, its last metadata would count.
 */
import {
  MemberAssignment,
  MemberMetadata,
  SubscriptionMetadataCache,
  partitionIdsOf,
  type Assignment,
  type GroupMemberAssignment,
  type PartitionAssigner,
} from './assigner-protocol.js'

const NAME = 'RangeAssigner'
const VERSION = 0
/** Every consumer's subscription bytes for the last topics asked (shared: the same topics give the same bytes). */
const subscriptionMetadata = new SubscriptionMetadataCache(VERSION)

export const range: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: VERSION,

  async assign({ members, topics }): Promise<GroupMemberAssignment[]> {
    // Each member's subscription, from the metadata its own `protocol()` encoded.
    const subscriptions = new Map<string, Set<string>>()
    for (const { memberId, memberMetadata } of members) {
      const { topics: subscribed } = MemberMetadata.decode(memberMetadata)!
      subscriptions.set(memberId, new Set(subscribed))
    }
    // "consumers in lexicographic order": Java's String.compareTo, i.e. UTF-16 code units,
    // which is Array#sort's default order.
    const sortedMemberIds = [...subscriptions.keys()].sort()

    // The leader assigns every topic any member subscribes to (Kafka's leader collects all
    // members' subscriptions), not only its own. Topics passed in come first, then the others in
    // member order, so the output order does not depend on the order members joined.
    const allTopics = new Set(topics)
    for (const memberId of sortedMemberIds) {
      for (const topic of subscriptions.get(memberId)!) allTopics.add(topic)
    }

    const assignments = new Map<string, Assignment>()
    for (const memberId of sortedMemberIds) assignments.set(memberId, Object.create(null) as Assignment)

    for (const topic of allTopics) {
      const consumers = sortedMemberIds.filter(memberId => subscriptions.get(memberId)!.has(topic))
      // A topic the cluster does not know has no partitions to hand out (Kafka skips it too).
      // A copy: the ids may be the client's shared list.
      const partitions = partitionIdsOf(cluster, topic)
        .slice()
        .sort((a, b) => a - b)
      if (consumers.length === 0 || partitions.length === 0) continue

      const perConsumer = Math.floor(partitions.length / consumers.length)
      const withExtra = partitions.length % consumers.length
      for (let i = 0; i < consumers.length; i++) {
        const start = perConsumer * i + Math.min(i, withExtra)
        const length = perConsumer + (i < withExtra ? 1 : 0)
        if (length === 0) continue
        assignments.get(consumers[i]!)![topic] = partitions.slice(start, start + length)
      }
    }

    return sortedMemberIds.map(memberId => ({
      memberId,
      memberAssignment: MemberAssignment.encode({
        version: VERSION,
        assignment: assignments.get(memberId)!,
        userData: Buffer.alloc(0),
      }),
    }))
  },

  protocol({ topics }) {
    // The same bytes for the same topics, encoded once (see SubscriptionMetadataCache).
    return { name: NAME, metadata: subscriptionMetadata.of(topics) }
  },
})
