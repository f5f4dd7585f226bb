/**
 * The KafkaJS* error classes, as kafkajs 2.2.4 defines them in src/errors.js. User code
 * catches these by class (`instanceof`), by `name`, and by `retriable`, so each class keeps
 * kafkajs's name, parent, `retriable` default, constructor arguments and extra fields,
 * including its quirks (noted where they occur): matching them is what lets code written
 * against kafkajs run here unchanged.
 *
 * Fields are declared on the class that sets them and never redeclared in a subclass: with
 * ES2022 class fields a redeclaration would reset the value the parent constructor set.
 */

import { shareClassIdentity } from '../cluster/shared-identity.js'

/**
 * What an error can be built from: a message, another error, or a protocol error table entry
 * (`{ type, code, retriable, message, helpUrl }`, see protocol-error-table.ts).
 */
export type KafkaJSErrorSource = string | { message?: string; helpUrl?: string; stack?: string }

export interface KafkaJSErrorOptions {
  retriable?: boolean
  cause?: unknown
}

/** The message kafkajs takes from a source: `e.message || e`. */
function messageOf(e: KafkaJSErrorSource): string {
  if (typeof e === 'string') return e
  // kafkajs falls back to the source itself when it has no message; String() gives the text
  // an Error would print for it and keeps `message` a string. (Anything can be thrown, so a
  // null or a number must not crash here either.)
  const message = (e as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' && message !== '' ? message : String(e)
}

function helpUrlOf(e: KafkaJSErrorSource): string | undefined {
  return typeof e === 'object' && e !== null ? e.helpUrl : undefined
}

/** The root of every kafkajs error. Retriable unless told otherwise. */
export class KafkaJSError extends Error {
  readonly retriable: boolean
  /**
   * Optional as kafkajs types it (`helpUrl?: string`), so that a memkafka error is assignable to
   * kafkajs's under exactOptionalPropertyTypes; like kafkajs, the constructor always sets it.
   */
  helpUrl?: string
  /** Typed as kafkajs types it; holds whatever was given (a retrier passes on what was thrown). */
  declare readonly cause?: Error

  constructor(e: KafkaJSErrorSource, { retriable = true, cause }: KafkaJSErrorOptions = {}) {
    super(messageOf(e), { cause })
    Error.captureStackTrace?.(this, new.target)
    this.name = 'KafkaJSError'
    this.retriable = retriable
    this.helpUrl = helpUrlOf(e) as string
    // kafkajs always sets `cause`, even to undefined.
    this.cause = cause as Error | undefined
  }
}

/** An error that no retrier will retry. */
export class KafkaJSNonRetriableError extends KafkaJSError {
  constructor(e: KafkaJSErrorSource, { cause }: { cause?: unknown } = {}) {
    super(e, { retriable: false, cause })
    this.name = 'KafkaJSNonRetriableError'
  }
}

/** The shape of an entry in the protocol error table (and anything that looks like one). */
export interface ProtocolErrorSource {
  type?: string
  code?: number
  retriable?: boolean
  message?: string
  helpUrl?: string
}

/**
 * An error code a broker answered with. `type` and `code` come from the table entry;
 * `retriable` too, unless given. Built from a plain string it has neither, and is retriable.
 */
export class KafkaJSProtocolError extends KafkaJSError {
  readonly type: string
  readonly code: number

  constructor(e: KafkaJSErrorSource | ProtocolErrorSource, { retriable }: { retriable?: boolean } = {}) {
    const entry: ProtocolErrorSource = typeof e === 'string' ? {} : e
    super(e, { retriable: retriable ?? entry.retriable })
    // Typed as kafkajs types them; from a bare message both are undefined, as in kafkajs.
    this.type = entry.type as string
    this.code = entry.code as number
    this.name = 'KafkaJSProtocolError'
  }
}

/** OFFSET_OUT_OF_RANGE for one partition, raised by the fetcher so the consumer can reset. */
export class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
  readonly topic: string
  readonly partition: number

  constructor(e: KafkaJSErrorSource | ProtocolErrorSource, { topic, partition }: { topic: string; partition: number }) {
    super(e)
    this.topic = topic
    this.partition = partition
    this.name = 'KafkaJSOffsetOutOfRange'
  }
}

/** MEMBER_ID_REQUIRED (KIP-394): the JoinGroup must be repeated with the member id given. */
export class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
  readonly memberId: string

  constructor(e: KafkaJSErrorSource | ProtocolErrorSource, { memberId }: { memberId: string }) {
    super(e)
    this.memberId = memberId
    this.name = 'KafkaJSMemberIdRequired'
  }
}

/** A retrier gave up: `cause` is the last error, and the stack shows it. */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  /** Always set: this error's name, then the cause's stack. */
  declare stack: string
  readonly retryCount: number
  readonly retryTime: number

  constructor(e: KafkaJSErrorSource, { retryCount, retryTime }: { retryCount: number; retryTime: number }) {
    super(e, { cause: e })
    // kafkajs builds the stack before renaming the error, so it starts with the parent's name.
    const causeStack = typeof e === 'object' && e !== null ? e.stack : undefined
    this.stack = `${this.name}\n  Caused by: ${causeStack}`
    this.retryCount = retryCount
    this.retryTime = retryTime
    this.name = 'KafkaJSNumberOfRetriesExceeded'
  }
}

export class KafkaJSConnectionError extends KafkaJSError {
  readonly broker: string
  readonly code: string | undefined

  constructor(e: KafkaJSErrorSource, { broker, code }: { broker?: string; code?: string } = {}) {
    super(e)
    this.broker = broker as string
    this.code = code
    this.name = 'KafkaJSConnectionError'
  }
}

export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  readonly host: string | undefined
  readonly port: number | undefined

  constructor(e: KafkaJSErrorSource, { host, port }: { host?: string; port?: number } = {}) {
    super(e, { broker: `${host}:${port}` })
    this.host = host
    this.port = port
    this.name = 'KafkaJSConnectionClosedError'
  }
}

export interface KafkaJSRequestTimeoutErrorMetadata {
  broker?: string
  correlationId?: number
  createdAt?: number
  sentAt?: number
  pendingDuration?: number
}

export class KafkaJSRequestTimeoutError extends KafkaJSError {
  readonly broker: string
  readonly correlationId: number
  readonly createdAt: number
  readonly sentAt: number
  readonly pendingDuration: number

  constructor(
    e: KafkaJSErrorSource,
    { broker, correlationId, createdAt, sentAt, pendingDuration }: KafkaJSRequestTimeoutErrorMetadata = {},
  ) {
    super(e)
    this.broker = broker as string
    this.correlationId = correlationId as number
    this.createdAt = createdAt as number
    this.sentAt = sentAt as number
    this.pendingDuration = pendingDuration as number
    this.name = 'KafkaJSRequestTimeoutError'
  }
}

export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  constructor(e: KafkaJSErrorSource, options?: KafkaJSErrorOptions) {
    super(e, options)
    this.name = 'KafkaJSMetadataNotLoaded'
  }
}

export class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
  readonly topic: string

  constructor(e: KafkaJSErrorSource, { topic }: { topic?: string } = {}) {
    super(e)
    this.topic = topic as string
    this.name = 'KafkaJSTopicMetadataNotLoaded'
  }
}

/**
 * The assignment names partitions the cached metadata does not know. `unknownPartitions` holds
 * their numbers (kafkajs's types call it a number; kafkajs passes an array).
 */
export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  readonly topic: string
  readonly unknownPartitions: number[]

  constructor(e: KafkaJSErrorSource, { topic, unknownPartitions }: { topic?: string; unknownPartitions?: number[] } = {}) {
    super(e)
    this.topic = topic as string
    this.unknownPartitions = unknownPartitions as number[]
    this.name = 'KafkaJSStaleTopicMetadataAssignment'
  }
}

/** One group's outcome in a deleteGroups (kafkajs's DeleteGroupsResult). */
export interface KafkaJSDeleteGroupsErrorGroup {
  groupId: string
  errorCode?: number
  error?: KafkaJSProtocolError
}

export class KafkaJSDeleteGroupsError extends KafkaJSError {
  readonly groups: KafkaJSDeleteGroupsErrorGroup[]

  constructor(e: KafkaJSErrorSource, groups: KafkaJSDeleteGroupsErrorGroup[] = []) {
    super(e)
    this.groups = groups
    this.name = 'KafkaJSDeleteGroupsError'
  }
}

export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  readonly apiKey: number
  readonly apiName: string

  constructor(e: KafkaJSErrorSource, { apiKey, apiName }: { apiKey?: number; apiName?: string } = {}) {
    super(e)
    this.apiKey = apiKey as number
    this.apiName = apiName as string
    this.name = 'KafkaJSServerDoesNotSupportApiKey'
  }
}

/** Retriable: a metadata refresh may bring the broker back. */
export class KafkaJSBrokerNotFound extends KafkaJSError {
  constructor(e: KafkaJSErrorSource, options?: KafkaJSErrorOptions) {
    super(e, options)
    this.name = 'KafkaJSBrokerNotFound'
  }
}

export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSPartialMessageError'
  }
}

export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSSASLAuthenticationError'
  }
}

export class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSGroupCoordinatorNotFound'
  }
}

/**
 * A feature kafkajs (or memkafka) does not implement. memkafka raises it, with a message naming
 * the missing feature, instead of silently doing nothing or answering wrongly.
 */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSNotImplemented'
  }
}

export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSTimeout'
  }
}

export class KafkaJSLockTimeout extends KafkaJSTimeout {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSLockTimeout'
  }
}

export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSUnsupportedMagicByteInMessageSet'
  }
}

export interface KafkaJSDeleteTopicRecordsErrorPartition {
  partition: number
  offset: string
  error?: { retriable?: boolean } | null
}

/** One or more partitions of a deleteTopicRecords failed. */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  readonly partitions: KafkaJSDeleteTopicRecordsErrorPartition[]

  constructor({ partitions }: { topic?: string; partitions: KafkaJSDeleteTopicRecordsErrorPartition[] }) {
    // kafkajs: retriable only when every partition that failed failed retriably.
    const retriable = partitions.filter(({ error }) => error != null).every(({ error }) => error!.retriable === true)
    super('Error while deleting records', { retriable })
    this.name = 'KafkaJSDeleteTopicRecordsError'
    this.partitions = partitions
  }
}

/**
 * An internal invariant broke: a bug. kafkajs points `helpUrl` at its own issue tracker; these
 * errors come from memkafka, which has no tracker URL to point at, so `helpUrl` stays unset.
 */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource) {
    super(`Invariant violated: ${messageOf(e)}. This is likely a bug and should be reported.`)
    this.name = 'KafkaJSInvariantViolation'
  }
}

/** kafkajs names this 'KafkaJSNonRetriableError', not after its class; kept for fidelity. */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSNonRetriableError'
  }
}

/** kafkajs names this 'KafkaJSNonRetriableError', not after its class; kept for fidelity. */
export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {
  constructor(e: KafkaJSErrorSource, options?: { cause?: unknown }) {
    super(e, options)
    this.name = 'KafkaJSNonRetriableError'
  }
}

/** A CreateTopics error for one topic (the admin aggregates them). */
export class KafkaJSCreateTopicError extends KafkaJSProtocolError {
  readonly topic: string | undefined

  constructor(e: KafkaJSErrorSource | ProtocolErrorSource, topicName?: string) {
    super(e)
    this.topic = topicName
    this.name = 'KafkaJSCreateTopicError'
  }
}

export class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {
  readonly topic: string | undefined
  readonly partition: number | undefined

  constructor(e: KafkaJSErrorSource | ProtocolErrorSource, topicName?: string, partition?: number) {
    super(e)
    this.topic = topicName
    this.partition = partition
    this.name = 'KafkaJSAlterPartitionReassignmentsError'
  }
}

/** Several errors at once (createTopics). Extends Error, not KafkaJSError, as in kafkajs. */
export class KafkaJSAggregateError extends Error {
  readonly errors: (Error | string)[]

  constructor(message: string, errors: (Error | string)[]) {
    super(message)
    this.errors = errors
    this.name = 'KafkaJSAggregateError'
  }
}

/**
 * Internal signal that a fetch was cut short by a rebalance. A bare Error subclass in kafkajs,
 * so its `name` is 'Error'; it never reaches user code.
 */
export class KafkaJSFetcherRebalanceError extends Error {}

export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  constructor() {
    super('No broker available')
    this.name = 'KafkaJSNoBrokerAvailableError'
  }
}

/**
 * The errors after which a consumer must rejoin its group (kafkajs's list; note it uses
 * kafkajs's name for code 16, NOT_COORDINATOR_FOR_GROUP).
 */
export function isRebalancing(e: unknown): boolean {
  const type = (e as { type?: unknown } | null | undefined)?.type
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION'
}

export function isKafkaJSError(e: unknown): e is KafkaJSError {
  return e instanceof KafkaJSError
}

// instanceof holds for errors thrown by another loaded copy of memkafka (its other build, or an
// alias): see shared-identity.ts.
shareClassIdentity({
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  KafkaJSOffsetOutOfRange,
  KafkaJSMemberIdRequired,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSConnectionError,
  KafkaJSConnectionClosedError,
  KafkaJSRequestTimeoutError,
  KafkaJSMetadataNotLoaded,
  KafkaJSTopicMetadataNotLoaded,
  KafkaJSStaleTopicMetadataAssignment,
  KafkaJSDeleteGroupsError,
  KafkaJSServerDoesNotSupportApiKey,
  KafkaJSBrokerNotFound,
  KafkaJSPartialMessageError,
  KafkaJSSASLAuthenticationError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNotImplemented,
  KafkaJSTimeout,
  KafkaJSLockTimeout,
  KafkaJSUnsupportedMagicByteInMessageSet,
  KafkaJSDeleteTopicRecordsError,
  KafkaJSInvariantViolation,
  KafkaJSInvalidVarIntError,
  KafkaJSInvalidLongError,
  KafkaJSCreateTopicError,
  KafkaJSAlterPartitionReassignmentsError,
  KafkaJSAggregateError,
  KafkaJSFetcherRebalanceError,
  KafkaJSNoBrokerAvailableError,
})
