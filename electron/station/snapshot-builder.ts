/** Turns the station's internal state into the contract's StationSnapshot (WGS84, plain data). */
import {
  areaPerFillM2,
  SNAPSHOT_VERSION,
  haFromM2,
  type AlertSnapshot,
  type JobState,
  type StationSnapshot,
  type TractorSnapshot,
  type TractorState,
  type ZoneSnapshot,
} from '../../shared/index.js';
import type { ProgressReport } from '../fleet/index.js';
import type { FieldWork } from './field-work.js';
import type { ActiveStop, TractorStopState } from '../safety-core/index.js';
import { LINK_DEGRADED_MS, type TractorLinkStatus, type TractorRecord } from './tractor-record.js';

export interface SnapshotInput {
  nowMs: number;
  work: FieldWork;
  tractors: TractorRecord[];
  stops: ActiveStop[];
  /** The alerts a page is shown (AlertList.shown: every open one and the latest others). */
  alerts: AlertSnapshot[];
  linkStatus: readonly TractorLinkStatus[];
  job: { id: string; name: string; state: JobState };
  station: StationSnapshot['station'];
  holds: ReadonlyMap<string, TractorSnapshot['hold']>;
  zones: ZoneSnapshot[];
  modeChange: StationSnapshot['modeChange'];
  jobs: NonNullable<StationSnapshot['jobs']>;
  /** The latest lines of the event log (event-journal.ts). */
  events: readonly NonNullable<StationSnapshot['events']>[number][];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? Math.max(0, v) : null);

export function buildSnapshot(input: SnapshotInput): StationSnapshot {
  const { work } = input;
  const progress = work.progress(input.nowMs);
  const totalM2 = work.totalM2;
  const coverage = work.coverage();
  const workedM2 = coverage.uniqueM2;
  const over = workOver(input);
  const unworked = new Map(
    work.plan.sections
      .filter((section) => over(section.id))
      .map((section) => [section.id, work.unworked(section.id)]),
  );
  const unworkedM2 = [...unworked.values()].reduce((sum, u) => sum + u.m2, 0);
  const tractors = input.tractors
    .slice()
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((t) => tractorSnapshot(t, input, progress));
  return {
    version: SNAPSHOT_VERSION,
    station: input.station,
    job: {
      ...input.job,
      progress: {
        workedHa: haFromM2(Math.min(totalM2, workedM2)),
        overlapHa: haFromM2(coverage.overlapM2),
        totalHa: haFromM2(totalM2),
        fraction: totalM2 > 0 ? Math.min(1, workedM2 / totalM2) : 0,
        etaS: input.job.state !== 'finished' ? jobEta(progress, input.tractors) : null,
        unworkedHa: unworked.size > 0 ? haFromM2(unworkedM2) : null,
      },
    },
    field: {
      name: work.plan.fieldName,
      rings: work.fieldRings(),
      headlandLines: work.headlandLines(),
      areaHa: haFromM2(work.plan.fieldAreaM2),
      refillPoint: work.refillPoint,
    },
    sections: work.plan.sections.map((section) => ({
      id: section.id,
      index: section.order,
      polygon: work.sectionRing(section),
      donePolygons: work.passRings(section.id),
      areaHa: haFromM2(section.areaM2),
      tractorId: work.holder(section.id),
      doneFraction: work.doneFraction(section.id),
      unworked: unworked.get(section.id)?.polygons ?? [],
    })),
    tractors,
    stops: input.stops.map((stop) => ({
      id: stop.id,
      scope: stop.scope,
      issuedAtWallMs: stop.issuedAtWallMs,
      issuedBy: stop.issuedBy,
      confirmed: [...stop.tractors.values()].filter((t) => t.status === 'confirmed').length,
      total: stop.tractors.size,
      held: [...stop.tractors].map(([tractorId, t]) => ({
        tractorId,
        status: t.status,
        latencyMs: t.latencyMs,
      })),
    })),
    alerts: input.alerts,
    zones: input.zones,
    modeChange: input.modeChange,
    jobs: input.jobs,
    events: [...input.events],
  };
}

/**
 * The job ends when its last working machine does: a machine that reports its work done adds
 * nothing (what it left is unworked ground, not work to come, and would hold the ETA at a
 * figure no machine is working towards).
 */
function jobEta(
  progress: ProgressReport | null,
  tractors: readonly TractorRecord[],
): number | null {
  if (!progress) return null;
  const done = new Set(tractors.filter((t) => t.reportedState === 'done').map((t) => t.id));
  return finite(
    Math.max(0, ...progress.tractors.filter((t) => !done.has(t.tractorId)).map((t) => t.etaS)),
  );
}

/**
 * Whether a section's work is over: the job finished, or the section's machine reports its work
 * done (a section no machine holds is over only with the job).
 */
function workOver(input: SnapshotInput): (sectionId: string) => boolean {
  if (input.job.state === 'finished') return () => true;
  const done = new Set(
    input.tractors.filter((t) => !t.commLost && t.reportedState === 'done').map((t) => t.id),
  );
  return (sectionId) => {
    const holder = input.work.holder(sectionId);
    return holder !== null && done.has(holder);
  };
}

function tractorSnapshot(
  t: TractorRecord,
  input: SnapshotInput,
  progress: ProgressReport | null,
): TractorSnapshot {
  const silentMs = input.nowMs - t.lastHeardMs;
  const stopEntry = heldStatus(t.id, input.stops);
  const sectionIds = input.work.sectionIdsOf(t.id);
  const own = progress?.tractors.find((p) => p.tractorId === t.id);
  const assignedM2 = sectionIds.reduce(
    (sum, id) => sum + (input.work.plan.sections.find((s) => s.id === id)?.areaM2 ?? 0),
    0,
  );
  const state: TractorState = t.commLost
    ? 'comm-lost'
    : t.firstReportMs === null
      ? 'joining'
      : t.reportedState;
  const measured = input.linkStatus.find((l) => l.id === t.id);
  return {
    id: t.id,
    name: t.name,
    state,
    mode: t.mode,
    position: t.position,
    headingDeg: t.headingDeg,
    speedMps: t.speedMps,
    implementWidthM: t.implementWidthM,
    workRateHaPerH: (t.implementWidthM * t.workSpeedMps * 3600) / 10_000,
    sectionIds,
    currentSectionId: t.currentSectionId,
    progress:
      own && assignedM2 > 0 ? Math.min(1, Math.max(0, 1 - own.remainingM2 / assignedM2)) : 0,
    etaS: t.reportedState === 'done' ? 0 : own ? finite(own.etaS) : null,
    link: {
      state: t.commLost ? 'lost' : silentMs > LINK_DEGRADED_MS ? 'degraded' : 'online',
      rttMs: measured?.rttMs ?? null,
      lossPct: Math.min(100, Math.max(0, measured?.lossPct ?? 0)),
      lastHeardAgoMs: Math.max(0, silentMs),
    },
    stop: { status: stopEntry?.status ?? 'none', latencyMs: stopEntry?.latencyMs ?? null },
    hold: input.holds.get(t.id) ?? null,
    tank: tankOf(t, input.work.fillUsedM2(t.id)),
  };
}

/** A machine's fill left and time to its next refill, from the ground worked on this fill. */
function tankOf(t: TractorRecord, usedM2: number | null): TractorSnapshot['tank'] {
  const c = t.capacity;
  if (c.kind === 'none' || usedM2 === null) return null;
  const leftM2 = Math.max(0, areaPerFillM2(c) - usedM2);
  const rateM2PerS = t.implementWidthM * t.workSpeedMps;
  return {
    kind: c.kind,
    level: Math.min(1, leftM2 / areaPerFillM2(c)),
    nextRefillS: rateM2PerS > 0 ? leftM2 / rateM2PerS : 0,
  };
}

/** Worst first: a machine waited on by any stop is waiting, whatever the others say. */
const STOP_STATUS_RANK: Record<TractorStopState['status'], number> = {
  sent: 0,
  lost: 1,
  confirmed: 2,
};

/**
 * How a machine stands with every stop that holds it, as one status: waiting if any stop still
 * waits for it, lost if any lost it, else confirmed — with the longest confirmation latency.
 */
function heldStatus(tractorId: string, stops: readonly ActiveStop[]): TractorStopState | null {
  let worst: TractorStopState | null = null;
  for (const stop of stops) {
    const entry = stop.tractors.get(tractorId);
    if (!entry) continue;
    if (!worst || STOP_STATUS_RANK[entry.status] < STOP_STATUS_RANK[worst.status])
      worst = { ...entry };
    else if (entry.status === worst.status && entry.latencyMs !== null)
      worst.latencyMs = Math.max(worst.latencyMs ?? 0, entry.latencyMs);
  }
  return worst;
}
