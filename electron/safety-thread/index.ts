export {
  SafetyThread,
  SafetyThreadError,
  startSafetyThread,
  type SafetyThreadOptions,
} from './safety-thread.js';
export { canBusMetrics, socketcandMetrics } from './bus-metrics.js';
export type { CoreProbe, CoreSetup, TractorProbe } from './thread-messages.js';
