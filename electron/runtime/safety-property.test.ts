/**
 * The safety property on the real fleet link, whatever the faults: after a fleet stop no
 * simulated tractor moves again until a release. fast-check draws random loss (0–30%), burst
 * loss, a partition of one tractor around the stop, and the timing; every run is on a
 * ManualClock with seeded faults, so a counterexample replays exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../shared/index.js';
import { canFleet, movingIds, type CanFleet } from './test-helpers/can-fleet.js';

interface Faults {
  workMs: number;
  loss: number;
  burst: { enter: number; exit: number } | null;
  partition: { tractor: number; startMs: number; durationMs: number } | null;
  holdMs: number;
}

const TRACTORS = 4;
/** Every tractor is stopped this long after the stop: by the e-stop, or by the station's silence. */
const ALL_STOPPED_MS = 1_000;

const faults: fc.Arbitrary<Faults> = fc.record({
  workMs: fc.integer({ min: 0, max: 3_000 }),
  loss: fc.double({ min: 0, max: 0.3, noNaN: true }),
  burst: fc.option(
    fc.record({
      enter: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      exit: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
    }),
  ),
  partition: fc.option(
    fc.record({
      tractor: fc.integer({ min: 1, max: TRACTORS }),
      startMs: fc.integer({ min: -500, max: 500 }),
      durationMs: fc.integer({ min: 0, max: 2_000 }),
    }),
  ),
  holdMs: fc.integer({ min: 1_500, max: 3_000 }),
});

/** Runs one scenario; returns a description of the first violation, or null. */
async function scenario(f: CanFleet, x: Faults): Promise<string | null> {
  await f.run(x.workMs, 10);
  f.bus.configureFaults({
    lossProbability: x.loss,
    burstEnterProbability: x.burst?.enter ?? 0,
    burstExitProbability: x.burst?.exit ?? 1,
  });
  const cutId = x.partition ? `sim-0${x.partition.tractor}` : null;
  const cutFrom = x.partition?.startMs ?? 0;
  const cutUntil = cutFrom + (x.partition?.durationMs ?? 0);
  if (cutId && cutFrom < 0) {
    f.fleet.setConnected(cutId, false);
    await f.run(-cutFrom, 10);
  }
  const stop = f.station.command({ type: 'fleetStop' });
  if (!stop.ok) return `fleetStop refused: ${stop.error.message}`;
  const frozen = new Map<string, LonLat>();
  for (let t = 0; t < x.holdMs; t += 5) {
    if (cutId && t === Math.max(0, cutFrom)) f.fleet.setConnected(cutId, false);
    if (cutId && t === Math.max(0, cutUntil)) f.fleet.setConnected(cutId, true);
    await f.run(5, 5);
    for (const tractor of f.tractors.tractors) {
      const at = frozen.get(tractor.id);
      if (at === undefined) {
        if (tractor.currentState === 'stopped') frozen.set(tractor.id, tractor.currentPosition);
        else if (t >= ALL_STOPPED_MS) return `${tractor.id} not stopped ${t} ms after the stop`;
        continue;
      }
      if (tractor.currentState !== 'stopped') return `${tractor.id} left 'stopped' at ${t} ms`;
      if (tractor.currentSpeedMps > 0) return `${tractor.id} has speed at ${t} ms`;
      const now = tractor.currentPosition;
      if (now[0] !== at[0] || now[1] !== at[1]) return `${tractor.id} moved at ${t} ms`;
    }
  }
  // Heal everything; once every stop is confirmed, release all: machines end paused, unmoved.
  if (cutId) f.fleet.setConnected(cutId, true);
  f.bus.configureFaults({ lossProbability: 0, burstEnterProbability: 0 });
  const released = await f.runUntil(
    () => {
      for (const s of f.station.snapshot().stops)
        if (s.confirmed === s.total) f.station.command({ type: 'release', stopId: s.id });
      return f.station.activeStopCount() === 0;
    },
    5_000,
    20,
  );
  if (!released) return 'the stops could not all be released';
  await f.run(1_000, 10);
  for (const tractor of f.tractors.tractors) {
    if (tractor.currentState !== 'paused') return `${tractor.id} is ${tractor.currentState}`;
    const at = frozen.get(tractor.id);
    const now = tractor.currentPosition;
    if (!at || now[0] !== at[0] || now[1] !== at[1]) return `${tractor.id} moved on release`;
  }
  return null;
}

describe('the stop property', () => {
  it('after a fleet stop no tractor moves until a release, whatever the faults', async () => {
    await fc.assert(
      fc.asyncProperty(faults, async (x) => {
        const f = await canFleet(TRACTORS);
        try {
          expect(f.station.command({ type: 'startJob' }).ok).toBe(true);
          await f.runUntil(() => movingIds(f.tractors).length === TRACTORS, 20_000, 10);
          expect(await scenario(f, x)).toBeNull();
        } finally {
          f.close();
        }
      }),
      { numRuns: 12, seed: 8, endOnFailure: true },
    );
  }, 120_000);
});
