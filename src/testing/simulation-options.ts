/**
 * What simulate() takes (simulation.ts): a scenario and the settings of its run. Its own file
 * so that scenario-check.ts can check it without importing the simulation that calls it.
 */
import type { BrokerConfigInput, Cluster } from 'memkafka'
import type { Scenario } from './scenario.js'

export interface SimulationOptions extends Scenario {
  /** Number of brokers (ids 0..n-1). Default 3. */
  readonly brokers?: number
  /** Broker configs laid over SIMULATION_BROKER_CONFIG. */
  readonly brokerConfig?: BrokerConfigInput
  /** Runs cluster.checkInvariants() after every step (throws InvariantViolation). Default false. */
  readonly checkInvariants?: boolean
  /** Virtual ms allowed, once the faults are lifted, for every send and transaction to end. Default 120 000. */
  readonly recoveryMs?: number
  /** Virtual ms allowed for the final reads. Default 120 000. */
  readonly finalReadMs?: number
  /** Called with the cluster after the final reads, before it closes (describe(), timeline(), ...). */
  readonly inspect?: (cluster: Cluster) => void | Promise<void>
  /**
   * After a send of an idempotent producer fails, replace the producer with a new instance (a
   * new producer id), as the Java producer bumps its epoch after a batch with an unknown
   * outcome (KIP-360). Default false: kafkajs's behaviour. kafkajs gives the failed batch's
   * sequence numbers back and the next send reuses them; if the broker had appended the failed
   * batch, it takes the next one for a retry of it, answers with the old batch's offsets and
   * drops the new messages: an acknowledged write lost (the checker reports it).
   */
  readonly replaceProducerAfterFailure?: boolean
}
