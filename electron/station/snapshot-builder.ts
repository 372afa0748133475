/** Turns the station's internal state into the contract's StationSnapshot (WGS84, plain data). */
import {
  SNAPSHOT_VERSION,
  haFromM2,
  type AlertSnapshot,
  type JobState,
  type Ring,
  type StationSnapshot,
  type TractorSnapshot,
  type TractorState,
} from '../../shared/index.js';
import type { DemoField, LocalPoint } from '../fleet/index.js';
import type { ActiveStop } from './stop-coordinator.js';
import { LINK_DEGRADED_MS, type TractorRecord } from './tractor-record.js';
import type { WorkTracker } from './work-tracker.js';

/** Turn time a tractor spends between strips, for the ETA estimate (slice figure). */
const TURN_ALLOWANCE_S = 20;

export interface SnapshotInput {
  nowMs: number;
  field: DemoField;
  work: WorkTracker;
  tractors: TractorRecord[];
  stops: ActiveStop[];
  alerts: AlertSnapshot[];
  job: { id: string; name: string; state: JobState };
  station: StationSnapshot['station'];
}

export function buildSnapshot(input: SnapshotInput): StationSnapshot {
  const { field, work } = input;
  const toRing = (points: readonly LocalPoint[]): Ring => points.map((p) => field.frame.toLonLat(p));
  const totalM2 = work.totalAreaM2();
  const workedM2 = Math.min(totalM2, work.workedAreaM2());
  const tractors = input.tractors
    .slice()
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((t) => tractorSnapshot(t, input));
  const etas = tractors.map((t) => t.etaS).filter((v): v is number => v !== null);
  return {
    version: SNAPSHOT_VERSION,
    station: input.station,
    job: {
      ...input.job,
      progress: {
        workedHa: haFromM2(workedM2),
        overlapHa: 0,
        totalHa: haFromM2(totalM2),
        fraction: totalM2 > 0 ? Math.min(1, workedM2 / totalM2) : 0,
        etaS: etas.length > 0 ? Math.max(...etas) : null,
      },
    },
    field: { name: field.name, rings: [field.boundary], areaHa: haFromM2(field.areaM2) },
    sections: work.strips().map((strip) => ({
      id: strip.id,
      index: strip.index,
      polygon: toRing(strip.polygonsLocal[0] ?? []),
      donePolygons: work.worked(strip.id).polygons.filter((p) => p.length >= 3).map(toRing),
      areaHa: haFromM2(strip.areaM2),
      tractorId: work.holder(strip.id),
      doneFraction: work.doneFraction(strip.id),
    })),
    tractors,
    stops: input.stops.map((stop) => ({
      id: stop.id,
      scope: stop.scope,
      issuedAtWallMs: stop.issuedAtWallMs,
      issuedBy: stop.issuedBy,
      confirmed: [...stop.tractors.values()].filter((t) => t.status === 'confirmed').length,
      total: stop.tractors.size,
    })),
    alerts: input.alerts.slice(-50),
  };
}

function tractorSnapshot(t: TractorRecord, input: SnapshotInput): TractorSnapshot {
  const silentMs = input.nowMs - t.lastHeardMs;
  const holding = input.stops.filter((s) => s.tractors.has(t.id));
  const stopEntry = holding[0]?.tractors.get(t.id);
  const total = input.work.lengthOf(t.id);
  const remaining = input.work.remainingLengthM(t.id);
  const sections = input.work.sectionsOf(t.id);
  const state: TractorState = t.commLost ? 'comm-lost' : t.reportedState;
  const openSections = sections.filter((s) => input.work.doneFraction(s.id) < 0.999).length;
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
    sectionIds: sections.map((s) => s.id),
    currentSectionId: t.currentSectionId,
    progress: total > 0 ? Math.min(1, 1 - remaining / total) : 0,
    etaS: t.workSpeedMps > 0 ? remaining / t.workSpeedMps + openSections * TURN_ALLOWANCE_S : null,
    link: {
      state: t.commLost ? 'lost' : silentMs > LINK_DEGRADED_MS ? 'degraded' : 'online',
      rttMs: null,
      lossPct: 0,
      lastHeardAgoMs: Math.max(0, silentMs),
    },
    stop: { status: stopEntry?.status ?? 'none', latencyMs: stopEntry?.latencyMs ?? null },
  };
}
