/**
 * One share of the stop/release/resume model run for the safety benchmark, in its own process
 * (the parent runs one per core): `tsx bench/workflow-child.ts SEQUENCES SEED` prints its tally
 * as one JSON line.
 */
import { tallyWorkflowSequences } from '../electron/sim/test-helpers/workflow-run.js';

const [sequences = '100', seed = '1'] = process.argv.slice(2);
const tally = await tallyWorkflowSequences({
  sequences: Number(sequences),
  steps: 40,
  tractors: 3,
  completeEvery: 10,
  seed: Number(seed),
});
process.stdout.write(`${JSON.stringify(tally)}\n`);
