/**
 * One share of the stop/release/resume model run for the safety benchmark, in its own process
 * (the parent runs one per core): `tsx bench/workflow-child.ts SEQUENCES SEED` prints its tally
 * as one JSON line.
 */
import { tallyWorkflowSequences } from '../electron/sim/test-helpers/workflow-run.js';
import { WORKFLOW_RUN } from './safety-workflow.js';

const [sequences = '100', seed = '1'] = process.argv.slice(2);
const tally = await tallyWorkflowSequences({
  ...WORKFLOW_RUN,
  sequences: Number(sequences),
  seed: Number(seed),
});
process.stdout.write(`${JSON.stringify(tally)}\n`);
