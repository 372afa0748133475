/**
 * The StationSnapshot a recording shows at a time: the plan and the station's view recorded
 * last before it, every tractor at its last sample, and the recorded events up to it.
 */
import {
  SNAPSHOT_VERSION,
  describeCommand,
  type Basemap,
  type ReplayEvent,
  type ReplayState,
  type StationSnapshot,
  type TractorSnapshot,
} from '../../shared/index.js';
import type { RecordedEvent } from './recording-format.js';
import type { RecordingReader } from './recording-reader.js';

/** Events a replay snapshot carries (the latest ones up to the replay time). */
export const REPLAY_EVENTS_SHOWN = 100;

export interface ReplayFrame {
  atMs: number;
  speed: number;
  playing: boolean;
  seq: number;
  basemap: Basemap | null;
  softwareVersion: string;
}

const NO_PROGRESS = {
  workedHa: 0,
  overlapHa: 0,
  totalHa: 0,
  fraction: 0,
  etaS: null,
  unworkedHa: null,
};

export function replaySnapshot(reader: RecordingReader, frame: ReplayFrame): StationSnapshot {
  const t = frame.atMs;
  const plan = reader.latest('plan', t, true)?.plan;
  const view = reader.latest('view', t)?.view;
  const alerts = reader.latest('alerts', t)?.alerts ?? [];
  const holders = new Map(view?.sections.map((s) => [s.id, s]) ?? []);
  const tractorViews = new Map(view?.tractors.map((v) => [v.id, v]) ?? []);
  const tractors: TractorSnapshot[] = reader.fleetAt(t).map(({ declaration, sample, status }) => {
    const v = tractorViews.get(declaration.id);
    const reported = status?.state ?? 'idle';
    return {
      id: declaration.id,
      name: declaration.name,
      // COMM LOST is the station's verdict, not a report: it comes from the recorded view.
      state: v?.state === 'comm-lost' ? 'comm-lost' : reported,
      mode: status?.mode ?? 'autonomous',
      position: sample ? [sample.lon, sample.lat] : null,
      headingDeg: sample?.headingDeg ?? 0,
      speedMps: sample?.speedMps ?? 0,
      implementWidthM: declaration.implementWidthM > 0 ? declaration.implementWidthM : 1,
      workRateHaPerH: v?.workRateHaPerH ?? 0,
      sectionIds: v?.sectionIds ?? [],
      currentSectionId: status?.currentSectionId ?? null,
      progress: v?.progress ?? 0,
      etaS: v?.etaS ?? null,
      link: v?.link ?? { state: 'online', rttMs: null, lossPct: 0, lastHeardAgoMs: null },
      stop: v?.stop ?? { status: 'none', latencyMs: null },
      hold: v?.hold ?? null,
    };
  });
  const replay: ReplayState = {
    atMs: t,
    durationMs: reader.durationMs,
    startedAtWallMs: reader.header.startedAtWallMs,
    speed: frame.speed,
    playing: frame.playing,
    events: eventsUpTo(reader, t),
  };
  return {
    version: SNAPSHOT_VERSION,
    station: {
      name: `${reader.header.station || 'Headland station'} (replay)`,
      basemap: frame.basemap,
      softwareVersion: frame.softwareVersion,
      uptimeS: t / 1000,
      seq: frame.seq,
    },
    job: view?.job ?? {
      id: reader.header.jobId,
      name: reader.header.jobId,
      state: 'planned',
      progress: { ...NO_PROGRESS, totalHa: plan?.field.areaHa ?? 0 },
    },
    field: plan?.field ?? { name: reader.header.jobId, rings: [], headlandLines: [], areaHa: 0 },
    sections: (plan?.sections ?? []).map((s) => ({
      ...s,
      donePolygons: reader.doneAt(s.id, t),
      tractorId: holders.get(s.id)?.tractorId ?? null,
      doneFraction: holders.get(s.id)?.doneFraction ?? 0,
      unworked: holders.get(s.id)?.unworked ?? [],
    })),
    tractors,
    stops: view?.stops ?? [],
    alerts,
    zones: plan?.zones ?? [],
    modeChange: view?.modeChange ?? null,
    replay,
  };
}

function eventsUpTo(reader: RecordingReader, t: number): ReplayEvent[] {
  const shown: ReplayEvent[] = [];
  const all = reader.events;
  // Binary search for the last event at or before t, then walk back.
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((all[mid]?.atMs ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && shown.length < REPLAY_EVENTS_SHOWN; i--) {
    const event = all[i];
    const shownEvent = event ? toReplayEvent(event) : null;
    if (shownEvent) shown.push(shownEvent);
  }
  return shown.reverse();
}

function toReplayEvent(e: RecordedEvent): ReplayEvent | null {
  const base = { atMs: e.atMs, atWallMs: e.atWallMs };
  if (e.type === 'audit')
    return { ...base, kind: e.kind, actor: e.actor, subject: e.subject, detail: e.detail };
  if (e.type === 'command') {
    const command =
      typeof e.command === 'object' && e.command !== null && 'type' in e.command
        ? (e.command as { type: unknown } & Record<string, unknown>)
        : { type: 'command' };
    return {
      ...base,
      kind: 'command',
      actor: e.actor,
      // In words, as the live Events tab says it (machines by id: the page names them).
      subject: describeCommand({ ...command, type: String(command.type) }, (id) => id),
      detail: e.ok ? 'accepted' : `refused: ${e.error ?? ''}`,
    };
  }
  if (e.type === 'limit')
    return { ...base, kind: 'limit', actor: 'recorder', subject: '', detail: e.detail };
  return null;
}
