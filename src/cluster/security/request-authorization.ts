/**
 * Which operation on which resource each API needs, and how a refusal looks in its response:
 * the authorization checks of Kafka 3.7's KafkaApis (handleProduceRequest, handleFetchRequest,
 * handleTopicMetadataRequest, ...). A request is split: the parts the principal may act on go
 * to the broker's handler, the others are answered with the *_AUTHORIZATION_FAILED error in the
 * place Kafka puts it, and the two are merged into one response.
 */
import type { ClusterConfig } from '../cluster-config.js'
import type { Controller } from '../controller.js'
import type { Timeline } from '../timeline.js'
import { ErrorCode } from '../error-codes.js'
import { errorResponse } from '../api/error-response.js'
import { ConfigResourceType, CoordinatorType, type ApiName, type RequestOf, type ResponseOf } from '../api/messages.js'
import { AclOperation as Op, AclResourceType as Res, CLUSTER_NAME, operationName, resourceTypeName } from './acl.js'
import type { Session, StandardAuthorizer } from './standard-authorizer.js'

/** Hands the (allowed part of the) request to the broker's handler; typed loosely, the per-API code knows the shapes. */
export type Next = (request: unknown) => Promise<never>

/**
 * What the checks read of the cluster: topic names (by name and by id), whether Metadata may
 * create topics, and the timeline, where a denial is recorded. ClusterModel provides it; the
 * checks do not depend on ClusterModel itself.
 */
export interface AuthorizationClusterContext {
  readonly eventLog: Pick<Timeline, 'record'>
  readonly controller: Pick<Controller, 'allTopics' | 'topic'>
  readonly config: Pick<ClusterConfig, 'autoCreateTopicsEnable'>
}

export interface AuthorizationContext {
  readonly cluster: AuthorizationClusterContext
  readonly authorizer: StandardAuthorizer
  readonly session: Session
}

const TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED
const GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED
const CLUSTER_DENIED = ErrorCode.CLUSTER_AUTHORIZATION_FAILED
const TXN_DENIED = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
/** Errors.CLUSTER_AUTHORIZATION_FAILED's own message, which the SCRAM credential APIs' error responses carry. */
const CLUSTER_DENIED_MESSAGE = 'Cluster authorization failed.'

/**
 * Authorizes one request and answers it (through `next` for what is allowed). Produce and
 * Fetch whose every topic is allowed go straight to the handler, without an extra promise
 * turn: the ACL check costs a cached Map lookup per topic on the hot paths.
 */
export function authorizeAndHandle<K extends ApiName>(ctx: AuthorizationContext, request: RequestOf<K> & { readonly api: K }, next: Next): Promise<ResponseOf<K>> {
  if (allowedWhole(ctx.authorizer, ctx.session, request)) return next(request)
  return authorizeRequest<K>(ctx, request, next)
}

/**
 * The hot paths' check: a Produce (not transactional) or a consumer's Fetch whose every topic,
 * named by name, the principal may write or read, which the handler then answers whole. The
 * request boundary asks this before it builds anything for a fuller check (no closure, no
 * context object per request: it runs on every produce and fetch).
 */
export function allowedWhole(authorizer: StandardAuthorizer, session: Session, request: RequestOf<ApiName>): boolean {
  if (request.api === 'Produce') return request.transactionalId == null && everyTopicAllowed(authorizer, session, Op.WRITE, request.topics)
  if (request.api === 'Fetch') return (request.replicaId ?? -1) < 0 && everyTopicAllowed(authorizer, session, Op.READ, request.topics)
  return false
}

/** Whether the principal may act on every topic of a Produce or Fetch named by name. */
function everyTopicAllowed(authorizer: StandardAuthorizer, session: Session, operation: number, topics: readonly { readonly name: string; readonly topicId?: string | undefined }[]): boolean {
  for (let i = 0; i < topics.length; i++) {
    const t = topics[i]!
    if (t.topicId !== undefined || !authorizer.authorize(session, operation, Res.TOPIC, t.name)) return false
  }
  return true
}

async function authorizeRequest<K extends ApiName>(ctx: AuthorizationContext, request: RequestOf<K> & { readonly api: K }, next: Next): Promise<ResponseOf<K>> {
  const r = request as RequestOf<ApiName>
  const api = r.api
  /** An explicit check: a refusal is logged (Kafka's authorizer logs denials at INFO), and put on the timeline. */
  const allow = (operation: number, resourceType: number, name: string): boolean => {
    if (ctx.authorizer.authorize(ctx.session, operation, resourceType, name)) return true
    ctx.cluster.eventLog.record({
      type: 'authorizationDenied',
      principal: ctx.session.principal,
      host: ctx.session.host,
      operation: operationName(operation),
      resourceType: resourceTypeName(resourceType),
      resourceName: name,
      api,
    })
    return false
  }
  /** A filtering check (logIfDenied = false in KafkaApis): what is not allowed is silently left out. */
  const visible = (operation: number, resourceType: number, name: string): boolean => ctx.authorizer.authorize(ctx.session, operation, resourceType, name)
  const denyAll = (code: number): ResponseOf<K> => errorResponse<K>(request, code)
  const cluster = (operation: number): boolean => allow(operation, Res.CLUSTER, CLUSTER_NAME)
  const out = async (response: unknown): Promise<ResponseOf<K>> => response as ResponseOf<K>

  switch (r.api) {
    case 'Produce': {
      if (r.transactionalId != null && !allow(Op.WRITE, Res.TRANSACTIONAL_ID, r.transactionalId)) return denyAll(TXN_DENIED)
      return out(await split(request, 'topics', 'topics', (t: { name: string }) => allow(Op.WRITE, Res.TOPIC, t.name), TOPIC_DENIED, next))
    }
    case 'Fetch': {
      if ((r.replicaId ?? -1) >= 0) return cluster(Op.CLUSTER_ACTION) ? next(request) : denyAll(TOPIC_DENIED)
      const nameOf = (t: { name: string; topicId?: string | undefined }): string => (t.topicId !== undefined ? (topicNameById(ctx.cluster, t.topicId) ?? t.name) : t.name)
      return out(await split(request, 'topics', 'topics', (t: { name: string; topicId?: string }) => allow(Op.READ, Res.TOPIC, nameOf(t)), TOPIC_DENIED, next))
    }
    case 'ListOffsets':
    case 'DescribeProducers':
      return out(await split(request, 'topics', 'topics', (t: { name: string }) => allow(r.api === 'ListOffsets' ? Op.DESCRIBE : Op.READ, Res.TOPIC, t.name), TOPIC_DENIED, next))
    case 'OffsetForLeaderEpoch': {
      if (r.replicaId >= 0) return cluster(Op.CLUSTER_ACTION) ? next(request) : denyAll(CLUSTER_DENIED)
      return out(await split(request, 'topics', 'topics', (t: { topic: string }) => allow(Op.DESCRIBE, Res.TOPIC, t.topic), TOPIC_DENIED, next))
    }
    case 'DeleteRecords':
      return out(await split(request, 'topics', 'topics', (t: { name: string }) => allow(Op.DELETE, Res.TOPIC, t.name), TOPIC_DENIED, next))
    case 'Metadata':
      return out(await authorizeMetadata(ctx, r, allow, visible, next))
    case 'FindCoordinator': {
      const transaction = r.keyType === CoordinatorType.TRANSACTION
      if (!allow(Op.DESCRIBE, transaction ? Res.TRANSACTIONAL_ID : Res.GROUP, r.key)) return denyAll(transaction ? TXN_DENIED : GROUP_DENIED)
      return next(request)
    }
    case 'JoinGroup':
    case 'SyncGroup':
    case 'Heartbeat':
    case 'LeaveGroup':
      return allow(Op.READ, Res.GROUP, r.groupId) ? next(request) : denyAll(GROUP_DENIED)
    case 'OffsetCommit':
      if (!allow(Op.READ, Res.GROUP, r.groupId)) return denyAll(GROUP_DENIED)
      return out(await split(request, 'topics', 'topics', (t: { name: string }) => allow(Op.READ, Res.TOPIC, t.name), TOPIC_DENIED, next))
    case 'OffsetFetch': {
      if (!allow(Op.DESCRIBE, Res.GROUP, r.groupId)) return denyAll(GROUP_DENIED)
      if (r.topics === null) {
        // Every committed offset: the topics the principal may not describe are left out.
        const response = (await next(request)) as ResponseOf<'OffsetFetch'>
        return out({ ...response, topics: response.topics.filter((t) => visible(Op.DESCRIBE, Res.TOPIC, t.name)) })
      }
      const allowed = r.topics.filter((t) => allow(Op.DESCRIBE, Res.TOPIC, t.name))
      const denied = r.topics.filter((t) => !allowed.includes(t))
      const response = (await next({ ...r, topics: allowed })) as ResponseOf<'OffsetFetch'>
      const refused = denied.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((index) => ({ index, committedOffset: -1, metadata: null, errorCode: TOPIC_DENIED })) }))
      return out({ ...response, topics: [...response.topics, ...refused] })
    }
    case 'ListGroups': {
      const response = (await next(request)) as ResponseOf<'ListGroups'>
      if (visible(Op.DESCRIBE, Res.CLUSTER, CLUSTER_NAME)) return out(response)
      return out({ ...response, groups: response.groups.filter((g) => visible(Op.DESCRIBE, Res.GROUP, g.groupId)) })
    }
    case 'DescribeGroups':
      return out(await split(request, 'groups', 'groups', (g: string) => allow(Op.DESCRIBE, Res.GROUP, g), GROUP_DENIED, next))
    case 'DeleteGroups':
      return out(await split(request, 'groupsNames', 'results', (g: string) => allow(Op.DELETE, Res.GROUP, g), GROUP_DENIED, next))
    case 'OffsetDelete': {
      if (!allow(Op.DELETE, Res.GROUP, r.groupId)) return denyAll(GROUP_DENIED)
      const allowed = r.topics.filter((t) => allow(Op.READ, Res.TOPIC, t.name))
      const denied = r.topics.filter((t) => !allowed.includes(t))
      const response = (await next({ ...r, topics: allowed })) as ResponseOf<'OffsetDelete'>
      const refused = denied.map((t) => ({ name: t.name, partitions: t.partitions.map((index) => ({ index, errorCode: TOPIC_DENIED })) }))
      return out({ ...response, topics: [...response.topics, ...refused] })
    }
    case 'CreateTopics': {
      if (cluster(Op.CREATE)) return next(request)
      return out(await split(request, 'topics', 'topics', (t: { name: string }) => allow(Op.CREATE, Res.TOPIC, t.name), TOPIC_DENIED, next))
    }
    case 'DeleteTopics':
      return out(await split(request, 'topicNames', 'responses', (name: string) => allow(Op.DELETE, Res.TOPIC, name), TOPIC_DENIED, next))
    case 'CreatePartitions':
      return out(await split(request, 'topics', 'results', (t: { name: string }) => allow(Op.ALTER, Res.TOPIC, t.name), TOPIC_DENIED, next))
    case 'DescribeConfigs':
      return out(await splitConfigs(request, 'results', Op.DESCRIBE_CONFIGS, allow, next))
    case 'AlterConfigs':
    case 'IncrementalAlterConfigs':
      return out(await splitConfigs(request, 'responses', Op.ALTER_CONFIGS, allow, next))
    case 'DescribeCluster':
      // KafkaApis.handleDescribeCluster checks nothing (only the authorized operations it reports).
      return next(request)
    case 'InitProducerId': {
      if (r.transactionalId !== null) return allow(Op.WRITE, Res.TRANSACTIONAL_ID, r.transactionalId) ? next(request) : denyAll(TXN_DENIED)
      // An idempotent producer needs IDEMPOTENT_WRITE on the cluster, or WRITE on some topic (KIP-679).
      if (visible(Op.IDEMPOTENT_WRITE, Res.CLUSTER, CLUSTER_NAME) || ctx.authorizer.authorizeByResourceType(ctx.session, Op.WRITE, Res.TOPIC)) return next(request)
      cluster(Op.IDEMPOTENT_WRITE)
      return denyAll(CLUSTER_DENIED)
    }
    case 'AddPartitionsToTxn': {
      if (!allow(Op.WRITE, Res.TRANSACTIONAL_ID, r.transactionalId)) return denyAll(TXN_DENIED)
      const denied = new Set(r.topics.filter((t) => !allow(Op.WRITE, Res.TOPIC, t.name)).map((t) => t.name))
      if (denied.size === 0) return next(request)
      // Nothing is added when any topic is refused; the others answer OPERATION_NOT_ATTEMPTED.
      return out({
        results: r.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((index) => ({ index, errorCode: denied.has(t.name) ? TOPIC_DENIED : ErrorCode.OPERATION_NOT_ATTEMPTED })) })),
      })
    }
    case 'AddOffsetsToTxn':
      if (!allow(Op.WRITE, Res.TRANSACTIONAL_ID, r.transactionalId)) return denyAll(TXN_DENIED)
      return allow(Op.READ, Res.GROUP, r.groupId) ? next(request) : denyAll(GROUP_DENIED)
    case 'EndTxn':
      return allow(Op.WRITE, Res.TRANSACTIONAL_ID, r.transactionalId) ? next(request) : denyAll(TXN_DENIED)
    case 'TxnOffsetCommit':
      if (!allow(Op.WRITE, Res.TRANSACTIONAL_ID, r.transactionalId)) return denyAll(TXN_DENIED)
      if (!allow(Op.READ, Res.GROUP, r.groupId)) return denyAll(GROUP_DENIED)
      return out(await split(request, 'topics', 'topics', (t: { name: string }) => allow(Op.READ, Res.TOPIC, t.name), TOPIC_DENIED, next))
    case 'DescribeTransactions':
      return out(await split(request, 'transactionalIds', 'transactionStates', (id: string) => allow(Op.DESCRIBE, Res.TRANSACTIONAL_ID, id), TXN_DENIED, next))
    case 'ListTransactions': {
      const response = (await next(request)) as ResponseOf<'ListTransactions'>
      return out({ ...response, transactionStates: response.transactionStates.filter((t) => visible(Op.DESCRIBE, Res.TRANSACTIONAL_ID, t.transactionalId)) })
    }
    case 'CreateAcls':
    case 'DeleteAcls':
      return cluster(Op.ALTER) ? next(request) : denyAll(CLUSTER_DENIED)
    case 'DescribeAcls':
      return cluster(Op.DESCRIBE) ? next(request) : denyAll(CLUSTER_DENIED)
    // KafkaApis.handleDescribeUserScramCredentialsRequest / ControllerApis.handleAlterUserScramCredentials.
    case 'DescribeUserScramCredentials':
      return cluster(Op.DESCRIBE) ? next(request) : errorResponse<K>(request, CLUSTER_DENIED, CLUSTER_DENIED_MESSAGE)
    case 'AlterUserScramCredentials':
      return cluster(Op.ALTER) ? next(request) : errorResponse<K>(request, CLUSTER_DENIED, CLUSTER_DENIED_MESSAGE)
    default:
      return unreachable(r)
  }
}

function unreachable(request: never): never {
  throw new Error(`authorization: no rule for ${(request as { api: string }).api}`)
}

function topicNameById(cluster: AuthorizationClusterContext, topicId: string): string | undefined {
  return cluster.controller.allTopics().find((t) => t.topicId === topicId)?.name
}

/**
 * Sends the allowed items of request[key] to the handler, answers the others with `code` (the
 * shape errorResponse gives the API), and concatenates the two under response[responseKey].
 */
async function split<T>(
  request: object,
  key: string,
  responseKey: string,
  allowed: (item: T) => boolean,
  code: number,
  next: Next,
): Promise<unknown> {
  const items = (request as unknown as Record<string, readonly T[]>)[key]!
  const ok: T[] = []
  const refused: T[] = []
  for (const item of items) (allowed(item) ? ok : refused).push(item)
  if (refused.length === 0) return next(request)
  const deniedPart = errorResponseOf({ ...request, [key]: refused }, code)
  // Nothing left to do: Kafka answers at once (a Fetch with no authorized partition does not long-poll).
  const okPart = (ok.length > 0 ? await next({ ...request, [key]: ok }) : errorResponseOf({ ...request, [key]: [] }, 0)) as Record<string, unknown[]>
  return { ...okPart, [responseKey]: [...okPart[responseKey]!, ...deniedPart[responseKey]!] }
}

function errorResponseOf(request: object, code: number): Record<string, unknown[]> {
  return errorResponse(request as RequestOf<ApiName>, code) as unknown as Record<string, unknown[]>
}

/** Config resources: TOPIC ones need the operation on the topic, BROKER ones on the cluster. */
async function splitConfigs(
  request: object,
  responseKey: string,
  operation: number,
  allow: (operation: number, resourceType: number, name: string) => boolean,
  next: Next,
): Promise<unknown> {
  const resources = (request as unknown as { resources: readonly { resourceType: number; resourceName: string }[] }).resources
  const codeOf = (res: { resourceType: number; resourceName: string }): number => {
    if (res.resourceType === ConfigResourceType.TOPIC) return allow(operation, Res.TOPIC, res.resourceName) ? 0 : TOPIC_DENIED
    if (res.resourceType === ConfigResourceType.BROKER || res.resourceType === ConfigResourceType.BROKER_LOGGER) return allow(operation, Res.CLUSTER, CLUSTER_NAME) ? 0 : CLUSTER_DENIED
    return 0
  }
  const codes = resources.map(codeOf)
  if (codes.every((c) => c === 0)) return next(request)
  const ok = resources.filter((_, i) => codes[i] === 0)
  const okPart = (ok.length > 0 ? await next({ ...request, resources: ok }) : errorResponseOf({ ...request, resources: [] }, 0)) as Record<string, unknown[]>
  const refused = resources.flatMap((res, i) => (codes[i] === 0 ? [] : errorResponseOf({ ...request, resources: [res] }, codes[i]!)[responseKey]!))
  return { ...okPart, [responseKey]: [...okPart[responseKey]!, ...refused] }
}

/**
 * Metadata as KafkaApis.handleTopicMetadataRequest answers it: all topics -> only those the
 * principal may DESCRIBE, silently; named topics -> TOPIC_AUTHORIZATION_FAILED for those it may
 * not describe, without saying whether they exist; an unknown topic that would be auto-created
 * needs CREATE on the cluster or on the topic, else TOPIC_AUTHORIZATION_FAILED.
 */
async function authorizeMetadata(
  ctx: AuthorizationContext,
  r: RequestOf<'Metadata'>,
  allow: (operation: number, resourceType: number, name: string) => boolean,
  visible: (operation: number, resourceType: number, name: string) => boolean,
  next: Next,
): Promise<ResponseOf<'Metadata'>> {
  if (r.topics === null) {
    const response: ResponseOf<'Metadata'> = await next(r)
    return { ...response, topics: response.topics.filter((t) => visible(Op.DESCRIBE, Res.TOPIC, t.name)) }
  }
  const describable = r.topics.filter((name) => allow(Op.DESCRIBE, Res.TOPIC, name))
  const refused = r.topics.filter((name) => !describable.includes(name))
  let creatable = describable
  if (r.allowAutoTopicCreation && ctx.cluster.config.autoCreateTopicsEnable()) {
    const missing = describable.filter((name) => ctx.cluster.controller.topic(name) === undefined)
    if (missing.length > 0 && !visible(Op.CREATE, Res.CLUSTER, CLUSTER_NAME)) {
      const mayNotCreate = new Set(missing.filter((name) => !allow(Op.CREATE, Res.TOPIC, name)))
      creatable = describable.filter((name) => !mayNotCreate.has(name))
      refused.push(...mayNotCreate)
    }
  }
  const response: ResponseOf<'Metadata'> = await next({ ...r, topics: creatable })
  const denied = refused.map((name) => ({ errorCode: TOPIC_DENIED, name, topicId: '00000000-0000-0000-0000-000000000000', isInternal: false, partitions: [] }))
  return { ...response, topics: [...response.topics, ...denied] }
}
