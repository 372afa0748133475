#!/usr/bin/env node
// `npm run test:model`: the model-based test of stop, release and resume with 2,000 sequences
// (MODEL_SEQUENCES overrides), split over one Vitest process per core; each prints its seed, and
// a failure names the seed and the steps to replay it with.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const total = Number(process.env.MODEL_SEQUENCES ?? 2000);
const processes = Math.max(1, Math.min(availableParallelism(), 4));
const base = Number(process.env.MODEL_SEED ?? Date.now() % 1_000_000);
const share = Math.ceil(total / processes);
console.error(
  `test:model: ${share * processes} sequences in ${processes} processes, seeds ${base}..${base + processes - 1}`,
);

const runs = Array.from(
  { length: processes },
  (_, i) =>
    new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', 'electron/sim/stop-workflow.test.ts'],
        {
          stdio: 'inherit',
          env: {
            ...process.env,
            WORKFLOW_SEQUENCES: String(share),
            WORKFLOW_SEED: String(base + i),
          },
        },
      );
      child.on('exit', (code) => resolve(code ?? 1));
    }),
);
const codes = await Promise.all(runs);
process.exit(codes.every((code) => code === 0) ? 0 : 1);
