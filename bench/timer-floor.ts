/**
 * The peer of a heartbeat gap: a thread of the same process that does nothing but keep a timer
 * of the heartbeat's period. The longest gap it sees between two of its own ticks is what the
 * machine's scheduler allows any thread of the process at that moment; a heartbeat gap above it
 * is the safety core's own doing, one at it is the machine's (a shared 2-core machine can hold
 * an idle thread for tens of milliseconds when the load is above its cores).
 */
import { Worker } from 'node:worker_threads';

/** Plain JavaScript: the thread loads nothing of the product. */
const FLOOR_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
let last = performance.now();
let maxGapMs = 0;
setInterval(() => {
  const now = performance.now();
  maxGapMs = Math.max(maxGapMs, now - last);
  last = now;
}, workerData.periodMs);
parentPort.on('message', () => {
  parentPort.postMessage(maxGapMs);
  maxGapMs = 0;
});
`;

export interface TimerFloor {
  /** The longest gap between two ticks since the last call (then counted anew). */
  take(): Promise<number>;
  close(): Promise<void>;
}

export function startTimerFloor(periodMs: number): TimerFloor {
  const worker = new Worker(FLOOR_THREAD, { eval: true, workerData: { periodMs } });
  return {
    take: () =>
      new Promise<number>((resolve) => {
        worker.once('message', (gapMs: number) => resolve(gapMs));
        worker.postMessage('take');
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}
