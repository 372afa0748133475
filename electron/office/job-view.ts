/**
 * One job as the office shows it on the normal field map: a `StationSnapshot` (the shape the
 * renderer's map takes) built from the office's copy of the job document with the station's
 * own reader. The document holds the plan, the sections' states and holders, the coverage log,
 * the machines' own statuses, stops and alerts; it does not hold telemetry, so a machine stands
 * at the end of its last recorded swath (job-coverage.ts) with no speed, link figures or ETA,
 * and a section counts as worked once the station marked it done.
 */
import {
  SNAPSHOT_VERSION,
  type JobState,
  type StationSnapshot,
  type TractorSnapshot,
  type TractorState,
} from '../../shared/index.js';
import { TangentFrame } from '../fleet/index.js';
import { bearingDeg } from '../geometry/index.js';
import { readSnapshot, type JobSnapshot, type TractorStatus } from '../sync/index.js';
import type * as Y from 'yjs';
import type { OfficeDocument } from './document-name.js';
import { machineCoverage, workedShare } from './job-coverage.js';
import { machinesOf, sectionsAreaM2 } from './job-summary.js';

const M2_PER_HA = 10_000;

/** How the map shows what a machine last recorded of itself in the document. */
const STATE_OF_ACTIVITY: Record<TractorStatus['activity'], TractorState> = {
  idle: 'idle',
  working: 'working',
  paused: 'paused',
  'safe-stopped': 'stopped',
  offline: 'comm-lost',
};

/** The job's view; null for a document that holds no job. */
export function officeJobView(name: OfficeDocument, doc: Y.Doc): StationSnapshot | null {
  const job = readSnapshot(doc);
  if (job.jobId === '' || job.field === null) return null;
  const frame = new TangentFrame({ lon: job.frameOrigin[0], lat: job.frameOrigin[1] });
  const totalM2 = sectionsAreaM2(job.sections);
  const active = job.estops.filter((e) => e.active);
  const heldBy = (id: string) => active.filter((e) => e.scope === 'fleet' || e.scope === id);
  let drivenM2 = 0;
  const tractors = machinesOf(job).map((id): TractorSnapshot => {
    const coverage = machineCoverage(doc, id);
    drivenM2 += coverage.drivenM2;
    const status = job.tractors[id];
    const last = coverage.last;
    const held = heldBy(id).length > 0;
    const own = job.sections.filter((s) => s.tractorId === id);
    const ownM2 = sectionsAreaM2(own);
    const doneM2 = sectionsAreaM2(own.filter((s) => s.state === 'done'));
    return {
      id,
      name: id,
      state: held ? 'stopped' : status ? STATE_OF_ACTIVITY[status.activity] : 'joining',
      mode: status?.mode ?? 'manual',
      position: last ? frame.toLonLat([last.x1M, last.y1M]) : null,
      headingDeg: last ? bearingDeg({ x: last.x0M, y: last.y0M }, { x: last.x1M, y: last.y1M }) : 0,
      speedMps: 0,
      implementWidthM: last && last.widthM > 0 ? last.widthM : 1,
      workRateHaPerH: 0,
      sectionIds: own.map((s) => s.id),
      currentSectionId: own.find((s) => s.state === 'active')?.id ?? null,
      progress: workedShare(doneM2, ownM2),
      etaS: null,
      link: {
        state: status?.activity === 'offline' ? 'lost' : 'online',
        rttMs: null,
        lossPct: 0,
        lastHeardAgoMs: null,
      },
      stop: {
        status: !held ? 'none' : status?.activity === 'safe-stopped' ? 'confirmed' : 'sent',
        latencyMs: null,
      },
      hold: null,
    };
  });
  const share = workedShare(drivenM2, totalM2);
  return {
    version: SNAPSHOT_VERSION,
    station: { name: name.stationId, basemap: null, softwareVersion: '', uptimeS: 0, seq: 0 },
    job: {
      id: job.jobId,
      name: job.name,
      state: jobState(
        job,
        active.some((e) => e.scope === 'fleet'),
      ),
      progress: {
        workedHa: (share * totalM2) / M2_PER_HA,
        overlapHa: 0,
        totalHa: totalM2 / M2_PER_HA,
        fraction: share,
        etaS: null,
        unworkedHa: null,
      },
    },
    field: {
      name: job.name,
      rings: job.field.boundary.map(lonLatPairs),
      headlandLines: [],
      areaHa: totalM2 / M2_PER_HA,
    },
    sections: job.sections.map((s, index) => ({
      id: s.id,
      index,
      polygon: lonLatPairs(s.polygon[0] ?? []),
      donePolygons: s.state === 'done' && s.polygon[0] ? [lonLatPairs(s.polygon[0])] : [],
      unworked: [],
      areaHa: s.areaM2 / M2_PER_HA,
      tractorId: s.tractorId,
      doneFraction: s.state === 'done' ? 1 : 0,
    })),
    tractors,
    stops: active.map((e) => ({
      id: e.id,
      scope: e.scope,
      issuedAtWallMs: e.atMs,
      issuedBy: e.by,
      confirmed: 0,
      total: tractors.filter((t) => e.scope === 'fleet' || e.scope === t.id).length,
      held: [],
    })),
    alerts: job.alerts.map((a) => ({
      id: a.id,
      severity: a.severity,
      source: a.source,
      message: a.message,
      atWallMs: a.atMs,
      acknowledged: a.ack !== null,
    })),
    zones: [],
    modeChange: null,
  };
}

/** A ring as the snapshot holds it: fresh `[lon, lat]` pairs. */
function lonLatPairs(ring: readonly (readonly [number, number])[]): [number, number][] {
  return ring.map(([lon, lat]): [number, number] => [lon, lat]);
}

function jobState(job: JobSnapshot, fleetStopped: boolean): JobState {
  if (fleetStopped) return 'stopped';
  return job.jobMode?.mode ?? 'planned';
}
