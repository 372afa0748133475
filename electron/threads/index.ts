export { startWorker } from './worker-launch.js';
export { RequestThread, type RequestThreadSpec } from './request-thread.js';
export { createRing, RingReader, RingWriter } from './shared-ring.js';
