export {
  SafetyThread,
  SafetyThreadError,
  startSafetyThread,
  type SafetyThreadOptions,
} from './safety-thread.js';
export { canBusMetrics, socketcandMetrics } from './bus-metrics.js';
export { CORE_FIFO_PRIORITY } from './realtime.js';
export type { CoreProbe, CoreSetup } from './thread-messages.js';
