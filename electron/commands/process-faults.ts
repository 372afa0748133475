/**
 * The last line of defence of a long-running command (`headland serve`): an exception or a
 * rejected promise that nothing else caught is logged and handed to the station (which raises
 * an alert), and the process keeps running — the fleet link, heartbeats and stops with it. A
 * station that supervises moving machines must not exit over one bad input; every path that
 * can fail is meant to catch its own errors, so reaching this handler is itself a defect.
 *
 * Log lines are capped (a fault repeated by a hostile client must not fill the disk): at most
 * FAULT_LOG_BURST lines per FAULT_LOG_WINDOW_MS, the rest counted.
 */
import type { Clock } from '../time/index.js';

export const FAULT_LOG_BURST = 20;
export const FAULT_LOG_WINDOW_MS = 10_000;

/** What the handlers need of the process: its two last-resort events. */
export interface FaultEvents {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown;
}

export interface ProcessFaultOptions {
  clock: Clock;
  log(line: string): void;
  /** The station's own report (logged once more there and raised as an alert). */
  report(source: string, err: unknown): void;
}

/** Installs the handlers on `proc` (the process); returns a function that removes them. */
export function keepRunningOnFaults(proc: FaultEvents, options: ProcessFaultOptions): () => void {
  let windowStartMs = -Infinity;
  let logged = 0;
  let suppressed = 0;
  const handle = (source: string, err: unknown): void => {
    const now = options.clock.now();
    if (now - windowStartMs >= FAULT_LOG_WINDOW_MS) {
      if (suppressed > 0) options.log(`process: ${suppressed} more fault(s) not logged`);
      windowStartMs = now;
      logged = 0;
      suppressed = 0;
    }
    if (logged < FAULT_LOG_BURST) {
      logged++;
      options.log(`process: ${source}, kept running: ${describe(err)}`);
    } else suppressed++;
    try {
      options.report(source, err);
    } catch (reportErr) {
      options.log(`process: the fault could not be reported: ${describe(reportErr)}`);
    }
  };
  const onException = (err: unknown): void => handle('uncaught exception', err);
  const onRejection = (reason: unknown): void => handle('unhandled rejection', reason);
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 500);
  const where = (err.stack ?? '')
    .split('\n')
    .slice(1, 4)
    .map((l) => l.trim());
  return `${err.name}: ${err.message.slice(0, 500)}${where.length > 0 ? ` (${where.join(' < ')})` : ''}`;
}
