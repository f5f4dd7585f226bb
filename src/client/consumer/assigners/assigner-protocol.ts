/**
 * The assigner contract of a consumer group, as kafkajs 2.2.4 defines it (`types/index.d.ts`),
 * and kafkajs's `AssignerProtocol`: the two byte formats that travel through the group
 * coordinator without it looking inside them.
 *
 * - MemberMetadata: what each member sends in JoinGroup for each protocol it offers
 *   (its subscription). The leader reads every member's copy to compute the assignment.
 * - MemberAssignment: what the leader hands back in SyncGroup for each member, and what each
 *   member receives.
 *
 * Both are version 0 of Kafka's consumer protocol (`ConsumerProtocolSubscription` and
 * `ConsumerProtocolAssignment` in the Java client), big-endian:
 *
 *   MemberMetadata   = version:int16, topics:[string], userData:bytes
 *   MemberAssignment = version:int16, [topic:string, partitions:[int32]], userData:bytes
 *
 * where string = int16 byte length + UTF-8 (-1 is null), bytes = int32 length + raw bytes
 * (-1 is null), [x] = int32 count + items. The encodings here are byte-identical to kafkajs's
 * for every input, so a real Kafka (or a Java member) reading them sees what kafkajs would send.
 * Decoding reads only the version 0 fields and ignores anything after them, which is how Kafka
 * lets a newer member's metadata (v1+ adds owned partitions, generation, rack) be read by an
 * older leader.
 */
import { ClusterClient } from '../../cluster-client.js'

/** A member's partitions, by topic: `{ 'topic-A': [0, 2, 4], 'topic-B': [1] }`. */
export type Assignment = { [topic: string]: number[] }

/** A member as the leader sees it in the JoinGroup response. */
export type GroupMember = { memberId: string; memberMetadata: Buffer }

/** One entry of the leader's SyncGroup request. */
export type GroupMemberAssignment = { memberId: string; memberAssignment: Buffer }

/** One protocol a member offers in JoinGroup: the assigner's name and the member's metadata. */
export type GroupState = { name: string; metadata: Buffer }

/**
 * A partition assigner. `name` is the protocol name the group agrees on in JoinGroup (the
 * coordinator picks one every member supports); only the leader calls `assign`.
 */
export type Assigner = {
  name: string
  version: number
  assign(group: { members: GroupMember[]; topics: string[] }): Promise<GroupMemberAssignment[]>
  protocol(subscription: { topics: string[] }): GroupState
}

/**
 * What an assigner needs from the client's view of the cluster. kafkajs passes its whole
 * `Cluster`; the built-in assigners use only this, so this is all memkafka promises.
 */
export interface AssignerCluster {
  findTopicPartitionMetadata(topic: string): AssignerPartitionMetadata[]
}

/**
 * The partition ids `cluster.findTopicPartitionMetadata(topic)` lists, in its order, as the
 * built-in assigners read them. memkafka's own client gives them without making its copy of the
 * topic's metadata (ClusterClient.partitionIdsOf). The list may be shared: read it, never change it.
 */
export function partitionIdsOf(cluster: AssignerCluster, topic: string): readonly number[] {
  if (cluster instanceof ClusterClient) return cluster.partitionIdsOf(topic)
  return cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId)
}

/** The fields of kafkajs's `PartitionMetadata` that an assigner may rely on. */
export type AssignerPartitionMetadata = {
  partitionErrorCode: number
  partitionId: number
  leader: number
  replicas: number[]
  isr: number[]
  offlineReplicas?: number[]
}

/** The log methods an assigner may call (a subset of kafkajs's `Logger`). */
export type AssignerLogger = {
  info: (message: string, extra?: object) => void
  error: (message: string, extra?: object) => void
  warn: (message: string, extra?: object) => void
  debug: (message: string, extra?: object) => void
}

/** kafkajs's `PartitionAssigner`: a factory the consumer calls once with its context. */
export type PartitionAssigner = (config: {
  cluster: AssignerCluster
  groupId: string
  logger: AssignerLogger
}) => Assigner

export type MemberMetadata = {
  version: number
  topics: string[]
  userData: Buffer
}

export type MemberAssignment = {
  version: number
  assignment: Assignment
  userData: Buffer
}

/** kafkajs's `ISerializer`: decode answers null where there is nothing to decode. */
export interface ISerializer<T> {
  encode(value: T): Buffer
  decode(buffer: Buffer): T | null
}

// kafkajs's encode defaults userData to an empty buffer when it is left out, writes null as
// length -1, and writes anything that is not a Buffer as the UTF-8 of String(value).
type UserDataInput = Buffer | null | undefined

const INT16_SIZE = 2
const INT32_SIZE = 4
const EMPTY = Buffer.alloc(0)

function userDataBytes(userData: UserDataInput): Buffer | null {
  if (userData === undefined) return EMPTY
  if (userData === null || Buffer.isBuffer(userData)) return userData
  return Buffer.from(String(userData), 'utf8')
}

function sizeOfString(value: string | null): number {
  return value === null ? INT16_SIZE : INT16_SIZE + Buffer.byteLength(value, 'utf8')
}

function sizeOfBytes(value: Buffer | null): number {
  return value === null ? INT32_SIZE : INT32_SIZE + value.length
}

/**
 * Writes into a buffer sized exactly beforehand (the callers add up the sizes first), so an
 * encoding is one allocation with no regrowing; a rebalance encodes one of these per member.
 */
class ByteWriter {
  readonly buffer: Buffer
  private offset = 0

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size)
  }

  int16(value: number): void {
    // Buffer's own range check: a value outside int16 throws RangeError, as in kafkajs.
    this.offset = this.buffer.writeInt16BE(value, this.offset)
  }

  int32(value: number): void {
    this.offset = this.buffer.writeInt32BE(value, this.offset)
  }

  string(value: string | null): void {
    if (value === null) return this.int16(-1)
    const length = Buffer.byteLength(value, 'utf8')
    this.int16(length)
    this.offset += this.buffer.write(value, this.offset, length, 'utf8')
  }

  bytes(value: Buffer | null): void {
    if (value === null) return this.int32(-1)
    this.int32(value.length)
    this.offset += value.copy(this.buffer, this.offset)
  }

  done(): Buffer {
    if (this.offset !== this.buffer.length) {
      throw new Error(`assigner protocol: wrote ${this.offset} bytes into ${this.buffer.length}`)
    }
    return this.buffer
  }
}

/**
 * Reads the formats above. Reading past the end throws RangeError (kafkajs's decoder throws for
 * the fixed-size fields too, but silently shortens a truncated string; a truncated message is
 * corrupt either way).
 */
class ByteReader {
  private offset = 0

  constructor(private readonly buffer: Buffer) {}

  canRead(size: number): boolean {
    return this.buffer.length - this.offset >= size
  }

  private need(size: number): void {
    if (!this.canRead(size)) {
      throw new RangeError(
        `assigner protocol: need ${size} bytes at offset ${this.offset}, buffer has ${this.buffer.length}`,
      )
    }
  }

  int16(): number {
    this.need(INT16_SIZE)
    const value = this.buffer.readInt16BE(this.offset)
    this.offset += INT16_SIZE
    return value
  }

  int32(): number {
    this.need(INT32_SIZE)
    const value = this.buffer.readInt32BE(this.offset)
    this.offset += INT32_SIZE
    return value
  }

  string(): string | null {
    const length = this.int16()
    if (length === -1) return null
    this.need(length)
    const value = this.buffer.toString('utf8', this.offset, this.offset + length)
    this.offset += length
    return value
  }

  /** A view of the input, not a copy, as kafkajs returns. */
  bytes(): Buffer | null {
    const length = this.int32()
    if (length === -1) return null
    this.need(length)
    const value = this.buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return value
  }

  /** A null array (count -1) reads as empty, as in kafkajs. */
  array<T>(readItem: (reader: ByteReader) => T): T[] {
    const count = this.int32()
    if (count === -1) return []
    if (count < 0) throw new RangeError(`assigner protocol: negative array length ${count}`)
    const items = new Array<T>(count)
    for (let i = 0; i < count; i++) items[i] = readItem(this)
    return items
  }
}

export const MemberMetadata: ISerializer<MemberMetadata> = {
  encode({ version, topics, userData }: MemberMetadata): Buffer {
    const data = userDataBytes(userData)
    let size = INT16_SIZE + INT32_SIZE + sizeOfBytes(data)
    for (const topic of topics) size += sizeOfString(topic)

    const writer = new ByteWriter(size)
    writer.int16(version)
    writer.int32(topics.length)
    for (const topic of topics) writer.string(topic)
    writer.bytes(data)
    return writer.done()
  },

  decode(buffer: Buffer): MemberMetadata {
    const reader = new ByteReader(buffer)
    // Null topic names and null userData come back as null, as kafkajs decodes them.
    return {
      version: reader.int16(),
      topics: reader.array(r => r.string()) as string[],
      userData: reader.bytes() as Buffer,
    }
  },
}

/**
 * A built-in assigner's subscription metadata (version 0, no userData), encoded once per list of
 * topics: a consumer sends the same bytes at every JoinGroup, once per member per rebalance
 * (issue 15). The bytes are what MemberMetadata.encode gives for the topics; the same Buffer is
 * handed out again while the topics read the same.
 */
export class SubscriptionMetadataCache {
  private topics: readonly string[] = []
  private metadata: Buffer | undefined

  constructor(private readonly version: number) {}

  of(topics: readonly string[]): Buffer {
    if (this.metadata !== undefined && sameTopics(this.topics, topics)) return this.metadata
    this.metadata = MemberMetadata.encode({ version: this.version, topics: topics as string[], userData: Buffer.alloc(0) })
    this.topics = [...topics]
    return this.metadata
  }
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export const MemberAssignment: ISerializer<MemberAssignment> = {
  encode({ version, assignment, userData }: MemberAssignment): Buffer {
    const data = userDataBytes(userData)
    // Object.keys order, as kafkajs: integer-like topic names ("7") come first, ascending.
    const topics = Object.keys(assignment)
    let size = INT16_SIZE + INT32_SIZE + sizeOfBytes(data)
    for (const topic of topics) {
      size += sizeOfString(topic) + INT32_SIZE + INT32_SIZE * assignment[topic]!.length
    }

    const writer = new ByteWriter(size)
    writer.int16(version)
    writer.int32(topics.length)
    for (const topic of topics) {
      const partitions = assignment[topic]!
      writer.string(topic)
      writer.int32(partitions.length)
      // Indexed: this runs once per member per rebalance, in V8's interpreter, where for-of
      // makes an object per partition (issue 15).
      for (let i = 0; i < partitions.length; i++) writer.int32(partitions[i]!)
    }
    writer.bytes(data)
    return writer.done()
  },

  /**
   * null when the buffer cannot even hold a version: a member the leader left out of SyncGroup
   * receives an empty assignment, and kafkajs treats that as "no partitions".
   */
  decode(buffer: Buffer): MemberAssignment | null {
    const reader = new ByteReader(buffer)
    if (!reader.canRead(INT16_SIZE)) return null
    const version = reader.int16()
    const entries = reader.array(r => ({ topic: r.string() as string, partitions: r.array(p => p.int32()) }))
    const assignment: Assignment = {}
    for (const { topic, partitions } of entries) {
      // defineProperty, not `assignment[topic] =`: "__proto__" is a legal Kafka topic name and
      // must become an own key rather than replace the object's prototype.
      Object.defineProperty(assignment, topic, {
        value: partitions,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return { version, assignment, userData: reader.bytes() as Buffer }
  },
}

/** kafkajs's `AssignerProtocol` export. */
export const AssignerProtocol = { MemberMetadata, MemberAssignment }
