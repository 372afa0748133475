export { startWorker } from './worker-launch.js';
