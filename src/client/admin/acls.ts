/**
 * The admin's ACL calls (kafkajs's admin createAcls / describeAcls / deleteAcls): kafkajs's own
 * argument checks (each a KafkaJSNonRetriableError with kafkajs's message), then CreateAcls,
 * DescribeAcls or DeleteAcls to the controller, and the first error of the response thrown as
 * kafkajs's decoders throw it. The cluster answers SECURITY_DISABLED without an authorizer and
 * CLUSTER_AUTHORIZATION_FAILED when the principal may not ALTER (DESCRIBE) the cluster.
 */
import type { AclBinding, AclBindingFilter } from '../../cluster/security/acl.js'
import { KafkaJSNonRetriableError } from '../errors.js'
import type { ClusterClient } from '../cluster-client.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { NOT_CONTROLLER, refreshMetadata, retryOn, type AdminContext } from './admin-context.js'
import type { AclEntry, AclFilter, DeleteAclResponse, DescribeAclResponse } from './admin-types.js'
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from './enums.js'

export async function describeAcls(context: AdminContext, options: AclFilter): Promise<DescribeAclResponse> {
  validateDescribeAcls(options)
  return aclRequest(context, 'describe ACL', () => sendDescribeAcls(context.client, options))
}

export async function createAcls(context: AdminContext, options: { acl: AclEntry[] }): Promise<boolean> {
  validateCreateAcls(options?.acl)
  return aclRequest(context, 'create ACL', async () => {
    await sendCreateAcls(context.client, options.acl)
    return true
  })
}

export async function deleteAcls(context: AdminContext, options: { filters: AclFilter[] }): Promise<DeleteAclResponse> {
  validateDeleteAcls(options?.filters)
  return aclRequest(context, 'delete ACL', () => sendDeleteAcls(context.client, options.filters))
}

/** kafkajs retries the ACL calls on NOT_CONTROLLER only, after a metadata refresh. */
function aclRequest<T>(context: AdminContext, what: string, send: () => Promise<T>): Promise<T> {
  return retryOn(context, [NOT_CONTROLLER], what, async () => {
    await refreshMetadata(context)
    return send()
  })
}

type AnyAcl = Partial<Record<keyof AclEntry, unknown>>

/** kafkajs's enum checks, in its order: operation, pattern type, permission, resource type. */
function checkEnums(items: readonly AnyAcl[], patternWord: string): void {
  const check = (field: keyof AclEntry, values: readonly number[], what: string): void => {
    const bad = items.find((i) => !values.includes(i[field] as number))
    if (bad) throw new KafkaJSNonRetriableError(`Invalid ${what} ${String(bad[field])}: ${JSON.stringify(bad)}`)
  }
  check('operation', Object.values(AclOperationTypes), 'operation type')
  check('resourcePatternType', Object.values(ResourcePatternTypes), patternWord)
  check('permissionType', Object.values(AclPermissionTypes), 'permission type')
  check('resourceType', Object.values(AclResourceTypes), 'resource type')
}

function validateCreateAcls(acl: unknown): asserts acl is AclEntry[] {
  if (!acl || !Array.isArray(acl)) throw new KafkaJSNonRetriableError(`Invalid ACL array ${String(acl)}`)
  if (acl.length === 0) throw new KafkaJSNonRetriableError('Empty ACL array')
  const items = acl as AnyAcl[]
  if (items.some((a) => typeof a.principal !== 'string')) throw new KafkaJSNonRetriableError('Invalid ACL array, the principals have to be a valid string')
  if (items.some((a) => typeof a.host !== 'string')) throw new KafkaJSNonRetriableError('Invalid ACL array, the hosts have to be a valid string')
  if (items.some((a) => typeof a.resourceName !== 'string')) throw new KafkaJSNonRetriableError('Invalid ACL array, the resourceNames have to be a valid string')
  checkEnums(items, 'resource pattern type')
}

function validateDescribeAcls(filter: AclFilter): void {
  const f = (filter ?? {}) as AnyAcl
  if (typeof f.principal !== 'string' && f.principal !== undefined) throw new KafkaJSNonRetriableError('Invalid principal, the principal have to be a valid string')
  if (typeof f.host !== 'string' && f.host !== undefined) throw new KafkaJSNonRetriableError('Invalid host, the host have to be a valid string')
  if (typeof f.resourceName !== 'string' && f.resourceName !== undefined) throw new KafkaJSNonRetriableError('Invalid resourceName, the resourceName have to be a valid string')
  if (!(Object.values(AclOperationTypes) as unknown[]).includes(f.operation)) throw new KafkaJSNonRetriableError(`Invalid operation type ${String(f.operation)}`)
  if (!(Object.values(ResourcePatternTypes) as unknown[]).includes(f.resourcePatternType)) throw new KafkaJSNonRetriableError(`Invalid resource pattern filter type ${String(f.resourcePatternType)}`)
  if (!(Object.values(AclPermissionTypes) as unknown[]).includes(f.permissionType)) throw new KafkaJSNonRetriableError(`Invalid permission type ${String(f.permissionType)}`)
  if (!(Object.values(AclResourceTypes) as unknown[]).includes(f.resourceType)) throw new KafkaJSNonRetriableError(`Invalid resource type ${String(f.resourceType)}`)
}

function validateDeleteAcls(filters: unknown): asserts filters is AclFilter[] {
  if (!filters || !Array.isArray(filters)) throw new KafkaJSNonRetriableError(`Invalid ACL Filter array ${String(filters)}`)
  if (filters.length === 0) throw new KafkaJSNonRetriableError('Empty ACL Filter array')
  const items = filters as AnyAcl[]
  if (items.some((a) => typeof a.principal !== 'string' && a.principal !== undefined)) throw new KafkaJSNonRetriableError('Invalid ACL Filter array, the principals have to be a valid string')
  if (items.some((a) => typeof a.host !== 'string' && a.host !== undefined)) throw new KafkaJSNonRetriableError('Invalid ACL Filter array, the hosts have to be a valid string')
  if (items.some((a) => typeof a.resourceName !== 'string' && a.resourceName !== undefined)) throw new KafkaJSNonRetriableError('Invalid ACL Filter array, the resourceNames have to be a valid string')
  checkEnums(items, 'resource pattern type')
}

function toBinding(a: AclEntry): AclBinding {
  return { resourceType: a.resourceType, resourceName: a.resourceName, patternType: a.resourcePatternType, principal: a.principal, host: a.host, operation: a.operation, permissionType: a.permissionType }
}

function toFilter(f: AclFilter): AclBindingFilter {
  return {
    resourceType: f.resourceType,
    resourceName: f.resourceName ?? null,
    patternType: f.resourcePatternType,
    principal: f.principal ?? null,
    host: f.host ?? null,
    operation: f.operation,
    permissionType: f.permissionType,
  }
}

async function sendCreateAcls(client: ClusterClient, acl: readonly AclEntry[]): Promise<void> {
  const response = await client.request(client.controllerId, { api: 'CreateAcls', creations: acl.map(toBinding) })
  const failed = response.results.find((r) => r.errorCode !== 0)
  if (failed) throw createErrorFromCode(failed.errorCode)
}

/** kafkajs returns `{ resources }` only. */
async function sendDescribeAcls(client: ClusterClient, filter: AclFilter): Promise<DescribeAclResponse> {
  const response = await client.request(client.controllerId, { api: 'DescribeAcls', filter: toFilter(filter) })
  if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
  const resources = response.resources.map((r) => ({
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    resourcePatternType: r.patternType,
    acls: r.acls.map((a) => ({ principal: a.principal, host: a.host, operation: a.operation, permissionType: a.permissionType })),
  }))
  return { resources } as unknown as DescribeAclResponse
}

/** kafkajs returns `{ filterResponses }` only. */
async function sendDeleteAcls(client: ClusterClient, filters: readonly AclFilter[]): Promise<DeleteAclResponse> {
  const response = await client.request(client.controllerId, { api: 'DeleteAcls', filters: filters.map(toFilter) })
  const failed = response.filterResults.find((r) => r.errorCode !== 0)
  if (failed) throw createErrorFromCode(failed.errorCode)
  const filterResponses = response.filterResults.map((r) => ({
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    matchingAcls: r.matchingAcls.map((b) => ({
      errorCode: b.errorCode,
      errorMessage: b.errorMessage,
      resourceType: b.resourceType,
      resourceName: b.resourceName,
      resourcePatternType: b.patternType,
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permissionType: b.permissionType,
    })),
  }))
  return { filterResponses } as unknown as DeleteAclResponse
}
