import { describe, expect, it } from 'vitest';
import type { SwathSegment } from '../sync/index.js';
import { writeCsv } from './csv-writer.js';
import { computeFigures } from './job-figures.js';
import type { JobData } from './job-reader.js';
import { FIELD_LOCAL, FRAME, ORIGIN, lane, standardCoverage } from './test-helpers/job-folder.js';

function job(coverage: Record<string, SwathSegment[]>): JobData {
  const lonLat = (ring: [number, number][]) => ring.map((p) => FRAME.toLonLat(p));
  return {
    jobId: 'j',
    name: 'j',
    createdAtMs: 0,
    state: 'running',
    fieldName: 'f',
    frameOrigin: ORIGIN,
    field: FIELD_LOCAL.map(lonLat),
    sections: [
      {
        id: 'A',
        name: 'A',
        polygon: [
          lonLat([
            [0, 0],
            [400, 0],
            [400, 100],
            [0, 100],
            [0, 0],
          ]),
        ],
        areaM2: 40_000,
        tractorId: 't1',
      },
    ],
    coverage,
    tractorNames: new Map(),
    refillStops: [],
    warnings: [],
  };
}

describe('computeFigures', () => {
  it('counts the exact unique and overlap area per tractor, per section and per pass', () => {
    const std = standardCoverage();
    const f = computeFigures(job(std.coverage));
    expect(f.uniqueM2).toBeCloseTo(std.uniqueM2, -1);
    expect(f.overlapM2).toBeCloseTo(std.overlapM2, -1);
    expect(f.tractors['t2']?.overlapM2).toBeCloseTo(1200, -1);
    expect(f.tractors['t1']?.passes).toBe(6);
    // Section A is y < 100: every lane but the one across the hole.
    expect(f.sections['A']?.uniqueM2).toBeCloseTo(std.uniqueM2 - 180 * 6, -1);
    const sum = f.passes.reduce((n, p) => n + p.uniqueM2, 0);
    expect(sum).toBeCloseTo(f.uniqueM2, 6);
  });

  it('counts a pass in every section it runs through, not only the one holding its middle', () => {
    // One straight 300 m pass along y = 30 across section A (x < 400) split into three 100 m
    // sections: each was worked by it, so each counts one pass.
    const lonLat = (ring: [number, number][]) => ring.map((p) => FRAME.toLonLat(p));
    const third = (x0: number, id: string) => ({
      id,
      name: id,
      polygon: [
        lonLat([
          [x0, 0],
          [x0 + 100, 0],
          [x0 + 100, 100],
          [x0, 100],
          [x0, 0],
        ]),
      ],
      areaM2: 10_000,
      tractorId: 't1',
    });
    const segments: SwathSegment[] = [];
    for (let m = 0; m < 300; m += 10)
      segments.push({
        tMs: m * 100,
        durationMs: 1000,
        x0M: 20 + m,
        y0M: 30,
        x1M: 30 + m,
        y1M: 30,
        widthM: 6,
      });
    const f = computeFigures({
      ...job({ t1: segments }),
      sections: [third(0, 'S1'), third(100, 'S2'), third(200, 'S3')],
    });
    expect(f.passes).toHaveLength(1);
    expect([f.sections['S1']?.passes, f.sections['S2']?.passes, f.sections['S3']?.passes]).toEqual([
      1, 1, 1,
    ]);
  });

  it('names sections in the CSV as operators read them (S12, not S0012)', () => {
    const lonLat = (ring: [number, number][]) => ring.map((p) => FRAME.toLonLat(p));
    const data = {
      ...job({}),
      sections: [
        {
          id: 'S0012',
          name: 'S0012',
          polygon: [
            lonLat([
              [0, 0],
              [100, 0],
              [100, 100],
              [0, 0],
            ]),
          ],
          areaM2: 5_000,
          tractorId: 't1',
        },
      ],
    };
    const csv = writeCsv(data, computeFigures(data));
    expect(csv).toContain('\r\nsection,S12,t1,');
    expect(csv).not.toContain('S0012');
  });

  it('counts no overlap for a straight pass logged as short segments rounded to centimetres', () => {
    // 0.39 m steps along a slanted line, each end rounded as the coverage codec stores it.
    const cm = (v: number): number => Math.round(v * 100) / 100;
    const segments: SwathSegment[] = [];
    for (let m = 0; m < 300; m += 0.39)
      segments.push({
        tMs: m,
        durationMs: 1,
        x0M: cm(20 + m * 0.99),
        y0M: cm(30 + m * 0.1),
        x1M: cm(20 + (m + 0.39) * 0.99),
        y1M: cm(30 + (m + 0.39) * 0.1),
        widthM: 12,
      });
    const f = computeFigures(job({ t1: segments }));
    expect(f.overlapM2).toBeLessThan(1);
    expect(f.passes).toHaveLength(1);
  });

  it('credits ground worked twice to the tractor folded second, whatever the log order', () => {
    const f = computeFigures(job({ t2: lane(50, 0, 200, 0), t1: lane(50, 200, 0, 10_000) }));
    expect(f.tractors['t1']?.overlapM2).toBe(0);
    expect(f.tractors['t2']?.overlapM2).toBeCloseTo(1200, -1);
  });
});
