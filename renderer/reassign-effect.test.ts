import { describe, expect, it } from 'vitest';
import type { StationSnapshot, TractorSnapshot } from '../shared/index.js';
import { reassignEffect } from './reassign-effect.js';

function tractor(
  id: string,
  etaS: number,
  state: TractorSnapshot['state'] = 'working',
): TractorSnapshot {
  return {
    id,
    name: id,
    state,
    mode: 'autonomous',
    position: null,
    headingDeg: 0,
    speedMps: 0,
    implementWidthM: 10,
    workRateHaPerH: 10,
    sectionIds: [],
    currentSectionId: null,
    progress: 0,
    etaS,
    link: { state: 'online', rttMs: null, lossPct: 0, lastHeardAgoMs: 0 },
    stop: { status: 'none', latencyMs: null },
    hold: null,
  };
}

function snapshot(): StationSnapshot {
  const section = (id: string, tractorId: string, doneFraction: number) => ({
    id,
    index: 0,
    polygon: [
      [0, 0],
      [1, 0],
      [1, 1],
    ] as [number, number][],
    donePolygons: [],
    unworked: [],
    areaHa: 1,
    tractorId,
    doneFraction,
  });
  return {
    version: 1,
    station: { name: 's', basemap: null, softwareVersion: 't', uptimeS: 0, seq: 1 },
    job: {
      id: 'j',
      name: 'j',
      state: 'running',
      progress: {
        workedHa: 0,
        overlapHa: 0,
        totalHa: 3,
        fraction: 0,
        etaS: 1000,
        unworkedHa: null,
      },
    },
    field: {
      name: 'f',
      rings: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ],
      headlandLines: [],
      areaHa: 3,
    },
    sections: [section('a', 't1', 0), section('b', 't1', 0.5), section('c', 't2', 0)],
    tractors: [tractor('t1', 1000), tractor('t2', 400), tractor('t3', 0, 'comm-lost')],
    stops: [],
    alerts: [],
    zones: [],
    modeChange: null,
  };
}

describe('reassign effect', () => {
  it('adds the remaining work of the moved sections to the receiving tractor', () => {
    const effect = reassignEffect(snapshot(), ['b'], 't2');
    // 0.5 ha left at 10 ha/h = 180 s, plus one turn allowance of 20 s
    expect(effect.deltaS).toBeCloseTo(200);
    expect(effect.newEtaS).toBeCloseTo(600);
    expect(effect.jobEtaS).toBeCloseTo(800);
  });

  it('ignores sections the tractor already holds', () => {
    expect(reassignEffect(snapshot(), ['c'], 't2').deltaS).toBe(0);
  });

  it('says a tractor out of contact cannot take work', () => {
    expect(reassignEffect(snapshot(), ['a'], 't3')).toMatchObject({
      canTake: false,
      reason: 'out of contact',
    });
  });
});
