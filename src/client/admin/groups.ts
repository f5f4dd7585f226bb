/**
 * The admin's consumer groups (kafkajs's admin listGroups, describeGroups, deleteGroups):
 * ListGroups to every broker, DescribeGroups and DeleteGroups to each group's coordinator.
 */
import { KafkaJSDeleteGroupsError, KafkaJSNonRetriableError, type KafkaJSDeleteGroupsErrorGroup } from '../errors.js'
import { createErrorFromCode } from '../protocol-error-table.js'
import { NOT_CONTROLLER, refreshMetadata, retryOn, type AdminContext } from './admin-context.js'
import type { DeleteGroupsResult, GroupDescription, GroupDescriptions, GroupOverview } from './admin-types.js'
import { toGroupDescription } from './admin-types.js'

/** Every group of the cluster: each live broker lists the groups it coordinates. */
export async function listGroups(context: AdminContext): Promise<{ groups: GroupOverview[] }> {
  const { client } = context
  await refreshMetadata(context)
  const brokerIds = client
    .brokers()
    .map((b) => b.nodeId)
    .sort((a, b) => a - b)
  let groups: GroupOverview[] = []
  for (const brokerId of brokerIds) {
    const response = await client.request(brokerId, { api: 'ListGroups' })
    if (response.errorCode !== 0) throw createErrorFromCode(response.errorCode)
    groups = groups.concat(response.groups.map(({ groupId, protocolType }) => ({ groupId, protocolType })))
  }
  return { groups }
}

/**
 * Describes groups, each asked of its coordinator. A group that does not exist is described
 * as Dead with no members, as Kafka does.
 */
export async function describeGroups(context: AdminContext, groupIds: string[]): Promise<GroupDescriptions> {
  const byCoordinator = new Map<number, string[]>()
  const coordinators = await Promise.all(groupIds.map(async (groupId) => [await context.client.findCoordinator(groupId), groupId] as const))
  for (const [coordinator, groupId] of coordinators) {
    byCoordinator.set(coordinator, [...(byCoordinator.get(coordinator) ?? []), groupId])
  }
  // kafkajs collects coordinators in an object keyed by node id: ascending id order.
  const ordered = [...byCoordinator].sort(([a], [b]) => a - b)
  const responses = await Promise.all(ordered.map(([coordinator, ids]) => context.retrier(() => describeGroupsAt(context, coordinator, ids))))
  return { groups: responses.flat() }
}

async function describeGroupsAt({ client }: AdminContext, coordinator: number, groupIds: string[]): Promise<GroupDescription[]> {
  const response = await client.request(coordinator, { api: 'DescribeGroups', groups: groupIds })
  const failed = response.groups.find((g) => g.errorCode !== 0)
  if (failed) throw createErrorFromCode(failed.errorCode)
  return response.groups.map(toGroupDescription)
}

/** kafkajs's consumer.describeGroup, as its setOffsets uses it. */
export async function describeGroup(context: AdminContext, groupId: string): Promise<GroupDescription> {
  const coordinator = await context.client.findCoordinator(groupId)
  const groups = await context.retrier(() => describeGroupsAt(context, coordinator, [groupId]))
  return groups.find((g) => g.groupId === groupId)!
}

/**
 * Deletes groups (only Empty ones can go). Resolves `[{ groupId, errorCode: 0 }]`; if any
 * group fails (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...), the others are still deleted and
 * the call rejects with a KafkaJSDeleteGroupsError whose `groups` lists the failures, each
 * with its errorCode and protocol error.
 */
export async function deleteGroups(context: AdminContext, groupIds: string[]): Promise<DeleteGroupsResult[]> {
  if (!groupIds || !Array.isArray(groupIds)) {
    throw new KafkaJSNonRetriableError(`Invalid groupIds array ${groupIds}`)
  }
  const invalidGroupId = groupIds.some((g) => typeof g !== 'string')
  if (invalidGroupId) {
    // kafkajs prints the result of its `some` check here: 'Invalid groupId name: true'.
    throw new KafkaJSNonRetriableError(`Invalid groupId name: ${JSON.stringify(invalidGroupId)}`)
  }

  const { client } = context
  let remaining = groupIds.slice()
  // kafkajs's list; COORDINATOR_NOT_AVAILABLE is Kafka's name, which kafkajs's table calls
  // GROUP_COORDINATOR_NOT_AVAILABLE, so in practice nothing here is retried.
  return retryOn(context, [NOT_CONTROLLER, 'COORDINATOR_NOT_AVAILABLE'], 'delete groups', async () => {
    if (remaining.length === 0) return []
    await refreshMetadata(context)
    const byCoordinator = new Map<number, string[]>()
    for (const groupId of remaining) {
      const coordinator = await client.findCoordinator(groupId)
      byCoordinator.set(coordinator, [...(byCoordinator.get(coordinator) ?? []), groupId])
    }
    const ordered = [...byCoordinator].sort(([a], [b]) => a - b)
    const responses = await Promise.all(
      ordered.map(([coordinator, ids]) => client.request(coordinator, { api: 'DeleteGroups', groupsNames: ids })),
    )
    const results: DeleteGroupsResult[] = responses.flatMap(({ results: r }) =>
      r.map(({ groupId, errorCode }) => (errorCode === 0 ? { groupId, errorCode } : { groupId, errorCode, error: createErrorFromCode(errorCode) })),
    )
    const errors = results.filter(({ errorCode }) => errorCode !== 0) as KafkaJSDeleteGroupsErrorGroup[]
    remaining = errors.map(({ groupId }) => groupId)
    if (errors.length > 0) throw new KafkaJSDeleteGroupsError('Error in DeleteGroups', errors)
    return results
  })
}
