/**
 * The safety functions that sit on top of the stop: authenticated release, the
 * autonomy-mode handshake, zones and separation, machine faults and tractor alerts, and the
 * audit log — the station and simulated tractors together on a manual clock.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../shared/index.js';
import type { StationToTractor } from '../link/index.js';
import {
  AuditLog,
  FleetKey,
  RELEASE_REORDER_WINDOW,
  ReleaseSigner,
  readAuditLog,
} from '../safety/index.js';
import { demoFleet } from './test-helpers/demo-fleet.js';

function stoppedFleet(count = 2, audit?: AuditLog) {
  const fleet = demoFleet(count, undefined, undefined, audit);
  fleet.station.command({ type: 'startJob' });
  fleet.run(5_000);
  const stop = fleet.station.command({ type: 'fleetStop' });
  if (!stop.ok || !stop.stopId) throw new Error('no stop');
  fleet.run(300);
  return { fleet, stopId: stop.stopId };
}

/** Everything the station sends to one tractor, as the tractor receives it. */
function tap(fleet: ReturnType<typeof demoFleet>, tractorId: string): StationToTractor[] {
  const seen: StationToTractor[] = [];
  fleet.bus.tractorPort(tractorId).onMessage((m) => seen.push(m));
  return seen;
}

describe('authenticated release', () => {
  it('a release forged without the fleet key leaves the tractor stopped and is reported', () => {
    const { fleet, stopId } = stoppedFleet();
    const forger = new ReleaseSigner(FleetKey.generate(), () => Date.UTC(2030, 0));
    fleet.bus
      .stationPort()
      .send('sim-01', { kind: 'release', stopId, auth: forger.sign('sim-01', stopId) });
    fleet.run(3_000);
    const tractor = fleet.sim.tractor('sim-01');
    expect(tractor?.currentState).toBe('stopped');
    const snapshot = fleet.station.snapshot();
    expect(snapshot.alerts.some((a) => /refused the release .*bad-mac/.test(a.message))).toBe(true);
    fleet.close();
  });

  it('a release delivered twice ends its stop once and draws no refusal and no new stop', () => {
    const { fleet, stopId } = stoppedFleet();
    const seen = tap(fleet, 'sim-01');
    expect(fleet.station.command({ type: 'release', stopId }).ok).toBe(true);
    fleet.run(500);
    const genuine = seen.find((m) => m.kind === 'release');
    if (!genuine) throw new Error('no release sent');
    fleet.bus.stationPort().send('sim-01', genuine);
    fleet.run(2_000);
    expect(fleet.sim.tractor('sim-01')?.currentState).toBe('paused');
    const snapshot = fleet.station.snapshot();
    expect(snapshot.alerts.filter((a) => /refused the release/.test(a.message))).toEqual([]);
    expect(snapshot.stops).toEqual([]);
    fleet.close();
  });

  it('a recorded release played back for a stop that still holds is refused as replayed', () => {
    const { fleet, stopId } = stoppedFleet();
    // A release the station signed that an attacker caught and kept off the air, played back
    // once later releases have moved the tractor's counter on by more than the reorder window.
    const signedThen = new ReleaseSigner(fleet.fleetKey, () => fleet.clock.wallNow());
    const intercepted = signedThen.sign('sim-01', stopId);
    const other = fleet.station.command({ type: 'tractorStop', tractorId: 'sim-01' });
    fleet.run(RELEASE_REORDER_WINDOW + 1_000);
    if (!other.ok || !other.stopId) throw new Error('setup');
    expect(
      fleet.station.command({ type: 'release', stopId: other.stopId, tractorIds: ['sim-01'] }).ok,
    ).toBe(true);
    fleet.run(500);
    fleet.bus.stationPort().send('sim-01', { kind: 'release', stopId, auth: intercepted });
    // The same MAC re-aimed at the stop just released does not verify.
    fleet.bus
      .stationPort()
      .send('sim-01', { kind: 'release', stopId: 'stop-x', auth: intercepted });
    fleet.run(2_000);
    expect(fleet.sim.tractor('sim-01')?.currentState).toBe('stopped');
    const refusals = fleet.station
      .snapshot()
      .alerts.filter((a) => /refused the release/.test(a.message));
    expect(refusals.map((a) => a.message).join(' ')).toMatch(/replayed/);
    expect(refusals.map((a) => a.message).join(' ')).toMatch(/bad-mac/);
    fleet.close();
  });

  it('the station releases only into paused, and the release needs the station', () => {
    const { fleet, stopId } = stoppedFleet(3);
    expect(fleet.station.command({ type: 'release', stopId }).ok).toBe(true);
    fleet.run(1_000);
    expect(fleet.sim.tractors.map((t) => t.currentState)).toEqual(['paused', 'paused', 'paused']);
    fleet.close();
  });
});

describe('autonomy-mode handshake', () => {
  it('switches the whole fleet when every tractor accepts', () => {
    const fleet = demoFleet(3);
    fleet.run(200);
    expect(fleet.station.command({ type: 'setMode', mode: 'supervised' }).ok).toBe(true);
    expect(fleet.station.snapshot().modeChange).toMatchObject({
      mode: 'supervised',
      scope: 'fleet',
    });
    fleet.run(500);
    expect(fleet.sim.tractors.map((t) => t.currentMode)).toEqual([
      'supervised',
      'supervised',
      'supervised',
    ]);
    const snapshot = fleet.station.snapshot();
    expect(snapshot.modeChange).toBeNull();
    expect(snapshot.tractors.every((t) => t.mode === 'supervised')).toBe(true);
    fleet.close();
  });

  it('switches none when one tractor refuses, and says who and why', () => {
    const fleet = demoFleet(3);
    fleet.run(200);
    fleet.sim.tractor('sim-02')?.refuseModeChanges('implement not calibrated');
    fleet.station.command({ type: 'setMode', mode: 'manual' });
    fleet.run(500);
    expect(fleet.sim.tractors.map((t) => t.currentMode)).toEqual([
      'autonomous',
      'autonomous',
      'autonomous',
    ]);
    const alert = fleet.station.snapshot().alerts.at(-1);
    expect(alert?.message).toMatch(
      /cancelled for all: refused by Tractor 2 \(implement not calibrated\)/,
    );
    fleet.close();
  });

  it('switches none when a tractor does not answer (radio cut mid-handshake)', () => {
    const fleet = demoFleet(2);
    fleet.run(200);
    fleet.sim.setRadio('sim-02', false);
    fleet.station.command({ type: 'setMode', mode: 'supervised' });
    fleet.run(3_000);
    expect(fleet.sim.tractor('sim-01')?.currentMode).toBe('autonomous');
    expect(fleet.station.snapshot().alerts.some((a) => /no answer/.test(a.message))).toBe(true);
    fleet.close();
  });

  it('a machine in manual does not drive itself, and autonomy is refused while it is stopped', () => {
    const fleet = demoFleet(1);
    fleet.station.command({ type: 'startJob' });
    fleet.run(3_000);
    fleet.station.command({ type: 'setMode', mode: 'manual' });
    fleet.run(500);
    const tractor = fleet.sim.tractor('sim-01');
    const at = tractor?.currentPosition;
    fleet.run(10_000);
    expect(tractor?.currentPosition).toEqual(at);
    fleet.station.command({ type: 'fleetStop' });
    fleet.run(300);
    fleet.station.command({ type: 'setMode', mode: 'autonomous' });
    fleet.run(500);
    expect(tractor?.currentMode).toBe('manual');
    fleet.close();
  });
});

describe('zones and separation', () => {
  it('holds a working machine before a keep-out zone put in its path; it never enters', () => {
    const fleet = demoFleet(1);
    fleet.station.command({ type: 'startJob' });
    fleet.run(20_000);
    const tractor = fleet.sim.tractor('sim-01');
    const snap = fleet.station.snapshot().tractors[0];
    if (!tractor || !snap?.position) throw new Error('no tractor');
    // A 30 m square 25 m ahead of the machine, across its heading.
    const ahead = offset(snap.position, snap.headingDeg, 40);
    const ring = square(ahead, 15);
    expect(fleet.station.command({ type: 'addZone', name: 'power pole', ring }).ok).toBe(true);
    let held = false;
    for (let i = 0; i < 100; i++) {
      fleet.run(100);
      expect(insideSquare(tractor.currentPosition, ahead, 15)).toBe(false);
      held ||= fleet.station.snapshot().tractors[0]?.hold?.action === 'hold';
    }
    expect(held).toBe(true);
    expect(fleet.station.snapshot().zones.map((z) => z.name)).toContain('power pole');
    fleet.close();
  });

  it('refuses to remove a field obstacle and removes an operator zone', () => {
    const fleet = demoFleet(1);
    const ring: LonLat[] = square([0, 0], 10);
    fleet.station.command({ type: 'addZone', name: 'x', ring });
    const zone = fleet.station.snapshot().zones.find((z) => z.name === 'x');
    expect(fleet.station.command({ type: 'removeZone', zoneId: zone?.id ?? '' }).ok).toBe(true);
    expect(fleet.station.command({ type: 'removeZone', zoneId: zone?.id ?? '' }).ok).toBe(false);
    fleet.close();
  });
});

describe('machine faults and alerts', () => {
  it('a failing machine stops itself, its alert reaches the station, and only a release ends it', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(5_000);
    fleet.sim.tractor('sim-02')?.fail('hydraulic pressure low');
    fleet.run(2_000);
    const snapshot = fleet.station.snapshot();
    expect(
      snapshot.alerts.some(
        (a) => a.source === 'sim-02' && /hydraulic pressure low/.test(a.message),
      ),
    ).toBe(true);
    const stop = snapshot.stops.find((s) => s.scope === 'sim-02');
    expect(stop).toBeDefined();
    expect(fleet.sim.tractor('sim-01')?.currentState).not.toBe('stopped');
    fleet.run(5_000);
    expect(fleet.sim.tractor('sim-02')?.currentState).toBe('stopped');
    expect(fleet.station.command({ type: 'release', stopId: stop?.id ?? '' }).ok).toBe(true);
    fleet.run(1_000);
    expect(fleet.sim.tractor('sim-02')?.currentState).toBe('paused');
    fleet.close();
  });
});

describe('audit log', () => {
  it('records stop, confirmations, release and acknowledgement in a verifiable chain', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'headland-audit-')), 'audit.log');
    const { log } = AuditLog.open(file, () => Date.UTC(2026, 10, 25));
    const { fleet, stopId } = stoppedFleet(2, log);
    fleet.station.command({ type: 'release', stopId });
    fleet.run(500);
    fleet.close();
    const check = readAuditLog(file);
    expect(check.broken).toBeNull();
    const kinds = check.entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'stop')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'confirm')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'release')).toHaveLength(2);
    expect(check.entries.find((e) => e.kind === 'stop')?.actor).toBe('operator');
  });
});

const M_PER_DEG_LAT = 111_320;
function offset(p: LonLat, headingDeg: number, metres: number): LonLat {
  const rad = (headingDeg * Math.PI) / 180;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((p[1] * Math.PI) / 180);
  return [
    p[0] + (Math.sin(rad) * metres) / mPerDegLon,
    p[1] + (Math.cos(rad) * metres) / M_PER_DEG_LAT,
  ];
}
function square(c: LonLat, halfM: number): LonLat[] {
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((c[1] * Math.PI) / 180);
  const dx = halfM / mPerDegLon;
  const dy = halfM / M_PER_DEG_LAT;
  return [
    [c[0] - dx, c[1] - dy],
    [c[0] + dx, c[1] - dy],
    [c[0] + dx, c[1] + dy],
    [c[0] - dx, c[1] + dy],
  ];
}
function insideSquare(p: LonLat, c: LonLat, halfM: number): boolean {
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((c[1] * Math.PI) / 180);
  return (
    Math.abs(p[0] - c[0]) * mPerDegLon < halfM && Math.abs(p[1] - c[1]) * M_PER_DEG_LAT < halfM
  );
}
