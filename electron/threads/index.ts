export { startWorker } from './worker-launch.js';
export { RequestThread, type RequestThreadSpec } from './request-thread.js';
