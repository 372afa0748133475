/**
 * safety.workflow_sequences and safety.workflow_violations: the model-based test of stop,
 * release and resume (electron/sim/stop-workflow.test.ts) run with more sequences than CI runs,
 * one child process per core, every sequence run to its end and every violating one counted.
 * The quick run's few sequences run in the benchmark's own process: a child's start (tsx and
 * the simulator's modules) cost more CPU than its share of them.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  tallyWorkflowSequences,
  type WorkflowTally,
} from '../electron/sim/test-helpers/workflow-run.js';
import type { BenchResult } from './harness.js';

/** CI runs 2,000 (npm run test:model); the benchmark runs more. */
export const WORKFLOW_BENCH_SEQUENCES = 2_400;
const CHILD = join(import.meta.dirname, 'workflow-child.ts');
/** What bench/workflow-child.ts runs: the same in the benchmark's own process. */
export const WORKFLOW_RUN = { steps: 40, tractors: 3, completeEvery: 10 } as const;
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

function runChild(sequences: number, seed: number): Promise<WorkflowTally> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CHILD, String(sequences), String(seed)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`workflow child exited ${code ?? 'by signal'}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkflowTally);
    });
  });
}

export async function workflowFigures(
  total = WORKFLOW_BENCH_SEQUENCES,
  where: 'children' | 'in process' = 'children',
): Promise<BenchResult[]> {
  const children = Math.max(1, Math.min(availableParallelism(), 4));
  const baseSeed = Date.now() % 1_000_000;
  const started = performance.now();
  const tallies =
    where === 'in process'
      ? [await tallyWorkflowSequences({ ...WORKFLOW_RUN, sequences: total, seed: baseSeed })]
      : await Promise.all(
          Array.from({ length: children }, (_, i) =>
            runChild(Math.ceil(total / children), baseSeed + i),
          ),
        );
  const sequences = tallies.reduce((n, t) => n + t.sequences, 0);
  const violating = tallies.reduce((n, t) => n + t.violating, 0);
  const failure = tallies.find((t) => t.firstFailure)?.firstFailure ?? null;
  const conditions = {
    steps_per_sequence: WORKFLOW_RUN.steps,
    tractors: WORKFLOW_RUN.tractors,
    clock: 'ManualClock (CAN bus wire timing)',
    processes: where === 'in process' ? 'none: in the benchmark process' : children,
    seeds: tallies.map((t) => t.seed).join(','),
    ci_sequences: 2_000,
    wall_s: Math.round((performance.now() - started) / 1000),
    ...(failure
      ? { first_failure: `${failure.violations[0] ?? ''} | ${failure.steps.join(' ')}` }
      : {}),
  };
  return [
    { name: 'safety.workflow_sequences', value: sequences, unit: 'sequences', conditions },
    { name: 'safety.workflow_violations', value: violating, unit: 'sequences', conditions },
  ];
}
