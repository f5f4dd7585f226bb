import { createRequire } from 'node:module'
import fc from 'fast-check'
import type * as KafkaJS from 'kafkajs'
import { describe, expect, it } from 'vitest'
import * as ours from '../../src/client/errors.js'
import {
  KAFKAJS_UNKNOWN_ERROR_CODE,
  PROTOCOL_ERRORS,
  createErrorFromCode,
  errorTypeForCode,
  isFailure,
  isStaleMetadata,
  protocolErrorEntry,
} from '../../src/client/protocol-error-table.js'

// kafkajs is the oracle: its errors.js and protocol error table must agree with ours.
const require = createRequire(import.meta.url)
type AnyErrorClass = new (...args: any[]) => Error
const theirs = require('kafkajs/src/errors') as Record<string, AnyErrorClass> & {
  isRebalancing: (e: unknown) => boolean
  isKafkaJSError: (e: unknown) => boolean
}
const theirTable = require('kafkajs/src/protocol/error') as {
  errorCodes: { type: string; code: number; retriable: boolean; message: string; helpUrl?: string }[]
  createErrorFromCode: (code: number) => Error & Record<string, unknown>
  staleMetadata: (e: unknown) => boolean
}

const ourClasses = ours as unknown as Record<string, AnyErrorClass>

// Compile-time: our errors fit kafkajs's declared types, so code typed against kafkajs's
// errors accepts ours.
const protocolError: KafkaJS.KafkaJSProtocolError = new ours.KafkaJSProtocolError('x')
const typeChecks: KafkaJS.KafkaJSError[] = [
  new ours.KafkaJSError('x'),
  new ours.KafkaJSNonRetriableError('x'),
  new ours.KafkaJSOffsetOutOfRange('x', { topic: 't', partition: 0 }) satisfies KafkaJS.KafkaJSOffsetOutOfRange,
  new ours.KafkaJSNumberOfRetriesExceeded('x', { retryCount: 1, retryTime: 1 }) satisfies KafkaJS.KafkaJSNumberOfRetriesExceeded,
  new ours.KafkaJSConnectionError('x') satisfies KafkaJS.KafkaJSConnectionError,
  new ours.KafkaJSRequestTimeoutError('x') satisfies KafkaJS.KafkaJSRequestTimeoutError,
  new ours.KafkaJSTopicMetadataNotLoaded('x') satisfies KafkaJS.KafkaJSTopicMetadataNotLoaded,
  new ours.KafkaJSServerDoesNotSupportApiKey('x') satisfies KafkaJS.KafkaJSServerDoesNotSupportApiKey,
  new ours.KafkaJSDeleteGroupsError('x', []) satisfies KafkaJS.KafkaJSDeleteGroupsError,
  new ours.KafkaJSAlterPartitionReassignmentsError('x') satisfies KafkaJS.KafkaJSAlterPartitionReassignmentsError,
]
const aggregate: KafkaJS.KafkaJSAggregateError = new ours.KafkaJSAggregateError('x', [])
void [protocolError, typeChecks, aggregate]

/** Class names from a class up to Error: the hierarchy `instanceof` follows. */
function lineage(cls: Function): string[] {
  const names: string[] = []
  for (let c = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) names.push(c.name)
  return names
}

/** What a user can observe on an error, stack aside. */
function observable(error: Error): Record<string, unknown> {
  const view: Record<string, unknown> = { name: error.name, message: error.message, cause: (error as { cause?: unknown }).cause }
  for (const key of Object.keys(error)) view[key] = (error as unknown as Record<string, unknown>)[key]
  return view
}

const protocolEntry = { type: 'OFFSET_OUT_OF_RANGE', code: 1, retriable: false, message: 'out of range' }
const cause = new Error('root cause')

/** For each class, the arguments kafkajs's callers construct it with. */
const constructions: Record<string, unknown[][]> = {
  KafkaJSError: [['plain'], [new Error('from an error')], ['not retriable', { retriable: false }], ['with cause', { cause }]],
  KafkaJSNonRetriableError: [['plain'], [new Error('wrapped'), { cause }]],
  KafkaJSProtocolError: [[protocolEntry], ['bare message'], [protocolEntry, { retriable: true }]],
  KafkaJSOffsetOutOfRange: [[protocolEntry, { topic: 't', partition: 3 }]],
  KafkaJSMemberIdRequired: [[{ type: 'MEMBER_ID_REQUIRED', code: 79, retriable: false, message: 'm' }, { memberId: 'member-1' }]],
  KafkaJSNumberOfRetriesExceeded: [[new Error('last failure'), { retryCount: 5, retryTime: 1234 }]],
  KafkaJSConnectionError: [['closed', { broker: 'localhost:9092', code: 'ECONNREFUSED' }], ['bare']],
  KafkaJSConnectionClosedError: [['Closed connection', { host: 'localhost', port: 9092 }], ['no address']],
  KafkaJSRequestTimeoutError: [
    ['Request Produce(key: 0, version: 7) timed out', { broker: 'b:1', correlationId: 7, createdAt: 1, sentAt: 2, pendingDuration: 1 }],
  ],
  KafkaJSMetadataNotLoaded: [['Cluster metadata not loaded'], ['not retriable', { retriable: false }]],
  KafkaJSTopicMetadataNotLoaded: [['Topic metadata not loaded', { topic: 'orders' }]],
  KafkaJSStaleTopicMetadataAssignment: [['stale', { topic: 'orders', unknownPartitions: [5] }]],
  KafkaJSServerDoesNotSupportApiKey: [['not supported', { apiKey: 68, apiName: 'ConsumerGroupHeartbeat' }]],
  KafkaJSBrokerNotFound: [['Broker 3 not found in the cached metadata']],
  KafkaJSPartialMessageError: [['partial']],
  KafkaJSSASLAuthenticationError: [['SASL PLAIN authentication failed']],
  KafkaJSGroupCoordinatorNotFound: [['Failed to find group coordinator']],
  KafkaJSNotImplemented: [['SASL OAUTHBEARER is not implemented']],
  KafkaJSTimeout: [['Timeout while waiting for leaders']],
  KafkaJSLockTimeout: [['Timeout while acquiring lock']],
  KafkaJSUnsupportedMagicByteInMessageSet: [['Unsupported MessageSet message version, magic byte: 3']],
  KafkaJSDeleteGroupsError: [['Error in DeleteGroups', [{ groupId: 'g', errorCode: 69 }]], ['no groups']],
  KafkaJSDeleteTopicRecordsError: [
    [{ topic: 't', partitions: [{ partition: 0, offset: '1', error: { retriable: true } }, { partition: 1, offset: '2' }] }],
    [{ topic: 't', partitions: [{ partition: 0, offset: '1', error: { retriable: false } }] }],
  ],
  KafkaJSInvalidVarIntError: [['invalid varint']],
  KafkaJSInvalidLongError: [['invalid long']],
  KafkaJSCreateTopicError: [[{ type: 'TOPIC_ALREADY_EXISTS', code: 36, retriable: false, message: 'exists' }, 'orders']],
  KafkaJSAlterPartitionReassignmentsError: [[{ type: 'INVALID_REPLICA_ASSIGNMENT', code: 39, retriable: false, message: 'bad' }, 't', 2]],
  KafkaJSAggregateError: [['Topic creation errors', [new Error('a'), 'b']]],
  KafkaJSFetcherRebalanceError: [[]],
  KafkaJSNoBrokerAvailableError: [[]],
}

const theirClassNames = Object.keys(theirs).filter((key) => /^KafkaJS/.test(key) && typeof theirs[key] === 'function')
// KafkaJSInvariantViolation differs on purpose (helpUrl) and has its own test below.
const comparableClassNames = theirClassNames.filter((name) => name !== 'KafkaJSInvariantViolation')

describe('the KafkaJS* error classes', () => {
  it('are all there, and only kafkajs names are exported', () => {
    const ourClassNames = Object.keys(ours).filter((key) => /^KafkaJS/.test(key) && typeof ourClasses[key] === 'function')
    expect(ourClassNames.sort()).toEqual([...theirClassNames].sort())
    expect(Object.keys(constructions).sort()).toEqual([...comparableClassNames].sort())
  })

  it.each(theirClassNames)('%s has the same parents as in kafkajs', (name) => {
    expect(lineage(ourClasses[name]!)).toEqual(lineage(theirs[name]!))
  })

  it.each(comparableClassNames)('%s carries the same name, message, retriable flag and fields as in kafkajs', (name) => {
    for (const args of constructions[name]!) {
      const mine = new ourClasses[name]!(...args)
      const reference = new theirs[name]!(...args)
      expect(observable(mine)).toEqual(observable(reference))
    }
  })

  it('KafkaJSInvariantViolation words its message as kafkajs does, without pointing at kafkajs issues', () => {
    const mine = new ours.KafkaJSInvariantViolation('offsets went backwards')
    const reference = new theirs.KafkaJSInvariantViolation!('offsets went backwards') as ours.KafkaJSError
    expect(mine.message).toBe(reference.message)
    expect(mine.message).toBe('Invariant violated: offsets went backwards. This is likely a bug and should be reported.')
    expect(mine.name).toBe('KafkaJSInvariantViolation')
    expect(mine.retriable).toBe(false)
    expect(mine.helpUrl).toBeUndefined()
  })

  it('instanceof follows the kafkajs hierarchy', () => {
    const outOfRange = new ours.KafkaJSOffsetOutOfRange(protocolEntry, { topic: 't', partition: 0 })
    expect(outOfRange).toBeInstanceOf(ours.KafkaJSProtocolError)
    expect(outOfRange).toBeInstanceOf(ours.KafkaJSError)
    expect(outOfRange).toBeInstanceOf(Error)
    expect(outOfRange).not.toBeInstanceOf(ours.KafkaJSNonRetriableError)
    expect(new ours.KafkaJSNotImplemented('x')).toBeInstanceOf(ours.KafkaJSNonRetriableError)
    expect(new ours.KafkaJSLockTimeout('x')).toBeInstanceOf(ours.KafkaJSTimeout)
    expect(new ours.KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 1, retryTime: 1 })).toBeInstanceOf(
      ours.KafkaJSNonRetriableError,
    )
    expect(new ours.KafkaJSAggregateError('x', [])).not.toBeInstanceOf(ours.KafkaJSError)
  })

  it('retriable defaults: KafkaJSError yes, KafkaJSNonRetriableError no, a protocol error as its entry says', () => {
    expect(new ours.KafkaJSError('x').retriable).toBe(true)
    expect(new ours.KafkaJSBrokerNotFound('x').retriable).toBe(true)
    expect(new ours.KafkaJSNonRetriableError('x').retriable).toBe(false)
    expect(new ours.KafkaJSGroupCoordinatorNotFound('x').retriable).toBe(false)
    expect(new ours.KafkaJSProtocolError({ type: 'T', code: 3, retriable: true, message: 'm' }).retriable).toBe(true)
    expect(new ours.KafkaJSProtocolError({ type: 'T', code: 1, retriable: false, message: 'm' }).retriable).toBe(false)
  })

  it('KafkaJSNumberOfRetriesExceeded keeps the last error as cause and shows its stack', () => {
    const last = new ours.KafkaJSProtocolError({ type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true, message: 'no leader' })
    const mine = new ours.KafkaJSNumberOfRetriesExceeded(last, { retryCount: 3, retryTime: 900 })
    const reference = new theirs.KafkaJSNumberOfRetriesExceeded!(last, { retryCount: 3, retryTime: 900 })
    expect(mine.cause).toBe(last)
    expect(mine.message).toBe('no leader')
    expect(mine.retryCount).toBe(3)
    expect(mine.retryTime).toBe(900)
    // kafkajs writes the stack before the rename, so it starts with the parent's name.
    expect(mine.stack).toBe(`KafkaJSNonRetriableError\n  Caused by: ${last.stack}`)
    expect(mine.stack).toBe(reference.stack)
  })

  it('KafkaJSDeleteTopicRecordsError is retriable only when every failed partition is', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.record({ retriable: fc.option(fc.boolean(), { nil: undefined }) }), { nil: undefined })),
        (errors) => {
          const partitions = errors.map((error, partition) => ({ partition, offset: '0', error }))
          const mine = new ours.KafkaJSDeleteTopicRecordsError({ topic: 't', partitions })
          const reference = new theirs.KafkaJSDeleteTopicRecordsError!({ topic: 't', partitions }) as ours.KafkaJSError
          expect(mine.retriable).toBe(reference.retriable)
          expect(mine.retriable).toBe(errors.every((error) => error == null || error.retriable === true))
        },
      ),
    )
  })

  it('any message and retriable flag give the same KafkaJSError as kafkajs', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.boolean(), { nil: undefined }), (message, retriable) => {
        expect(observable(new ours.KafkaJSError(message, { retriable }))).toEqual(
          observable(new theirs.KafkaJSError!(message, { retriable })),
        )
      }),
    )
  })

  it('keeps the helpUrl of the error it is built from', () => {
    const error = new ours.KafkaJSNonRetriableError({ message: 'sasl', helpUrl: 'https://kafka.js.org/docs/configuration#sasl' })
    expect(error.helpUrl).toBe('https://kafka.js.org/docs/configuration#sasl')
  })
})

describe('isRebalancing and isKafkaJSError', () => {
  it('isRebalancing recognises exactly the types kafkajs does', () => {
    const types = [...PROTOCOL_ERRORS.map((entry) => entry.type), 'NOT_COORDINATOR', 'KAFKAJS_UNKNOWN_ERROR_CODE', undefined]
    const rebalancing = types.filter((type) => ours.isRebalancing({ type }))
    expect(rebalancing).toEqual(['NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS'])
    for (const type of types) expect(ours.isRebalancing({ type })).toBe(theirs.isRebalancing({ type }))
    expect(ours.isRebalancing(createErrorFromCode(27))).toBe(true)
    expect(ours.isRebalancing(null)).toBe(false)
  })

  it('isKafkaJSError is instanceof KafkaJSError', () => {
    expect(ours.isKafkaJSError(createErrorFromCode(3))).toBe(true)
    expect(ours.isKafkaJSError(new ours.KafkaJSNotImplemented('x'))).toBe(true)
    expect(ours.isKafkaJSError(new ours.KafkaJSAggregateError('x', []))).toBe(false)
    expect(ours.isKafkaJSError(new Error('x'))).toBe(false)
    expect(ours.isKafkaJSError('KafkaJSError')).toBe(false)
  })
})

describe('the protocol error table', () => {
  it('is kafkajs’s table, entry for entry', () => {
    expect(PROTOCOL_ERRORS).toEqual(theirTable.errorCodes)
  })

  it('uses kafkajs’s names where they differ from Kafka’s', () => {
    expect(errorTypeForCode(-1)).toBe('UNKNOWN')
    expect(errorTypeForCode(6)).toBe('NOT_LEADER_FOR_PARTITION')
    expect(errorTypeForCode(14)).toBe('GROUP_LOAD_IN_PROGRESS')
    expect(errorTypeForCode(15)).toBe('GROUP_COORDINATOR_NOT_AVAILABLE')
    expect(errorTypeForCode(16)).toBe('NOT_COORDINATOR_FOR_GROUP')
  })

  it('marks the retriable errors as kafkajs does', () => {
    const retriable = ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'REQUEST_TIMED_OUT',
      'GROUP_COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR_FOR_GROUP', 'CONCURRENT_TRANSACTIONS', 'NOT_ENOUGH_REPLICAS']
    const fatal = ['OFFSET_OUT_OF_RANGE', 'INVALID_TOPIC_EXCEPTION', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID',
      'REBALANCE_IN_PROGRESS', 'TOPIC_ALREADY_EXISTS', 'INVALID_PRODUCER_EPOCH', 'UNKNOWN']
    const byType = new Map(PROTOCOL_ERRORS.map((entry) => [entry.type, entry]))
    for (const type of retriable) expect(byType.get(type)?.retriable, type).toBe(true)
    for (const type of fatal) expect(byType.get(type)?.retriable, type).toBe(false)
  })

  it('createErrorFromCode agrees with kafkajs for every code from -1 to 120, and any other integer', () => {
    const check = (code: number): void => {
      const mine = createErrorFromCode(code)
      const reference = theirTable.createErrorFromCode(code)
      expect(mine).toBeInstanceOf(ours.KafkaJSProtocolError)
      expect(mine.constructor).toBe(ours.KafkaJSProtocolError)
      expect(observable(mine)).toEqual(observable(reference))
      expect(errorTypeForCode(code)).toBe(reference.type)
      expect(isStaleMetadata(mine)).toBe(theirTable.staleMetadata(reference))
    }
    for (let code = -1; code <= 120; code++) check(code)
    fc.assert(fc.property(fc.integer(), (code) => check(code)))
  })

  it('a code kafkajs does not know becomes KAFKAJS_UNKNOWN_ERROR_CODE', () => {
    for (const code of [0, 89, 90, 110, -2]) {
      const error = createErrorFromCode(code)
      expect(error.type).toBe('KAFKAJS_UNKNOWN_ERROR_CODE')
      expect(error.code).toBe(KAFKAJS_UNKNOWN_ERROR_CODE)
      expect(error.retriable).toBe(false)
      expect(error.message).toBe(`Unknown error code ${code}`)
    }
  })

  it('carries the help links kafkajs attaches', () => {
    expect(createErrorFromCode(27).helpUrl).toBe('https://kafka.js.org/docs/faq#what-does-it-mean-to-get-rebalance-in-progress-errors')
    expect(createErrorFromCode(58).helpUrl).toBe('https://kafka.js.org/docs/configuration#sasl')
    expect(createErrorFromCode(3).helpUrl).toBeUndefined()
  })

  it('codes are unique and each entry round-trips through protocolErrorEntry', () => {
    expect(new Set(PROTOCOL_ERRORS.map((entry) => entry.code)).size).toBe(PROTOCOL_ERRORS.length)
    for (const entry of PROTOCOL_ERRORS) expect(protocolErrorEntry(entry.code)).toBe(entry)
  })

  it('isFailure is every code but 0', () => {
    fc.assert(
      fc.property(fc.integer(), (code) => {
        expect(isFailure(code)).toBe(code !== 0)
      }),
    )
  })
})
