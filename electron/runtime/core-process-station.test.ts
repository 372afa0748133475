import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FIELD_PATH } from './app-paths.js';
import { FleetKey } from '../safety/index.js';
import { loadField, startStationRuntime } from './station.js';
import { startCoreProcessStation, type CoreProcessStation } from './core-process-station.js';
import { SystemClock } from '../time/index.js';

const open: CoreProcessStation[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Polls until `ok` (the core runs on its own clock in its own process: nothing to advance). */
async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function threaded(
  simCount: number,
  extra: { realtimeCore?: boolean; log?: (line: string) => void } = {},
): Promise<CoreProcessStation> {
  const dir = mkdtempSync(join(tmpdir(), 'headland-core-'));
  dirs.push(dir);
  const started = await startCoreProcessStation({
    clock: new SystemClock({ unref: true }),
    field: await loadField(DEMO_FIELD_PATH),
    simCount,
    fleetKey: FleetKey.generate(),
    dataDir: dir,
    ...extra,
  });
  open.push(started);
  await started.station.whenTractors(simCount);
  return started;
}

/** Scheduling policy per thread of a process (field 41 of /proc/…/stat; 1 is SCHED_FIFO). */
function policies(pid: number | 'self'): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
  });
}

describe('the safety core in a process of its own', () => {
  it('asks for real-time scheduling when told to, and says what it got', async () => {
    const lines: string[] = [];
    const { station, core } = await threaded(1, { realtimeCore: true, log: (l) => lines.push(l) });
    const said = lines.find((l) => l.startsWith('safety core: real-time scheduling'));
    expect(said).toMatch(
      /\(SCHED_FIFO 20\)$|refused \(.+\); the core runs at the normal priority$/,
    );
    // Granted, every thread of the core's process runs under SCHED_FIFO (its garbage
    // collector's helpers among them); refused, none does. The station's own threads keep the
    // normal policy either way.
    const corePolicies = policies(core.pid);
    expect(corePolicies.length).toBeGreaterThan(1);
    if (said?.endsWith('(SCHED_FIFO 20)')) expect(corePolicies.every((p) => p === 1)).toBe(true);
    else expect(corePolicies.some((p) => p === 1)).toBe(false);
    expect(policies('self').some((p) => p === 1)).toBe(false);
    expect(station.command({ type: 'startJob' }, 'test').ok).toBe(true);
  });

  it('carries the fleet link: tractors join, work, and a fast stop is confirmed by all and recorded', async () => {
    const { station, core } = await threaded(3);
    expect(station.command({ type: 'startJob' }, 'test').ok).toBe(true);
    await until(() =>
      station.snapshot().tractors.every((t) => t.state === 'working' || t.state === 'turning'),
    );
    expect(station.snapshot().station.canAddress).toBe(0x20);
    expect(
      core
        .linkStatus()
        .map((l) => l.id)
        .sort(),
    ).toEqual(['sim-01', 'sim-02', 'sim-03']);

    const result = station.fastStop('operator:test');
    if (!result.ok || !result.stopId) throw new Error('no stop id');
    const { stopId } = result;
    await until(() => {
      const stop = station.snapshot().stops.find((s) => s.id === stopId);
      return stop !== undefined && stop.confirmed === 3 && stop.total === 3;
    });
    expect(station.jobState()).toBe('stopped');
    const probe = await core.probe();
    expect(probe.tractors.map((t) => t.state)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(probe.tractors.every((t) => t.holds.length === 1 && t.ownStops === 0)).toBe(true);
    expect(probe.confirmations.filter((c) => c.stopId === stopId)).toHaveLength(3);
  });

  it('raises a critical alert when the core’s process dies, since no heartbeat goes out then', async () => {
    const { station, core } = await threaded(1);
    process.kill(core.pid, 'SIGKILL');
    await until(() =>
      station
        .snapshot()
        .alerts.some(
          (a) =>
            a.severity === 'critical' &&
            a.message.includes('the safety core ended (signal SIGKILL)'),
        ),
    );
  });
});

describe('serve with its safety core in a process of its own', () => {
  it('serves the station; the bus, its socketcand face and its capture run in the core’s process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-core-serve-'));
    dirs.push(dataDir);
    const capturePath = join(dataDir, 'bus.log');
    const runtime = await startStationRuntime({
      simCount: 2,
      port: 0,
      host: '127.0.0.1',
      dataDir,
      basemapDir: null,
      coreProcess: true,
      canServer: { host: '127.0.0.1', port: 0 },
      capturePath,
      log: () => undefined,
    });
    try {
      expect(runtime.coreProcess).not.toBeNull();
      expect(runtime.sim).toBeNull();
      expect(runtime.canServerPort).toBeGreaterThan(0);
      // Joined and started by the runtime, as serve does.
      await until(() => runtime.station.jobState() === 'running');
      const metrics = await (await fetch(`http://127.0.0.1:${runtime.port ?? 0}/metrics`)).text();
      expect(metrics).toMatch(/headland_can_frames_total\{bus="can0"\} [1-9]/);
      expect(metrics).toMatch(/headland_socketcand_clients\{bus="can0"\} 0/);
    } finally {
      await runtime.close();
    }
    expect(statSync(capturePath).size).toBeGreaterThan(0);
  });
});
