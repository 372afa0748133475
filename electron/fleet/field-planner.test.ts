import { afterEach, describe, expect, it } from 'vitest';
import { PlanningError } from './errors.js';
import { ThreadedFieldPlanner } from './field-planner.js';
import { importFields } from './import-fields.js';
import { planField } from './plan-field.js';
import { readFieldFile } from './read-field-file.js';
import { reviseField } from './revise-field.js';
import { validateField, type ValidField } from './validate-field.js';

const PLAN = { swathWidthM: 12, headlandPasses: 2 };
const planners: ThreadedFieldPlanner[] = [];
afterEach(async () => {
  for (const p of planners.splice(0)) await p.close();
});

/** A round field of about 60 ha with `points` boundary points (slightly wavy, as surveyed). */
function roundFieldFile(points: number): Uint8Array {
  const ring: [number, number][] = [];
  for (let i = 0; i < points; i++) {
    const a = (2 * Math.PI * i) / points;
    const r = 0.004 * (1 + 0.01 * Math.sin(a * 7));
    ring.push([10 + r * Math.cos(a) * 1.6, 52 + r * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  const text = JSON.stringify({
    type: 'Feature',
    properties: { name: 'Round' },
    geometry: { type: 'Polygon', coordinates: [ring] },
  });
  return new TextEncoder().encode(text);
}

async function roundField(points: number): Promise<ValidField> {
  const imported = await importFields(roundFieldFile(points));
  if (!imported.ok) throw imported.error;
  const valid = validateField(imported.value.fields[0]!.geometry);
  if (!valid.ok) throw valid.error;
  return valid.value;
}

describe('ThreadedFieldPlanner', () => {
  it('lays out a field as planField does, while this thread keeps running', async () => {
    const field = await roundField(300);
    const planner = new ThreadedFieldPlanner();
    planners.push(planner);
    let last = performance.now();
    let longestGapMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    }, 10);
    const started = performance.now();
    const plan = await planner.plan(field, PLAN);
    const tookMs = performance.now() - started;
    clearInterval(ticker);

    const here = planField(field, PLAN);
    expect(plan.sections.map((s) => [s.id, s.areaM2])).toEqual(
      here.sections.map((s) => [s.id, s.areaM2]),
    );
    // Planned on this thread, the timer would have waited the whole plan.
    expect(tookMs).toBeGreaterThan(300);
    expect(longestGapMs).toBeLessThan(tookMs / 2);
  }, 60_000);

  it('reads a field file as readFieldFile does, and says what is wrong with a bad one', async () => {
    const planner = new ThreadedFieldPlanner();
    planners.push(planner);
    const read = await planner.read(roundFieldFile(120));
    expect(read).toEqual(await readFieldFile(roundFieldFile(120)));
    expect(read.ok && read.value.field.geometry.name).toBe('Round');
    const broken = new TextEncoder().encode('{"type":"Feature"');
    const bad = await planner.read(broken);
    expect(bad.ok).toBe(false);
    expect(bad).toEqual(await readFieldFile(broken));
  });

  it('lays out an edited boundary in the job frame as reviseField does, and answers a bad one', async () => {
    const planner = new ThreadedFieldPlanner();
    planners.push(planner);
    const field = await roundField(120);
    const origin = planField(field, PLAN).origin;
    const revision = {
      boundary: field.geometry,
      origin,
      options: { ...PLAN, workDirectionDeg: 30 },
    };
    const away = await planner.revise(revision);
    const here = reviseField(revision);
    if (!away.ok || !here.ok) throw new Error('the boundary should be usable');
    expect(away.plan.origin).toEqual(origin);
    expect(away.plan.sections.map((s) => [s.id, s.areaM2])).toEqual(
      here.plan.sections.map((s) => [s.id, s.areaM2]),
    );
    expect(away.grid.sectionRows.length).toBe(here.grid.sectionRows.length);
    const ring = field.geometry.boundary[0] ?? [];
    const bad = await planner.revise({
      ...revision,
      boundary: { name: 'x', boundary: [ring.slice(0, 3)] },
    });
    expect(bad).toEqual(
      reviseField({ ...revision, boundary: { name: 'x', boundary: [ring.slice(0, 3)] } }),
    );
    expect(bad.ok).toBe(false);
  }, 60_000);

  it('reports a field that cannot be planned, and gives up on one past its time limit', async () => {
    const planner = new ThreadedFieldPlanner(50);
    planners.push(planner);
    const field = await roundField(300);
    await expect(planner.plan(field, { swathWidthM: -1 })).rejects.toThrow(PlanningError);
    await expect(planner.plan(field, PLAN)).rejects.toThrow(/took longer than 0.05 s/);
    // The thread was ended; the next plan starts a new one.
    const quick = new ThreadedFieldPlanner();
    planners.push(quick);
    const small = await roundField(40);
    expect((await quick.plan(small, PLAN)).sections.length).toBeGreaterThan(0);
  }, 60_000);
});
