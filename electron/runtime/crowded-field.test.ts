/**
 * Many machines on a small field: the zone guard holds them apart and the machines find their way
 * round each other, so the job finishes without a separation stop (a stop needs the operator) and
 * without two machines waiting on each other for good.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFields, validateField, type ValidField } from '../fleet/index.js';
import { createSimulatedStation } from './simulation.js';
import { ManualClock } from '../time/index.js';

const PADDOCK = join(import.meta.dirname, '..', '..', 'assets', 'fields', 'small-paddock.geojson');
const STEP_MS = 100;

async function paddock(): Promise<ValidField> {
  const imported = await importFields(PADDOCK);
  const first = imported.ok ? imported.value.fields[0] : undefined;
  if (!first) throw new Error('the paddock file did not import');
  const valid = validateField(first.geometry);
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}

describe('a crowded field', () => {
  it('twelve machines finish a 2.5 ha paddock with no separation stop and no standoff', async () => {
    const clock = new ManualClock();
    const sim = createSimulatedStation({
      clock,
      field: await paddock(),
      simCount: 12,
      link: 'local',
      name: 'crowded',
    });
    try {
      const { station } = sim;
      for (let t = 0; t < 10_000 && station.tractorCount() < 12; t += STEP_MS)
        clock.advance(STEP_MS);
      expect(station.command({ type: 'startJob' }, 'test').ok).toBe(true);
      const plannedS = station.allocation()?.makespanS ?? 0;
      expect(plannedS).toBeGreaterThan(0);
      const limitMs = plannedS * 1000 * 4;
      const startedAt = clock.now();
      const stopped = new Set<string>();
      while (station.jobState() !== 'finished' && clock.now() - startedAt < limitMs) {
        clock.advance(STEP_MS);
        for (const t of station.snapshot().tractors) if (t.state === 'stopped') stopped.add(t.id);
      }
      expect([...stopped]).toEqual([]);
      const holds = station
        .snapshot()
        .tractors.filter((t) => t.hold)
        .map((t) => `${t.id}: ${t.hold?.reason}`);
      expect({ state: station.jobState(), holds }).toEqual({ state: 'finished', holds: [] });
    } finally {
      sim.close();
    }
  });
});
