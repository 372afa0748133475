/**
 * Many machines on a small field: the zone guard holds them apart and the machines find their way
 * round each other, so the job finishes without a separation stop (a stop needs the operator) and
 * without two machines waiting on each other for good.
 */
import { describe, expect, it } from 'vitest';
import type { ValidField } from '../fleet/index.js';
import { assetField } from '../fleet/test-helpers/fields.js';
import { createSimulatedStation } from './simulation.js';
import { ManualClock } from '../time/index.js';

const STEP_MS = 100;

const paddock = (): Promise<ValidField> => assetField('small-paddock.geojson');

/** Runs `count` machines on the paddock to the end (or 4× the planned makespan). */
async function workPaddock(count: number): Promise<{
  state: string;
  stopped: string[];
  holds: string[];
}> {
  const clock = new ManualClock();
  const sim = createSimulatedStation({
    clock,
    field: await paddock(),
    simCount: count,
    link: 'local',
    name: 'crowded',
  });
  try {
    const { station } = sim;
    for (let t = 0; t < 10_000 && station.tractorCount() < count; t += STEP_MS)
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
    const holds = station
      .snapshot()
      .tractors.filter((t) => t.hold)
      .map((t) => `${t.id}: ${t.hold?.reason}`);
    return { state: station.jobState(), stopped: [...stopped], holds };
  } finally {
    sim.close();
  }
}

/** Simulated minutes of a crowded fleet take tens of seconds on a loaded machine. */
const SLOW_TEST_MS = 120_000;

describe('a crowded field', () => {
  it(
    'twelve machines finish a 2.5 ha paddock with no separation stop and no standoff',
    async () => {
      expect(await workPaddock(12)).toEqual({ state: 'finished', stopped: [], holds: [] });
    },
    SLOW_TEST_MS,
  );

  it(
    'fourteen machines finish it too: of two working machines that hold each other, one goes',
    async () => {
      // At 97 s Tractor 1 ends a pass beside Tractor 14's headland pass, driven the other way:
      // each, let go, would pass the other within the buffer, and without a right of way both
      // stood for good (capped at 4× the plan, 93% done).
      expect(await workPaddock(14)).toEqual({ state: 'finished', stopped: [], holds: [] });
    },
    SLOW_TEST_MS,
  );
});
