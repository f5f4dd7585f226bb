/**
 * The group coordinator's settings (Kafka 4.0 gathers them in its GroupCoordinatorConfig). Their
 * names, types and Kafka defaults are defined once, with the other broker configs, in
 * config/broker-configs.ts; ClusterConfig.groupCoordinatorConfig() reads them from there.
 */
export interface GroupCoordinatorConfig {
  /** group.initial.rebalance.delay.ms: how long a new group waits for more members (KIP-134). */
  groupInitialRebalanceDelayMs: number
  /** group.min.session.timeout.ms: the smallest session timeout a member may ask for. */
  groupMinSessionTimeoutMs: number
  /** group.max.session.timeout.ms: the largest session timeout a member may ask for. */
  groupMaxSessionTimeoutMs: number
  /** group.max.size: the most members a group accepts. */
  groupMaxSize: number
  /** offsets.retention.minutes, in ms. */
  offsetsRetentionMs: number
  /** offsets.retention.check.interval.ms: how often expired offsets are removed. */
  offsetsRetentionCheckIntervalMs: number
  /** offset.metadata.max.bytes: the longest metadata an offset commit may carry. */
  offsetMetadataMaxBytes: number
}
