/**
 * What a station does at start with what it read back: the job record (or the doubt it left),
 * the job's document, the damage opening the data folder found. Damage is raised as alerts, the
 * worked ground the document lacks is filled from the record, the stops of both are put back in
 * force, the audit log is checked against its anchors, any doubt holds every machine, and a lost
 * history is listed again from the store. Nothing here sets a machine moving.
 */
import { haFromM2 } from '../../shared/index.js';
import type { JobHistory, JobRecord } from '../records/index.js';
import type { AuditLog } from '../safety/index.js';
import type { AlertList } from './alert-list.js';
import type { RestoreOutcome } from './job-persistence.js';
import type { JobSession } from './job-session.js';
import { checkAuditAnchors, holdEveryMachine, reconcileStops } from './start-check.js';
import type { StartupAlert } from './station-options.js';
import type { StopControl } from './stop-control.js';

/**
 * A fill from the job record this large means the document lost work: one pass of a 12 m
 * implement over 1 m. Smaller pieces are the log's centimetre rounding at the ends of passes.
 */
const FILL_NOTICE_M2 = 12;

export interface StartParts {
  restored: RestoreOutcome;
  /** Opens the job's document (after the record was read back). */
  open(): void;
  session: JobSession;
  stops: StopControl;
  alerts: AlertList;
  audit: AuditLog | undefined;
  history: JobHistory | undefined;
  startupAlerts: readonly StartupAlert[];
  nowMs: number;
  log: (line: string) => void;
}

export function recoverAtStart(p: StartParts): void {
  const { restored, session, alerts } = p;
  p.open();
  // A new stop must not take the id of one the job already recorded (a clock set back).
  const recordedStopIds = [
    ...(session.mirror?.stopIds() ?? []),
    ...(restored.record?.stops.map((s) => s.id) ?? []),
  ];
  p.stops.coordinator.reserve(recordedStopIds);
  p.stops.reserveFastStopIds(recordedStopIds);
  for (const alert of p.startupAlerts) alerts.raise(alert.severity, alert.source, alert.message);
  const storeDamage = session.mirror?.damage() ?? null;
  fillFromRecord(p, restored.record, storeDamage);
  const doubts = [
    ...restored.doubts,
    ...(storeDamage ? [storeDamage] : []),
    ...reconcileStops(
      {
        record: restored.record?.stops ?? null,
        document: session.mirror?.activeStops() ?? null,
      },
      p.stops,
      p.nowMs,
    ),
    ...p.startupAlerts.filter((a) => a.hold).map((a) => a.message),
    ...checkAuditAnchors(p.audit, [
      { source: 'job record', anchor: restored.record?.auditAnchor },
      { source: 'job document', anchor: session.mirror?.auditAnchor() },
    ]),
  ];
  holdEveryMachine(doubts, p.stops, (message) => alerts.raise('critical', 'station', message));
  if (p.history?.problem) relistStoredJobs(p, p.history);
}

/**
 * The job record's passes fill what the document did not give back (what a damaged store lost,
 * or the last runs of a document that lost its tail). Nothing is missing after a clean stop or a
 * crash (open runs are written ahead), so a fill is always said: a warning, or with a damaged
 * store a critical alert naming what was lost and what was rebuilt.
 */
function fillFromRecord(p: StartParts, record: JobRecord | null, storeDamage: string | null): void {
  const filledM2 = record && p.session.mirror ? p.session.fillFromRecord(record.passes) : 0;
  const rebuilt = `${haFromM2(filledM2).toFixed(4)} ha of worked ground rebuilt from the job record`;
  if (storeDamage) {
    p.alerts.raise(
      'critical',
      'station',
      `Job data lost: ${storeDamage}. ${filledM2 > 0 ? rebuilt : 'Nothing could be rebuilt from the job record'}; work reported after its last write may be missing`,
    );
  } else if (filledM2 >= FILL_NOTICE_M2) {
    p.alerts.raise(
      'warning',
      'station',
      `The job document lacked work the job record held: ${rebuilt}`,
    );
  }
  if (filledM2 > 0) p.log(`station: ${rebuilt}`);
}

/**
 * The history was unreadable (kept aside, a warning raised): the jobs the store still holds are
 * listed again from their documents, so they can be browsed and reopened. Their worked area is
 * not known until one is reopened.
 */
function relistStoredJobs(p: StartParts, history: JobHistory): void {
  const mirror = p.session.mirror;
  if (!mirror) return;
  const relisted: string[] = [];
  for (const jobId of mirror.storedJobs()) {
    if (jobId === p.session.job.id || history.get(jobId)) continue;
    const job = mirror.describeStoredJob(jobId);
    if (!job) continue;
    history.record({
      id: jobId,
      name: job.name,
      fieldName: job.name,
      state: job.mode === 'finished' ? 'finished' : job.mode === 'planned' ? 'planned' : 'paused',
      createdAtWallMs: job.createdAtWallMs,
      updatedAtWallMs: job.createdAtWallMs,
      workedHa: 0,
      totalHa: haFromM2(job.areaM2),
    });
    relisted.push(jobId);
  }
  if (relisted.length > 0)
    p.alerts.raise(
      'warning',
      'station',
      `Job history rebuilt from the job store: ${relisted.length} job(s) listed again (${relisted.join(', ')}); their worked area shows once reopened`,
    );
}
