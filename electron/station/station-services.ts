/**
 * What the station's parts (stops, modes, zones, the job's parts) may use of the station: the
 * port, the clock, the fleet as it is known, and the ways to tell people (audit, alerts, toasts,
 * a fresh snapshot). Keeps those parts small and testable without the whole Station.
 */
import type { Severity } from '../../shared/index.js';
import type { SafetyCoreCommands } from '../safety-core/index.js';
import type { AuditFields } from '../safety/index.js';
import type { Clock } from '../time/index.js';
import type { TractorRecord } from './tractor-record.js';

export interface StationServices {
  readonly clock: Clock;
  /** The fleet link, through the safety core (it sends; the station decides what). */
  readonly port: Pick<SafetyCoreCommands, 'send' | 'broadcast' | 'withdrawStarts'>;
  readonly tractors: ReadonlyMap<string, TractorRecord>;
  audit(fields: AuditFields): void;
  /** An alert that stays until acknowledged (and goes into the job document). */
  raise(severity: Severity, source: string, message: string): void;
  /** A toast only. */
  notice(severity: Severity, message: string): void;
  publish(): void;
  nameOf(tractorId: string): string;
}

/** What the job's parts (JobSession, WorkDispatch, TractorContact) tell the station. */
export interface JobHooks {
  /** The job changed: write it at the next persist tick. */
  changed(): void;
  /** Write the job record now (a new job, a boundary edit). */
  persist(): void;
  log(line: string): void;
  /** A task of a timer failed: logged and raised as an alert (FaultReporter). */
  fault?(source: string, err: unknown): void;
}
