/**
 * ACL bindings and filters as Kafka models them (org.apache.kafka.common.acl.AclBinding,
 * AclBindingFilter, ResourcePattern, ResourcePatternFilter), with Kafka's wire codes for the
 * enums (the same numbers kafkajs's ACL_* enums use).
 */

/** org.apache.kafka.common.resource.ResourceType codes. */
export const AclResourceType = { UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6, USER: 7 } as const
/** org.apache.kafka.common.resource.PatternType codes. */
export const AclPatternType = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const
/** org.apache.kafka.common.acl.AclOperation codes. */
export const AclOperation = {
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
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const
/** org.apache.kafka.common.acl.AclPermissionType codes. */
export const AclPermissionType = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const

/** The one name a CLUSTER resource has (Resource.CLUSTER_NAME). */
export const CLUSTER_NAME = 'kafka-cluster'
/** ResourcePattern.WILDCARD_RESOURCE: a LITERAL pattern with this name matches every name. */
export const WILDCARD_RESOURCE = '*'
/** AclEntry.WILDCARD_HOST. */
export const WILDCARD_HOST = '*'
/** The principal that matches every user (AclEntry.WILDCARD_PRINCIPAL_STRING). */
export const WILDCARD_PRINCIPAL = 'User:*'

export interface AclBinding {
  readonly resourceType: number
  readonly resourceName: string
  readonly patternType: number
  readonly principal: string
  readonly host: string
  readonly operation: number
  readonly permissionType: number
}

/** A filter: null name/principal/host match anything; ANY codes match any value. */
export interface AclBindingFilter {
  readonly resourceType: number
  readonly resourceName: string | null
  readonly patternType: number
  readonly principal: string | null
  readonly host: string | null
  readonly operation: number
  readonly permissionType: number
}

const nameOf = (table: Record<string, number>, code: number): string => Object.keys(table).find((k) => table[k] === code) ?? `UNKNOWN(${code})`
export const resourceTypeName = (code: number): string => nameOf(AclResourceType, code)
export const operationName = (code: number): string => nameOf(AclOperation, code)
export const patternTypeName = (code: number): string => nameOf(AclPatternType, code)
export const permissionTypeName = (code: number): string => nameOf(AclPermissionType, code)

/** Parses "User:alice" as KafkaPrincipal does (SecurityUtils.parseKafkaPrincipal); undefined when malformed. */
export function parsePrincipal(text: string): { type: string; name: string } | undefined {
  const colon = text.indexOf(':')
  if (colon <= 0) return undefined
  return { type: text.slice(0, colon), name: text.slice(colon + 1) }
}

/**
 * Why a binding may not be stored, or undefined when it may (the checks of Kafka's
 * AclControlManager.validateNewAcl): concrete types only, a parseable principal, a host, and
 * the one CLUSTER name.
 */
export function invalidBindingReason(b: AclBinding): string | undefined {
  if (b.resourceType === AclResourceType.ANY || b.resourceType === AclResourceType.UNKNOWN || !Object.values(AclResourceType).includes(b.resourceType as never)) {
    return `Invalid resourceType ${b.resourceType}`
  }
  if (b.patternType !== AclPatternType.LITERAL && b.patternType !== AclPatternType.PREFIXED) return `Invalid patternType ${b.patternType}`
  if (b.operation === AclOperation.ANY || b.operation === AclOperation.UNKNOWN || !Object.values(AclOperation).includes(b.operation as never)) {
    return `Invalid operation ${b.operation}`
  }
  if (b.permissionType !== AclPermissionType.ALLOW && b.permissionType !== AclPermissionType.DENY) return `Invalid permissionType ${b.permissionType}`
  if (typeof b.resourceName !== 'string' || b.resourceName === '') return 'Resource name should not be empty'
  if (typeof b.principal !== 'string' || parsePrincipal(b.principal) === undefined) return `Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`
  if (typeof b.host !== 'string') return 'Invalid null host'
  if (b.resourceType === AclResourceType.CLUSTER && b.resourceName !== CLUSTER_NAME) return `The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`
  return undefined
}

/** Why a filter cannot be used (AclBindingFilter.findIndefiniteField for deletes is lenient; UNKNOWN is not). */
export function invalidFilterReason(f: AclBindingFilter): string | undefined {
  if (f.resourceType === AclResourceType.UNKNOWN) return 'Filter contains UNKNOWN resource type'
  if (f.patternType === AclPatternType.UNKNOWN) return 'Filter contains UNKNOWN pattern type'
  if (f.operation === AclOperation.UNKNOWN) return 'Filter contains UNKNOWN operation'
  if (f.permissionType === AclPermissionType.UNKNOWN) return 'Filter contains UNKNOWN permission type'
  return undefined
}

/** Whether a stored binding matches a filter (AclBindingFilter.matches with ResourcePatternFilter's MATCH rule). */
export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== AclResourceType.ANY && f.resourceType !== b.resourceType) return false
  if (f.operation !== AclOperation.ANY && f.operation !== b.operation) return false
  if (f.permissionType !== AclPermissionType.ANY && f.permissionType !== b.permissionType) return false
  if (f.principal !== null && f.principal !== b.principal) return false
  if (f.host !== null && f.host !== b.host) return false
  switch (f.patternType) {
    case AclPatternType.ANY:
      return f.resourceName === null || f.resourceName === b.resourceName
    case AclPatternType.MATCH:
      // Every binding that would apply to a resource of this name: the literal name, the
      // wildcard, and every prefix of it.
      if (f.resourceName === null) return true
      if (b.patternType === AclPatternType.LITERAL) return b.resourceName === f.resourceName || b.resourceName === WILDCARD_RESOURCE
      return f.resourceName.startsWith(b.resourceName)
    default:
      return f.patternType === b.patternType && (f.resourceName === null || f.resourceName === b.resourceName)
  }
}

export function bindingKey(b: AclBinding): string {
  return `${b.resourceType}\u0000${b.patternType}\u0000${b.resourceName}\u0000${b.principal}\u0000${b.host}\u0000${b.operation}\u0000${b.permissionType}`
}

/** "User:alice is ALLOWed READ from host * on TOPIC orders (LITERAL)", for format() and logs. */
export function formatBinding(b: AclBinding): string {
  return `${b.principal} ${permissionTypeName(b.permissionType)} ${operationName(b.operation)} from host ${b.host} on ${resourceTypeName(b.resourceType)} ${b.resourceName} (${patternTypeName(b.patternType)})`
}
