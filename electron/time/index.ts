export { type Clock, SystemClock, ManualClock } from './clock.js';
export { type Random, seededRandom } from './random.js';
