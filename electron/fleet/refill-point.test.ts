import { describe, expect, it } from 'vitest';
import { TangentFrame } from './tangent-frame.js';
import type { LonLat } from './types.js';
import { REFILL_EDGE_MAX_M, validateRefillPoint } from './refill-point.js';
import { validateField, type ValidField } from './validate-field.js';

/** A 200 m square with its south-west corner at the frame origin's neighbourhood. */
function square(): ValidField {
  const d = 200 / 111_320;
  const valid = validateField({
    name: 'Square',
    boundary: [
      [
        [10, 50],
        [10 + d / Math.cos((50 * Math.PI) / 180), 50],
        [10 + d / Math.cos((50 * Math.PI) / 180), 50 + d],
        [10, 50 + d],
        [10, 50],
      ],
    ],
  });
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}

/** The position `east`, `north` metres from the middle of the square's west edge. */
function offWestEdge(field: ValidField, east: number, north = 0): LonLat {
  const frame = new TangentFrame(field.origin);
  const ring = field.local[0] ?? [];
  const west = Math.min(...ring.map((p) => p[0]));
  const midY = (Math.min(...ring.map((p) => p[1])) + Math.max(...ring.map((p) => p[1]))) / 2;
  return frame.toLonLat([west + east, midY + north]);
}

describe('the refill point', () => {
  it('is taken on the edge, just inside and just outside the field, in local metres', () => {
    const field = square();
    for (const east of [0, 12, -(REFILL_EDGE_MAX_M - 1)]) {
      const r = validateRefillPoint(field, offWestEdge(field, east));
      expect(r.ok).toBe(true);
      const ring = field.local[0] ?? [];
      if (r.ok) expect(r.value[0]).toBeCloseTo(Math.min(...ring.map((p) => p[0])) + east, 1);
    }
  });

  it('is refused deep inside the field or far outside it, with the distance named', () => {
    const field = square();
    const inside = validateRefillPoint(field, offWestEdge(field, 100));
    expect(inside.ok).toBe(false);
    if (!inside.ok) expect(inside.error.message).toMatch(/is 100 m from the edge of Square/);
    const outside = validateRefillPoint(field, offWestEdge(field, -45));
    expect(outside.ok).toBe(false);
    if (!outside.ok)
      expect(outside.error.message).toMatch(/45 m from the edge of Square \(at most 30 m\)/);
  });

  it('is refused when it is not a position', () => {
    const r = validateRefillPoint(square(), [Number.NaN, 50]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/not a WGS84 position/);
  });
});
