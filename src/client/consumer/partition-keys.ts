/**
 * The keys a consumer's per-partition tables of seeks, applied seeks and pauses are kept under
 * (the offsets are kept by slot: partition-offsets.ts): topicPartitionKey's string, made once
 * per partition and looked up by topic and index afterwards. Building the string per lookup cost
 * a concatenation and a hash on every check of every partition (issue 15). A key read back
 * (parse) is split once and its topic and partition kept: only the keys of the tables walked by
 * key (seeks, pauses) are ever read back, so a key is not entered in that table when it is made.
 */
import { topicPartitionKey } from '../cluster-client.js'

export interface PartitionRef {
  readonly topic: string
  readonly partition: number
}

/** Partition indexes above this (never seen in practice) are keyed without the memo. */
const MAX_MEMO_PARTITION = 1 << 20

export class PartitionKeys {
  private readonly byTopic = new Map<string, string[]>()
  private readonly refs = new Map<string, PartitionRef>()

  /** The key of `topic`'s `partition`: the same string every time for the same partition. */
  of(topic: string, partition: number): string {
    if (typeof partition !== 'number' || !(partition >= 0 && partition < MAX_MEMO_PARTITION) || !Number.isInteger(partition)) {
      return topicPartitionKey(topic, partition)
    }
    let keys = this.byTopic.get(topic)
    if (keys === undefined) this.byTopic.set(topic, (keys = []))
    let key = keys[partition]
    if (key === undefined) {
      key = topicPartitionKey(topic, partition)
      keys[partition] = key
    }
    return key
  }

  /** The topic and partition a key names (the partition as a number). */
  parse(key: string): PartitionRef {
    const known = this.refs.get(key)
    if (known !== undefined) return known
    const at = key.lastIndexOf('\u0000')
    const ref = { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) }
    this.refs.set(key, ref)
    return ref
  }
}

/**
 * The keys every consumer of one cluster shares: the strings are the same for every consumer,
 * and a string made once is hashed once, where each new consumer of a topic of 10 000
 * partitions made and hashed 10 000 of its own as it entered its first offsets (issue 15). Kept
 * as long as the cluster is.
 */
const shared = new WeakMap<object, PartitionKeys>()

export function partitionKeysOf(cluster: object): PartitionKeys {
  let keys = shared.get(cluster)
  if (keys === undefined) shared.set(cluster, (keys = new PartitionKeys()))
  return keys
}
