import { describe, expect, it } from 'vitest';
import { fieldFromLocal, rectField, rectRing } from './test-helpers/fields.js';
import type { FieldGeometry } from './types.js';
import { validateField } from './validate-field.js';

function problemOf(field: FieldGeometry): string | undefined {
  const r = validateField(field);
  return r.ok ? undefined : r.error.problem;
}

describe('validateField', () => {
  it('accepts a rectangle with a hole and normalises winding (outer CCW, holes CCW reversed)', () => {
    const field = rectField('home', 400, 300, [rectRing(100, 100, 150, 150)]);
    const r = validateField(field);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.areaM2).toBeCloseTo(400 * 300 - 50 * 50, 0);
    expect(r.value.geometry.boundary[0]![0]).toEqual(r.value.geometry.boundary[0]!.at(-1));
  });

  it('refuses an open ring and says which ring', () => {
    const field = rectField('open', 100, 100);
    field.boundary[0]!.pop();
    const r = validateField(field);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.problem).toBe('open-ring');
    expect(r.error.message).toContain('outer ring');
  });

  it('refuses a bow-tie boundary as a self-intersection', () => {
    const field = fieldFromLocal('bowtie', [
      [
        [0, 0],
        [100, 100],
        [100, 0],
        [0, 100],
      ],
    ]);
    expect(problemOf(field)).toBe('self-intersection');
  });

  it('refuses a hole that crosses the boundary', () => {
    expect(problemOf(rectField('x', 100, 100, [rectRing(80, 20, 120, 40)]))).toBe(
      'self-intersection',
    );
  });

  it('refuses a hole outside the field', () => {
    expect(problemOf(rectField('x', 100, 100, [rectRing(200, 20, 220, 40)]))).toBe(
      'hole-outside-boundary',
    );
  });

  it('refuses a spike that folds back on itself', () => {
    const field = fieldFromLocal('spike', [
      [
        [0, 0],
        [100, 0],
        [200, 0],
        [100, 0],
        [100, 100],
      ],
    ]);
    expect(problemOf(field)).toBe('self-intersection');
  });

  it('refuses swapped [lat, lon] order', () => {
    // Swapped European coordinates stay in range; a field west of 90° W shows the swap.
    const iowa = fieldFromLocal('iowa', [rectRing(0, 0, 100, 100)], { lon: -93.6, lat: 41.9 });
    iowa.boundary = iowa.boundary.map((ring) => ring.map(([lon, lat]) => [lat, lon]));
    expect(problemOf(iowa)).toBe('swapped-coordinates');
  });

  it('refuses projected metres', () => {
    const field: FieldGeometry = {
      name: 'utm',
      boundary: [
        [
          [500000, 5800000],
          [500100, 5800000],
          [500100, 5800100],
          [500000, 5800000],
        ],
      ],
    };
    expect(problemOf(field)).toBe('projected-coordinates');
  });

  it('refuses a field of absurd size either way', () => {
    expect(problemOf(rectField('tiny', 5, 5))).toBe('too-small');
    expect(problemOf(rectField('huge', 20000, 20000))).toBe('too-large');
  });

  it('refuses non-numeric coordinates', () => {
    const field = rectField('nan', 100, 100);
    field.boundary[0]![1] = [Number.NaN, 3];
    expect(problemOf(field)).toBe('bad-coordinate');
  });
});
