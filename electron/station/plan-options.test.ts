import { describe, expect, it } from 'vitest';
import { validateField, type ValidField } from '../fleet/index.js';
import { rectField } from '../fleet/test-helpers/fields.js';
import { FieldWork } from './field-work.js';
import { fieldWorkFromDocument } from './field-source.js';
import { planOptionsFor } from './plan-options.js';

function field(widthM: number, heightM: number): ValidField {
  const v = validateField(rectField('paddock', widthM, heightM));
  if (!v.ok) throw v.error;
  return v.value;
}

describe('plan options for a fleet', () => {
  const paddock = field(240, 120);
  const plan = { swathWidthM: 12, headlandPasses: 0 };

  it('cuts sections for the fleet: about ten per machine', () => {
    // 28 800 m² / (12 m × 10 × 6) = 40 m.
    expect(planOptionsFor(paddock, plan, 6).maxSectionLengthM).toBeCloseTo(40, 6);
    const work = new FieldWork({ field: paddock, plan, operation: 'seeding', fleetSize: 6 });
    // Ten 12 m bands of 240 m, each cut into six 40 m sections.
    expect(work.sections()).toHaveLength(60);
  });

  it('keeps the default for a small fleet and the operator-set length whatever the fleet', () => {
    expect(planOptionsFor(paddock, plan, 1).maxSectionLengthM).toBe(100);
    expect(planOptionsFor(paddock, { ...plan, maxSectionLengthM: 70 }, 6).maxSectionLengthM).toBe(
      70,
    );
    expect(planOptionsFor(paddock, plan, undefined)).toEqual(plan);
    expect(planOptionsFor(paddock, plan, 60).maxSectionLengthM).toBe(36);
  });

  it('lays a job read back from its document out as it was, sections and swaths alike', () => {
    const work = new FieldWork({ field: paddock, plan, operation: 'seeding', fleetSize: 6 });
    const rebuilt = fieldWorkFromDocument(
      {
        name: 'paddock',
        rings: work.fieldRings(),
        origin: [work.plan.origin.lon, work.plan.origin.lat],
        revision: 0,
      },
      { plan, operation: 'seeding', fleetSize: 6 },
    );
    if (!rebuilt.ok) throw new Error(rebuilt.error);
    const ids = (w: FieldWork): string[] =>
      w.sections().flatMap((s) => s.swaths.map((_, k) => `${s.id}.${k}`));
    expect(ids(rebuilt.value)).toEqual(ids(work));
  });
});
