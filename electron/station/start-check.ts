/**
 * A stop in force must survive the loss or damage of any single file, so the station keeps each
 * stop in two places written independently at the moment it is issued or released: the job
 * record (job.json) and the job's shared document (sync.db), with the audit log as the history
 * of both. At start the two are compared: a stop either one holds is put back in force, and any
 * doubt — the record damaged or missing, the two disagreeing, the store, audit log or outbox
 * damaged — holds every machine with a fleet stop of the station's that the operator must
 * release, and the alert says why. A restart in doubt never sets a machine moving.
 */
import type { JobRecord } from '../records/index.js';
import type { AuditAnchor, AuditLog } from '../safety/index.js';
import type { DocumentStop } from './job-mirror.js';
import type { StopControl } from './stop-control.js';

/** Who the hold at start is issued by (audit log, stop list, recording). */
export const START_HOLD_ACTOR = 'station (start in doubt)';

export interface StopSources {
  /** The job record's stops; null when the record was damaged or missing. */
  record: JobRecord['stops'] | null;
  /** The document's stops in force; null when the station keeps no document. */
  document: DocumentStop[] | null;
}

/**
 * Puts back in force every stop the document holds that the record did not bring back (the
 * record's own stops are restored with it), and returns what the two disagree on.
 */
export function reconcileStops(sources: StopSources, stops: StopControl, nowMs: number): string[] {
  const doubts: string[] = [];
  const { record, document } = sources;
  if (document) {
    for (const stop of document) {
      if (stops.coordinator.get(stop.id)) continue;
      stops.coordinator.restore(
        {
          id: stop.id,
          scope: stop.scope,
          issuedAtMs: nowMs,
          issuedAtWallMs: stop.issuedAtWallMs,
          issuedBy: stop.issuedBy,
        },
        // A fleet stop holds every tractor as it joins; a tractor stop holds its tractor.
        stop.scope === 'fleet' ? [] : [stop.scope],
      );
      if (record)
        doubts.push(`stop ${stop.id} is in force in the job document but not in the job record`);
    }
  }
  if (record && document) {
    const inDocument = new Set(document.map((s) => s.id));
    for (const stop of record)
      if (!inDocument.has(stop.id))
        doubts.push(
          `stop ${stop.id} is in force in the job record but not in the job document (kept in force)`,
        );
  }
  return doubts;
}

/**
 * The audit log against the anchors kept apart from it (job record, job document): a log cut
 * short, emptied or rewritten verifies against itself, never against its anchor.
 */
export function checkAuditAnchors(
  audit: Pick<AuditLog, 'verifyAnchor'> | undefined,
  anchors: readonly { source: string; anchor: AuditAnchor | null | undefined }[],
): string[] {
  if (!audit) return [];
  const doubts: string[] = [];
  for (const { source, anchor } of anchors) {
    if (!anchor) continue;
    const problem = audit.verifyAnchor(anchor);
    if (problem)
      doubts.push(`the safety audit log does not match its anchor in the ${source}: ${problem}`);
  }
  return doubts;
}

/** Holds every machine (those that join later too) and tells the operator why. */
export function holdEveryMachine(
  doubts: readonly string[],
  stops: StopControl,
  raise: (message: string) => void,
): void {
  if (doubts.length === 0) return;
  if (!stops.fleetStopActive()) stops.issue('fleet', [], START_HOLD_ACTOR);
  raise(
    `Every machine is held at start: ${doubts.join('; ')}. Check the fleet and the job, then release.`,
  );
}
