/**
 * memkafka/testing: property-based testing of Kafka code.
 *
 *   import { simulate, checkHistory, scenarioArbitrary, HistoryRecorder } from 'memkafka/testing'
 *
 * - simulate(scenario): a seeded, virtual-time run of a workload under a fault schedule,
 *   recorded as a History (the same scenario gives the same history, byte for byte);
 * - checkHistory(history, options): Jepsen's Kafka checks;
 * - HistoryRecorder: records the history of the producers and consumers a test already has;
 * - Nemesis: plays a fault schedule against a cluster the test drives itself (its own service);
 * - runUntil / runUntilSettled: let virtual time pass until something holds;
 * - fast-check arbitraries for topics, producers, workloads, group memberships, fault schedules
 *   and whole scenarios (fast-check is a peer dependency of this entry point).
 */
export type {
  History,
  HistoryOp,
  OpKind,
  OpType,
  OpBase,
  SendOp,
  PollOp,
  AssignOp,
  RebalanceOp,
  CommitOp,
  SeekOp,
  TxnOp,
  CrashOp,
  FaultOp,
  ReadToEndOp,
  TopicInfo,
} from './history.js'
export { HistoryRecorder } from './recorder.js'
export type { RecorderOptions, RecordProducerOptions, RecordConsumerOptions, RecordableProducer, RecordableConsumer, RecordableKafka, MessageLike } from './recorder.js'
export { Nemesis } from './nemesis.js'
export type { NemesisOptions } from './nemesis.js'
export { runUntil, runUntilSettled } from './drive.js'
export type { RunUntilOptions } from './drive.js'
export { checkHistory, formatCheckResult, ANOMALY_KINDS } from './checker.js'
export type { Anomaly, AnomalyKind, CheckOptions, CheckResult, CheckStats, PipelineSpec } from './checker.js'
export { simulate, SIMULATION_BROKER_CONFIG } from './simulation.js'
export type { SimulationOptions } from './simulation.js'
export type {
  Scenario,
  Workload,
  TopicSpec,
  ProducerSpec,
  WorkloadStep,
  SendStep,
  AdvanceStep,
  GroupSpec,
  MembershipStep,
  JoinStep,
  LeaveStep,
  Fault,
  FaultStep,
  FaultApi,
  RequestFaultEffect,
  ClientRef,
} from './scenario.js'
export {
  topicArbitrary,
  producerArbitrary,
  sendStepsArbitrary,
  membershipArbitrary,
  workloadArbitrary,
  faultScheduleArbitrary,
  scenarioArbitrary,
  FAULT_KINDS,
} from './arbitraries.js'
export type { TopicOptions, ProducerOptions, SendStepsOptions, MembershipOptions, WorkloadOptions, FaultOptions, FaultKind, ScenarioOptions } from './arbitraries.js'
