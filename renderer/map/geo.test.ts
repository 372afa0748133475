import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../shared/index.js';
import { implementEnds, offsetMetres } from './geo.js';

/** Haversine distance, metres: an independent check of the offsets. */
function distanceM([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

const FIELD: LonLat = [9.7, 52.4];

describe('implement bar geometry', () => {
  it('offsets by the given metres in both directions', () => {
    expect(distanceM(FIELD, offsetMetres(FIELD, 30, 0))).toBeCloseTo(30, 2);
    expect(distanceM(FIELD, offsetMetres(FIELD, 0, -45))).toBeCloseTo(45, 2);
    expect(offsetMetres(FIELD, 0, 10)[0]).toBe(FIELD[0]);
  });

  it('spans the implement width, centred on the machine', () => {
    const [left, right] = implementEnds(FIELD, 37, 12);
    expect(distanceM(left, right)).toBeCloseTo(12, 2);
    expect(distanceM(FIELD, left)).toBeCloseTo(6, 2);
    expect(distanceM(FIELD, right)).toBeCloseTo(6, 2);
  });

  it('lies east–west when heading north and north–south when heading east', () => {
    const [west, east] = implementEnds(FIELD, 0, 10);
    expect(west[1]).toBeCloseTo(FIELD[1], 9);
    expect(west[0]).toBeLessThan(FIELD[0]);
    expect(east[0]).toBeGreaterThan(FIELD[0]);
    const [north, south] = implementEnds(FIELD, 90, 10);
    expect(north[0]).toBeCloseTo(FIELD[0], 9);
    expect(north[1]).toBeGreaterThan(south[1]);
  });
});
