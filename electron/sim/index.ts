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
