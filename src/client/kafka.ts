/**
 * kafkajs's `Kafka` client: the factory of producers, consumers and admins. Bound to an
 * in-process cluster either explicitly (`cluster.kafka(config)`) or by its broker addresses
 * (the drop-in registry). `ssl` and `sasl` act against the cluster's listener as against a real
 * broker (sasl-authentication.ts); the other network options (socketFactory, timeouts) have
 * nothing to act on in-process.
 */
import type { ClusterModel } from '../cluster/cluster-model.js'
import { KafkaJSNonRetriableError } from './errors.js'
import { createLogger, logLevel as LogLevels, type LogCreator, type Logger, type LogLevel } from './logger.js'
import type { RetryOptions } from './retry.js'
import { ClusterClient } from './cluster-client.js'
import { Producer, type ProducerConfig } from './producer/producer.js'
import { Consumer, type ConsumerConfig } from './consumer/consumer.js'
import { Admin, type AdminConfig } from './admin/admin.js'

export interface KafkaConfig {
  brokers?: string[] | (() => string[] | Promise<string[]>)
  clientId?: string
  ssl?: unknown
  sasl?: unknown
  connectionTimeout?: number
  authenticationTimeout?: number
  reauthenticationThreshold?: number
  requestTimeout?: number
  enforceRequestTimeout?: boolean
  retry?: RetryOptions
  socketFactory?: unknown
  logLevel?: LogLevel
  logCreator?: LogCreator
}

/** How a Kafka finds its cluster; set by Cluster.kafka() and by the drop-in lookup. */
export type ClusterResolver = (brokers: readonly string[]) => ClusterModel

let defaultResolver: ClusterResolver | undefined

/** Installed by the public Cluster module: finds or creates the cluster at these addresses. */
export function setDefaultClusterResolver(resolver: ClusterResolver): void {
  defaultResolver = resolver
}

/**
 * The cluster a config is bound to, kept on the config itself (a copy Cluster.kafka() makes):
 * a process-wide WeakMap from config to cluster kept every test's cluster alive through
 * young-generation collections, which treat an old WeakMap's entries as strong while the value
 * reaches the key (the cluster reaches its clients, and they the config), so one test life after
 * another promoted the whole of each dead cluster (issue 15).
 */
const BOUND_CLUSTER = Symbol('memkafka.boundCluster')

type BoundConfig = KafkaConfig & { [BOUND_CLUSTER]?: ClusterModel }

/** Binds a config (a copy of the caller's) to a cluster, for Cluster.kafka(). */
export function bindConfig(config: KafkaConfig, cluster: ClusterModel): KafkaConfig {
  Object.defineProperty(config, BOUND_CLUSTER, { value: cluster })
  return config
}

export class Kafka {
  private readonly config: KafkaConfig
  private readonly rootLogger: Logger
  private clusterModel: ClusterModel | undefined
  private readonly brokerList: readonly string[]

  constructor(config: KafkaConfig) {
    this.config = config
    const bound = (config as BoundConfig)[BOUND_CLUSTER]
    if (!bound && config.brokers === undefined) {
      throw new KafkaJSNonRetriableError('Failed to connect: brokers parameter should not be null')
    }
    if (typeof config.brokers === 'function') {
      throw new KafkaJSNonRetriableError('memkafka does not resolve a brokers function; pass the broker addresses as an array')
    }
    this.brokerList = config.brokers ?? []
    if (!bound && this.brokerList.length === 0) {
      throw new KafkaJSNonRetriableError('Failed to connect: expected brokers array and got nothing')
    }
    this.clusterModel = bound
    this.rootLogger = createLogger({ level: config.logLevel ?? LogLevels.INFO, logCreator: config.logCreator, clock: this.cluster.clock })
  }

  private get cluster(): ClusterModel {
    if (!this.clusterModel) {
      if (!defaultResolver) throw new KafkaJSNonRetriableError('memkafka: no in-process cluster resolver is installed')
      this.clusterModel = defaultResolver(this.brokerList)
    }
    return this.clusterModel
  }

  private clusterClient(options: { retry?: RetryOptions | undefined; metadataMaxAge?: number | undefined; allowAutoTopicCreation?: boolean | undefined }): ClusterClient {
    return new ClusterClient({
      model: this.cluster,
      clientId: this.config.clientId ?? 'kafkajs',
      logger: this.rootLogger,
      retry: options.retry,
      random: this.cluster.random.fork(),
      metadataMaxAge: options.metadataMaxAge,
      allowAutoTopicCreation: options.allowAutoTopicCreation,
      ssl: this.config.ssl,
      sasl: this.config.sasl,
      reauthenticationThreshold: this.config.reauthenticationThreshold,
    })
  }

  /** kafkajs lays a client's own retry options over the Kafka-level ones. */
  private retry(own: RetryOptions | undefined): RetryOptions {
    return { ...this.config.retry, ...own }
  }

  producer(config: ProducerConfig = {}): Producer {
    return new Producer(this.clusterClient({ ...config, retry: this.retry(config.retry) }), config)
  }

  consumer(config: ConsumerConfig): Consumer {
    // kafkajs's consumer defaults its own retry to { retries: 5 }.
    const retry = this.retry(config?.retry ?? { retries: 5 })
    return new Consumer(this.clusterClient({ ...config, retry }), { ...config, retry })
  }

  admin(config: AdminConfig = {}): Admin {
    // An admin never creates topics by asking for their metadata.
    return new Admin(this.clusterClient({ retry: this.retry(config.retry), allowAutoTopicCreation: false }), { ...config, retry: this.retry(config.retry) })
  }

  logger(): Logger {
    return this.rootLogger
  }
}
