/**
 * Writing a transaction's COMMIT or ABORT marker to its partitions (Kafka's WriteTxnMarkers,
 * sent by the coordinator to each partition leader). A marker is a control batch of the
 * producer's id and epoch; it takes an offset, ends the producer's transaction on the partition
 * and, for an abort, enters the aborted-transaction index.
 *
 * Markers are written with acks=all: the coordinator stays in PrepareCommit / PrepareAbort until
 * every marker is below its partition's high watermark. A partition without a leader is waited
 * for, and a marker a leader change truncated away is written again on the new leader, so a
 * transaction can never be left half ended.
 */
import type { Broker } from '../broker.js'
import type { Clock } from '../clock.js'
import type { Controller } from '../controller.js'
import { endTransactionMarker } from '../log/control-record.js'
import { TimestampType, type RecordBatch } from '../log/record-batch.js'
import type { Partition } from '../partition/partition.js'
import type { ReplicaManager } from '../replication/replica-manager.js'
import type { TopicPartitionRef } from './transaction-coordinator.js'

/**
 * What writing markers uses of the cluster: the partitions and their leaders' brokers, the
 * replica manager (a marker is replicated as any append), the clock, and close. ClusterModel
 * provides it; the markers do not depend on ClusterModel itself (which hands them to the
 * transaction coordinator).
 */
export interface TransactionMarkerContext {
  readonly isClosed: boolean
  readonly clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>
  readonly controller: Pick<Controller, 'topic'>
  readonly replicaManager: Pick<ReplicaManager, 'afterLeaderAppend'>
  broker(id: number): Broker | undefined
  /** Registers a callback for the cluster's close; returns a remover. */
  onClose(listener: () => void): () => void
}

/** How often a marker waiting for a partition without a reachable leader looks again. */
const RETRY_MS = 100

export function writeTransactionMarkers(
  cluster: TransactionMarkerContext,
  producerId: number,
  producerEpoch: number,
  partitions: readonly TopicPartitionRef[],
  result: 'commit' | 'abort',
): Promise<void> {
  return Promise.all(partitions.map((ref) => writeMarker(cluster, producerId, producerEpoch, ref, result))).then(() => undefined)
}

/** The marker for this producer epoch at `offset` in the partition leader's log, if it is there. */
function markerAt(partition: Partition, offset: number, producerId: number, producerEpoch: number): RecordBatch | undefined {
  const batch = partition.log.read(offset, offset + 1, 1)[0]
  return batch && batch.isControl && batch.baseOffset === offset && batch.producerId === producerId && batch.producerEpoch === producerEpoch ? batch : undefined
}

async function writeMarker(cluster: TransactionMarkerContext, producerId: number, producerEpoch: number, ref: TopicPartitionRef, result: 'commit' | 'abort'): Promise<void> {
  let written: number | undefined
  for (;;) {
    if (cluster.isClosed) return
    const topic = cluster.controller.topic(ref.topic)
    const partition = topic?.partitions[ref.partition]
    if (!topic || !partition) return // deleted meanwhile: nothing left to mark
    const leaderUp = partition.leader !== -1 && cluster.broker(partition.leader)?.reachable === true
    if (leaderUp) {
      if (written === undefined || !markerAt(partition, written, producerId, producerEpoch)) {
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
        written = batch.baseOffset
        cluster.replicaManager.afterLeaderAppend(partition, batch.baseOffset)
        partition.wake()
      }
      if (partition.highWatermark > written) return
    }
    // Wait for the partition to change (HW, leader, ISR), or look again a little later.
    await new Promise<void>((resolve) => {
      let done = false
      const finish = (): void => {
        if (done) return
        done = true
        cancel()
        cluster.clock.clearTimeout(timer)
        stopOnClose()
        resolve()
      }
      const cancel = partition.onChange(finish)
      const timer = cluster.clock.setTimeout(finish, RETRY_MS)
      const stopOnClose = cluster.onClose(finish)
    })
  }
}
