/**
 * When the station calls the job finished: a machine's 'done' counts at once where the station's
 * record of driven swaths agrees, otherwise only once the machine has kept saying so; a moment of
 * every machine reporting done for a plan it is about to replace (a burst of drags over the CAN
 * link) does not finish a job at 2% of its field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TractorState } from '../../shared/index.js';
import type { LonLat } from '../fleet/index.js';
import { squareField } from '../fleet/test-helpers/fields.js';
import { LocalFleetBus, type TractorPort } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { DONE_SETTLED_MS, everyMachineDone } from './job-finish.js';
import { Station } from './station.js';
import { newTractorRecord } from './tractor-record.js';

const SQUARE = squareField(0.004);
const INSIDE: LonLat = [0.001, 0.001];

const stations: Station[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
});

function report(port: TractorPort, state: TractorState): void {
  port.send({
    kind: 'telemetry',
    position: INSIDE,
    headingDeg: 0,
    speedMps: 0,
    state,
    mode: 'autonomous',
    currentSectionId: null,
    coverage: null,
  });
}

function runningJob(): { station: Station; clock: ManualClock; ports: TractorPort[] } {
  const clock = new ManualClock();
  const bus = new LocalFleetBus({ clock });
  const station = new Station({
    clock,
    port: bus.stationPort(),
    field: SQUARE,
    plan: { swathWidthM: 12 },
    name: 'finish',
    softwareVersion: 'test',
    fleetKey: FleetKey.generate(),
  });
  stations.push(station);
  const ports = ['t1', 't2'].map((id) => bus.tractorPort(id));
  for (const [i, port] of ports.entries())
    port.send({ kind: 'hello', name: `Tractor ${i + 1}`, implementWidthM: 12, workSpeedMps: 3 });
  clock.advance(200);
  for (const port of ports) report(port, 'idle');
  clock.advance(200);
  expect(station.command({ type: 'startJob' })).toMatchObject({ ok: true });
  for (const port of ports) report(port, 'working');
  clock.advance(200);
  return { station, clock, ports };
}

describe('the job finishing', () => {
  it('waits out a moment of every machine reporting done with its work undriven', () => {
    const { station, clock, ports } = runningJob();
    for (const port of ports) report(port, 'done');
    clock.advance(100);
    for (const port of ports) report(port, 'working'); // the new plan reached them
    clock.advance(500);
    expect(station.jobState()).toBe('running');
  });

  it('takes the machines at their word once they have kept saying done', () => {
    const { station, clock, ports } = runningJob();
    for (let t = 0; t < DONE_SETTLED_MS - 200; t += 100) {
      for (const port of ports) report(port, 'done');
      clock.advance(100);
    }
    expect(station.jobState()).toBe('running');
    for (let t = 0; t < 400; t += 100) {
      for (const port of ports) report(port, 'done');
      clock.advance(100);
    }
    expect(station.jobState()).toBe('finished');
  });

  it('takes a done at once where every section the machine holds is driven', () => {
    const machine = (id: string, sinceMs: number | null, state: TractorState = 'done') => ({
      ...newTractorRecord(id, { name: id, implementWidthM: 12, workSpeedMps: 3 }, 0),
      reportedState: state,
      doneSinceMs: sinceMs,
      lastReportMs: 100,
    });
    const driven = new Map([
      ['a', 1],
      ['b', 0.995],
      ['c', 0.4],
    ]);
    const ledger = (holds: Record<string, string[]>) => ({
      sectionIdsOf: (id: string) => holds[id] ?? [],
      drivenShare: (sectionId: string) => driven.get(sectionId) ?? 0,
    });
    const fleet = [machine('t1', 100), machine('t2', 100)];
    expect(everyMachineDone(fleet, ledger({ t1: ['a'], t2: ['b'] }))).toBe(true);
    expect(everyMachineDone(fleet, ledger({ t1: ['a'], t2: ['b', 'c'] }))).toBe(false);
    expect(everyMachineDone([machine('t1', 100, 'working')], ledger({}))).toBe(false);
    expect(everyMachineDone([], ledger({}))).toBe(false);
  });
});
