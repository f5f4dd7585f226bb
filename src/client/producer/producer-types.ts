/**
 * The producer's public shapes, under kafkajs 2.2.4's names (types/index.d.ts): its config,
 * what send and sendBatch take, and the RecordMetadata they resolve with. producer.ts and
 * transaction.ts both use them; this file imports neither.
 */
import type { RetryOptions } from '../retry.js'
import type { Message, TopicMessages } from './message.js'
import type { ICustomPartitioner } from './partitioners/partitioner-types.js'

export interface ProducerConfig {
  createPartitioner?: ICustomPartitioner
  retry?: RetryOptions
  metadataMaxAge?: number
  allowAutoTopicCreation?: boolean
  idempotent?: boolean
  transactionalId?: string
  transactionTimeout?: number
  maxInFlightRequests?: number
}

export interface ProducerRecord {
  topic: string
  messages: Message[]
  acks?: number
  timeout?: number
  compression?: number
}

export interface ProducerBatch {
  acks?: number
  timeout?: number
  compression?: number
  topicMessages?: TopicMessages[]
}

export interface RecordMetadata {
  topicName: string
  partition: number
  errorCode: number
  offset?: string
  timestamp?: string
  baseOffset?: string
  logAppendTime?: string
  logStartOffset?: string
}
