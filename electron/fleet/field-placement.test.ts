import { describe, expect, it } from 'vitest';
import { fieldPlacement, FAR_FROM_FLEET_M } from './field-placement.js';
import type { LonLat } from './types.js';

const square = (lon: number, lat: number): LonLat[] => [
  [lon, lat],
  [lon + 0.002, lat],
  [lon + 0.002, lat + 0.002],
  [lon, lat + 0.002],
];
const FLEET: LonLat[] = [
  [9.93, 52.01],
  [9.931, 52.012],
];

describe('field placement', () => {
  it('accepts a field beside the fleet', () => {
    expect(fieldPlacement(square(9.94, 52.0), FLEET)).toEqual({ kind: 'near' });
  });

  it('questions a field written latitude first, and says the swap would put it by the fleet', () => {
    const placement = fieldPlacement(square(52.0, 9.94), FLEET);
    expect(placement.kind).toBe('far');
    if (placement.kind !== 'far') return;
    expect(placement.distanceM).toBeGreaterThan(1_000_000);
    expect(placement.swappedLooksNear).toBe(true);
  });

  it('questions a field far away that no swap explains, and cannot judge without positions', () => {
    const placement = fieldPlacement(square(2.35, 48.85), FLEET);
    expect(placement).toMatchObject({ kind: 'far', swappedLooksNear: false });
    if (placement.kind === 'far') expect(placement.distanceM).toBeGreaterThan(FAR_FROM_FLEET_M);
    expect(fieldPlacement(square(2.35, 48.85), [])).toEqual({ kind: 'unknown' });
  });
});
