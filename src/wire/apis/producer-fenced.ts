/**
 * KIP-588: Kafka's transaction coordinator answers a stale producer epoch with PRODUCER_FENCED,
 * and KafkaApis rewrites it to INVALID_PRODUCER_EPOCH for the request versions older than the
 * KIP (InitProducerId < 4, AddPartitionsToTxn / AddOffsetsToTxn / EndTxn < 2), which do not
 * know the new code. The cluster answers in the old form (what kafkajs's versions expect); the
 * wire speaks the new one at the versions that have it.
 */
import { ErrorCode } from '../../cluster/error-codes.js'

export function fencedErrorFor(errorCode: number, apiVersion: number, firstVersionWithFenced: number): number {
  return errorCode === ErrorCode.INVALID_PRODUCER_EPOCH && apiVersion >= firstVersionWithFenced ? ErrorCode.PRODUCER_FENCED : errorCode
}
