import { afterEach, describe, expect, it } from 'vitest';
import { eventually as until, killStartedClis } from './test-helpers/cli-process.js';
import { startApartStation } from './test-helpers/apart-station.js';

afterEach(killStartedClis);

describe('station and simulated fleet in separate processes over socketcand', () => {
  it('remote tractors claim addresses, join, take work, stop, are released to paused and resume', async () => {
    const apart = await startApartStation(1, 2);
    const { command, state } = apart;
    const joined = await apart.state();
    expect(joined.tractors.map((t) => t.name).sort()).toEqual([
      'Remote 1',
      'Remote 2',
      'Tractor 1',
    ]);
    // On a loaded machine a link can read 'degraded' for a moment after its hello.
    const online = await until(state, (s) => s.tractors.every((t) => t.link.state === 'online'));
    expect(online.tractors.map((t) => t.link.state)).toEqual(['online', 'online', 'online']);

    expect(await command({ type: 'fleetStop' })).toMatchObject({ ok: true });
    // /api/state is the snapshot of the current tick: the confirmations may show a tick before
    // every machine's own report of its halt.
    const stopped = await until(
      () => state(),
      (s) => s.stops[0]?.confirmed === 3 && s.tractors.every((t) => t.state === 'stopped'),
    );
    expect(stopped.stops[0]).toMatchObject({ confirmed: 3, total: 3 });
    expect(stopped.tractors.every((t) => t.state === 'stopped')).toBe(true);

    // The release is authenticated for the id the station knows each machine by: a remote
    // machine verifies it for that id too, so every machine is released, none refuses.
    expect(await command({ type: 'release', stopId: stopped.stops[0]!.id })).toMatchObject({
      ok: true,
    });
    const released = await until(
      () => state(),
      (s) => s.stops.length === 0 && s.tractors.every((t) => t.state === 'paused'),
    );
    expect(released.stops).toEqual([]);
    expect(released.tractors.map((t) => t.state)).toEqual(['paused', 'paused', 'paused']);
    expect(released.alerts.filter((a) => a.message.includes('refused'))).toEqual([]);

    expect(await command({ type: 'resumeJob' })).toMatchObject({ ok: true });
    const moving = await until(
      () => state(),
      (s) => s.tractors.every((t) => t.state === 'working' || t.state === 'turning'),
    );
    expect(moving.tractors.every((t) => t.state === 'working' || t.state === 'turning')).toBe(true);

    // STOP ALL, then one remote machine released and resumed while the fleet stop holds the
    // others: the stop's repeats never stop it again, and no machine is said to stop itself.
    expect(await command({ type: 'fleetStop' })).toMatchObject({ ok: true });
    const held = await until(
      () => state(),
      (s) => s.stops[0]?.confirmed === 3 && s.tractors.every((t) => t.state === 'stopped'),
    );
    const remote = held.tractors.find((t) => t.name === 'Remote 1')!;
    expect(await command({ type: 'release', tractorIds: [remote.id] })).toMatchObject({ ok: true });
    await until(
      () => state(),
      (s) => s.tractors.find((t) => t.id === remote.id)?.state === 'paused',
    );
    expect(await command({ type: 'resumeTractor', tractorId: remote.id })).toMatchObject({
      ok: true,
    });
    const partly = await until(
      () => state(),
      (s) =>
        ['working', 'turning'].includes(s.tractors.find((t) => t.id === remote.id)?.state ?? ''),
    );
    expect(partly.stops).toMatchObject([{ total: 2, confirmed: 2 }]);
    // Three keep-alives of the fleet stop later it still works, and the others still stand.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const later = await state();
    apart.close();
    expect(['working', 'turning']).toContain(later.tractors.find((t) => t.id === remote.id)?.state);
    expect(later.tractors.filter((t) => t.id !== remote.id).map((t) => t.state)).toEqual([
      'stopped',
      'stopped',
    ]);
    expect(later.alerts.filter((a) => a.message.includes('stopped itself'))).toEqual([]);
  }, 120_000);
});
