export { type Clock, type SystemClockOptions, SystemClock, ManualClock } from './clock.js';
export { machineMonotonicMs } from './precise-wall.js';
export { type Random, seededRandom } from './random.js';
export { StallGuard, STALL_LATE_MS, STALL_GRACE_MS } from './stall-guard.js';
