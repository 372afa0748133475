/**
 * Stop, release and resume in every combination: random sequences of 40 steps (stops, releases
 * of any subset from any stop, resumes, pauses, drags, radio cuts, 10% frame loss, station
 * restarts on the same data folder, a page's connection dropping) on the real station core,
 * fleet link and simulated tractors on a ManualClock, each step checked against the model
 * (test-helpers/workflow-checker.ts). `npm test` runs a quick share; `npm run test:model` runs
 * 2,000 sequences across both cores. WORKFLOW_SEQUENCES and WORKFLOW_SEED choose the run;
 * WORKFLOW_PATH (with the seed) replays the one sequence a failure report names.
 */
import { describe, expect, it } from 'vitest';
import { runWorkflowSequences } from './test-helpers/workflow-run.js';

const SEQUENCES = Number(process.env.WORKFLOW_SEQUENCES ?? 60);
const SEED =
  process.env.WORKFLOW_SEED === undefined ? undefined : Number(process.env.WORKFLOW_SEED);
/** With the seed, replays the one failing sequence a report named. */
const PATH = process.env.WORKFLOW_PATH;
/** One sequence in this many also runs the job to its end after the liveness check. */
const COMPLETE_EVERY = 10;

describe('stop, release and resume against the model', () => {
  it(
    `holds I1–I5 over ${SEQUENCES} random sequences of 40 steps`,
    async () => {
      const result = await runWorkflowSequences({
        sequences: SEQUENCES,
        steps: 40,
        tractors: 3,
        completeEvery: COMPLETE_EVERY,
        ...(SEED === undefined ? {} : { seed: SEED }),
        ...(PATH === undefined ? {} : { path: PATH }),
      });
      const report = result.failure
        ? [
            `replay with WORKFLOW_SEED=${result.seed} WORKFLOW_PATH=${result.failure.path}`,
            `steps: ${result.failure.steps.join(' ')}`,
            ...result.failure.violations.slice(0, 12),
          ].join('\n')
        : '';
      expect(report).toBe('');
      expect(result.sequences).toBe(SEQUENCES);
    },
    // A safety net only: a sequence takes 0.3–5 s, several times that on a loaded machine.
    60_000 + SEQUENCES * 20_000,
  );
});
