/**
 * The station's zone guard over its records: a machine may still obey a limit a station set
 * before a restart; the first pass that sees it lifts any limit it does not set itself.
 */
import { describe, expect, it } from 'vitest';
import { validateField } from '../fleet/index.js';
import { newTractorRecord, type TractorRecord } from './tractor-record.js';
import { ZONE_CLEAR_MS, ZoneSupervisor } from './zone-supervisor.js';

function working(id: string, position: [number, number]): TractorRecord {
  const t = newTractorRecord(id, { name: id, implementWidthM: 6, workSpeedMps: 3 }, 0);
  return { ...t, position, reportedState: 'working', speedMps: 0 };
}

/** A field of about 300 × 220 m with its south-west corner at `lon`, `lat`. */
function square(lon: number, lat: number): ZoneSupervisor {
  const valid = validateField({
    name: 'square',
    boundary: [
      [
        [lon, lat],
        [lon + 0.0045, lat],
        [lon + 0.0045, lat + 0.002],
        [lon, lat + 0.002],
        [lon, lat],
      ],
    ],
  });
  if (!valid.ok) throw new Error(valid.error.message);
  return new ZoneSupervisor(valid.value);
}

describe('zone supervisor', () => {
  it('says which machines it slows or holds, until they are clear again', () => {
    const [lon, lat] = [9.75, 52.4];
    const supervisor = square(lon, lat);
    // Two machines about 10 m apart, well inside the field, driving at each other: held apart.
    const a = { ...working('sim-01', [lon + 0.0005, lat + 0.0005]), headingDeg: 90 };
    const b = { ...working('sim-02', [lon + 0.00064, lat + 0.0005]), headingDeg: 270 };
    supervisor.assess([a, b], 0);
    expect(supervisor.limits('sim-01') || supervisor.limits('sim-02')).toBe(true);
    // Far apart again: clear once the guard has seen them clear long enough.
    const far = { ...b, position: [lon + 0.003, lat + 0.0015] as [number, number] };
    supervisor.assess([a, far], 100);
    supervisor.assess([a, far], 100 + ZONE_CLEAR_MS);
    expect(supervisor.limits('sim-01')).toBe(false);
    expect(supervisor.limits('sim-02')).toBe(false);
  });

  it('lifts, once, a limit it did not set on a machine it sees for the first time', () => {
    const [lon, lat] = [9.75, 52.4];
    const supervisor = square(lon, lat);
    // Well inside the field and far apart: nothing to hold.
    const a = working('sim-01', [lon + 0.0005, lat + 0.0005]);
    expect(supervisor.assess([a], 0).limits).toEqual([{ tractorId: 'sim-01', maxMps: null }]);
    expect(supervisor.assess([a], 100).limits).toEqual([]);
    const b = working('sim-02', [lon + 0.001, lat + 0.0005]);
    expect(supervisor.assess([a, b], 200).limits).toEqual([{ tractorId: 'sim-02', maxMps: null }]);
  });
});
