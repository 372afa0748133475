import { describe, expect, it } from 'vitest';
import { makeFrame } from '../can/index.js';
import { toCanFrame } from '../isobus/index.js';
import { seededRandom } from '../time/index.js';
import { crc8 } from './crc.js';
import { fleetHarness, tagged, tagOfMessage } from './test-helpers/fleet-harness.js';
import { MSG, PGN_FLEET_B_FIRST, PGN_HEARTBEAT, PGN_RELIABLE } from './wire-format.js';

describe('fleet link under adversarial traffic', () => {
  it('delivers exactly once and in order when a faulty bridge repeats frames late (duplicates and reordering)', async () => {
    const h = await fleetHarness({ tractors: 2, seed: 3 });
    const rnd = seededRandom(99);
    const bridge = h.bus.createNode('bridge');
    await bridge.open();
    let echoed = 0;
    bridge.on('frame', (f) => {
      const pf = (f.id >>> 16) & 0xff;
      const fleetFrame =
        pf === 0xef || pf === 0xeb || (pf === 0xff && ((f.id >>> 8) & 0xff) >= 0x40);
      if (!fleetFrame || rnd.next() > 0.3) return;
      echoed++;
      h.clock.setTimer(1 + rnd.next() * 8, () => bridge.send(f));
    });
    const got: number[] = [];
    h.fleet.tractors.get('sim-01')?.link.onReliable((_p, type, body) => {
      if (type === MSG.SYNC_DATA) got.push((body[0] ?? 0) | ((body[1] ?? 0) << 8));
    });
    for (let i = 0; i < 60; i++) {
      h.fleet.station.sendReliable('sim-01', MSG.SYNC_DATA, Uint8Array.of(i, 0));
      h.fleet.stationPort().send('sim-02', tagged(i));
      await h.run(15);
    }
    await h.run(8000);
    expect(echoed).toBeGreaterThan(50);
    expect(got).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect((h.atTractor.get('sim-02') ?? []).map(tagOfMessage)).toEqual(
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(h.fleet.tractors.get('sim-01')?.link.engine.counters.duplicates).toBeGreaterThan(0);
    h.fleet.close();
  });

  it('counts and drops frames of unknown versions, unknown types, unknown PGNs and bad checks', async () => {
    const h = await fleetHarness({ tractors: 1 });
    const rogue = h.bus.createNode('rogue');
    await rogue.open();
    const station = h.fleet.station.address ?? 0;
    const tractor = h.fleet.tractors.get('sim-01');
    const tractorAddress = tractor?.link.address ?? 0;
    const send = (
      pgn: number,
      destination: number,
      content: number[],
      source = tractorAddress,
    ): void => {
      const data = Uint8Array.of(...content, crc8(Uint8Array.from(content)));
      rogue.send(makeFrame(toCanFrame({ priority: 6, pgn, source, destination, data }).id, data));
    };
    send(PGN_RELIABLE, station, [2 << 5, MSG.START, 0, 0, 0]); // version 2
    send(PGN_RELIABLE, station, [1 << 5, 0x7e, 0, 0, 0]); // unknown type
    send(PGN_FLEET_B_FIRST + 0x0e, 0xff, [1 << 5, 1, 2, 3]); // unknown PGN in our block
    rogue.send(
      makeFrame(
        toCanFrame({
          priority: 2,
          pgn: PGN_HEARTBEAT,
          source: tractorAddress,
          destination: 0xff,
          data: Uint8Array.of(0x20, 1, 2, 3, 4, 5, 0),
        }).id,
        Uint8Array.of(0x20, 1, 2, 3, 4, 5, 0),
      ),
    );
    await h.run(20);
    const rejected = h.fleet.station.counters.rejected;
    expect([rejected.version, rejected.type, rejected['unknown-pgn'], rejected.crc]).toEqual([
      1, 1, 1, 1,
    ]);
    expect(h.atStation).toEqual([]);
    h.fleet.close();
  });

  it('keeps coverage: worked intervals reach the station merged, with the current section', async () => {
    const h = await fleetHarness({ tractors: 1 });
    const station = h.fleet.stationPort();
    station.send('sim-01', {
      kind: 'assign',
      sections: [{ id: 'strip-4', start: [10, 50], end: [10, 50.01], widthM: 12, done: [] }],
    });
    await h.run(100);
    const port = h.fleet.tractorPort('sim-01');
    for (let i = 1; i <= 50; i++) {
      port.send({
        kind: 'telemetry',
        position: [10, 50 + i * 1e-6],
        headingDeg: 0,
        speedMps: 4,
        state: 'working',
        mode: 'autonomous',
        currentSectionId: 'strip-4',
        coverage: { sectionId: 'strip-4', fromM: 0, toM: i * 0.4 },
      });
      await h.run(100);
    }
    await h.run(3000);
    const telemetry = h.atStation.flatMap((m) =>
      m.message.kind === 'telemetry' ? [m.message] : [],
    );
    expect(telemetry.length).toBeGreaterThan(40);
    expect(telemetry.at(-1)?.currentSectionId).toBe('strip-4');
    const covered = h.atStation.flatMap((m) =>
      m.message.kind === 'progress' ? [m.message.coverage] : [],
    );
    expect(covered.length).toBeLessThanOrEqual(4); // coalesced: one reliable message per 2 s
    expect(Math.max(...covered.map((c) => c.toM))).toBeCloseTo(20, 5);
    expect(covered.every((c) => c.sectionId === 'strip-4' && c.fromM === 0)).toBe(true);
    h.fleet.close();
  });

  it('forwards work done out of contact as progress, never as a repeat of the last telemetry', async () => {
    const h = await fleetHarness({ tractors: 1 });
    h.fleet.stationPort().send('sim-01', {
      kind: 'assign',
      sections: [{ id: 'strip-4', start: [10, 50], end: [10, 50.01], widthM: 12, done: [] }],
    });
    await h.run(100);
    const port = h.fleet.tractorPort('sim-01');
    const report = (state: 'working' | 'stopped', toM: number, ownStop: boolean): void =>
      port.send({
        kind: 'telemetry',
        position: [10, 50],
        headingDeg: 0,
        speedMps: state === 'working' ? 4 : 0,
        state,
        mode: 'autonomous',
        currentSectionId: 'strip-4',
        coverage: { sectionId: 'strip-4', fromM: 0, toM },
        ownStop,
      });
    h.fleet.setConnected('sim-01', false);
    for (let i = 1; i <= 30; i++) {
      report('working', i * 0.4, false);
      await h.run(100);
    }
    h.fleet.setConnected('sim-01', true);
    // Stopped on its own while away: said once, then nothing more while the backlog drains.
    report('stopped', 12, true);
    await h.run(5000);
    const heard = h.atStation.map((m) => m.message);
    const ownStops = heard.filter((m) => m.kind === 'telemetry' && m.ownStop === true);
    expect(ownStops).toHaveLength(1);
    const progress = heard.flatMap((m) => (m.kind === 'progress' ? [m.coverage.toM] : []));
    expect(Math.max(...progress)).toBeCloseTo(12, 5);
    h.fleet.close();
  });

  it('reports a message expired when its tractor stays away past the TTL', async () => {
    const h = await fleetHarness({ tractors: 1 });
    h.fleet.setConnected('sim-01', false);
    await h.run(1200);
    const outcomes: string[] = [];
    h.fleet.station.onOutcome((o) => outcomes.push(o.outcome));
    h.fleet.station.sendReliable('sim-01', MSG.START, new Uint8Array(), { ttlMs: 2000 });
    await h.run(2500);
    expect(outcomes).toEqual(['expired']);
    h.fleet.setConnected('sim-01', true);
    await h.run(1000);
    expect(h.atTractor.get('sim-01')).toEqual([]);
    h.fleet.close();
  });
});

describe('link metrics', () => {
  it('exposes counters and per-peer link quality as labelled samples', async () => {
    const { fleetLinkMetrics } = await import('./link-metrics.js');
    const h = await fleetHarness({ tractors: 2 });
    h.fleet.station.sendReliable('sim-01', MSG.START, new Uint8Array());
    await h.run(1200);
    const samples = fleetLinkMetrics(h.fleet.station);
    const find = (name: string, labels: Record<string, string>) =>
      samples.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
    expect(find('headland_link_messages_total', { outcome: 'delivered' })).toBe(1);
    expect(find('headland_link_peer_state', { peer: 'sim-02' })).toBe(2);
    expect(find('headland_link_peer_rtt_ms', { peer: 'sim-01' })).toBeGreaterThan(0);
    h.fleet.close();
  });
});

describe('link channel (for the Yjs sync protocol)', () => {
  it('carries large updates in order over TP/ETP and stops delivering once closed', async () => {
    const { linkChannel } = await import('./link-channel.js');
    const h = await fleetHarness({ tractors: 1 });
    const toTractor = linkChannel(h.fleet.station, 'sim-01');
    const atTractor = linkChannel(h.fleet.tractors.get('sim-01')!.link, 'station');
    const got: number[][] = [];
    atTractor.onMessage((b) => got.push([b.length, b[0] ?? -1, b[b.length - 1] ?? -1]));
    const sizes = [1, 40, 1785, 1786, 5000];
    sizes.forEach((n, i) => toTractor.send(new Uint8Array(n).fill(i + 1)));
    await h.run(3000);
    expect(got).toEqual(sizes.map((n, i) => [n, i + 1, i + 1]));
    atTractor.close();
    toTractor.send(Uint8Array.of(9));
    await h.run(200);
    expect(got).toHaveLength(sizes.length);
    h.fleet.close();
  });
});
