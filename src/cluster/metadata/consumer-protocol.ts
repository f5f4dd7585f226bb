/**
 * A reader for the consumer protocol's embedded formats (Kafka's ConsumerProtocol): the
 * subscription a member sends in JoinGroup and the assignment the leader sends in SyncGroup.
 * The coordinator treats them as opaque bytes; the cluster reads them only to describe groups
 * (which partitions each member owns) and to know which groups a topic change concerns.
 *
 *   Subscription: version int16, topics [string], userData bytes
 *   Assignment:   version int16, [topic string, partitions [int32]], userData bytes
 */
class Reader {
  private offset = 0
  constructor(private readonly buffer: Buffer) {}
  int16(): number {
    const v = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return v
  }
  int32(): number {
    const v = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return v
  }
  string(): string {
    const length = this.int16()
    if (length < 0) return ''
    const v = this.buffer.toString('utf8', this.offset, this.offset + length)
    this.offset += length
    return v
  }
}

/** The topics of a member's subscription, or undefined when the bytes are not a subscription. */
export function readSubscriptionTopics(metadata: Buffer): string[] | undefined {
  try {
    const reader = new Reader(metadata)
    reader.int16()
    const count = reader.int32()
    const topics: string[] = []
    for (let i = 0; i < count; i++) topics.push(reader.string())
    return topics
  } catch {
    return undefined
  }
}

/** A member's assigned partitions by topic; empty for an empty or unreadable assignment. */
export function readAssignment(assignment: Buffer): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  if (assignment.length < 6) return out
  try {
    const reader = new Reader(assignment)
    reader.int16()
    const topics = reader.int32()
    for (let t = 0; t < topics; t++) {
      const topic = reader.string()
      const count = reader.int32()
      const partitions: number[] = []
      for (let p = 0; p < count; p++) partitions.push(reader.int32())
      out[topic] = partitions.sort((a, b) => a - b)
    }
  } catch {
    return {}
  }
  return out
}
