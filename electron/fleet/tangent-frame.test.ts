import { describe, expect, it } from 'vitest';
import { geodesicAreaM2 } from './geodesic-area.js';
import { TangentFrame } from './tangent-frame.js';
import { polygonArea } from './polygon.js';
import { fieldFromLocal, rectRing } from './test-helpers/fields.js';
import { validateField } from './validate-field.js';

describe('TangentFrame', () => {
  it('round-trips lon/lat through local metres to well under a millimetre', () => {
    const frame = new TangentFrame({ lon: -93.6, lat: 41.9 });
    for (const p of [
      [-93.61, 41.905],
      [-93.58, 41.88],
      [-93.6, 41.9],
    ] as [number, number][]) {
      const back = frame.toLonLat(frame.toLocal(p));
      expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-9);
      expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-9);
    }
  });

  it('measures a known distance: 0.01° of latitude at 52.4° N is about 1113 m', () => {
    const frame = new TangentFrame({ lon: 9.75, lat: 52.4 });
    const [x, y] = frame.toLocal([9.75, 52.41]);
    expect(Math.abs(x)).toBeLessThan(1e-6);
    expect(y).toBeGreaterThan(1112);
    expect(y).toBeLessThan(1114);
  });

  it.each([
    ['Iowa', -93.6, 41.9],
    ['Saxony', 9.75, 52.4],
    ['Argentina', -61.2, -33.1],
    ['Finland', 25.5, 65.0],
  ])('gives areas within 0.1%% of the geodesic area (%s)', (_name, lon, lat) => {
    const field = fieldFromLocal(
      'f',
      [rectRing(-800, -500, 900, 600), rectRing(-100, -100, 100, 50).reverse()],
      { lon, lat },
    );
    const valid = validateField(field);
    if (!valid.ok) throw valid.error;
    const geo = geodesicAreaM2(valid.value.geometry.boundary);
    expect(Math.abs(valid.value.areaM2 - geo) / geo).toBeLessThan(0.001);
    expect(Math.abs(polygonArea(valid.value.local) - geo) / geo).toBeLessThan(0.001);
  });
});
