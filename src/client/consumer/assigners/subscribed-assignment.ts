/**
 * A member's SyncGroup assignment read straight into the consumer's map of assigned partitions,
 * for the usual case: every topic it names is one the member subscribes to, each named once.
 * MemberAssignment.decode (assigner-protocol.ts) made a reader, a record per topic, a decoded
 * string per topic name (a call into the runtime for a few bytes) and an object of topics, which
 * the consumer then walked again into its map: once per member per rebalance, so 200 times at
 * each rebalance of a group of 200 (issue 15). Here each topic name's bytes are compared with the
 * subscribed topics' own, and the member's string for it is used.
 *
 * Anything else answers undefined and the consumer decodes the assignment as before: an
 * unsubscribed or repeated topic, a topic whose name is an array index (an object lists those
 * first, which the map must then do too), a null or negative count, a buffer that ends early
 * (MemberAssignment.decode's error is then the one thrown), a name whose bytes do not decode
 * back to it.
 */

/** The subscribed topics' UTF-8 bytes, each with its name (only names that decode back to themselves). */
export interface SubscribedTopicBytes {
  readonly names: readonly string[]
  readonly bytes: readonly Buffer[]
}

/** Each subscription's topic bytes, made once per list of topics (a consumer keeps its list for its run). */
const bytesOfTopics = new WeakMap<readonly string[], SubscribedTopicBytes>()

function bytesOf(topics: readonly string[]): SubscribedTopicBytes {
  let known = bytesOfTopics.get(topics)
  if (known === undefined) bytesOfTopics.set(topics, (known = subscribedTopicBytes(topics)))
  return known
}

export function subscribedTopicBytes(topics: readonly string[]): SubscribedTopicBytes {
  const names: string[] = []
  const bytes: Buffer[] = []
  for (const topic of topics) {
    if (isArrayIndex(topic)) continue
    const encoded = Buffer.from(topic, 'utf8')
    if (encoded.toString('utf8') !== topic) continue
    names.push(topic)
    bytes.push(encoded)
  }
  return { names, bytes }
}

/**
 * The assignment (version 0 layout: version, [topic, [partition]], userData) as a map by topic,
 * in the order the buffer lists them, or undefined when the buffer is not the usual case above.
 */
export function decodeSubscribedAssignment(buffer: Buffer, topics: readonly string[] | SubscribedTopicBytes): Map<string, number[]> | undefined {
  const subscribed = isTopicList(topics) ? bytesOf(topics) : topics
  const end = buffer.length
  let at = 2
  if (end - at < 4) return undefined
  const topicCount = buffer.readInt32BE(at)
  at += 4
  if (topicCount < 0) return undefined
  const assignment = new Map<string, number[]>()
  for (let t = 0; t < topicCount; t++) {
    if (end - at < 2) return undefined
    const length = buffer.readInt16BE(at)
    at += 2
    if (length < 0 || end - at < length) return undefined
    const topic = subscribedName(buffer, at, length, subscribed)
    if (topic === undefined || assignment.has(topic)) return undefined
    at += length
    if (end - at < 4) return undefined
    const count = buffer.readInt32BE(at)
    at += 4
    if (count < 0 || end - at < 4 * count) return undefined
    const partitions = new Array<number>(count)
    for (let i = 0; i < count; i++, at += 4) partitions[i] = buffer.readInt32BE(at)
    assignment.set(topic, partitions)
  }
  // userData: read (not kept) so that a buffer too short for it is left to the full decode.
  if (end - at < 4) return undefined
  const userDataLength = buffer.readInt32BE(at)
  at += 4
  if (userDataLength !== -1 && (userDataLength < 0 || end - at < userDataLength)) return undefined
  return assignment
}

function isTopicList(topics: readonly string[] | SubscribedTopicBytes): topics is readonly string[] {
  return Array.isArray(topics)
}

/**
 * Sorts an assignment's partition list in place unless already in order, as the built-in
 * assigners deal them (a sort allocates its work area even for a few items, once per member per
 * rebalance: issue 15).
 */
export function sortPartitions(partitions: number[]): void {
  for (let i = 1; i < partitions.length; i++) {
    if (!(partitions[i - 1]! <= partitions[i]!)) {
      partitions.sort((a, b) => a - b)
      return
    }
  }
}

/** The subscribed topic whose bytes are buffer[at, at + length), or undefined. */
function subscribedName(buffer: Buffer, at: number, length: number, subscribed: SubscribedTopicBytes): string | undefined {
  const all = subscribed.bytes
  for (let k = 0; k < all.length; k++) {
    const bytes = all[k]!
    if (bytes.length !== length) continue
    let i = 0
    while (i < length && buffer[at + i] === bytes[i]) i++
    if (i === length) return subscribed.names[k]
  }
  return undefined
}

/** Whether an object would list `key` among its integer keys (ahead of the others): a canonical array index. */
function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false
  const n = Number(key)
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key
}
