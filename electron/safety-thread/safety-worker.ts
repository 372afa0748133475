/**
 * The safety core's thread (a worker_threads Worker started by safety-thread.ts): builds the
 * CoreHost from its setup and carries messages between it and the main thread. The main
 * thread's orders arrive in shared memory this thread polls every ORDER_POLL_MS, in order; a
 * click on STOP ALL in a ring of its own (the fast path), read first, so nothing queued for the
 * core can hold it up. What the core says goes into a ring the main thread polls, not to the
 * worker's port: posting takes a lock the main thread also takes to read, and a main thread that
 * lost its core while holding it kept this thread waiting (94 ms once, on a loaded machine).
 * Nothing the main thread does wakes this thread or makes it wait.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { parseWith } from '../../shared/index.js';
import { RingReader, RingWriter } from '../threads/index.js';
import { SystemClock } from '../time/index.js';
import { CoreHost } from './core-host.js';
import { scheduleThisThreadRealtime } from './realtime.js';
import { coreSetupSchema, type FromCore, type CoreRings } from './thread-messages.js';

/** How often the core looks for orders: the most a click waits before the core reads it. */
const ORDER_POLL_MS = 1;

interface WorkerData extends CoreRings {
  setup: unknown;
}

async function run(data: WorkerData): Promise<void> {
  const said = new RingWriter(data.fromCore);
  const post = (message: FromCore): void => said.send(message);
  const setup = parseWith(coreSetupSchema, data.setup);
  if (!setup.ok) {
    post({ type: 'startFailed', message: `bad setup: ${setup.error}` });
    return;
  }
  if (setup.value.realtime) {
    const realtime = scheduleThisThreadRealtime();
    post({
      type: 'log',
      line: realtime.ok
        ? `safety core: real-time scheduling (${realtime.policy})`
        : `safety core: real-time scheduling refused (${realtime.reason}); the core runs at the normal priority`,
    });
  }
  const started = await CoreHost.start(setup.value, new SystemClock(), post).catch(
    (error: unknown) => {
      post({
        type: 'startFailed',
        message: error instanceof Error ? error.message : String(error),
      });
      return null;
    },
  );
  if (!started) return;
  post({ type: 'ready', outboxProblem: started.outboxProblem });
  // Orders sent while the core was being built waited in the rings, in order. The thread ends
  // when the main thread hears it closed.
  const fastStops = new RingReader(data.fastStops);
  const orders = new RingReader(data.orders);
  setInterval(() => {
    fastStops.drain((raw) => started.handleFast(raw));
    orders.drain((raw) => started.handle(raw));
    // What found its ring full (the main thread not reading) goes as soon as there is room. Until
    // the core runs it says only a line or two, which the empty ring always holds.
    if (said.backlog > 0) said.flush();
  }, ORDER_POLL_MS);
}

if (!isMainThread) void run(workerData as WorkerData);
