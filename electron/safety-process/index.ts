export {
  SafetyProcess,
  SafetyProcessError,
  startSafetyProcess,
  type SafetyProcessOptions,
} from './safety-process.js';
export { canBusMetrics, socketcandMetrics } from './bus-metrics.js';
export { CORE_FIFO_PRIORITY } from './realtime.js';
export type { CoreProbe, CoreSetup } from './core-messages.js';
