/**
 * The numeric enums of kafkajs's admin API, as kafkajs 2.2.4 exports them at its top level
 * (index.js, from src/protocol/*.js). Their values are Kafka's own: the resource, operation,
 * permission and pattern types of KIP-140 (ACLs), the config resource types and config sources
 * of KIP-133 / KIP-226 (DescribeConfigs). kafkajs exports plain objects and declares TypeScript
 * enums in its types; here each is a frozen object plus a type of the same name, the union of
 * its values, so `ConfigResourceTypes.TOPIC` works both as a value and, through the type, where
 * kafkajs's enum type is expected.
 */

/** Which kind of resource DescribeConfigs / AlterConfigs address (src/protocol/configResourceTypes.js). */
export const ConfigResourceTypes = Object.freeze({
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
} as const)
export type ConfigResourceTypes = (typeof ConfigResourceTypes)[keyof typeof ConfigResourceTypes]

/**
 * Where a described config value comes from (src/protocol/configSource.js). kafkajs names 1
 * TOPIC_CONFIG; Kafka's DescribeConfigsResponse calls it DYNAMIC_TOPIC_CONFIG.
 */
export const ConfigSource = Object.freeze({
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const)
export type ConfigSource = (typeof ConfigSource)[keyof typeof ConfigSource]

/** The resource an ACL applies to (src/protocol/aclResourceTypes.js; Kafka's ResourceType). */
export const AclResourceTypes = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
} as const)
export type AclResourceTypes = (typeof AclResourceTypes)[keyof typeof AclResourceTypes]

/**
 * kafkajs 1.x exported the ACL resource types under this name; kafkajs 2.x exports them as
 * AclResourceTypes only. Kept, with the same values, for code written against kafkajs 1.x.
 */
export const ResourceTypes = AclResourceTypes
export type ResourceTypes = AclResourceTypes

/** The operation an ACL allows or denies (src/protocol/aclOperationTypes.js; Kafka's AclOperation). */
export const AclOperationTypes = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const)
export type AclOperationTypes = (typeof AclOperationTypes)[keyof typeof AclOperationTypes]

/** Allow or deny (src/protocol/aclPermissionTypes.js; Kafka's AclPermissionType). */
export const AclPermissionTypes = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  DENY: 2,
  ALLOW: 3,
} as const)
export type AclPermissionTypes = (typeof AclPermissionTypes)[keyof typeof AclPermissionTypes]

/** How an ACL's resource name matches (src/protocol/resourcePatternTypes.js; Kafka's PatternType, KIP-290). */
export const ResourcePatternTypes = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  MATCH: 2,
  LITERAL: 3,
  PREFIXED: 4,
} as const)
export type ResourcePatternTypes = (typeof ResourcePatternTypes)[keyof typeof ResourcePatternTypes]
