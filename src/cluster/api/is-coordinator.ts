/**
 * Whether a broker is the coordinator a request must reach: the group APIs go to the group's
 * coordinator, the transaction APIs to the transactional id's (FindCoordinator tells clients
 * which). Any other broker answers NOT_COORDINATOR, as a client with stale coordinator
 * information would see.
 */
import type { BrokerContext } from './broker-context.js'
import { CoordinatorType } from './messages.js'

export function isGroupCoordinator(cluster: BrokerContext, brokerId: number, groupId: string): boolean {
  return cluster.coordinatorFor(groupId, CoordinatorType.GROUP) === brokerId
}

export function isTransactionCoordinator(cluster: BrokerContext, brokerId: number, transactionalId: string): boolean {
  return cluster.coordinatorFor(transactionalId, CoordinatorType.TRANSACTION) === brokerId
}
