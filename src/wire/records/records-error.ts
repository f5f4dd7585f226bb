/**
 * Errors in the records a producer sent, each carrying the Kafka error code the Produce
 * response gives for it (the partition fails, the rest of the request goes on):
 * - CorruptRecordError: a batch's framing or checksum is wrong (Kafka's CorruptRecordException,
 *   CORRUPT_MESSAGE, 2);
 * - InvalidRecordError: a record inside a batch is malformed or the batch holds a different
 *   number of records than it declares (InvalidRecordException, INVALID_RECORD, 87);
 * - UnsupportedCompressionError: snappy, lz4 or zstd, which memkafka does not implement
 *   (UNSUPPORTED_COMPRESSION_TYPE, 76).
 */
import { ErrorCode } from '../../cluster/error-codes.js'

export abstract class RecordsError extends Error {
  abstract readonly errorCode: number
}

export class CorruptRecordError extends RecordsError {
  override readonly name = 'CorruptRecordError'
  readonly errorCode = ErrorCode.CORRUPT_MESSAGE
}

export class InvalidRecordError extends RecordsError {
  override readonly name = 'InvalidRecordError'
  readonly errorCode = ErrorCode.INVALID_RECORD
}

export class UnsupportedCompressionError extends RecordsError {
  override readonly name = 'UnsupportedCompressionError'
  readonly errorCode = ErrorCode.UNSUPPORTED_COMPRESSION_TYPE
}
