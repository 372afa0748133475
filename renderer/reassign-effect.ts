/**
 * What moving sections to a tractor would do to finish times, computed from the snapshot so the
 * operator sees it while dragging, before anything is sent.
 */
import type { StationSnapshot, TractorSnapshot } from '../shared/index.js';

/** Turn time allowed per section, matching the station's estimate. */
const TURN_ALLOWANCE_S = 20;

export interface ReassignEffect {
  tractorId: string;
  canTake: boolean;
  /** Why not, when it cannot. */
  reason: string | null;
  /** Change in this tractor's finish time, seconds (positive: later). */
  deltaS: number;
  newEtaS: number | null;
  /** The job's finish time after the move (the latest tractor). */
  jobEtaS: number | null;
}

function remainingHa(
  snapshot: StationSnapshot,
  sectionIds: readonly string[],
  tractorId: string,
): number {
  return snapshot.sections
    .filter((s) => sectionIds.includes(s.id) && s.tractorId !== tractorId)
    .reduce((sum, s) => sum + s.areaHa * (1 - s.doneFraction), 0);
}

function secondsFor(tractor: TractorSnapshot, areaHa: number, sections: number): number {
  if (tractor.workRateHaPerH <= 0) return Number.POSITIVE_INFINITY;
  return (areaHa / tractor.workRateHaPerH) * 3600 + sections * TURN_ALLOWANCE_S;
}

export function reassignEffect(
  snapshot: StationSnapshot,
  sectionIds: readonly string[],
  tractorId: string,
): ReassignEffect {
  const target = snapshot.tractors.find((t) => t.id === tractorId);
  if (!target)
    return {
      tractorId,
      canTake: false,
      reason: 'unknown tractor',
      deltaS: 0,
      newEtaS: null,
      jobEtaS: null,
    };
  if (target.state === 'comm-lost') {
    return {
      tractorId,
      canTake: false,
      reason: 'out of contact',
      deltaS: 0,
      newEtaS: target.etaS,
      jobEtaS: snapshot.job.progress.etaS,
    };
  }
  const moving = snapshot.sections.filter(
    (s) => sectionIds.includes(s.id) && s.tractorId !== tractorId,
  );
  const addedS = secondsFor(target, remainingHa(snapshot, sectionIds, tractorId), moving.length);
  const etas = new Map(snapshot.tractors.map((t) => [t.id, t.etaS ?? 0]));
  etas.set(tractorId, (target.etaS ?? 0) + addedS);
  for (const donor of snapshot.tractors) {
    if (donor.id === tractorId) continue;
    const given = moving.filter((s) => s.tractorId === donor.id);
    if (given.length === 0) continue;
    const area = given.reduce((sum, s) => sum + s.areaHa * (1 - s.doneFraction), 0);
    etas.set(donor.id, Math.max(0, (donor.etaS ?? 0) - secondsFor(donor, area, given.length)));
  }
  const newEtaS = etas.get(tractorId) ?? null;
  return {
    tractorId,
    canTake: true,
    reason: null,
    deltaS: addedS,
    newEtaS,
    jobEtaS: Math.max(...etas.values()),
  };
}
