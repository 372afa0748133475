import { describe, expect, it } from 'vitest';
import { planField } from './plan-field.js';
import { pointInPolygon } from '../geometry/index.js';
import { fieldFromLocal, rectField, rectRing } from './test-helpers/fields.js';
import type { FieldGeometry } from './types.js';
import { validateField } from './validate-field.js';

function valid(field: FieldGeometry): ReturnType<typeof validateField> & { ok: true } {
  const v = validateField(field);
  if (!v.ok) throw v.error;
  return v;
}

describe('planField', () => {
  const holed = valid(rectField('holed', 500, 300, [rectRing(200, 100, 260, 160)])).value;

  it('splits the whole field into sections: their areas add up to the field area', () => {
    const plan = planField(holed, { swathWidthM: 6, headlandPasses: 2, maxSectionLengthM: 80 });
    const sum = plan.sections.reduce((s, x) => s + x.areaM2, 0);
    expect(Math.abs(sum - holed.areaM2) / holed.areaM2).toBeLessThan(1e-6);
    expect(new Set(plan.sections.map((s) => s.id)).size).toBe(plan.sections.length);
  });

  it('keeps the headland band of passes × width all round, holes included', () => {
    const plan = planField(holed, { swathWidthM: 6, headlandPasses: 2, maxSectionLengthM: 80 });
    const headland = plan.sections
      .filter((s) => s.kind === 'headland')
      .reduce((s, x) => s + x.areaM2, 0);
    // Outer band: perimeter × 12 m minus corners; hole band grows the 60 m square to 84 m (rounded corners).
    const outer = 500 * 300 - 476 * 276;
    const hole = 84 * 84 - 60 * 60 - (4 - Math.PI) * 144;
    expect(headland).toBeGreaterThan((outer + hole) * 0.99);
    expect(headland).toBeLessThan((outer + hole) * 1.01);
  });

  it('cuts swaths at holes: no swath passes over the hole', () => {
    const plan = planField(holed, {
      swathWidthM: 6,
      headlandPasses: 0,
      maxSectionLengthM: 1000,
      workDirectionDeg: 0,
    });
    const hole = [holed.local[1]!];
    const ys = hole[0]!.map((p) => p[1]);
    for (const s of plan.sections)
      for (const sw of s.swaths)
        for (let t = 0.01; t < 1; t += 0.049) {
          const p: [number, number] = [
            sw.start[0] + t * (sw.end[0] - sw.start[0]),
            sw.start[1] + t * (sw.end[1] - sw.start[1]),
          ];
          expect(pointInPolygon(p, hole)).toBe(false);
        }
    const crossing = plan.sections.filter((s) =>
      s.swaths.some((sw) => sw.start[1] > Math.min(...ys) && sw.start[1] < Math.max(...ys)),
    );
    expect(crossing.length).toBeGreaterThan(0);
  });

  it('optimises the work direction along the long side of a long field (fewest turns)', () => {
    const long = valid(rectField('long', 800, 120)).value;
    const plan = planField(long, { swathWidthM: 6, headlandPasses: 1, maxSectionLengthM: 1000 });
    expect(Math.min(plan.workDirectionDeg % 180, 180 - (plan.workDirectionDeg % 180))).toBeLessThan(
      1,
    );
    const across = planField(long, {
      swathWidthM: 6,
      headlandPasses: 1,
      maxSectionLengthM: 1000,
      workDirectionDeg: 90,
    });
    expect(plan.turns).toBeLessThan(across.turns / 4);
  });

  it('follows the operator-given direction', () => {
    const plan = planField(holed, {
      swathWidthM: 6,
      headlandPasses: 1,
      maxSectionLengthM: 100,
      workDirectionDeg: 30,
    });
    const sw = plan.sections.find((s) => s.swaths.length > 0)!.swaths[0]!;
    const deg = (Math.atan2(sw.end[1] - sw.start[1], sw.end[0] - sw.start[0]) * 180) / Math.PI;
    expect(Math.abs((((deg % 180) + 180) % 180) - 30)).toBeLessThan(1e-6);
  });

  it('orders sections as a path: consecutive interior sections are neighbours', () => {
    const odd = valid(
      fieldFromLocal('odd', [
        [
          [0, 0],
          [400, -30],
          [450, 260],
          [120, 330],
          [-20, 200],
        ],
      ]),
    ).value;
    const plan = planField(odd, { swathWidthM: 8, headlandPasses: 1, maxSectionLengthM: 60 });
    const interior = plan.sections.filter((s) => s.kind === 'swath');
    for (let i = 1; i < interior.length; i++) {
      const a = interior[i - 1]!.centroid;
      const b = interior[i]!.centroid;
      expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeLessThan(60 + 2 * 8 + 1);
    }
  });

  it('gives headland sections the pieces of the headland pass lines they hold', () => {
    const plan = planField(holed, { swathWidthM: 6, headlandPasses: 2, maxSectionLengthM: 80 });
    const headland = plan.sections.filter((s) => s.kind === 'headland');
    let total = 0;
    for (const s of headland)
      for (const sw of s.swaths) {
        total += sw.lengthM;
        expect(
          pointInPolygon([(sw.start[0] + sw.end[0]) / 2, (sw.start[1] + sw.end[1]) / 2], s.polygon),
        ).toBe(true);
      }
    // Two passes round the 500 × 300 boundary (at 3 m and 9 m in) and round the 60 m hole.
    const outer = 2 * (494 + 294) + 2 * (482 + 282);
    const hole = 2 * Math.PI * 3 + 4 * 60 + (2 * Math.PI * 9 + 4 * 60);
    expect(total).toBeGreaterThan((outer + hole) * 0.98);
    expect(total).toBeLessThan((outer + hole) * 1.02);
  });

  it('works round a hole cell by cell instead of jumping over it on every row', () => {
    const big = valid(rectField('pond', 400, 300, [rectRing(150, 100, 250, 200)])).value;
    const plan = planField(big, {
      swathWidthM: 6,
      headlandPasses: 1,
      maxSectionLengthM: 60,
      workDirectionDeg: 0,
    });
    const hole = [big.local[1]!];
    const interior = plan.sections.filter((s) => s.kind === 'swath');
    let jumps = 0;
    for (let i = 1; i < interior.length; i++) {
      const a = interior[i - 1]!.centroid;
      const b = interior[i]!.centroid;
      const crosses = [0.25, 0.5, 0.75].some((t) =>
        pointInPolygon([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], hole),
      );
      if (crosses) jumps++;
    }
    // About 20 rows pass the hole; cells leave at most a couple of crossings between cells.
    expect(jumps).toBeLessThanOrEqual(3);
    expect(new Set(interior.map((s) => s.order)).size).toBe(interior.length);
  });

  it('refuses a zero swath width', () => {
    expect(() => planField(holed, { swathWidthM: 0 })).toThrow(/swath width/);
  });
});

describe('planSectionsGeoJson', () => {
  it('gives every section as a closed WGS84 polygon inside the field', async () => {
    const { planSectionsGeoJson } = await import('./plan-geojson.js');
    const v = valid(rectField('g', 200, 100));
    const plan = planField(v.value, { swathWidthM: 10, headlandPasses: 1, maxSectionLengthM: 100 });
    const fc = planSectionsGeoJson(plan) as {
      features: { geometry: { coordinates: [number, number][][] } }[];
    };
    expect(fc.features).toHaveLength(plan.sections.length);
    const ring = fc.features[0]!.geometry.coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    const lons = v.value.geometry.boundary[0]!.map((p) => p[0]);
    for (const p of ring) {
      expect(p[0]).toBeGreaterThanOrEqual(Math.min(...lons) - 1e-9);
      expect(p[0]).toBeLessThanOrEqual(Math.max(...lons) + 1e-9);
    }
  });
});

describe('planField on random fields', () => {
  it('plans star-shaped fields with and without holes, sections covering the field (property)', async () => {
    const { default: fc } = await import('fast-check');
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 1, noNaN: true }), { minLength: 5, maxLength: 24 }),
        fc.double({ min: 60, max: 300, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 3, max: 18, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 180, noNaN: true }),
        (radii, size, hole, width, passes, dir) => {
          const ring = radii.map((r, i): [number, number] => {
            const a = (2 * Math.PI * i) / radii.length;
            return [size * r * Math.cos(a), size * r * Math.sin(a)];
          });
          const holeRing = Array.from({ length: 8 }, (_, i): [number, number] => {
            const a = (-2 * Math.PI * i) / 8;
            return [size * 0.1 * Math.cos(a), size * 0.1 * Math.sin(a)];
          });
          const v = validateField(fieldFromLocal('star', hole ? [ring, holeRing] : [ring]));
          if (!v.ok) return;
          const plan = planField(v.value, {
            swathWidthM: width,
            headlandPasses: passes,
            maxSectionLengthM: 60,
            workDirectionDeg: dir,
          });
          const sum = plan.sections.reduce((s, x) => s + x.areaM2, 0);
          expect(Math.abs(sum - v.value.areaM2) / v.value.areaM2).toBeLessThan(0.005);
        },
      ),
      { numRuns: 25, seed: 9 },
    );
  });
});
