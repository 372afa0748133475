/**
 * The station's alerts: raised by the station, its parts and the tractors, kept until the
 * operator acknowledges them (the latest MAX_ALERTS), audited, and written into the job's
 * shared document and job record.
 */
import {
  commandFailed,
  commandOk,
  type AlertSnapshot,
  type CommandResult,
  type Severity,
} from '../../shared/index.js';
import type { AuditFields } from '../safety/index.js';
import type { Clock } from '../time/index.js';
import type { JobMirror } from './job-mirror.js';

/** Alerts kept (and persisted); older ones are dropped. */
const MAX_ALERTS = 200;

export interface AlertListParts {
  clock: Clock;
  audit(fields: AuditFields): void;
  /** A toast for the alert. */
  notice(severity: Severity, message: string): void;
  /** The job's shared document, when the station keeps one. */
  mirror(): Pick<JobMirror, 'raiseAlert' | 'acknowledgeAlert'> | null;
  /** The job changed: write it at the next persist tick. */
  changed(): void;
}

export class AlertList {
  private alerts: AlertSnapshot[] = [];

  constructor(private readonly p: AlertListParts) {}

  all(): AlertSnapshot[] {
    return this.alerts;
  }

  /** The alerts of a job read back from its record. */
  adopt(alerts: AlertSnapshot[]): void {
    this.alerts = alerts;
  }

  /**
   * Adds an alert (audited, mirrored into the job document, shown as a toast). A `note` is an
   * event for the record that asks nothing of the operator: it is listed already acknowledged
   * and audited, without a toast, and stays out of the job's shared document.
   */
  raise(severity: Severity, source: string, message: string, note = false): void {
    const wallMs = this.p.clock.wallNow();
    const id = this.freshId(wallMs);
    // Listed before anything else is told: auditing it may raise another (the recorder reopening
    // a damaged recording at its first event), which must not take the same id.
    this.alerts.push({ id, severity, source, message, atWallMs: wallMs, acknowledged: note });
    if (this.alerts.length > MAX_ALERTS) this.alerts = this.alerts.slice(-MAX_ALERTS);
    this.p.audit({ kind: 'alert', actor: source, subject: id, detail: `${severity}: ${message}` });
    if (!note) this.p.mirror()?.raiseAlert(id, severity, source, message);
    if (!note) this.p.notice(severity, message);
    this.p.changed();
  }

  /**
   * An id no listed alert has: alerts read back after a restart keep theirs, and the wall clock
   * may show the same millisecond again (set back, or a simulated clock).
   */
  private freshId(wallMs: number): string {
    const taken = new Set(this.alerts.map((a) => a.id));
    for (let n = this.alerts.length; ; n++) {
      const id = `alert-${wallMs.toString(36)}-${n}`;
      if (!taken.has(id)) return id;
    }
  }

  acknowledge(alertId: string, actor: string): CommandResult {
    const alert = this.alerts.find((a) => a.id === alertId);
    if (!alert) return commandFailed('not-found', `no alert ${alertId}`);
    alert.acknowledged = true;
    this.p.audit({ kind: 'ack', actor, subject: alert.id, detail: alert.message });
    this.p.mirror()?.acknowledgeAlert(alert.id);
    this.p.changed();
    return commandOk();
  }
}
