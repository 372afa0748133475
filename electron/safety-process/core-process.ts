/**
 * The safety core's own process (started by safety-process.ts): builds the CoreHost from its
 * setup and carries messages between it and the station over three pipes the station opened
 * (CORE_PIPE_FDS): the station's orders, in order, the first of them the setup; a click on STOP
 * ALL in a pipe of its own (the fast path) that nothing else queues in; and what the core says.
 * The core shares no memory, heap or lock with the station: a station busy collecting garbage or
 * waiting for the kernel cannot hold it up (docs/safety.md, "The safety core").
 *
 * If the station's process ends without closing the core (killed, crashed), its end of the
 * orders pipe closes: the core stops the whole fleet at once, lets the stop's frames leave, and
 * closes its bus, server and files and ends, so a station started again finds the CAN port and
 * the data folder free. Ctrl-C in a terminal reaches the whole process group; it is the
 * station's to act on, and the station closes the core in its own time.
 */
import { Socket } from 'node:net';
import { parseWith } from '../../shared/index.js';
import { frameMessage, MessagePipeReader } from '../threads/index.js';
import { SystemClock } from '../time/index.js';
import { CoreHost } from './core-host.js';
import { scheduleThisProcessRealtime } from './realtime.js';
import { CORE_PIPE_FDS, coreSetupSchema, typeOfRaw, type FromCore } from './core-messages.js';

/** The longest the core waits, as it ends, for the station to take what it said last. */
const LAST_WORDS_WAIT_MS = 1_000;
/** How long the stop sent for a station that ended has to leave the bus before the core closes. */
const STATION_GONE_LINGER_MS = 100;

function run(): void {
  const said = new Socket({ fd: CORE_PIPE_FDS.fromCore, readable: false, writable: true });
  // A station that ended cannot hear; what the core says then is of no use to anyone.
  said.on('error', () => undefined);
  const post = (message: FromCore): void => void said.write(frameMessage(message));
  const end = (code: number): void => {
    // Once what the core said last has gone, or could not go (the station is gone).
    if (said.destroyed) process.exit(code);
    said.once('close', () => process.exit(code));
    said.end();
    setTimeout(() => process.exit(code), LAST_WORDS_WAIT_MS);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => undefined);

  let host: CoreHost | null = null;
  let starting = false;
  let closing = false;
  const early: { fast: boolean; raw: unknown }[] = [];
  const pipeFailed = (error: Error): void => {
    post({ type: 'log', line: `safety core: the station's pipe broke: ${error.message}` });
    stationGone();
  };
  const hear = (fast: boolean, raw: unknown): void => {
    if (!starting && !fast) {
      starting = true;
      void start(raw);
      return;
    }
    if (!host) early.push({ fast, raw });
    else if (fast) host.handleFast(raw);
    else {
      if (typeOfRaw(raw) === 'close') closing = true;
      host.handle(raw);
    }
  };

  const start = async (rawSetup: unknown): Promise<void> => {
    const setup = parseWith(coreSetupSchema, rawSetup);
    if (!setup.ok) {
      post({ type: 'startFailed', message: `bad setup: ${setup.error}` });
      return end(1);
    }
    if (setup.value.realtime) {
      const realtime = scheduleThisProcessRealtime();
      post({
        type: 'log',
        line: realtime.ok
          ? `safety core: real-time scheduling (${realtime.policy})`
          : `safety core: real-time scheduling refused (${realtime.reason}); the core runs at the normal priority`,
      });
    }
    const started = await CoreHost.start(setup.value, new SystemClock(), (message) => {
      post(message);
      if (message.type === 'closed') end(0);
    }).catch((error: unknown) => {
      post({
        type: 'startFailed',
        message: error instanceof Error ? error.message : String(error),
      });
      return null;
    });
    if (!started) return end(1);
    host = started;
    post({ type: 'ready', outboxProblem: started.outboxProblem });
    // Orders sent while the core was being built waited, in order, fast stops first.
    for (const item of early.filter((e) => e.fast)) hear(true, item.raw);
    for (const item of early.splice(0).filter((e) => !e.fast)) hear(false, item.raw);
  };

  const stationGone = (): void => {
    if (closing) return;
    closing = true;
    if (!host) return end(1);
    const gone = host;
    gone.holdFleet('safety core: the station ended');
    setTimeout(() => void gone.close().then(() => end(0)), STATION_GONE_LINGER_MS);
  };

  const listen = (fd: number, fast: boolean): Socket => {
    const socket = new Socket({ fd, readable: true, writable: false });
    const reader = new MessagePipeReader((raw) => hear(fast, raw), pipeFailed);
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', pipeFailed);
    return socket;
  };
  listen(CORE_PIPE_FDS.fastStops, true);
  listen(CORE_PIPE_FDS.orders, false).on('end', stationGone);
}

run();
