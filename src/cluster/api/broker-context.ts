/**
 * What an API handler may see of the cluster: the narrow interface the handlers in this folder
 * are written against, so that they do not depend on ClusterModel itself (which imports them
 * through handlers.ts). ClusterModel implements it; a handler that needs more of the cluster
 * adds the member here, where the list stays short enough to read.
 */
import type { Clock } from '../clock.js'
import type { HeldRequest } from '../in-flight-requests.js'
import type { Broker } from '../broker.js'
import type { Controller } from '../controller.js'
import type { ClusterConfig } from '../cluster-config.js'
import type { Timeline } from '../timeline.js'
import type { GroupCoordinator } from '../group/group-coordinator.js'
import type { TransactionCoordinator } from '../txn/transaction-coordinator.js'
import type { ReplicaManager } from '../replication/replica-manager.js'
import type { StandardAuthorizer } from '../security/standard-authorizer.js'
import type { ScramCredentialStore } from '../security/scram-credential.js'

export interface BrokerContext {
  readonly clock: Clock
  readonly clusterId: string
  readonly eventLog: Timeline
  readonly controller: Controller
  readonly groups: GroupCoordinator
  readonly replicaManager: ReplicaManager
  readonly transactions: TransactionCoordinator
  readonly config: ClusterConfig
  /** The part of ClusterSecurity the ACL and SCRAM credential APIs use (ClusterSecurity itself depends on ClusterModel). */
  readonly security: { readonly authorizationEnabled: boolean; readonly authorizer: StandardAuthorizer } & ScramCredentialStore
  readonly brokerConfig: { autoCreateTopicsEnable: boolean; deleteTopicEnable: boolean }
  broker(id: number): Broker | undefined
  isBrokerAlive(id: number): boolean
  liveBrokers(): Broker[]
  autoCreateSizing(name: string): { numPartitions: number; replicationFactor: number }
  coordinatorFor(key: string, keyType: number): number | undefined
  onClose(listener: () => void): () => void
  /** A request that holds itself in its broker's in-flight requests while it waits (InFlightRequests.hold). */
  holdRequest(brokerId: number, request: HeldRequest, answer: Promise<unknown>): void
}
