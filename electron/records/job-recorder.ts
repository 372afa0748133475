/**
 * Records what the station sees into `<dir>/<job-id>.hrec`, one file per job: telemetry at its
 * native rate (the station calls `telemetry` for every report it handles), operator commands
 * with who gave them, safety events (a tee of the audit log), and from the published snapshots
 * the plan when it changes and the station's view (job state, stops, holders, progress) when
 * something discrete changes or every VIEW_PERIOD_MS.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AutonomyMode,
  Command,
  CommandResult,
  LonLat,
  StationSnapshot,
  TractorState,
} from '../../shared/index.js';
import type { Clock } from '../time/index.js';
import {
  RECORDING_EXTENSION,
  type CoverageDelta,
  type PlanRecord,
  type RecordedEvent,
  type ViewRecord,
} from './recording-format.js';
import { RecordingWriter, type RecordingLimits } from './recording-writer.js';

/** Progress figures change continuously; they are recorded at most this often. */
export const VIEW_PERIOD_MS = 10_000;
/** Without commands or safety events, the station's snapshot is wanted this often. */
export const SNAPSHOT_PERIOD_MS = 1_000;
/** The worked ground (the sections' done polygons) is recorded at most this often. */
export const COVERAGE_PERIOD_MS = 30_000;

/** What the station tells its recorder (StationOptions.recorder). */
export interface StationRecorder {
  telemetry(jobId: string, tractor: RecordableTractor): void;
  command(jobId: string, command: Command, actor: string, result: CommandResult): void;
  audit(
    jobId: string,
    event: { kind: string; actor: string; subject: string; detail: string },
  ): void;
}

export interface RecordableTractor {
  id: string;
  name: string;
  implementWidthM: number;
  workSpeedMps: number;
  position: LonLat | null;
  headingDeg: number;
  speedMps: number;
  reportedState: TractorState;
  mode: AutonomyMode;
  currentSectionId: string | null;
}

export interface JobRecorderOptions {
  dir: string;
  clock: Clock;
  station: string;
  limits?: Partial<RecordingLimits>;
  /** A recording was found damaged when reopened (kept aside, skipped): for the station's alerts. */
  onProblem?: (message: string) => void;
}

type EventBody = RecordedEvent extends infer E
  ? E extends RecordedEvent
    ? Omit<E, 'atMs' | 'atWallMs'>
    : never
  : never;

export class JobRecorder implements StationRecorder {
  private writer: RecordingWriter | null = null;
  private jobId: string | null = null;
  private readonly tractorIdx = new Map<string, number>();
  private planKey = '';
  private viewKey = '';
  private viewAtMs = -Infinity;
  private alertsKey = '';
  /** Per section, the key of each worked-ground ring recorded so far. */
  private readonly doneKeys = new Map<string, string[]>();
  private coverageAtMs = -Infinity;
  private closed = false;
  /** A command or safety event happened since the last snapshot: the view may have changed. */
  private viewStale = true;
  private snapshotAtMs = -Infinity;

  constructor(private readonly options: JobRecorderOptions) {
    mkdirSync(options.dir, { recursive: true });
  }

  /** The recording file of a job. */
  static pathOf(dir: string, jobId: string): string {
    return join(dir, `${jobId}${RECORDING_EXTENSION}`);
  }

  telemetry(jobId: string, tractor: RecordableTractor): void {
    const writer = this.writerFor(jobId);
    if (!writer || !tractor.position) return;
    let idx = this.tractorIdx.get(tractor.id);
    if (idx === undefined) {
      idx = this.tractorIdx.size;
      this.tractorIdx.set(tractor.id, idx);
      this.event({
        type: 'tractor',
        idx,
        id: tractor.id,
        name: tractor.name,
        implementWidthM: tractor.implementWidthM,
      });
    }
    const atMs = this.atMs();
    writer.sample(
      {
        tractorIdx: idx,
        atMs,
        lon: tractor.position[0],
        lat: tractor.position[1],
        headingDeg: tractor.headingDeg,
        speedMps: tractor.speedMps,
      },
      {
        state: tractor.reportedState,
        mode: tractor.mode,
        currentSectionId: tractor.currentSectionId,
      },
    );
    writer.tick(atMs);
  }

  command(jobId: string, command: Command, actor: string, result: CommandResult): void {
    this.writerFor(jobId);
    // A field file travels inside its command: record its name, not megabytes of base64.
    const recorded =
      command.type === 'openField' ? { type: command.type, fileName: command.fileName } : command;
    this.event({
      type: 'command',
      actor,
      command: recorded,
      ok: result.ok,
      error: result.ok ? null : result.error.message,
    });
    this.viewStale = true;
  }

  audit(
    jobId: string,
    event: { kind: string; actor: string; subject: string; detail: string },
  ): void {
    this.writerFor(jobId);
    this.event({ type: 'audit', ...event });
    this.viewStale = true;
  }

  /**
   * Whether the recorder wants the station's snapshot now: after a command or a safety event
   * (the job state, stops or holders may have changed), else every SNAPSHOT_PERIOD_MS.
   */
  snapshotDue(): boolean {
    if (this.closed) return false;
    return this.viewStale || this.atMs() - this.snapshotAtMs >= SNAPSHOT_PERIOD_MS;
  }

  /** The station's snapshot: plan, view, alerts and worked ground are taken from it. */
  snapshot(snapshot: StationSnapshot): void {
    if (!this.writerFor(snapshot.job.id)) return;
    this.viewStale = false;
    this.snapshotAtMs = this.atMs();
    const plan: PlanRecord = {
      field: snapshot.field,
      sections: snapshot.sections.map((s) => ({
        id: s.id,
        index: s.index,
        polygon: s.polygon,
        areaHa: s.areaHa,
      })),
      zones: snapshot.zones,
    };
    const planKey = JSON.stringify(plan);
    if (planKey !== this.planKey) {
      this.planKey = planKey;
      this.event({ type: 'plan', plan });
    }
    const alertsKey = snapshot.alerts.map((a) => `${a.id}:${a.acknowledged}`).join();
    if (alertsKey !== this.alertsKey) {
      this.alertsKey = alertsKey;
      this.event({ type: 'alerts', alerts: snapshot.alerts });
    }
    const view = viewOf(snapshot);
    const key = JSON.stringify([
      view.job.state,
      view.stops,
      view.modeChange,
      view.tractors.map((t) => [t.state, t.link.state, t.stop.status, t.hold, t.sectionIds]),
      view.sections.map((s) => s.tractorId),
    ]);
    const atMs = this.atMs();
    const changed = key !== this.viewKey;
    if (changed || atMs - this.coverageAtMs >= COVERAGE_PERIOD_MS) this.coverage(snapshot, atMs);
    if (changed || atMs - this.viewAtMs >= VIEW_PERIOD_MS) {
      this.viewKey = key;
      this.viewAtMs = atMs;
      this.event({ type: 'view', view });
    }
  }

  /** Records the worked ground of the sections where it changed, as a delta per section. */
  private coverage(snapshot: StationSnapshot, atMs: number): void {
    this.coverageAtMs = atMs;
    const sections: CoverageDelta[] = [];
    for (const s of snapshot.sections) {
      const before = this.doneKeys.get(s.id) ?? [];
      const keys = s.donePolygons.map((ring) => JSON.stringify(ring));
      let keep = 0;
      while (keep < before.length && keep < keys.length && before[keep] === keys[keep]) keep++;
      if (keep === keys.length && keep === before.length) continue;
      this.doneKeys.set(s.id, keys);
      sections.push({ id: s.id, keep, add: s.donePolygons.slice(keep) });
    }
    if (sections.length > 0) this.event({ type: 'coverage', sections });
  }

  close(): void {
    this.closed = true;
    this.writer?.close();
    this.writer = null;
  }

  private writerFor(jobId: string): RecordingWriter | null {
    if (this.closed) return null;
    if (this.writer && this.jobId === jobId) return this.writer;
    this.writer?.close();
    this.jobId = jobId;
    this.tractorIdx.clear();
    this.planKey = this.viewKey = this.alertsKey = '';
    this.viewAtMs = this.coverageAtMs = -Infinity;
    this.doneKeys.clear();
    this.writer = RecordingWriter.open(
      JobRecorder.pathOf(this.options.dir, jobId),
      {
        version: 1,
        jobId,
        startedAtWallMs: this.options.clock.wallNow(),
        station: this.options.station,
      },
      this.options.limits,
    );
    if (this.writer.problem) this.options.onProblem?.(this.writer.problem);
    // A recording reopened after a restart keeps its tractors' indices.
    for (const [id, idx] of this.writer.declared) this.tractorIdx.set(id, idx);
    return this.writer;
  }

  private atMs(): number {
    const writer = this.writer;
    if (!writer) return 0;
    return Math.max(writer.endMs(), this.options.clock.wallNow() - writer.header.startedAtWallMs);
  }

  private event(body: EventBody): void {
    const writer = this.writer;
    if (!writer) return;
    const atMs = this.atMs();
    writer.event({
      ...body,
      atMs,
      atWallMs: writer.header.startedAtWallMs + atMs,
    });
  }
}

function viewOf(s: StationSnapshot): ViewRecord {
  return {
    job: s.job,
    stops: s.stops,
    modeChange: s.modeChange,
    tractors: s.tractors.map((t) => ({
      id: t.id,
      state: t.state,
      sectionIds: t.sectionIds,
      progress: t.progress,
      workRateHaPerH: t.workRateHaPerH,
      etaS: t.etaS,
      link: t.link,
      stop: t.stop,
      hold: t.hold,
    })),
    sections: s.sections.map((s) => ({
      id: s.id,
      tractorId: s.tractorId,
      doneFraction: s.doneFraction,
    })),
  };
}
