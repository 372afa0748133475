/**
 * The station never ends itself over a fault: a stop id already in the job document, a job
 * record that cannot be written from the persist timer. Real Station, real files, ManualClock.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TangentFrame, type LonLat } from '../fleet/index.js';
import { squareField } from '../fleet/test-helpers/fields.js';
import { LocalFleetBus } from '../link/index.js';
import { JobStore } from '../records/index.js';
import { FleetKey } from '../safety/index.js';
import { Station } from './station.js';
import { JobDoc } from '../sync/index.js';
import { ManualClock } from '../time/index.js';

const dirs: string[] = [];
const stations: Station[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SQUARE = squareField(0.002);

function stationOnDisk(): { station: Station; clock: ManualClock; dir: string; logged: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'headland-faults-'));
  dirs.push(dir);
  const clock = new ManualClock();
  const bus = new LocalFleetBus({ clock });
  const logged: string[] = [];
  const station = new Station({
    clock,
    port: bus.stationPort(),
    field: SQUARE,
    plan: { swathWidthM: 20 },
    name: 'faults',
    softwareVersion: 'test',
    fleetKey: FleetKey.generate(),
    store: new JobStore(dir),
    syncDir: dir,
    log: (line) => logged.push(line),
  });
  stations.push(station);
  // A tractor that confirms every stop it hears.
  const tractor = bus.tractorPort('t1');
  tractor.onMessage((message) => {
    if (message.kind === 'estop') tractor.send({ kind: 'stop-confirm', stopId: message.stopId });
  });
  tractor.send({ kind: 'hello', name: 'T1', implementWidthM: 20, workSpeedMps: 3 });
  clock.advance(100);
  return { station, clock, dir, logged };
}

describe('a stop id already in the job document', () => {
  it('is recorded under a fresh id; the stop holds and releases as usual', () => {
    const { station, clock } = stationOnDisk();
    const doc = station.jobDocument();
    if (!doc) throw new Error('no job document');
    // Someone wrote records under the ids of every stop of the next 50 ms.
    const intruder = new JobDoc({
      actor: { role: 'station', id: 'intruder' },
      clock,
      doc: doc.doc,
    });
    for (let ms = 0; ms < 50; ms += 1)
      intruder.recordEstop({
        id: `stop-${(clock.wallNow() + ms).toString(36)}-1`,
        scope: 'fleet',
        reason: 'squatting',
      });
    const stop = station.command({ type: 'fleetStop' }, 'anna');
    expect(stop.ok).toBe(true);
    const stopId = stop.ok ? (stop.stopId ?? '') : '';
    expect(station.snapshot().stops.map((s) => s.id)).toEqual([stopId]);
    const ours = doc.snapshot().estops.filter((e) => e.by !== 'intruder');
    expect(ours.map((e) => e.id)).toEqual([`${stopId}.2`]);
    expect(ours[0]?.active).toBe(true);
    // The tractor confirms; the release is recorded against the record the stop was written as.
    clock.advance(200);
    expect(station.command({ type: 'release', stopId }, 'anna').ok).toBe(true);
    expect(doc.snapshot().estops.find((e) => e.id === `${stopId}.2`)?.active).toBe(false);
  });
});

describe('a job record that cannot be written', () => {
  it('from the persist timer is logged and alerted, and the station keeps working', () => {
    const { station, clock, dir, logged } = stationOnDisk();
    // The record's path becomes a folder with something in it: every write of it now fails
    // (as it does when file descriptors run out or the disk is full).
    rmSync(join(dir, 'job.json'), { force: true });
    mkdirSync(join(dir, 'job.json'));
    writeFileSync(join(dir, 'job.json', 'blocker'), 'x');
    expect(station.command({ type: 'startJob' }).ok).toBe(true);
    expect(() => clock.advance(5_000)).not.toThrow();
    expect(logged.some((l) => /job record failed/.test(l))).toBe(true);
    const alerts = station.snapshot().alerts.filter((a) => a.message.includes('job record'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe('critical');
    // Housekeeping still runs: a stop is still issued, sent and repeated.
    const stop = station.command({ type: 'fleetStop' });
    expect(stop.ok).toBe(true);
    clock.advance(1_000);
    expect(station.snapshot().stops).toHaveLength(1);
    expect(station.snapshot().stops[0]?.confirmed).toBe(1);
  });
});

describe('a field file that would stall the station', () => {
  it('a serpentine of 40,000 points is refused with the count named, and the station goes on', async () => {
    const { station, clock } = stationOnDisk();
    const frame = new TangentFrame({ lon: 9.75, lat: 52.4 });
    const ring: LonLat[] = [frame.toLonLat([0, 0])];
    for (let i = 0; i < 10_000; i++) {
      const y = i * 0.2;
      ring.push(
        frame.toLonLat([2_000, y]),
        frame.toLonLat([2_000, y + 0.1]),
        frame.toLonLat([50, y + 0.1]),
        frame.toLonLat([50, y + 0.2]),
      );
    }
    ring.push(frame.toLonLat([0, 2_000]), ring[0] ?? [0, 0]);
    const file = JSON.stringify({ type: 'Polygon', coordinates: [ring] });
    const before = station.jobId;
    const result = await station.execute({
      type: 'openField',
      fileName: 'serpentine.geojson',
      dataBase64: Buffer.from(file).toString('base64'),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(result.ok ? '' : result.error.message).toContain('40,003 points');
    expect(station.jobId).toBe(before);
    clock.advance(1_000);
    expect(station.command({ type: 'fleetStop' }).ok).toBe(true);
  });
});
