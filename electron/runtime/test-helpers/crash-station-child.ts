/**
 * Child process for the kill -9 tests: a station with simulated tractors on a data folder,
 * opened the way `headland serve` opens it. It carries on the folder's job (starting it, or
 * resuming it after a restart), prints what it has reported, and is killed at a random moment
 * by its parent — or kills itself in the middle of a chosen write:
 *
 *   ready <workedM2> <stops in force, comma-separated or -> <job state> <held at start 0|1>
 *   reported <sim ms> <workedM2>      every REPORT_MS, after the station reported it
 *   stop <stop id>                    after a tractor stop command returned
 *
 * args: <dataDir> <seed> <manual|system> <local|can> <none|compaction|chunk> <arm after sim ms>
 * `compaction` forces a compaction of sync.db every COMPACT_EVERY appends and dies inside the
 * first one after the arm time (before its commit); `chunk` dies halfway through the first
 * recording chunk written after it.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { openDataFolder } from '../data-folder.js';
import { createSimulatedStation } from '../simulation.js';
import { UpdateStore } from '../../sync/index.js';
import { ManualClock, SystemClock, seededRandom, type Clock } from '../../time/index.js';
import { demoField } from '../../sim/test-helpers/demo-fleet.js';

/** How often the child says what the station has reported (the UI's snapshot rate is 200 ms). */
const REPORT_MS = 250;
/** Forced compaction period (appends) in `compaction` mode: often, so a kill can land in one. */
const COMPACT_EVERY = 5;
/** 'HRCK' little-endian: the first bytes of a recording chunk (recording-format.ts). */
const CHUNK_MAGIC = Buffer.from([0x48, 0x52, 0x43, 0x4b]);
const TRACTORS = 3;

const [dataDir, seedArg, clockKind, link, crashIn, armArg] = process.argv.slice(2);
if (!dataDir)
  throw new Error('usage: crash-station-child <dataDir> <seed> <clock> <link> <crashIn> <armMs>');
const random = seededRandom(Number(seedArg ?? 1));
const armAtMs = Number(armArg ?? 0);
const clock: Clock = clockKind === 'system' ? new SystemClock({ unref: true }) : new ManualClock();
const startedAtMs = clock.now();
const armed = (): boolean => clock.now() - startedAtMs >= armAtMs;
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

if (crashIn === 'compaction') {
  // Wrapped, then called with the store as `this`: fault injection around the real methods.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const compact = UpdateStore.prototype.compact;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const append = UpdateStore.prototype.append;
  let appends = 0;
  UpdateStore.prototype.compact = function (this: UpdateStore, ...args) {
    return this.transaction(() => {
      const result = compact.apply(this, args);
      if (armed()) die();
      return result;
    });
  };
  UpdateStore.prototype.append = function (this: UpdateStore, jobId, update) {
    const seq = append.call(this, jobId, update);
    if (++appends % COMPACT_EVERY === 0) this.compact(jobId);
    return seq;
  };
}
if (crashIn === 'chunk') {
  const writeSync = fs.writeSync;
  fs.writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (armed() && Buffer.isBuffer(data) && data.subarray(0, 4).equals(CHUNK_MAGIC)) {
      writeSync(fd, data.subarray(0, Math.floor(data.length / 2)));
      die();
    }
    return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
  };
  syncBuiltinESMExports();
}

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const folder = openDataFolder({ dir: dataDir, clock, station: 'crash test', log: () => undefined });
const simulated = createSimulatedStation({
  clock,
  field: demoField(),
  simCount: TRACTORS,
  link: link === 'can' ? 'can' : 'local',
  dataDir,
  syncDir: dataDir,
  store: folder.store,
  audit: folder.audit,
  history: folder.history,
  recorder: folder.recorder,
  fleetKey: folder.fleetKey,
  startupAlerts: folder.alerts,
});
const { station } = simulated;
const worked = (): number => station.snapshot().job.progress.workedHa * 1e4;
const first = station.snapshot();
const held = first.alerts.some((a) => a.message.startsWith('Every machine is held at start'));
print(
  `ready ${worked()} ${first.stops.map((s) => s.id).join(',') || '-'} ${first.job.state} ${held ? 1 : 0}`,
);

/**
 * Once the fleet has joined: the stops a restart brought back are released once every tractor
 * confirmed them (so the fleet works again), the job is started or resumed, and one tractor
 * stop is issued somewhere in the run, which the next start must bring back.
 */
let phase: 'release' | 'resume' | 'run' = 'release';
let runFromMs = 0;
let stopIssued = false;
const stopAfterMs = 1_000 + random.next() * 8_000;
const tick = (): void => {
  const nowMs = clock.now() - startedAtMs;
  if (phase !== 'run' && station.tractorCount() === TRACTORS) {
    if (phase === 'release') {
      const { stops } = station.snapshot();
      if (stops.every((s) => s.confirmed === s.total)) {
        for (const s of stops) station.command({ type: 'release', stopId: s.id }, 'crash test');
        phase = 'resume';
      }
    } else {
      const state = station.jobState();
      station.command({ type: state === 'planned' ? 'startJob' : 'resumeJob' }, 'crash test');
      phase = 'run';
      runFromMs = nowMs;
    }
  }
  if (phase === 'run' && !stopIssued && nowMs - runFromMs >= stopAfterMs) {
    stopIssued = true;
    const target = `sim-0${1 + Math.floor(random.next() * TRACTORS)}`;
    const result = station.command({ type: 'tractorStop', tractorId: target }, 'crash test');
    if (result.ok && result.stopId) print(`stop ${result.stopId}`);
  }
  print(`reported ${Math.round(nowMs)} ${worked()}`);
  clock.setTimer(REPORT_MS, tick);
};
clock.setTimer(REPORT_MS, tick);

if (clock instanceof ManualClock) {
  // As fast as the machine goes: 10 ms steps, yielding now and then so I/O callbacks run.
  const manual = clock;
  const run = (): void => {
    for (let i = 0; i < 50; i++) manual.advance(10);
    setImmediate(run);
  };
  run();
} else {
  // The station's timers are unref'd: keep the process alive until it is killed.
  setInterval(() => undefined, 60_000);
}
