/**
 * Writing a transaction's COMMIT or ABORT marker to its partitions (Kafka's WriteTxnMarkers,
 * which the coordinator sends to each partition leader). A marker is a control batch of the
 * producer's id and epoch; it takes an offset, ends the producer's open transaction on the
 * partition (moving the LSO), and for an abort enters the aborted-transaction index.
 */
import type { ClusterModel } from '../cluster-model.js'
import { endTransactionMarker } from '../log/control-record.js'
import { TimestampType } from '../log/record-batch.js'
import type { TopicPartitionRef } from './transaction-coordinator.js'

export function writeTransactionMarkers(
  cluster: ClusterModel,
  producerId: number,
  producerEpoch: number,
  partitions: TopicPartitionRef[],
  result: 'commit' | 'abort',
): TopicPartitionRef[] {
  const pending: TopicPartitionRef[] = []
  for (const ref of partitions) {
    const topic = cluster.controller.topic(ref.topic)
    const partition = topic?.partitions[ref.partition]
    if (!topic || !partition) continue // deleted meanwhile: nothing left to mark
    if (partition.leader === -1 || !cluster.broker(partition.leader)?.reachable) {
      pending.push(ref)
      continue
    }
    const leader = partition.leaderReplica
    const batch = leader.log.appendRecords({
      records: [endTransactionMarker(result === 'commit' ? 'COMMIT' : 'ABORT', 0)],
      leaderEpoch: partition.leaderEpoch,
      timestampType: TimestampType.CreateTime,
      now: cluster.clock.now(),
      producer: { producerId, producerEpoch, baseSequence: -1, isTransactional: true },
      isControl: true,
      roll: topic.settings,
    })
    leader.appended(batch)
    cluster.replicaManager.afterLeaderAppend(partition, batch.baseOffset)
    partition.wake()
  }
  return pending
}
