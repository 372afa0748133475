/**
 * Heartbeat loss at every phase of a tractor's work (in-process bus), and a station crash during
 * a stop with the same simulated tractors throughout (CAN link); ManualClock everywhere.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TractorState } from '../../shared/index.js';
import { JobStore } from '../records/index.js';
import { LocalFleetBus, STATION_SILENCE_STOP_MS } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { SIM_PLAN_OPTIONS } from '../sim/index.js';
import { demoFleet, demoField, type DemoFleet } from '../sim/test-helpers/demo-fleet.js';
import { JOINING_REPORT_MS, Station } from '../station/index.js';
import { ManualClock } from '../time/index.js';
import { canFleet, movingIds } from './test-helpers/can-fleet.js';

type Phase = 'idle' | 'turning' | 'working' | 'paused' | 'stopped';

/** Brings sim-01 into `phase` (the job's other tractor keeps its own). */
function reach(fleet: DemoFleet, phase: Phase): void {
  const t = fleet.sim.tractors[0]!;
  if (phase === 'idle') return;
  fleet.station.command({ type: 'startJob' });
  const want: TractorState = phase === 'paused' || phase === 'stopped' ? 'working' : phase;
  for (let i = 0; i < 6_000 && t.currentState !== want; i++) fleet.run(10);
  expect(t.currentState).toBe(want);
  if (phase !== 'paused' && phase !== 'stopped') return;
  fleet.station.command({ type: phase === 'paused' ? 'pauseJob' : 'fleetStop' });
  fleet.run(100);
  expect(t.currentState).toBe(phase);
}

describe('station heartbeat lost at every phase', () => {
  it.each<[Phase, TractorState]>([
    ['idle', 'idle'],
    ['turning', 'stopped'],
    ['working', 'stopped'],
    ['paused', 'paused'],
    ['stopped', 'stopped'],
  ])('a tractor %s when the heartbeat goes is %s after it, and never moves', (phase, after) => {
    const fleet = demoFleet(2);
    reach(fleet, phase);
    const t = fleet.sim.tractors[0]!;
    let lastBeat = Number.NaN;
    fleet.bus.tractorPort(t.id).onMessage((m) => {
      if (m.kind === 'heartbeat') lastBeat = fleet.clock.now();
    });
    fleet.run(30); // at least one heartbeat heard
    fleet.sim.setRadio(t.id, false);
    let stoppedAt = Number.NaN;
    for (let i = 0; i < 1_000; i++) {
      fleet.clock.advance(1);
      if (Number.isNaN(stoppedAt) && t.currentState === 'stopped') stoppedAt = fleet.clock.now();
    }
    expect(t.currentState).toBe(after);
    if (phase === 'turning' || phase === 'working')
      expect(stoppedAt - lastBeat).toBe(STATION_SILENCE_STOP_MS); // on its own timer, not a step
    const still = t.currentPosition;
    fleet.run(5_000);
    expect(t.currentPosition).toEqual(still);
    expect(t.currentSpeedMps).toBe(0);

    // Back in contact: a safe stop is adopted and held; nothing else changes by itself.
    fleet.sim.setRadio(t.id, true);
    fleet.run(2_000);
    expect(t.currentState).toBe(after);
    expect(t.currentPosition).toEqual(still);
    const held = fleet.station.snapshot().stops.filter((s) => s.scope !== 'fleet');
    expect(held.map((s) => s.scope)).toEqual(
      after === 'stopped' && phase !== 'stopped' ? [t.id] : [],
    );
    fleet.close();
  });
});

/** A job store that stops writing when the process dies (a crash writes nothing more). */
function crashableStore(store: JobStore): { store: JobStore; crash(): void } {
  let dead = false;
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'save' && dead) return () => undefined;
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store: proxy, crash: () => (dead = true) };
}

describe('station crash during a stop (CAN link, the same tractors throughout)', () => {
  it('the tractors stay stopped while the station is down, and the restarted station holds the stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-crash-'));
    const disk = crashableStore(new JobStore(dir));
    const f = await canFleet(3, { store: disk.store });
    expect(f.station.command({ type: 'startJob' }).ok).toBe(true);
    expect(await f.runUntil(() => movingIds(f.tractors).length === 3, 20_000, 10)).toBe(true);
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = (stop.ok ? stop.stopId : undefined) ?? '';
    expect(await f.runUntil(() => f.station.snapshot().stops[0]?.confirmed === 3, 500, 5)).toBe(
      true,
    );
    const at = f.tractors.tractors.map((t) => t.currentPosition);
    const states = (): string[] => f.tractors.tractors.map((t) => t.currentState);

    // kill -9 while the stop is active: no final write, the link silent at once.
    disk.crash();
    f.station.close();
    f.fleet.crashStation();
    await f.run(5_000, 10);
    expect(states()).toEqual(['stopped', 'stopped', 'stopped']);
    expect(f.tractors.tractors.map((t) => t.currentPosition)).toEqual(at);

    const started = f.fleet.restartStation();
    const second = new Station({
      clock: f.clock,
      fleetKey: f.sim.fleetKey,
      port: f.fleet.stationPort(),
      field: demoField(),
      plan: SIM_PLAN_OPTIONS,
      name: 'restarted',
      softwareVersion: 'test',
      store: new JobStore(dir),
      linkStatus: () => f.fleet.linkStatus(),
    });
    await f.run(800);
    await started;
    expect(second.snapshot().job.state).toBe('stopped');
    expect(second.snapshot().stops.map((s) => s.id)).toEqual([stopId]);
    // The tractors introduce themselves again (new instance number) and confirm the old stop.
    const held = (): boolean => second.snapshot().stops[0]?.confirmed === 3;
    expect(await f.runUntil(held, 3_000, 10)).toBe(true);
    expect(second.command({ type: 'resumeJob' }).ok).toBe(false);
    await f.run(3_000, 10);
    expect(f.tractors.tractors.map((t) => t.currentPosition)).toEqual(at);
    expect(second.command({ type: 'release', stopId }).ok).toBe(true);
    await f.run(1_000, 10);
    expect(states()).toEqual(['paused', 'paused', 'paused']);
    expect(f.tractors.tractors.map((t) => t.currentPosition)).toEqual(at);
    second.close();
    f.close();
  });
});

describe('a stalled process is not a silent radio', () => {
  it('a tractor in the station process rides out a 600 ms stall of the whole process', () => {
    const fleet = demoFleet(1);
    reach(fleet, 'working');
    fleet.clock.stall(600);
    fleet.run(300);
    expect(['working', 'turning']).toContain(fleet.sim.tractors[0]?.currentState);
    expect(fleet.station.snapshot().stops).toEqual([]);
    fleet.close();
  });

  it('but still stops when the radio is cut during the stall', () => {
    const fleet = demoFleet(1);
    reach(fleet, 'working');
    fleet.sim.setRadio('sim-01', false);
    fleet.clock.stall(600);
    fleet.run(100);
    expect(fleet.sim.tractors[0]?.currentState).toBe('stopped');
    fleet.close();
  });
});

describe('a stalled station process is not a silent fleet', () => {
  it('shows no COMM LOST after a 600 ms stall while the tractors kept talking', () => {
    const fleet = demoFleet(2);
    reach(fleet, 'working');
    fleet.clock.stall(600);
    fleet.run(200);
    const snapshot = fleet.station.snapshot();
    expect(snapshot.tractors.map((t) => t.link.state)).not.toContain('lost');
    expect(snapshot.alerts.some((a) => /COMM LOST/.test(a.message))).toBe(false);
    fleet.close();
  });
});

describe('a machine that has joined but not yet reported is joining, not lost', () => {
  it('shows it joining while its first report is late, and COMM LOST only past the joining bound', () => {
    const clock = new ManualClock();
    const bus = new LocalFleetBus({ clock });
    const station = new Station({
      clock,
      fleetKey: FleetKey.generate(),
      port: bus.stationPort(),
      field: demoField(),
      plan: { swathWidthM: 12, headlandPasses: 1 },
      name: 'test station',
      softwareVersion: 'test',
    });
    const port = bus.tractorPort('sim-01');
    port.send({ kind: 'hello', name: 'Tractor 1', implementWidthM: 12, workSpeedMps: 3.6 });
    clock.advance(1_000); // ten telemetry periods without a report
    expect(station.snapshot().tractors[0]?.state).toBe('joining');
    expect(station.snapshot().alerts).toEqual([]);

    clock.advance(JOINING_REPORT_MS);
    expect(station.snapshot().tractors[0]?.state).toBe('comm-lost');
    expect(station.snapshot().alerts.map((a) => a.message)).toEqual([
      'Tractor 1: COMM LOST (joined, never reported)',
    ]);
    station.close();
    bus.close();
  });
});
