export { startProcess, startWorker } from './worker-launch.js';
export { RequestThread, type RequestThreadSpec } from './request-thread.js';
export { frameMessage, MessagePipeError, MessagePipeReader } from './message-pipe.js';
