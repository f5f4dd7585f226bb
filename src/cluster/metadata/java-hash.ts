/**
 * Java's String.hashCode over UTF-16 code units, wrapped to int32. Kafka places a group on
 * the __consumer_offsets partition Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions,
 * and a transactional id likewise on __transaction_state.
 */
export function javaStringHashCode(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0
  return h
}

/** Kafka's Utils.abs: Integer.MIN_VALUE maps to 0 rather than staying negative. */
export function kafkaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n)
}

export function partitionForKey(key: string, partitions: number): number {
  return kafkaAbs(javaStringHashCode(key)) % partitions
}
