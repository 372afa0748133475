import { describe, expect, it } from 'vitest';
import { canFleet, movingIds } from './test-helpers/can-fleet.js';
import { WorkflowWorld } from '../sim/test-helpers/workflow-world.js';

describe('stop, release and resume on the real fleet link', () => {
  it('never lets a start sent before a stop arrive after its release', async () => {
    const f = await canFleet(2);
    f.station.command({ type: 'startJob' });
    await f.run(2_000, 5);
    f.station.command({ type: 'pauseJob' });
    await f.run(500, 5);
    expect(movingIds(f.tractors)).toEqual([]);

    // The resume's start to sim-02 is lost on the radio and waits to be tried again when the
    // fleet is stopped: the stop takes it back, so no later try can follow the release.
    f.fleet.setConnected('sim-02', false);
    f.station.command({ type: 'resumeJob' });
    await f.run(50, 5);
    const controlQueued = (): number | undefined =>
      f.fleet.station.linkStatus().find((p) => p.id === 'sim-02')?.queued.control;
    expect(controlQueued()).toBe(1);
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? (stop.stopId ?? '') : '';
    expect(controlQueued()).toBe(0);
    f.fleet.setConnected('sim-02', true);
    expect(await f.runUntil(() => f.station.snapshot().stops[0]?.confirmed === 2, 1_000)).toBe(
      true,
    );
    expect(f.station.command({ type: 'release', stopId }).ok).toBe(true);
    await f.run(5_000, 5);

    expect(f.tractors.tractors.map((t) => t.currentState)).toEqual(['paused', 'paused']);
    f.close();
  });
});

async function workingFleet(count: number) {
  const f = await canFleet(count);
  f.station.command({ type: 'startJob' });
  await f.run(3_000, 5);
  expect(movingIds(f.tractors)).toHaveLength(count);
  return f;
}

async function confirmedStop(
  f: Awaited<ReturnType<typeof canFleet>>,
  command: Parameters<Awaited<ReturnType<typeof canFleet>>['station']['command']>[0],
): Promise<string> {
  const result = f.station.command(command);
  const stopId = result.ok ? (result.stopId ?? '') : '';
  const confirmed = await f.runUntil(() => {
    const stop = f.station.snapshot().stops.find((s) => s.id === stopId);
    return stop !== undefined && stop.confirmed === stop.total;
  }, 2_000);
  expect(confirmed).toBe(true);
  return stopId;
}

describe('releasing machines one at a time after a fleet stop', () => {
  it('resumes one released machine while the fleet stop holds the others, and its repeats never stop it again', async () => {
    const f = await workingFleet(3);
    const stopId = await confirmedStop(f, { type: 'fleetStop' });
    expect(f.station.command({ type: 'release', stopId, tractorIds: ['sim-01'] }).ok).toBe(true);
    await f.run(500, 5);
    expect(f.station.command({ type: 'resumeTractor', tractorId: 'sim-01' }).ok).toBe(true);
    await f.run(10_000, 5); // ten keep-alives of the fleet stop

    expect(movingIds(f.tractors)).toEqual(['sim-01']);
    const snapshot = f.station.snapshot();
    expect(snapshot.stops).toMatchObject([{ id: stopId, total: 2, confirmed: 2 }]);
    expect(snapshot.alerts.filter((a) => a.message.includes('stopped itself'))).toEqual([]);
    expect(snapshot.tractors.find((t) => t.id === 'sim-01')?.stop.status).toBe('none');
    f.close();
  });

  it('a released machine ignores a repeat of the stop it was released from, but obeys a new stop', async () => {
    const f = await workingFleet(2);
    const stopId = await confirmedStop(f, { type: 'fleetStop' });
    f.station.command({ type: 'release', stopId, tractorIds: ['sim-01'] });
    await f.run(500, 5);
    f.station.command({ type: 'resumeTractor', tractorId: 'sim-01' });
    await f.run(500, 5);
    // The repeat as one broadcast frame, as a station that kept broadcasting would send it.
    f.sim.transport.stationPort().broadcast({ kind: 'estop', stopId });
    await f.run(500, 5);
    expect(movingIds(f.tractors)).toEqual(['sim-01']);

    await confirmedStop(f, { type: 'tractorStop', tractorId: 'sim-01' });
    expect(movingIds(f.tractors)).toEqual([]);
    f.close();
  });

  it('a released machine that rejoins is not held again by the fleet stop it was released from', async () => {
    const f = await workingFleet(2);
    const stopId = await confirmedStop(f, { type: 'fleetStop' });
    f.station.command({ type: 'release', stopId, tractorIds: ['sim-02'] });
    await f.run(500, 5);
    f.fleet.setConnected('sim-02', false);
    await f.run(3_000, 5);
    f.fleet.setConnected('sim-02', true);
    await f.run(3_000, 5);
    expect(f.station.snapshot().stops).toMatchObject([{ id: stopId, total: 1 }]);
    f.close();
  });
});

describe('releasing several stops at once', () => {
  it('releases every named machine from every stop that holds it', async () => {
    const f = await workingFleet(3);
    await confirmedStop(f, { type: 'tractorStop', tractorId: 'sim-01' });
    await confirmedStop(f, { type: 'tractorStop', tractorId: 'sim-02' });
    await confirmedStop(f, { type: 'fleetStop' });
    const result = f.station.command({ type: 'release', tractorIds: ['sim-01', 'sim-02'] });
    expect(result.ok).toBe(true);
    await f.run(1_000, 5);
    expect(f.tractors.tractors.map((t) => t.currentState)).toEqual(['paused', 'paused', 'stopped']);
    expect(f.station.snapshot().stops).toMatchObject([{ scope: 'fleet', total: 1 }]);
    f.close();
  });

  it('refuses the whole release, naming each machine it cannot release and why', async () => {
    const f = await workingFleet(3);
    await confirmedStop(f, { type: 'tractorStop', tractorId: 'sim-01' });
    f.fleet.setConnected('sim-02', false);
    f.station.command({ type: 'tractorStop', tractorId: 'sim-02' });
    await f.run(100, 5);
    const result = f.station.command({
      type: 'release',
      tractorIds: ['sim-01', 'sim-02', 'sim-03'],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('Tractor 2 (not yet confirmed stopped)');
    expect(message).toContain('Tractor 3 (held by no stop)');
    expect(message).not.toContain('Tractor 1');
    await f.run(1_000, 5);
    expect(f.tractors.tractors[0]?.currentState).toBe('stopped');
    expect(f.station.snapshot().stops).toHaveLength(2);
    f.close();
  });
});

describe('a station restart while a machine is out of reach', () => {
  it('the machine joins the new station once it is back, and its own stop is shown', async () => {
    const world = await WorkflowWorld.start({ tractors: 2, seed: 1 });
    await world.page.command({ type: 'startJob' });
    await world.run(3_000);
    world.fleet.setConnected('sim-02', false);
    await world.run(1_000);
    await world.restartStation();
    await world.run(2_000);
    expect(world.station.snapshot().tractors.map((t) => t.id)).toEqual(['sim-01']);
    world.fleet.setConnected('sim-02', true);
    await world.run(3_000);
    const snapshot = world.station.snapshot();
    expect(snapshot.tractors.map((t) => t.id).sort()).toEqual(['sim-01', 'sim-02']);
    // It stopped itself when the station went silent; the new station shows and holds that.
    expect(snapshot.stops.map((s) => s.scope).sort()).toEqual(['sim-01', 'sim-02']);
    await world.close();
  });
});

describe('a station restart with many stops in force', () => {
  it('hears every machine again: confirmations count before the hellos, and repeats to silent machines slow down', async () => {
    const world = await WorkflowWorld.start({ tractors: 3, seed: 2 });
    await world.page.command({ type: 'startJob' });
    await world.run(3_000);
    for (const id of world.tractorIds) world.fleet.setConnected(id, false);
    for (let i = 0; i < 8; i++) await world.page.command({ type: 'fleetStop' });
    await world.run(1_000);
    await world.restartStation();
    for (const id of world.tractorIds) world.fleet.setConnected(id, true);
    await world.run(5_000);
    const snapshot = world.station.snapshot();
    expect(snapshot.tractors).toHaveLength(3);
    expect(snapshot.stops.every((s) => s.confirmed === s.total && s.total === 3)).toBe(true);
    await world.close();
  });
});
