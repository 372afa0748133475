export {
  SafetyThread,
  SafetyThreadError,
  startSafetyThread,
  type SafetyThreadOptions,
} from './safety-thread.js';
export { canBusMetrics, socketcandMetrics } from './bus-metrics.js';
export type { CoreProbe, CoreSetup } from './thread-messages.js';
