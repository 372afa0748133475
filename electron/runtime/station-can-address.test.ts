/**
 * The station's own CAN address is visible: in the snapshot (`/api/state`), as an event in the
 * Events tab and the audit log for every change, and as a gauge on /metrics.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FIELD_PATH } from './app-paths.js';
import { encodeName, nameToBytes, PGN, toCanFrame } from '../isobus/index.js';
import { AuditLog } from '../safety/index.js';
import { StationMetrics } from '../server/index.js';
import { createSimulatedStation } from './simulation.js';
import { loadField } from './station.js';
import { ManualClock } from '../time/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A NAME that is not self-configurable beats every (self-configurable) NAME of the fleet. */
const contenderName = encodeName({
  identityNumber: 5,
  manufacturerCode: 69,
  ecuInstance: 0,
  functionInstance: 0,
  function: 25,
  deviceClass: 0,
  deviceClassInstance: 0,
  industryGroup: 2,
  selfConfigurable: false,
});

describe("the station's CAN address", () => {
  it('is in the snapshot, the Events tab, the audit log and /metrics, and so is every change', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 0, 5, 9));
    const dir = mkdtempSync(join(tmpdir(), 'headland-can-address-'));
    dirs.push(dir);
    const audit = AuditLog.open(join(dir, 'audit.log'), () => clock.wallNow()).log;
    const sim = createSimulatedStation({
      clock,
      field: await loadField(DEMO_FIELD_PATH),
      simCount: 1,
      link: 'can',
      audit,
    });
    const run = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 5) {
        clock.advance(5);
        await Promise.resolve();
      }
    };
    const fleet = sim.fleet!;
    const metrics = new StationMetrics({
      tractors: () => 0,
      stopsActive: () => 0,
      fleetMessages: () => 0,
      canAddress: () => fleet.stationNode.address ?? null,
    });
    const gauge = async (): Promise<string | undefined> =>
      (await metrics.text()).split('\n').find((l) => l.startsWith('headland_can_address '));
    expect(sim.station.snapshot().station.canAddress).toBeNull();
    expect(await gauge()).toBe('headland_can_address 254');

    await run(2_000);
    expect(sim.station.snapshot().station.canAddress).toBe(0x20);
    expect(await gauge()).toBe('headland_can_address 32');
    const first = sim.station.snapshot().alerts;
    expect(first).toEqual([
      expect.objectContaining({
        severity: 'info',
        source: 'can',
        message: 'Station claimed CAN address 0x20',
        acknowledged: true, // for the record: nothing for the operator to do
      }),
    ]);

    // A higher-priority NAME takes 0x20.
    const intruder = sim.canBus!.createNode('intruder');
    await intruder.open();
    intruder.send(
      toCanFrame({
        priority: 6,
        pgn: PGN.ADDRESS_CLAIMED,
        source: 0x20,
        destination: 0xff,
        data: nameToBytes(contenderName),
      }),
    );
    await run(1_000);
    const moved = sim.station.snapshot().station.canAddress!;
    expect(moved).not.toBe(0x20);
    expect(moved).toBeGreaterThanOrEqual(0x80);
    const hex = moved.toString(16).toUpperCase();
    expect(await gauge()).toBe(`headland_can_address ${moved}`);
    expect(sim.station.snapshot().alerts.at(-1)).toMatchObject({
      severity: 'warning',
      source: 'can',
      message: `Station CAN address moved 0x20 → 0x${hex}: a higher-priority NAME claimed 0x20`,
      acknowledged: false,
    });
    sim.close();
    const entries = readFileSync(join(dir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; actor: string; detail: string });
    expect(entries.filter((e) => e.actor === 'can').map((e) => [e.kind, e.detail])).toEqual([
      ['alert', 'info: Station claimed CAN address 0x20'],
      [
        'alert',
        `warning: Station CAN address moved 0x20 → 0x${hex}: a higher-priority NAME claimed 0x20`,
      ],
    ]);
  });
});
