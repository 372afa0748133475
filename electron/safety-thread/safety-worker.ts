/**
 * The safety core's thread (a worker_threads Worker started by safety-thread.ts): builds the
 * CoreHost from its setup and carries messages between it and the main thread. The main
 * thread's orders come on the worker's own port, in order; a click on STOP ALL on a port of its
 * own (`fastPort`), so nothing queued for the core can hold it up.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { parseWith } from '../../shared/index.js';
import { SystemClock } from '../time/index.js';
import { CoreHost } from './core-host.js';
import { coreSetupSchema, type FromCore } from './thread-messages.js';

interface WorkerData {
  setup: unknown;
  fastPort: MessagePort;
}

async function run(port: MessagePort, data: WorkerData): Promise<void> {
  const post = (message: FromCore): void => port.postMessage(message);
  const setup = parseWith(coreSetupSchema, data.setup);
  if (!setup.ok) {
    post({ type: 'startFailed', message: `bad setup: ${setup.error}` });
    return;
  }
  // Orders that arrive while the core is being built wait for it, in order.
  const early: unknown[] = [];
  let host: CoreHost | null = null;
  port.on('message', (raw: unknown) => (host ? host.handle(raw) : early.push(raw)));
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
  host = started;
  data.fastPort.on('message', (raw: unknown) => started.handleFast(raw));
  post({ type: 'ready', outboxProblem: started.outboxProblem });
  for (const raw of early.splice(0)) started.handle(raw);
}

if (!isMainThread && parentPort) void run(parentPort, workerData as WorkerData);
