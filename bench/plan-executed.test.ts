import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFields, validateField, type ValidField } from '../electron/fleet/index.js';
import { demoField } from '../electron/sim/test-helpers/demo-fleet.js';
import { ETA_POINTS, executeJob, executedResults, type ExecutedRun } from './plan-executed.js';

describe('executed plans', () => {
  it('works the demo field to the end with three tractors and never beats the lower bound', () => {
    const run = executeJob(demoField(), 3);
    expect(run.capped).toBe(false);
    expect(run.fraction).toBeGreaterThan(0.95);
    expect(run.plannedS).toBeGreaterThanOrEqual(run.lowerBoundS);
    expect(run.executedS).toBeGreaterThanOrEqual(run.lowerBoundS);
    expect(run.idleShares).toHaveLength(3);
    for (const share of run.idleShares) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThan(1);
    }
    expect(run.etaErrorPct.length + run.etaMissing).toBe(ETA_POINTS.length);
    for (const err of run.etaErrorPct) expect(Number.isFinite(err)).toBe(true);
    // The signed errors, one per point, are the same errors with their sign.
    expect(run.etaSignedPct).toHaveLength(ETA_POINTS.length);
    expect(run.etaSignedPct.filter((e) => e !== null).map(Math.abs)).toEqual(run.etaErrorPct);
  });

  it('works Pond field to the end with five tractors (two at work met head-on by the pond)', async () => {
    // A swath's last metres run onto the headland pass round the pond that another machine works
    // the other way: the guard held both, and they stood for good at 96% done.
    const run = executeJob(await pondField(), 5);
    expect(run.capped).toBe(false);
    expect(run.executedS / run.plannedS).toBeLessThan(1.1);
  }, 120_000);

  it('reports the mean and worst runs by field and fleet', () => {
    const base = {
      lowerBoundS: 90,
      capped: false,
      fraction: 0.97,
      etaMissing: 0,
    };
    const runs: ExecutedRun[] = [
      {
        ...base,
        field: 'A',
        tractors: 2,
        plannedS: 100,
        executedS: 110,
        idleShares: [0.01, 0.02],
        etaErrorPct: [1, 2, 3],
        etaSignedPct: [1, -2, 3],
      },
      {
        ...base,
        field: 'B',
        tractors: 5,
        plannedS: 100,
        executedS: 130,
        idleShares: [0.3, 0],
        etaErrorPct: [40, 5, 6],
        etaSignedPct: [-40, 5, 6],
        capped: true,
      },
    ];
    const byName = new Map(executedResults(runs).map((r) => [r.name, r]));
    expect(byName.get('plan.executed_vs_planned_ratio_mean')?.value).toBe(1.2);
    expect(byName.get('plan.executed_vs_planned_ratio_max')?.conditions.worst).toBe('B × 5');
    expect(byName.get('plan.executed_vs_lb_ratio_max')?.value).toBe(1.4444);
    expect(byName.get('plan.idle_share_max')?.value).toBe(30);
    expect(byName.get('plan.eta_error_pct_p95')?.value).toBe(40);
    expect(byName.get('plan.eta_error_pct_p95')?.conditions.capped).toBe(1);
    expect(byName.get('plan.idle_share_max')?.conditions.fleets).toBe('2/5');
    // Run B was capped: the finished-only figures are run A's.
    expect(byName.get('plan.executed_vs_planned_ratio_max')?.conditions.finishedRunsOnly).toBe(1.1);
    expect(byName.get('plan.idle_share_max')?.conditions.finishedRunsOnly).toBe(2);
    expect(byName.get('plan.eta_error_pct_p95')?.conditions.finishedRunsOnly).toBe(3);
  });
});

async function pondField(): Promise<ValidField> {
  const path = join(import.meta.dirname, '..', 'assets', 'fields', 'pond-field.geojson');
  const imported = await importFields(path);
  const first = imported.ok ? imported.value.fields[0] : undefined;
  if (!first) throw new Error(`cannot read ${path}`);
  const valid = validateField(first.geometry);
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}
