/**
 * Whose stop a stopped machine stands by: a machine that says it is its own (its heartbeat
 * watchdog or a fault) is shown as having stopped itself at once; one that says it stands by the
 * station's stops only is never taken for one that stopped itself, however many of its
 * confirmations are lost; one that says nothing is judged by time, as before.
 */
import { describe, expect, it } from 'vitest';
import type { StationPort, StationToTractor, TractorToStation } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { SIM_PLAN_OPTIONS } from './sim-plan.js';
import { demoField } from './test-helpers/demo-fleet.js';
import { ManualClock } from '../time/index.js';
import { Station } from '../station/index.js';

/** The station's end of a link the test speaks for one machine, `t1`. */
class ScriptedPort implements StationPort {
  readonly sent: StationToTractor[] = [];
  private handler: ((from: string, message: TractorToStation) => void) | null = null;
  send(_to: string, message: StationToTractor): void {
    this.sent.push(message);
  }
  broadcast(message: StationToTractor): void {
    this.sent.push(message);
  }
  withdrawStarts(): void {}
  onMessage(handler: (from: string, message: TractorToStation) => void): () => void {
    this.handler = handler;
    return () => (this.handler = null);
  }
  say(message: TractorToStation): void {
    this.handler?.('t1', message);
  }
}

function report(state: 'working' | 'stopped', ownStop?: boolean): TractorToStation {
  return {
    kind: 'telemetry',
    position: [9.7505, 52.4003],
    headingDeg: 90,
    speedMps: state === 'working' ? 2 : 0,
    state,
    mode: 'autonomous',
    currentSectionId: null,
    coverage: null,
    ...(ownStop === undefined ? {} : { ownStop }),
  };
}

function stationWithOneMachine(): {
  station: Station;
  port: ScriptedPort;
  clock: ManualClock;
  reportFor(ms: number, state: 'working' | 'stopped', ownStop?: boolean): void;
  selfStops(): number;
} {
  const clock = new ManualClock();
  const port = new ScriptedPort();
  const station = new Station({
    clock,
    fleetKey: FleetKey.generate(),
    port,
    field: demoField(),
    plan: SIM_PLAN_OPTIONS,
    name: 'own stop',
    softwareVersion: 'test',
  });
  port.say({ kind: 'hello', name: 'Tractor 1', implementWidthM: 12, workSpeedMps: 3 });
  const reportFor = (ms: number, state: 'working' | 'stopped', ownStop?: boolean): void => {
    for (let t = 0; t < ms; t += 100) {
      port.say(report(state, ownStop));
      clock.advance(100);
    }
  };
  const selfStops = (): number =>
    station.snapshot().alerts.filter((a) => a.message.includes('stopped itself')).length;
  reportFor(1_000, 'working');
  return { station, port, clock, reportFor, selfStops };
}

describe('a stopped machine that says whose stop it stands by', () => {
  it('is never taken for one that stopped itself when it stands by a released stop whose release and confirmations were lost', () => {
    const f = stationWithOneMachine();
    const stop = f.station.command({ type: 'tractorStop', tractorId: 't1' });
    const stopId = stop.ok ? (stop.stopId ?? '') : '';
    f.port.say({ kind: 'stop-confirm', stopId });
    f.reportFor(1_000, 'stopped', false);
    expect(f.station.command({ type: 'release', stopId }).ok).toBe(true);
    // The release never arrives and nothing it says after names the stop: it stands, still
    // saying the station's stop holds it.
    f.reportFor(10_000, 'stopped', false);
    expect(f.selfStops()).toBe(0);
    expect(f.station.snapshot().stops).toEqual([]);
    f.station.close();
  });

  it('is shown as having stopped itself at its first report when it says the stop is its own', () => {
    const f = stationWithOneMachine();
    f.reportFor(100, 'stopped', true);
    expect(f.selfStops()).toBe(1);
    expect(f.station.snapshot().stops.map((s) => s.scope)).toEqual(['t1']);
    f.station.close();
  });

  it('is judged by time when it does not say (older firmware)', () => {
    const f = stationWithOneMachine();
    f.reportFor(1_000, 'stopped');
    expect(f.selfStops()).toBe(0);
    f.reportFor(1_000, 'stopped');
    expect(f.selfStops()).toBe(1);
    f.station.close();
  });
});
