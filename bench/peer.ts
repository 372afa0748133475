/**
 * Each timing beside its peer: the thing a user would pick instead, measured in the same run on
 * the same data. The two are run alternately (ours, peer, peer, ours, …: an ABBA order, so a
 * load that rises or falls through the run weighs on both alike), and the ratio of the two is
 * the figure that holds from one machine, and one load, to the next.
 */
import { type BenchResult, round } from './harness.js';
import { type MachineSample, machineConditions, sampleMachine } from './machine-load.js';

export interface Alternated<T> {
  ours: T[];
  peer: T[];
  /** The machine at the first and after the last run of either. */
  machine: Record<string, number>;
}

export interface Rotated<T> {
  /** samples[k] holds runner k's results, one per round. */
  samples: T[][];
  machine: Record<string, number>;
}

/**
 * Runs every runner once per round, one at a time: even rounds in the given order, odd rounds
 * in reverse (ABBA for two, ABCCBA for three), so each sees the machine as the others do.
 */
export async function rotate<T>(
  rounds: number,
  runners: readonly ((round: number) => T | Promise<T>)[],
  sample: () => MachineSample = sampleMachine,
): Promise<Rotated<T>> {
  const samples: T[][] = runners.map(() => []);
  const start = sample();
  const forward = runners.map((_, k) => k);
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 === 0 ? forward : [...forward].reverse()) {
      const runner = runners[k];
      if (runner) samples[k]?.push(await runner(r));
    }
  }
  return { samples, machine: peerLoad(machineConditions(start, sample())) };
}

/** `rotate` for ours and one peer: ours, peer, peer, ours, … */
export async function alternate<T>(
  rounds: number,
  ours: (round: number) => T | Promise<T>,
  peer: (round: number) => T | Promise<T>,
  sample: () => MachineSample = sampleMachine,
): Promise<Alternated<T>> {
  const r = await rotate(rounds, [ours, peer], sample);
  return { ours: r.samples[0] ?? [], peer: r.samples[1] ?? [], machine: r.machine };
}

/** The machine conditions of the paired runs, prefixed so they sit apart from the suite's own. */
function peerLoad(conditions: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(conditions).map(([k, v]) => [`pair_${k}`, v]));
}

export interface RatioInput {
  /** The figure's name, e.g. "sync.doc_load_vs_plain_yjs". */
  name: string;
  /** Our figure, in `unit`, from the same runs as `peer`. */
  ours: number;
  peer: number;
  unit: string;
  /** What the peer is, e.g. "Y.applyUpdate of the points as plain Y.Arrays". */
  peerName: string;
  /** Which way is better, so a reader knows what a move means. */
  better: 'lower' | 'higher';
  conditions?: BenchResult['conditions'];
}

/** ours / peer, with both absolute values and what the peer was in the conditions. */
export function ratioResult(input: RatioInput): BenchResult {
  return {
    name: input.name,
    value: round(input.ours / input.peer, 3),
    unit: 'ratio',
    conditions: {
      ours: round(input.ours, 3),
      peer: round(input.peer, 3),
      of_unit: input.unit,
      peer_is: input.peerName,
      better: input.better,
      ...input.conditions,
    },
  };
}
