/**
 * kafkajs's admin client (kafkajs 2.2.4, src/admin/index.js), over the in-process cluster:
 * the whole surface, in the order of kafkajs's index. Each method is carried out in the file
 * of its concern: topics.ts, metadata.ts, offsets.ts, records.ts, groups.ts, configs.ts,
 * acls.ts; metadata, broker lookup and ListOffsets come from the shared cluster client.
 *
 * Each method keeps kafkajs's argument checks and their KafkaJSNonRetriableError messages, its
 * requests (CreateTopics, DeleteTopics and the config APIs go to the controller; offsets to the
 * partition leaders; group APIs to the group coordinator), its retry rules (which errors a method
 * retries with the admin's retrier, which it hands back as they are), the way it turns error
 * codes into errors (the first failing topic, sorted by name, as kafkajs's decoders do; the
 * aggregate of CreateTopics; the per-group and per-partition errors of DeleteGroups and
 * DeleteRecords) and its return shapes. Methods are arrow-function properties, so they work
 * when destructured (`const { createTopics } = admin`).
 *
 * Where kafkajs 2.2.4 has a plain bug that only breaks a call, memkafka does the sensible thing
 * and says so beside the code ("kafkajs ..."). Partition reassignments are not implemented:
 * those methods throw KafkaJSNotImplemented.
 */
import type { ClusterClient } from '../cluster-client.js'
import { KafkaJSNotImplemented } from '../errors.js'
import {
  ADMIN_EVENTS,
  InstrumentationEmitter,
  type EventName,
  type InstrumentationListener,
  type RemoveInstrumentationEventListener,
} from '../instrumentation.js'
import type { Logger } from '../logger.js'
import { createRetry, type RetryOptions } from '../retry.js'
import { createAcls, deleteAcls, describeAcls } from './acls.js'
import type { AdminContext } from './admin-context.js'
import type {
  AclEntry,
  AclFilter,
  AlterConfigResponse,
  DeleteAclResponse,
  DeleteGroupsResult,
  DescribeAclResponse,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  GroupDescriptions,
  GroupOverview,
  IResourceConfig,
  ITopicMetadata,
  ListPartitionReassignmentsResponse,
  PartitionReassignment,
  ResourceConfigQuery,
  SeekEntry,
  TopicPartitions,
} from './admin-types.js'
import { alterConfigs, describeConfigs } from './configs.js'
import { deleteGroups, describeGroups, listGroups } from './groups.js'
import { describeCluster, fetchTopicMetadata, listTopics, type DescribedCluster } from './metadata.js'
import { fetchOffsets, fetchTopicOffsets, fetchTopicOffsetsByTimestamp, resetOffsets, setOffsets, type FetchOffsetsOptions } from './offsets.js'
import { deleteTopicRecords } from './records.js'
import { createPartitions, createTopics, deleteTopics, type CreatePartitionsOptions, type CreateTopicsOptions } from './topics.js'

export type * from './admin-types.js'

export interface AdminConfig {
  retry?: RetryOptions
}

export type AdminEventName = EventName<typeof ADMIN_EVENTS>

export class Admin {
  readonly events = ADMIN_EVENTS
  private readonly client: ClusterClient
  private readonly log: Logger
  private readonly context: AdminContext
  private readonly instrumentation: InstrumentationEmitter<typeof ADMIN_EVENTS>

  constructor(client: ClusterClient, config: AdminConfig = {}) {
    this.client = client
    this.log = client.logger.namespace('Admin')
    // kafkajs: the admin's retry options laid over the Kafka client's.
    const retrier = createRetry({ ...client.retryOptions, ...config.retry }, { clock: client.clock, random: client.random })
    this.context = { client, log: this.log, retrier }
    this.instrumentation = new InstrumentationEmitter(ADMIN_EVENTS, { clock: client.clock, logger: this.log })
  }

  connect = async (): Promise<void> => {
    await this.client.connect()
    this.instrumentation.emit(ADMIN_EVENTS.CONNECT)
  }

  disconnect = async (): Promise<void> => {
    this.client.disconnect()
    this.instrumentation.emit(ADMIN_EVENTS.DISCONNECT)
  }

  // Topics (topics.ts) and the cluster's metadata (metadata.ts)
  listTopics = (): Promise<string[]> => listTopics(this.context)
  createTopics = (options: CreateTopicsOptions): Promise<boolean> => createTopics(this.context, options)
  deleteTopics = (options: { topics: string[]; timeout?: number }): Promise<void> => deleteTopics(this.context, options)
  createPartitions = (options: CreatePartitionsOptions): Promise<boolean> => createPartitions(this.context, options)
  fetchTopicMetadata = (options?: { topics?: string[] }): Promise<{ topics: ITopicMetadata[] }> => fetchTopicMetadata(this.context, options)
  describeCluster = (): Promise<DescribedCluster> => describeCluster(this.context)

  // Offsets (offsets.ts)
  fetchOffsets = (options: FetchOffsetsOptions): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> => fetchOffsets(this.context, options)
  fetchTopicOffsets = (topic: string): Promise<Array<SeekEntry & { high: string; low: string }>> => fetchTopicOffsets(this.context, topic)
  fetchTopicOffsetsByTimestamp = (topic: string, timestamp?: number): Promise<SeekEntry[]> => fetchTopicOffsetsByTimestamp(this.context, topic, timestamp)
  setOffsets = (options: { groupId: string; topic: string; partitions: SeekEntry[] }): Promise<void> => setOffsets(this.context, options)
  resetOffsets = (options: { groupId: string; topic: string; earliest?: boolean }): Promise<void> => resetOffsets(this.context, options)

  // Configs (configs.ts)
  describeConfigs = (options: { resources: ResourceConfigQuery[]; includeSynonyms?: boolean }): Promise<DescribeConfigResponse> => describeConfigs(this.context, options)
  alterConfigs = (options: { validateOnly?: boolean; resources: IResourceConfig[] }): Promise<AlterConfigResponse> => alterConfigs(this.context, options)

  on = (eventName: AdminEventName, listener: InstrumentationListener): RemoveInstrumentationEventListener =>
    this.instrumentation.on(eventName, listener)

  logger = (): Logger => this.log

  // Groups (groups.ts)
  listGroups = (): Promise<{ groups: GroupOverview[] }> => listGroups(this.context)
  describeGroups = (groupIds: string[]): Promise<GroupDescriptions> => describeGroups(this.context, groupIds)
  deleteGroups = (groupIds: string[]): Promise<DeleteGroupsResult[]> => deleteGroups(this.context, groupIds)

  // ACLs (acls.ts)
  describeAcls = (options: AclFilter): Promise<DescribeAclResponse> => describeAcls(this.context, options)
  deleteAcls = (options: { filters: AclFilter[] }): Promise<DeleteAclResponse> => deleteAcls(this.context, options)
  createAcls = (options: { acl: AclEntry[] }): Promise<boolean> => createAcls(this.context, options)

  // Records (records.ts)
  deleteTopicRecords = (options: { topic: string; partitions: SeekEntry[] }): Promise<void> => deleteTopicRecords(this.context, options)

  // Partition reassignments: not implemented yet
  alterPartitionReassignments = async (_request: { topics: PartitionReassignment[]; timeout?: number }): Promise<void> => {
    throw new KafkaJSNotImplemented('memkafka does not implement partition reassignments yet (alterPartitionReassignments)')
  }

  listPartitionReassignments = async (_request: { topics?: TopicPartitions[]; timeout?: number }): Promise<ListPartitionReassignmentsResponse> => {
    throw new KafkaJSNotImplemented('memkafka does not implement partition reassignments yet (listPartitionReassignments)')
  }
}
