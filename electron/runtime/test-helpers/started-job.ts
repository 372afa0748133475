import type { ManualClock } from '../../time/index.js';
import type { SimulatedStation } from '../simulation.js';

/**
 * Waits (on the manual clock, in `stepMs` steps, at most 10 s) until all `count` simulated
 * machines have joined, gives them a second more, starts the job and returns its planned
 * makespan in seconds.
 */
export function startedJob(
  sim: SimulatedStation,
  clock: ManualClock,
  count: number,
  stepMs: number,
): number {
  const { station } = sim;
  for (let t = 0; t < 10_000 && station.tractorCount() < count; t += stepMs) clock.advance(stepMs);
  clock.advance(1_000);
  if (!station.command({ type: 'startJob' }, 'test').ok) throw new Error('start refused');
  return station.allocation()?.makespanS ?? 0;
}
