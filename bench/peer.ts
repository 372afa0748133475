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
  /** CPU time this process spent in all of ours' runs, and in all of the peer's, ms. */
  oursCpuMs: number;
  peerCpuMs: number;
  /** The machine at the first and after the last run of either. */
  machine: Record<string, number>;
}

export interface Rotated<T> {
  /** samples[k] holds runner k's results, one per round. */
  samples: T[][];
  /** cpuMs[k]: CPU time this process spent in runner k's calls, all rounds together, ms. */
  cpuMs: number[];
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
  cpu: () => number = processCpuMs,
): Promise<Rotated<T>> {
  const samples: T[][] = runners.map(() => []);
  const cpuMs = runners.map(() => 0);
  const start = sample();
  const forward = runners.map((_, k) => k);
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 === 0 ? forward : [...forward].reverse()) {
      const runner = runners[k];
      if (!runner) continue;
      const before = cpu();
      samples[k]?.push(await runner(r));
      cpuMs[k] = (cpuMs[k] ?? 0) + cpu() - before;
    }
  }
  return { samples, cpuMs, machine: peerLoad(machineConditions(start, sample())) };
}

/** `rotate` for ours and one peer: ours, peer, peer, ours, … */
export async function alternate<T>(
  rounds: number,
  ours: (round: number) => T | Promise<T>,
  peer: (round: number) => T | Promise<T>,
  sample: () => MachineSample = sampleMachine,
  cpu: () => number = processCpuMs,
): Promise<Alternated<T>> {
  const r = await rotate(rounds, [ours, peer], sample, cpu);
  return {
    ours: r.samples[0] ?? [],
    peer: r.samples[1] ?? [],
    oursCpuMs: r.cpuMs[0] ?? 0,
    peerCpuMs: r.cpuMs[1] ?? 0,
    machine: r.machine,
  };
}

/**
 * User + system CPU time of this process so far, ms. Waiting for a core is not in it, so for
 * work done inside this process it moves far less with the load beside it than wall time does.
 */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
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
  /**
   * CPU time of this process in ours' and the peer's runs (`alternate`'s oursCpuMs and
   * peerCpuMs), when both did the same work inside this process: adds `cpu_ratio`, the same
   * comparison in CPU time (ours over peer for `lower`, peer over ours for a rate).
   */
  cpu?: { oursMs: number; peerMs: number };
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
      ...(input.cpu ? cpuConditions(input.cpu, input.better) : {}),
      ...input.conditions,
    },
  };
}

function cpuConditions(
  cpu: { oursMs: number; peerMs: number },
  better: RatioInput['better'],
): BenchResult['conditions'] {
  const ratio = better === 'lower' ? cpu.oursMs / cpu.peerMs : cpu.peerMs / cpu.oursMs;
  return {
    cpu_ratio: round(ratio, 3),
    cpu_ms_ours: round(cpu.oursMs, 1),
    cpu_ms_peer: round(cpu.peerMs, 1),
  };
}
