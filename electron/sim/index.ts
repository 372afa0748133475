export { SimFleet, SIM_STEP_MS, TELEMETRY_MS, type SimFleetOptions } from './sim-fleet.js';
export { SimTractor, type SimTractorOptions } from './sim-tractor.js';
export {
  loadScenarioFile,
  parseScenario,
  runScenario,
  ScenarioError,
  scenarioSchema,
  type Scenario,
} from './scenario.js';
export {
  TractorReplica,
  COVERAGE_SAMPLE_MS,
  type TractorReplicaOptions,
} from './tractor-replica.js';
export { ReplicaTransport, type ReplicaTransportOptions } from './replica-transport.js';
export {
  SIM_IMPLEMENT_WIDTH_M,
  SIM_PLAN_OPTIONS,
  SIM_HOPPER,
  edgeRefillPoint,
} from './sim-plan.js';
export { plannedShareReader } from './sim-tank.js';
