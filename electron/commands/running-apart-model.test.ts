/**
 * Stop, release and resume against the model with tractors in another process, as real machines
 * run: `headland serve` and `headland sim --can socketcand://…` on the real clock, a random
 * sequence of operator steps over the bridge (fleet and tractor stops, releases of any subset,
 * resumes of the job and of single machines, pauses), the station's state read after each:
 *  I1 a machine held by a stop and standing stays where it stands;
 *  I2 a machine that stands is held by a stop, at most a moment after it stopped (a released
 *     machine stopped again by a repeat of a stop it was released from would stand unheld);
 *  I3 a release frees every machine it names, or is refused naming why;
 *  I4 once every stop is released and the job resumed, every machine with work left moves.
 * The same steps run on the simulated clock in `electron/sim/stop-workflow.test.ts`, thousands
 * of times; here a few dozen on the wire between processes. HEADLAND_APART_SEED replays a run.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationSnapshot } from '../../shared/index.js';
import { eventually, killStartedClis } from './test-helpers/cli-process.js';
import { startApartStation, type ApartStation } from './test-helpers/apart-station.js';

afterEach(killStartedClis);

const STEPS = 24;
const SEED = Number(process.env.HEADLAND_APART_SEED ?? Date.now() % 100_000);
/** Three tractors: one in the station's process, two remote. */
const LOCAL = 1;
const REMOTE = 2;
const TRACTORS = LOCAL + REMOTE;
/** How long after a step the state is read (stop frames, confirmations and reports settle). */
const SETTLE_MS = 600;
/** A machine may stand unheld this long (its stop's confirmation on its way). */
const UNHELD_GRACE_MS = 2_000;

type ApartStep =
  | { kind: 'fleetStop' }
  | { kind: 'tractorStop'; tractor: number }
  | { kind: 'release'; pick: number[] }
  | { kind: 'resumeJob' }
  | { kind: 'resumeTractor'; tractor: number }
  | { kind: 'pauseJob' }
  | { kind: 'wait'; ms: number };

const tractorIndex = fc.nat({ max: TRACTORS - 1 });
const stepArbitrary: fc.Arbitrary<ApartStep> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'fleetStop' as const }) },
  {
    weight: 3,
    arbitrary: tractorIndex.map((tractor) => ({ kind: 'tractorStop' as const, tractor })),
  },
  {
    weight: 4,
    arbitrary: fc
      .uniqueArray(tractorIndex, { minLength: 1, maxLength: TRACTORS })
      .map((pick) => ({ kind: 'release' as const, pick })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'resumeJob' as const }) },
  {
    weight: 2,
    arbitrary: tractorIndex.map((tractor) => ({ kind: 'resumeTractor' as const, tractor })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'pauseJob' as const }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(300, 1_000).map((ms) => ({ kind: 'wait' as const, ms })),
  },
);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const moving = (state: string): boolean => state === 'working' || state === 'turning';

class ApartChecker {
  readonly violations: string[] = [];
  private unheldSince = new Map<string, number>();
  constructor(private readonly at: () => string) {}

  violate(what: string): void {
    this.violations.push(`${this.at()}: ${what}`);
  }

  /** I1 and I2 between two readings of the station's state. */
  check(before: StationSnapshot, after: StationSnapshot, now: number): void {
    for (const t of after.tractors) {
      const was = before.tractors.find((b) => b.id === t.id);
      const heldBoth = was && was.stop.status === 'confirmed' && t.stop.status === 'confirmed';
      if (heldBoth && was.state === 'stopped' && t.state === 'stopped') {
        if (JSON.stringify(was.position) !== JSON.stringify(t.position))
          this.violate(
            `I1: ${t.id} moved while held (${JSON.stringify(was.position)} → ${JSON.stringify(t.position)})`,
          );
      }
      if (t.state === 'stopped' && t.stop.status === 'none') {
        const since = this.unheldSince.get(t.id) ?? now;
        this.unheldSince.set(t.id, since);
        if (now - since > UNHELD_GRACE_MS)
          this.violate(`I2: ${t.id} has stood for ${now - since} ms held by no stop`);
      } else this.unheldSince.delete(t.id);
    }
  }
}

async function apply(
  station: ApartStation,
  step: ApartStep,
  ids: readonly string[],
  checker: ApartChecker,
): Promise<void> {
  switch (step.kind) {
    case 'wait':
      await sleep(step.ms);
      return;
    case 'fleetStop':
    case 'resumeJob':
    case 'pauseJob':
      await station.command({ type: step.kind });
      return;
    case 'tractorStop':
    case 'resumeTractor':
      await station.command({ type: step.kind, tractorId: ids[step.tractor]! });
      return;
    case 'release': {
      const tractorIds = step.pick.map((i) => ids[i]!);
      const result = await station.command({ type: 'release', tractorIds });
      if (!result.ok) {
        // I3: a refusal names each machine it could not release.
        const before = await station.state();
        const unreleasable = tractorIds.filter(
          (id) => before.tractors.find((t) => t.id === id)?.stop.status === 'none',
        );
        for (const id of unreleasable) {
          const name = before.tractors.find((t) => t.id === id)?.name ?? id;
          if (!result.error.message.includes(id) && !result.error.message.includes(name))
            checker.violate(`I3: refusal "${result.error.message}" does not name ${name}`);
        }
        return;
      }
      // I3: each machine it names is held by no stop once the release has gone out.
      const eachFreed = (s: StationSnapshot): boolean =>
        tractorIds.every((id) => s.tractors.find((t) => t.id === id)?.stop.status === 'none');
      if (!eachFreed(await eventually(() => station.state(), eachFreed, 5_000)))
        checker.violate(`I3: release of ${tractorIds.join(', ')} did not free each`);
      return;
    }
  }
}

describe('stop, release and resume with tractors in another process', () => {
  it(`holds I1–I4 over ${STEPS} random steps on the wire (seed ${SEED})`, async () => {
    const [steps] = fc.sample(fc.array(stepArbitrary, { minLength: STEPS, maxLength: STEPS }), {
      numRuns: 1,
      seed: SEED,
    });
    const station = await startApartStation(LOCAL, REMOTE);
    let at = 'start';
    const checker = new ApartChecker(() => at);
    const ids = (await station.state()).tractors.map((t) => t.id).sort();
    let before = await station.state();
    for (const [k, step] of steps!.entries()) {
      at = `step ${k + 1} ${JSON.stringify(step)}`;
      await apply(station, step, ids, checker);
      await sleep(SETTLE_MS);
      const after = await station.state();
      checker.check(before, after, Date.now());
      before = after;
    }

    // I4: release everything that holds a machine, resume the job: every machine with work
    // left moves.
    at = 'liveness';
    const allFree = (s: StationSnapshot): boolean =>
      s.stops.length === 0 && s.tractors.every((t) => t.state !== 'stopped');
    const releasedAll = await eventually(
      async () => {
        const s = await station.state();
        const held = s.tractors.filter((t) => t.stop.status !== 'none').map((t) => t.id);
        if (held.length > 0) await station.command({ type: 'release', tractorIds: held });
        return station.state();
      },
      allFree,
      15_000,
    );
    if (!allFree(releasedAll))
      checker.violate(`stops still in force: ${JSON.stringify((await station.state()).stops)}`);
    else {
      expect(await station.command({ type: 'resumeJob' })).toMatchObject({ ok: true });
      const everyMoves = (s: StationSnapshot): boolean =>
        s.tractors.every(
          (t) =>
            t.sectionIds.length === 0 || t.progress >= 1 || t.state === 'done' || moving(t.state),
        );
      if (!everyMoves(await eventually(() => station.state(), everyMoves, 5_000)))
        checker.violate(
          `I4: not every machine with work left moves: ${(await station.state()).tractors
            .map((t) => `${t.id} ${t.state}`)
            .join(', ')}`,
        );
    }
    station.close();
    expect(checker.violations, `replay with HEADLAND_APART_SEED=${SEED}`).toEqual([]);
  }, 180_000);
});
