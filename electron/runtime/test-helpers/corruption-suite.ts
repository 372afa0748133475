/**
 * The corruption suite: a data folder left by a station that worked a job and stopped its fleet
 * (closed cleanly, or killed), then every file of it damaged one at a time — truncated, emptied,
 * a bit flipped — and a station started on each copy. Every case must end in recovery or a clear
 * refusal, with an alert for any damage: never a loss nobody is told of, never a stop lifted.
 * Used by the CI test (one flip per file) and `npm run bench -- durability` (many).
 */
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StationSnapshot } from '../../../shared/index.js';
import { openDataFolder, type DataFolder } from '../data-folder.js';
import { RecordingReader } from '../../records/index.js';
import { readAuditLog } from '../../safety/index.js';
import { createSimulatedStation, type SimulatedStation } from '../simulation.js';
import { ManualClock, type Random } from '../../time/index.js';
import { demoField } from '../../sim/test-helpers/demo-fleet.js';

const TRACTORS = 3;
/** Worked ground the coverage log may differ by from the live count (centimetre rounding). */
const AREA_TOLERANCE_M2 = 1;

export type Damage = 'truncate' | 'empty' | 'flip';
export const DAMAGES: readonly Damage[] = ['truncate', 'empty', 'flip'];

/** What a station started on a folder shows: the figures a damaged file could take away. */
export interface FolderView {
  workedM2: number;
  stops: string[];
  /** A fleet stop holds every machine (the hold at start, or the job's own). */
  fleetHeld: boolean;
  alerts: Map<string, string>;
  auditEntries: number;
  historyJobs: number;
  recordingMs: number;
}

export interface Baseline {
  kind: 'closed' | 'crashed';
  dir: string;
  view: FolderView;
  /** Every file of the folder (relative paths), the lock and the store's WAL included. */
  files: string[];
}

export type Outcome = 'intact' | 'recovered' | 'refused' | 'silent-loss' | 'stop-lifted';

export interface CaseResult {
  baseline: Baseline['kind'];
  file: string;
  damage: string;
  outcome: Outcome;
  detail: string;
}

interface Running {
  folder: DataFolder;
  sim: SimulatedStation;
  clock: ManualClock;
}

/** A station with its fleet on the CAN link on `dir`, as serve composes it (manual clock). */
function open(dir: string): Running {
  const clock = new ManualClock();
  const folder = openDataFolder({
    dir,
    clock,
    station: 'corruption suite',
    log: () => undefined,
  });
  try {
    const sim = createSimulatedStation({
      clock,
      field: demoField(),
      simCount: TRACTORS,
      link: 'can',
      dataDir: dir,
      syncDir: dir,
      store: folder.store,
      audit: folder.audit,
      history: folder.history,
      recorder: folder.recorder,
      fleetKey: folder.fleetKey,
      startupAlerts: folder.alerts,
    });
    folder.reportRecordingProblemsTo((m) => sim.station.raiseAlert('warning', 'recorder', m));
    return { folder, sim, clock };
  } catch (error) {
    folder.close();
    throw error;
  }
}

/** Moves simulated time on, letting the CAN link's promises settle every step. */
async function run(r: Running, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 5) {
    r.clock.advance(5);
    for (let i = 0; i < 4; i++) await Promise.resolve();
  }
}

function close(r: Running): void {
  r.sim.station.save();
  r.sim.close();
  r.folder.close();
}

function view(r: Running, dir: string): FolderView {
  const snap: StationSnapshot = r.sim.station.snapshot();
  r.folder.recorder.close();
  const recordings = join(dir, 'recordings');
  const recording = readdirSync(recordings).find((f) => f.endsWith('.hrec'));
  let recordingMs = 0;
  try {
    if (recording) recordingMs = RecordingReader.open(join(recordings, recording)).durationMs;
  } catch {
    recordingMs = 0;
  }
  return {
    workedM2: snap.job.progress.workedHa * 1e4,
    stops: snap.stops.map((s) => s.id),
    fleetHeld: snap.stops.some((s) => s.scope === 'fleet'),
    alerts: new Map(snap.alerts.map((a) => [a.id, a.message])),
    auditEntries: readAuditLog(join(dir, 'audit.log')).entries.length,
    historyJobs: snap.jobs?.length ?? 0,
    recordingMs,
  };
}

/** Every file under `dir`, relative. */
function filesOf(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/**
 * A folder whose station worked a job for 60 s, stopped one tractor and then the fleet, and was
 * closed — or killed (its store's WAL, the lock and the write-ahead runs left as they were).
 */
export async function buildBaseline(kind: Baseline['kind']): Promise<Baseline> {
  const dir = mkdtempSync(join(tmpdir(), `headland-corrupt-${kind}-`));
  const first = open(dir);
  await run(first, 2_000);
  first.sim.station.command({ type: 'startJob' }, 'suite');
  await run(first, 60_000);
  first.sim.station.command({ type: 'tractorStop', tractorId: 'sim-02' }, 'suite');
  await run(first, 1_000);
  first.sim.station.command({ type: 'fleetStop' }, 'suite');
  await run(first, 2_000);
  if (kind === 'closed') close(first);
  else {
    first.sim.station.save();
    // Dead, as after kill -9: nothing more is written; the link and the tractors are let go
    // (writing nothing) so nothing of the dead station lingers in this process.
    first.folder.audit.close();
    first.folder.lock.abandon();
    first.sim.sim?.close();
    first.sim.replicas?.close();
    first.sim.replicaHub?.close();
    first.sim.fleet?.close();
  }
  // Frozen at once: the dead station's store connection is still open in this process, and if it
  // is ever closed (garbage collected) SQLite checkpoints the WAL into the folder it points at.
  const frozen = mkdtempSync(join(tmpdir(), `headland-corrupt-${kind}-frozen-`));
  cpSync(dir, frozen, { recursive: true });
  const files = filesOf(frozen);
  // The figures as an undamaged copy shows them (a restart after a kill included).
  const copy = mkdtempSync(join(tmpdir(), 'headland-control-'));
  cpSync(frozen, copy, { recursive: true });
  const control = await startCase(copy);
  rmSync(copy, { recursive: true, force: true });
  if (kind === 'closed') rmSync(dir, { recursive: true, force: true });
  if (control.outcome === 'refused') throw new Error(`baseline does not open: ${control.detail}`);
  return { kind, dir: frozen, view: control.view, files };
}

/** Damages `file`: truncated to half, emptied, or one bit flipped at a random byte. */
export function damageFile(path: string, damage: Damage, random: Random): string {
  const bytes = readFileSync(path);
  if (damage === 'empty') {
    writeFileSync(path, '');
    return 'emptied';
  }
  if (damage === 'truncate') {
    const to = Math.floor(bytes.length / 2);
    truncateSync(path, to);
    return `truncated ${bytes.length} → ${to} B`;
  }
  if (bytes.length === 0) return 'empty file, nothing to flip';
  const at = Math.floor(random.next() * bytes.length);
  const bit = Math.floor(random.next() * 8);
  bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
  writeFileSync(path, bytes);
  return `bit ${bit} of byte ${at} of ${bytes.length} flipped`;
}

async function startCase(
  dir: string,
): Promise<{ outcome: 'refused'; detail: string } | { outcome: 'opened'; view: FolderView }> {
  let r: Running;
  try {
    r = open(dir);
  } catch (error) {
    return { outcome: 'refused', detail: error instanceof Error ? error.message : String(error) };
  }
  try {
    // Long enough for the tractors to join and report (the recording is reopened then).
    await run(r, 2_000);
    return { outcome: 'opened', view: view(r, dir) };
  } finally {
    close(r);
  }
}

/** One case: a copy of the baseline with one file damaged, and a station started on it. */
export async function runCase(
  baseline: Baseline,
  file: string,
  damage: Damage,
  random: Random,
): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'headland-case-'));
  try {
    cpSync(baseline.dir, dir, { recursive: true });
    const what = damageFile(join(dir, file), damage, random);
    const started = await startCase(dir);
    const result = (outcome: Outcome, detail: string): CaseResult => ({
      baseline: baseline.kind,
      file,
      damage: what,
      outcome,
      detail,
    });
    if (started.outcome === 'refused') {
      const clear = started.detail.length > 0 && /\S/.test(started.detail);
      return result(clear ? 'refused' : 'silent-loss', started.detail);
    }
    return judge(baseline.view, started.view, result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function judge(
  before: FolderView,
  after: FolderView,
  result: (outcome: Outcome, detail: string) => CaseResult,
): CaseResult {
  const lifted = before.stops.filter((id) => !after.stops.includes(id));
  if (lifted.length > 0 && !after.fleetHeld)
    return result('stop-lifted', `stops no longer in force: ${lifted.join(', ')}`);
  // By id and words: on a simulated clock a new alert can take an id the baseline's had.
  const said = [...after.alerts]
    .filter(([id, message]) => before.alerts.get(id) !== message)
    .map(([, m]) => m);
  const losses: string[] = [];
  if (after.workedM2 < before.workedM2 - AREA_TOLERANCE_M2 - before.workedM2 * 1e-3)
    losses.push(`worked ${before.workedM2.toFixed(1)} → ${after.workedM2.toFixed(1)} m²`);
  if (after.auditEntries < before.auditEntries)
    losses.push(`audit entries ${before.auditEntries} → ${after.auditEntries}`);
  if (after.historyJobs < before.historyJobs)
    losses.push(`history jobs ${before.historyJobs} → ${after.historyJobs}`);
  if (after.recordingMs < before.recordingMs)
    losses.push(`recording ${before.recordingMs} → ${after.recordingMs} ms`);
  if (losses.length > 0 && said.length === 0) return result('silent-loss', losses.join('; '));
  if (said.length > 0) return result('recovered', [...losses, ...said].join(' | ').slice(0, 400));
  return result('intact', 'nothing lost, nothing to say');
}

/** Every case of a baseline: each file, each damage (flips `flips` times at random bytes). */
export async function runSuite(
  baseline: Baseline,
  random: Random,
  flips = 1,
  only: (file: string) => boolean = () => true,
  damagesOf: (fileIndex: number) => readonly Damage[] = () => DAMAGES,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [index, file] of baseline.files.filter(only).entries())
    for (const damage of damagesOf(index))
      for (let k = 0; k < (damage === 'flip' ? flips : 1); k++)
        results.push(await runCase(baseline, file, damage, random));
  return results;
}

/** One damage per file, taken in turn, so a short run still damages every file. */
export function oneDamageInTurn(fileIndex: number): readonly Damage[] {
  return [DAMAGES[fileIndex % DAMAGES.length] ?? 'flip'];
}
