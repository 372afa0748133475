export {
  SafetyCore,
  MAIN_THREAD_WATCHDOG_ACTOR,
  type CoreEvents,
  type SafetyCoreCommands,
  type SafetyCorePort,
  type SafetyCoreOptions,
  type StopOrder,
} from './safety-core.js';
export {
  StopCoordinator,
  type ActiveStop,
  type TractorStopState,
  ESTOP_KEEPALIVE_MS,
  ESTOP_REPEAT_MS,
} from './stop-coordinator.js';
export { StopIds } from './stop-ids.js';
