/**
 * Each timing beside its peer: the thing a user would pick instead, measured in the same run on
 * the same data. The two are run alternately (ours, peer, peer, ours, …: an ABBA order, so a
 * load that rises or falls through the run weighs on both alike), and the ratio of the two is
 * the figure that holds from one machine, and one load, to the next.
 */
import { type BenchResult, round } from './harness.js';
import { type MachineSample, machineConditions, sampleMachine } from './machine-load.js';

export interface Alternated<A, B> {
  ours: A[];
  peer: B[];
  /** The machine at the first and after the last run of either. */
  machine: Record<string, number>;
}

/**
 * Runs `ours` and `peer` `rounds` times each, alternating which goes first (even rounds ours
 * first, odd rounds the peer first), one at a time.
 */
export async function alternate<A, B>(
  rounds: number,
  ours: (round: number) => A | Promise<A>,
  peer: (round: number) => B | Promise<B>,
  sample: () => MachineSample = sampleMachine,
): Promise<Alternated<A, B>> {
  const out: { ours: A[]; peer: B[] } = { ours: [], peer: [] };
  const start = sample();
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      out.ours.push(await ours(r));
      out.peer.push(await peer(r));
    } else {
      out.peer.push(await peer(r));
      out.ours.push(await ours(r));
    }
  }
  return { ...out, machine: peerLoad(machineConditions(start, sample())) };
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
