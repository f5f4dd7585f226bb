/**
 * Produce (API key 0). What this broker does with a producer's batches: route each to its
 * partition's leader log, enforce the topic's limits, and acknowledge by `acks`.
 * acks=all answers once the high watermark passes the batch (see awaitReplication).
 * Idempotent batches (a producer id and sequence) are checked against the partition's producer
 * state; transactional ones must belong to the producer's ongoing transaction (KIP-890).
 */
import { ErrorCode, type ErrorName } from '../error-codes.js'
import { RecordBatch, type BatchProducerInfo } from '../log/record-batch.js'
import type { BrokerContext } from './broker-context.js'
import type { Partition } from '../partition/partition.js'
import type { Topic, TopicSettings } from '../metadata/topic.js'
import type { ProducePartitionData, ProducePartitionResponse, ProduceRequest, ProduceResponse, ProduceTopicResponse } from './messages.js'

export function handleProduce(cluster: BrokerContext, brokerId: number, request: ProduceRequest): ProduceResponse | Promise<ProduceResponse> {
  const acks = request.acks
  const topics: ProduceTopicResponse[] = []
  let waiting: Promise<unknown>[] | undefined
  // The request is one instant: the clock is read once for all its partitions (issue 15: a
  // send spread over 1 000 partitions read it 1 000 times).
  const now = cluster.clock.now()
  for (const topicData of request.topics) {
    const partitions: ProducePartitionResponse[] = new Array(topicData.partitions.length)
    // Looked up once per topic of the request, not once per partition (issue 15), with what
    // every partition of the topic reads from it.
    const target = produceTarget(cluster.controller.topic(topicData.name))
    for (let at = 0; at < partitions.length; at++) {
      const data = topicData.partitions[at]!
      const result = produceToPartition(cluster, brokerId, topicData.name, target, data, acks, request.timeoutMs, request.transactionalId ?? null, now)
      if (result instanceof Promise) {
        // Answered once every partition of the request is acknowledged (or failed).
        partitions[at] = failure(data.index, 'REQUEST_TIMED_OUT')
        ;(waiting ??= []).push(result.then((response) => (partitions[at] = response)))
      } else {
        partitions[at] = result
      }
    }
    topics.push({ name: topicData.name, partitions })
  }
  if (!waiting) return { topics }
  return Promise.all(waiting).then(() => ({ topics }))
}

/** What every partition of one topic of a request reads from the topic, read once per topic. */
interface ProduceTarget {
  readonly topic: Topic
  readonly settings: TopicSettings
  readonly isCompacted: boolean
}

function produceTarget(topic: Topic | undefined): ProduceTarget | undefined {
  return topic === undefined ? undefined : { topic, settings: topic.settings, isCompacted: topic.isCompacted }
}

function failure(index: number, name: ErrorName, errorMessage?: string): ProducePartitionResponse {
  return { index, errorCode: ErrorCode[name], errorMessage, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 }
}

function produceToPartition(
  cluster: BrokerContext,
  brokerId: number,
  topicName: string,
  target: ProduceTarget | undefined,
  data: ProducePartitionData,
  acks: number,
  timeoutMs: number,
  transactionalId: string | null,
  now: number,
): ProducePartitionResponse | Promise<ProducePartitionResponse> {
  const topic = target?.topic
  const partition = topic?.partitions[data.index]
  // KafkaApis sets aside partitions missing from the metadata first; ReplicaManager.appendRecords
  // then validates acks for the rest.
  if (!target || !topic || !partition) return failure(data.index, 'UNKNOWN_TOPIC_OR_PARTITION')
  if (acks !== -1 && acks !== 0 && acks !== 1) return failure(data.index, 'INVALID_REQUIRED_ACKS')
  // Clients may not write to __consumer_offsets or __transaction_state; only the coordinators
  // do (ReplicaManager.appendToLocalLog: "Cannot append to internal topic").
  if (topic?.isInternal) return failure(data.index, 'INVALID_TOPIC_EXCEPTION', `Cannot append to internal topic ${topicName}`)
  if (partition.leader === -1) return failure(data.index, 'NOT_LEADER_OR_FOLLOWER')
  if (partition.leader !== brokerId) return failure(data.index, 'NOT_LEADER_OR_FOLLOWER')
  const settings = target.settings
  const records = data.records
  // An empty batch fails LogValidator's record count check (InvalidRecordException).
  if (records.length === 0) return failure(data.index, 'INVALID_RECORD', 'Invalid reported count for record batch: 0')
  // The checks run in Kafka's order: the ISR first (Partition.appendRecordsToLeader), then the
  // batch size (UnifiedLog.analyzeAndValidateRecords), then the records (LogValidator).
  //
  // acks=all needs the ISR to hold the effective min ISR before appending. Since Kafka 3.7
  // (KAFKA-15583) that is min(min.insync.replicas, replication factor): a min.insync.replicas
  // above the replication factor no longer blocks every acks=all write.
  const minIsr = Math.min(settings.minInsyncReplicas, partition.allReplicas().length)
  if (acks === -1 && partition.isr.length < minIsr) {
    return failure(
      data.index,
      'NOT_ENOUGH_REPLICAS',
      `The size of the current ISR ${partition.isr.length} is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${topicName}-${data.index}`,
    )
  }
  // max.message.bytes bounds the whole record batch (message format v2).
  const size = RecordBatch.sizeOf(records)
  if (size > settings.maxMessageBytes) {
    return failure(
      data.index,
      'MESSAGE_TOO_LARGE',
      `The record batch of ${size} bytes is larger than max.message.bytes (${settings.maxMessageBytes}) of ${topicName}.`,
    )
  }
  // A compacted topic needs a key on every record: LogValidator rejects keyless records with
  // InvalidRecordException ("Compacted topic cannot accept message without key").
  if (target.isCompacted) {
    for (const record of records) {
      if (!record.key) {
        return failure(data.index, 'INVALID_RECORD', `Compacted topic cannot accept message without key in topic partition ${topicName}-${data.index}.`)
      }
    }
  }
  const leader = partition.leaderReplica
  const producerId = data.producerId ?? -1
  let producer: BatchProducerInfo | undefined
  if (producerId >= 0) {
    const producerEpoch = data.producerEpoch ?? 0
    const baseSequence = data.baseSequence ?? -1
    const isTransactional = data.isTransactional ?? false
    // producer.id.expiration.ms: a producer idle that long is forgotten (checked lazily here).
    leader.producerState.expireProducers(now - cluster.config.producerIdExpirationMs())
    if (baseSequence >= 0) {
      const check = leader.producerState.check(producerId, producerEpoch, baseSequence, records.length)
      if (check.kind === 'error') return failure(data.index, check.error, check.message)
      if (check.kind === 'duplicate') {
        // A retry of a batch already written: answered with the original offsets, nothing appended.
        const original = check.batch
        const duplicate = (): ProducePartitionResponse => ({ index: data.index, errorCode: ErrorCode.NONE, baseOffset: original.baseOffset, logAppendTime: -1, logStartOffset: partition.logStartOffset })
        if (acks !== -1) return duplicate()
        if (partition.highWatermark > original.lastOffset) return afterReplication(cluster, partition, duplicate)
        return awaitReplication(cluster, brokerId, partition, original.lastOffset + 1, timeoutMs, duplicate)
      }
    } else if (leader.producerState.entry(producerId) && producerEpoch < leader.producerState.entry(producerId)!.producerEpoch) {
      return failure(data.index, 'INVALID_PRODUCER_EPOCH')
    }
    // KIP-890: a transactional write must belong to the producer's ongoing transaction, which
    // also stops a late write after an abort from leaving a hanging transaction.
    if (isTransactional) {
      const refused = transactionalId ? cluster.transactions.verifyTransactionalWrite(transactionalId, producerId, producerEpoch, topicName, data.index) : 'INVALID_TXN_STATE'
      if (refused) return failure(data.index, refused, `Producer ${producerId} (epoch ${producerEpoch}) has no ongoing transaction including ${topicName}-${data.index}`)
    }
    producer = { producerId, producerEpoch, baseSequence, isTransactional }
  }
  const batch = leader.log.append(records, partition.leaderEpoch, settings.timestampType, now, producer, false, settings, data.bytesImmutable ?? false)
  leader.appended(batch)
  // Followers fetch (at once, unless a fault slows them); the high watermark follows the ISR.
  cluster.replicaManager.afterLeaderAppend(partition, batch.baseOffset, now, settings)
  // Stamped with the request's instant (the clock was read above); kept by the timeline without
  // an object per partition (issue 15).
  cluster.eventLog.recordProduced(topicName, data.index, batch.baseOffset, batch.count, acks, now)
  const logAppendTime = settings.timestampType === 1 ? now : -1
  const required = batch.lastOffset + 1
  // The usual answer is built at once, without a closure per partition (issue 15); only a
  // write that waits for its followers keeps one.
  if (acks !== -1) return appended(data.index, batch.baseOffset, logAppendTime, partition.logStartOffset)
  if (partition.highWatermark >= required) {
    if (partition.isr.length < minIsr) return notEnoughReplicasAfterAppend(partition, minIsr)
    return appended(data.index, batch.baseOffset, logAppendTime, partition.logStartOffset)
  }
  const success = (): ProducePartitionResponse => appended(data.index, batch.baseOffset, logAppendTime, partition.logStartOffset)
  return awaitReplication(cluster, brokerId, partition, required, timeoutMs, success)
}

function appended(index: number, baseOffset: number, logAppendTime: number, logStartOffset: number): ProducePartitionResponse {
  return { index, errorCode: ErrorCode.NONE, baseOffset, logAppendTime, logStartOffset }
}

/**
 * acks=all (Kafka's DelayedProduce): the answer waits until the high watermark passes the
 * batch. Only then does Partition.checkEnoughReplicasReachOffset decide: NOT_ENOUGH_REPLICAS_
 * AFTER_APPEND if the ISR is below min.insync.replicas at that moment, else success. Since
 * Kafka 3.7 (KAFKA-15583) the high watermark does not advance while the ISR is below
 * min.insync.replicas, so a write whose ISR shrank while it waited ends in REQUEST_TIMED_OUT
 * after the request's timeout (the data is written either way). NOT_LEADER_OR_FOLLOWER if
 * leadership moved. Nothing is left behind when the cluster closes.
 */
function awaitReplication(
  cluster: BrokerContext,
  brokerId: number,
  partition: Partition,
  required: number,
  timeoutMs: number,
  success: () => ProducePartitionResponse,
): Promise<ProducePartitionResponse> {
  return new Promise((resolve) => {
    let cancelWatch: () => void = () => {}
    const timer = cluster.clock.setTimeout(() => {
      cancelWatch()
      stopOnClose()
      resolve(failure(partition.index, 'REQUEST_TIMED_OUT'))
    }, timeoutMs)
    // On close the request loses its connection (ClusterModel.dropConnections); only the timer
    // and the watch need ending.
    const stopOnClose = cluster.onClose(() => {
      cluster.clock.clearTimeout(timer)
      cancelWatch()
    })
    const finish = (response: ProducePartitionResponse): void => {
      cluster.clock.clearTimeout(timer)
      cancelWatch()
      stopOnClose()
      resolve(response)
    }
    const check = (): void => {
      if (partition.leader !== brokerId) return finish(failure(partition.index, 'NOT_LEADER_OR_FOLLOWER'))
      if (partition.highWatermark >= required) return finish(afterReplication(cluster, partition, success))
      cancelWatch = partition.onChange(check)
    }
    check()
  })
}

/** Partition.checkEnoughReplicasReachOffset, once the high watermark has passed the batch. */
function afterReplication(cluster: BrokerContext, partition: Partition, success: () => ProducePartitionResponse): ProducePartitionResponse {
  return enoughReplicas(partition, Math.min(cluster.controller.topic(partition.topic)?.settings.minInsyncReplicas ?? 1, partition.replicas.length), success)
}

function enoughReplicas(partition: Partition, minIsr: number, success: () => ProducePartitionResponse): ProducePartitionResponse {
  if (partition.isr.length < minIsr) return notEnoughReplicasAfterAppend(partition, minIsr)
  return success()
}

function notEnoughReplicasAfterAppend(partition: Partition, minIsr: number): ProducePartitionResponse {
  return failure(
    partition.index,
    'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    `The size of the current ISR ${partition.isr.length} is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${partition.topic}-${partition.index}`,
  )
}
