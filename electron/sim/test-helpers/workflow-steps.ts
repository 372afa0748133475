/**
 * The operator's and the world's moves in the stop/release/resume model test, as fast-check
 * commands: stops, releases of any subset from any stop (stale ids too), resumes, pauses,
 * drags, radio cuts, frame loss, a station killed and restarted on its data folder, and the
 * page's connection dropping. Each step runs on the WorkflowWorld and is checked by the
 * WorkflowChecker; the sequence ends with the liveness check (I4).
 */
import fc from 'fast-check';
import type { Command } from '../../../shared/index.js';
import { moving, RESUMED_MOVES_WITHIN_MS, type WorkflowChecker } from './workflow-checker.js';
import type { WorkflowWorld } from './workflow-world.js';

export type Step =
  | { kind: 'fleetStop' }
  | { kind: 'tractorStop'; tractor: number }
  | {
      kind: 'release';
      scope: 'machines' | 'stop' | 'stop-machines' | 'all';
      pick: number[];
      stop: number;
    }
  | { kind: 'resumeJob' }
  | { kind: 'pauseJob' }
  | { kind: 'resumeTractor'; tractor: number }
  | { kind: 'drag'; section: number; tractor: number }
  | { kind: 'radio'; tractor: number; connected: boolean }
  | { kind: 'loss'; on: boolean }
  | { kind: 'restart' }
  | { kind: 'page'; connected: boolean }
  | { kind: 'wait'; ms: number };

/** Simulated time after each command before its effects are checked. */
const SETTLE_MS = 100;
/** Longer waits are checked in slices of this. */
const WAIT_SLICE_MS = 250;
const LOSS_PROBABILITY = 0.1;
/**
 * After the radio heals: a rejoin (a claim asked for, a hello), a machine's stop confirmations
 * (every second) and the station's wait before it takes a stop for the machine's own (1.5 s).
 */
const SETTLE_AFTER_HEAL_MS = 3_000;

interface Sequence {
  world: WorkflowWorld;
  checker: WorkflowChecker;
  lossOn: boolean;
  cut: Set<string>;
}

export function stepArbitrary(tractors: number): fc.Arbitrary<Step> {
  const tractor = fc.nat({ max: tractors - 1 });
  const pick = fc.uniqueArray(fc.nat({ max: tractors - 1 }), { minLength: 1, maxLength: tractors });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Step>({ kind: 'fleetStop' }) },
    { weight: 3, arbitrary: tractor.map<Step>((t) => ({ kind: 'tractorStop', tractor: t })) },
    {
      weight: 6,
      arbitrary: fc
        .record({
          scope: fc.constantFrom<'machines' | 'stop' | 'stop-machines' | 'all'>(
            'machines',
            'stop',
            'stop-machines',
            'all',
          ),
          pick,
          stop: fc.nat({ max: 7 }),
        })
        .map<Step>((r) => ({ kind: 'release', ...r })),
    },
    { weight: 3, arbitrary: fc.constant<Step>({ kind: 'resumeJob' }) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'pauseJob' }) },
    { weight: 3, arbitrary: tractor.map<Step>((t) => ({ kind: 'resumeTractor', tractor: t })) },
    {
      weight: 2,
      arbitrary: fc
        .record({ section: fc.nat({ max: 63 }), tractor })
        .map<Step>((r) => ({ kind: 'drag', ...r })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ tractor, connected: fc.boolean() })
        .map<Step>((r) => ({ kind: 'radio', ...r })),
    },
    { weight: 1, arbitrary: fc.boolean().map<Step>((on) => ({ kind: 'loss', on })) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'restart' }) },
    { weight: 1, arbitrary: fc.boolean().map<Step>((connected) => ({ kind: 'page', connected })) },
    {
      weight: 5,
      arbitrary: fc.constantFrom(50, 300, 1_000, 3_000).map<Step>((ms) => ({ kind: 'wait', ms })),
    },
  );
}

export function describeStep(step: Step): string {
  const { kind, ...rest } = step;
  const args = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return args.length > 0 ? `${kind}(${args.join(' ')})` : kind;
}

export async function runSteps(sequence: Sequence, steps: readonly Step[]): Promise<void> {
  for (const step of steps) await runStep(sequence, step);
}

export function newSequence(world: WorkflowWorld, checker: WorkflowChecker): Sequence {
  return { world, checker, lossOn: false, cut: new Set() };
}

async function runStep(seq: Sequence, step: Step): Promise<void> {
  const { world, checker } = seq;
  const ids = world.tractorIds;
  const idOf = (i: number): string => ids[i % ids.length] ?? '';
  const before = checker.begin(describeStep(step));
  const send = (command: Command) => world.page.command(command);
  switch (step.kind) {
    case 'fleetStop':
      checker.issued(await send({ type: 'fleetStop' }), world.station.snapshot());
      break;
    case 'tractorStop':
      checker.issued(
        await send({ type: 'tractorStop', tractorId: idOf(step.tractor) }),
        world.station.snapshot(),
      );
      break;
    case 'release': {
      const request = releaseRequest(step, seq, idOf);
      if (!request) break;
      const snapshot = world.station.snapshot();
      const result = await send({ type: 'release', ...request });
      checker.released(request, snapshot, result, world.station.snapshot());
      break;
    }
    case 'resumeJob':
      await send({ type: 'resumeJob' });
      break;
    case 'pauseJob':
      await send({ type: 'pauseJob' });
      break;
    case 'resumeTractor':
      await send({ type: 'resumeTractor', tractorId: idOf(step.tractor) });
      break;
    case 'drag': {
      const sections = world.station.snapshot().sections;
      const section = sections[step.section % Math.max(1, sections.length)];
      if (section)
        await send({ type: 'assignSection', sectionId: section.id, tractorId: idOf(step.tractor) });
      break;
    }
    case 'radio': {
      const id = idOf(step.tractor);
      world.fleet.setConnected(id, step.connected);
      if (step.connected) seq.cut.delete(id);
      else seq.cut.add(id);
      break;
    }
    case 'loss':
      seq.lossOn = step.on;
      world.bus.configureFaults({ lossProbability: step.on ? LOSS_PROBABILITY : 0 });
      break;
    case 'restart':
      await world.restartStation();
      break;
    case 'page':
      if (step.connected) await world.page.connect();
      else world.page.drop();
      break;
    case 'wait':
      await waitChecked(seq, step.ms, before);
      return;
  }
  await world.run(SETTLE_MS);
  checker.check(before, checker.observe());
}

/** Advances time in slices, checking each slice against the one before it. */
async function waitChecked(
  seq: Sequence,
  ms: number,
  first: ReturnType<WorkflowChecker['observe']>,
): Promise<void> {
  let before = first;
  for (let t = 0; t < ms; t += WAIT_SLICE_MS) {
    await seq.world.run(Math.min(WAIT_SLICE_MS, ms - t));
    const after = seq.checker.observe();
    seq.checker.check(before, after);
    before = after;
  }
}

function releaseRequest(
  step: Extract<Step, { kind: 'release' }>,
  seq: Sequence,
  idOf: (i: number) => string,
): { stopId?: string; tractorIds?: string[] } | null {
  const machines = step.pick.map(idOf);
  const known = seq.checker.everStopIds;
  const stopId = known.length > 0 ? known[step.stop % known.length] : undefined;
  switch (step.scope) {
    case 'machines':
      return { tractorIds: machines };
    case 'all': {
      const held = seq.world.station
        .snapshot()
        .tractors.filter((t) => t.stop.status !== 'none')
        .map((t) => t.id);
      return held.length > 0 ? { tractorIds: held } : null;
    }
    case 'stop':
      return stopId === undefined ? null : { stopId };
    case 'stop-machines':
      return stopId === undefined ? null : { stopId, tractorIds: machines };
  }
}

export interface LivenessOptions {
  /** Also run the job to its end and check it finishes (slow: minutes of simulated work). */
  toCompletion: boolean;
}

/**
 * I4: heal the radio, stop the loss, release every stop, resume the job: every machine with work
 * left moves within 2 s, and (optionally) the job finishes in bounded time.
 */
export async function checkLiveness(seq: Sequence, options: LivenessOptions): Promise<void> {
  const { world, checker } = seq;
  checker.begin('liveness');
  for (const id of seq.cut) world.fleet.setConnected(id, true);
  seq.cut.clear();
  world.bus.configureFaults({ lossProbability: 0 });
  if (!world.page.connected) await world.page.connect();
  // Every machine back in contact rejoins and says what holds it (a stop it missed the release
  // of, or its own watchdog's, which the station shows as a stop) before the releases.
  await world.run(SETTLE_AFTER_HEAL_MS);
  for (let tries = 0; tries < 30 && !allFree(world); tries++) {
    const snapshot = world.station.snapshot();
    const releasable = snapshot.tractors
      .filter((t) => t.stop.status === 'confirmed' || t.stop.status === 'lost')
      .map((t) => t.id);
    if (releasable.length > 0) {
      const result = await world.page.command({ type: 'release', tractorIds: releasable });
      checker.released({ tractorIds: releasable }, snapshot, result, world.station.snapshot());
    }
    await world.run(500);
  }
  if (!allFree(world)) {
    checker.violate(
      `stops still in force after 15 s of releases: ${JSON.stringify(world.station.snapshot().stops)}`,
    );
    return;
  }
  await world.run(3_500); // past the release grace: a late 'stopped' report is a stop of its own
  const resumed = await world.page.command({ type: 'resumeJob' });
  if (!resumed.ok) checker.violate(`resume refused: ${resumed.error.message}`);
  await world.run(RESUMED_MOVES_WITHIN_MS);
  const snapshot = world.station.snapshot();
  for (const t of snapshot.tractors) {
    const workLeft = t.sectionIds.length > 0 && t.progress < 1 && t.state !== 'done';
    const sim = world.tractors.tractor(t.id);
    if (workLeft && sim && !moving(sim.currentState))
      checker.violate(
        `${t.id} has work left but is ${sim.currentState} ${RESUMED_MOVES_WITHIN_MS} ms after the resume (holds: ${sim.holds.join(', ') || 'none'})`,
      );
  }
  if (options.toCompletion) await checkCompletion(seq);
}

/** No stop in force, every machine has joined and none stands stopped. */
function allFree(world: WorkflowWorld): boolean {
  const snapshot = world.station.snapshot();
  return (
    snapshot.stops.length === 0 &&
    snapshot.tractors.length === world.tractorIds.length &&
    world.tractors.tractors.every((t) => t.currentState !== 'stopped')
  );
}

/** The job finishes within three times the ETA it showed at the resume (never stuck). */
async function checkCompletion(seq: Sequence): Promise<void> {
  const { world, checker } = seq;
  const etaS = world.station.snapshot().job.progress.etaS ?? 600;
  const limitMs = Math.max(120_000, 3 * etaS * 1000);
  let before = checker.observe();
  for (let t = 0; t < limitMs; t += 5_000) {
    await world.run(5_000, 20);
    const after = checker.observe();
    checker.check(before, after);
    before = after;
    if (after.snapshot.job.state === 'finished') return;
  }
  const last = world.station.snapshot();
  const standing = last.tractors
    .map(
      (t) =>
        `${t.id} ${t.state} ${Math.round(t.progress * 100)}% [${t.sectionIds.join(',')}] ${t.hold ? JSON.stringify(t.hold) : ''} ${t.speedMps.toFixed(1)}m/s at ${t.position?.map((v) => v.toFixed(6)).join(',') ?? '?'} heading ${Math.round(t.headingDeg)}°`,
    )
    .join('; ');
  const left = last.sections
    .filter((s) => s.doneFraction < 0.99)
    .map((s) => `${s.id}:${s.tractorId ?? '-'}:${Math.round(s.doneFraction * 100)}%`);
  checker.violate(
    `job not finished ${Math.round(limitMs / 1000)} s after the resume (ETA was ${Math.round(etaS)} s; ${Math.round(last.job.progress.fraction * 100)}% done; ${standing}; left ${left.join(' ')})`,
  );
}
