/**
 * What the station does with an error it did not expect — a timer's task that threw (the job
 * record could not be written: no file descriptors left, a full disk), or anything the process
 * caught at its top: the error is logged and raised as an alert, and the station keeps the
 * fleet link, heartbeats and stops running. A station that supervises moving machines never
 * ends itself over one failed task.
 *
 * A task that keeps failing is alerted once and logged at most once a minute until it works
 * again (a 25 ms housekeeping tick failing would otherwise raise forty alerts a second).
 */
import type { Clock } from '../time/index.js';

/** A source still failing is logged again at most this often. */
export const FAULT_RELOG_MS = 60_000;

export interface FaultReporterParts {
  clock: Clock;
  log(line: string): void;
  /** Raises the operator's alert for a new fault. */
  raise(message: string): void;
}

interface Failing {
  count: number;
  lastLoggedMs: number;
}

export class FaultReporter {
  private readonly failing = new Map<string, Failing>();
  private reporting = false;

  constructor(private readonly p: FaultReporterParts) {}

  /** Runs `task`; an error it throws is reported under `source` and the result is undefined. */
  run<T>(source: string, task: () => T): T | undefined {
    try {
      const result = task();
      this.recovered(source);
      return result;
    } catch (err) {
      this.report(source, err);
      return undefined;
    }
  }

  report(source: string, err: unknown): void {
    const now = this.p.clock.now();
    const message = errorText(err);
    const known = this.failing.get(source);
    if (known) {
      known.count++;
      if (now - known.lastLoggedMs >= FAULT_RELOG_MS) {
        known.lastLoggedMs = now;
        this.p.log(`station: ${source} still failing (${known.count} times): ${message}`);
      }
      return;
    }
    this.failing.set(source, { count: 1, lastLoggedMs: now });
    this.p.log(`station: ${source} failed: ${message}${stackOf(err)}`);
    // Raising the alert writes the audit log and the job document, which may fail the same
    // way: a fault met while reporting one is logged only.
    if (this.reporting) return;
    this.reporting = true;
    try {
      this.p.raise(`Station fault in ${source}: ${message}. The station keeps running.`);
    } catch (raiseErr) {
      this.p.log(`station: the alert for ${source} could not be raised: ${errorText(raiseErr)}`);
    } finally {
      this.reporting = false;
    }
  }

  /** Sources failing now. */
  active(): string[] {
    return [...this.failing.keys()];
  }

  private recovered(source: string): void {
    const known = this.failing.get(source);
    if (!known) return;
    this.failing.delete(source);
    this.p.log(`station: ${source} works again after ${known.count} failure(s)`);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The first frames of the stack, for the log: where a fault came from. */
function stackOf(err: unknown): string {
  if (!(err instanceof Error) || !err.stack) return '';
  const frames = err.stack
    .split('\n')
    .slice(1, 4)
    .map((l) => l.trim());
  return frames.length > 0 ? ` (${frames.join(' < ')})` : '';
}
