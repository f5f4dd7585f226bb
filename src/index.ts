/**
 * memkafka: an in-process Kafka cluster behind the kafkajs API.
 *
 *   import { Cluster } from 'memkafka'
 *   const cluster = new Cluster({ brokers: 3 })
 *   const kafka = cluster.kafka({ clientId: 'app' })   // a kafkajs Kafka
 *
 * Everything kafkajs exports at its top level is exported here under the same name, so
 * `vi.mock('kafkajs', () => import('memkafka'))` swaps a real cluster for an in-process one.
 */
export { Cluster } from './client/cluster.js'
export type { ClusterOptions, BrokerSpec, SettleOptions } from './cluster/cluster-model.js'
export type { BrokerConfigInput } from './cluster/cluster-config.js'
export type { ClusterDescription, TopicDescription, PartitionDescription, GroupDescription, BrokerDescription } from './cluster/describe.js'
export type { TimelineEvent, TimelineEventType } from './cluster/timeline.js'
export type { LogCleanupResult } from './cluster/log/log-maintenance.js'
export type { StoryOptions } from './cluster/story.js'
export type { ConsoleOptions, WebConsole } from './console/console-server.js'
export { InvariantViolation } from './cluster/invariants.js'
/** What the control API (cluster.createTopic, cluster.stopBroker, ...) throws: a Kafka error code by name. */
export { KafkaError, BrokerUnreachableError, ErrorCode } from './cluster/error-codes.js'
export type { ErrorName } from './cluster/error-codes.js'
export type { UnknownAddressPolicy } from './client/registry.js'
export { AutoClock, ManualClock, SystemClock } from './cluster/clock.js'
export type { AutoClockOptions, Clock, ClockName, TimeDriver, TimerHandle } from './cluster/clock.js'
export { Random } from './cluster/random.js'
export type { ListenOptions, WireServer, ListeningBroker } from './wire/server.js'
export type { WireLogger, WireLogEntry, WireLogLevel } from './wire/wire-log.js'

export { Kafka } from './client/kafka.js'
export type { KafkaConfig } from './client/kafka.js'
export { Producer } from './client/producer/producer.js'
export type { ProducerConfig, ProducerRecord, ProducerBatch, RecordMetadata } from './client/producer/producer.js'
export type { Message, TopicMessages, IHeaders } from './client/producer/message.js'
export type { Transaction } from './client/producer/transaction.js'
export { Consumer } from './client/consumer/consumer.js'
export type { ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics } from './client/consumer/consumer.js'
export type { EachBatchPayload, EachMessagePayload } from './client/consumer/runner.js'
export type { Batch, KafkaMessage } from './client/consumer/batch.js'
export { Admin } from './client/admin/admin.js'
export type { AdminConfig } from './client/admin/admin.js'
export * from './client/admin/enums.js'

export { Partitioners } from './client/producer/partitioners/index.js'
export type { ICustomPartitioner, PartitionerArgs } from './client/producer/partitioners/index.js'
export { PartitionAssigners, AssignerProtocol } from './client/consumer/assigners/index.js'
export type { Assigner, PartitionAssigner, GroupMember, GroupMemberAssignment, GroupState, MemberMetadata, MemberAssignment } from './client/consumer/assigners/index.js'
export { logLevel } from './client/logger.js'
export type { Logger, LogEntry, LogCreator } from './client/logger.js'

export { CompressionTypes, CompressionCodecs } from './client/compression.js'

export * from './client/errors.js'
import * as errors from './client/errors.js'
/** kafkajs also exports its error classes grouped as `errors`. */
export { errors }
