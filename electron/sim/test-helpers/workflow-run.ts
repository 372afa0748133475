/**
 * Runs the stop/release/resume model test: random sequences of steps on a fresh WorkflowWorld
 * each, checked step by step, then the liveness check. Shared by the CI test and the benchmark
 * (which runs more sequences and reports the counts).
 */
import fc from 'fast-check';
import { WorkflowChecker } from './workflow-checker.js';
import {
  checkLiveness,
  describeStep,
  newSequence,
  runSteps,
  stepArbitrary,
  type Step,
} from './workflow-steps.js';
import { WorkflowWorld } from './workflow-world.js';

export interface WorkflowRunOptions {
  sequences: number;
  steps: number;
  tractors: number;
  /** Every n-th sequence also runs the job to completion (0: never). */
  completeEvery: number;
  seed?: number;
  /** Shrink a failing sequence to a shorter one before reporting it (slow). */
  shrink?: boolean;
  /** Replays the one sequence a failure named (fast-check's counterexample path). */
  path?: string;
}

export interface WorkflowRunResult {
  sequences: number;
  stepsRun: number;
  seed: number;
  /** The first failing sequence (shrunk), its steps and what it violated; null when all held. */
  failure: { steps: string[]; violations: string[]; seed: number; path: string } | null;
}

/** Work the fleet a little before the sequence begins, so a stop has something to stop. */
const WARM_UP_MS = 3_000;

export async function runWorkflowSequences(
  options: WorkflowRunOptions,
): Promise<WorkflowRunResult> {
  let run = 0;
  let stepsRun = 0;
  const property = fc.asyncProperty(
    fc.array(stepArbitrary(options.tractors), {
      minLength: options.steps,
      maxLength: options.steps,
    }),
    fc.nat({ max: 1_000_000 }),
    async (steps: Step[], busSeed: number) => {
      const index = run++;
      const violations = await runSequence(steps, busSeed, options, index);
      stepsRun += steps.length;
      return violations.length === 0;
    },
  );
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const details = await fc.check(property, {
    numRuns: options.sequences,
    seed,
    // Shrinking replays whole sequences (a few hundred ms each): on request only.
    endOnFailure: !options.shrink,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  const counterexample = details.failed ? details.counterexample : null;
  const failure = counterexample
    ? {
        steps: counterexample[0].map(describeStep),
        // The failing sequence once more, for what it violated.
        violations: await runSequence(counterexample[0], counterexample[1], options),
        seed: details.seed,
        path: details.counterexamplePath ?? '',
      }
    : null;
  return { sequences: details.numRuns, stepsRun, seed, failure };
}

export async function runSequence(
  steps: readonly Step[],
  busSeed: number,
  options: Pick<WorkflowRunOptions, 'tractors' | 'completeEvery'> & {
    log?: (line: string) => void;
  },
  index = 0,
): Promise<string[]> {
  const world = await WorkflowWorld.start({
    tractors: options.tractors,
    seed: busSeed + 1,
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    const checker = new WorkflowChecker(world);
    const started = await world.page.command({ type: 'startJob' });
    if (!started.ok) return [`the job did not start: ${started.error.message}`];
    await world.run(WARM_UP_MS);
    const sequence = newSequence(world, checker);
    await runSteps(sequence, steps);
    const toCompletion = options.completeEvery > 0 && index % options.completeEvery === 0;
    await checkLiveness(sequence, { toCompletion });
    return checker.violations;
  } finally {
    await world.close();
  }
}

export interface WorkflowTally {
  sequences: number;
  stepsRun: number;
  /** Sequences that violated an invariant (every sequence runs; none stops the tally). */
  violating: number;
  seed: number;
  firstFailure: { index: number; steps: string[]; violations: string[] } | null;
}

/** Runs every sequence of a seed and counts those that violate (the benchmark's tally). */
export async function tallyWorkflowSequences(options: WorkflowRunOptions): Promise<WorkflowTally> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const samples = fc.sample(
    fc.tuple(
      fc.array(stepArbitrary(options.tractors), {
        minLength: options.steps,
        maxLength: options.steps,
      }),
      fc.nat({ max: 1_000_000 }),
    ),
    { numRuns: options.sequences, seed },
  );
  const tally: WorkflowTally = {
    sequences: 0,
    stepsRun: 0,
    violating: 0,
    seed,
    firstFailure: null,
  };
  for (const [index, [steps, busSeed]] of samples.entries()) {
    const violations = await runSequence(steps, busSeed, options, index);
    tally.sequences++;
    tally.stepsRun += steps.length;
    if (violations.length === 0) continue;
    tally.violating++;
    tally.firstFailure ??= { index, steps: steps.map(describeStep), violations };
  }
  return tally;
}
