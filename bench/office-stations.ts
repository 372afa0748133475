/**
 * Simulated stations for the office benchmark (bench/suites/office.ts). Each holds one job of
 * MACHINES machines and writes their coverage as the station does: positions at 1 Hz through a
 * CoverageRecorder per machine (one segment per straight stretch, closed within 10 s) and into
 * the job with `JobDoc.appendCoverage`, one transaction per segment. Machines work 400 m passes
 * at 2.5 m/s with 15 s turns, each at its own phase, so writes are spread as a real fleet's are.
 */
import {
  CoverageRecorder,
  JobDoc,
  encodeSegments,
  type SwathSegment,
} from '../electron/sync/index.js';
import { sampleJobInit, station } from '../electron/sync/test-helpers/builders.js';
import { type Clock, type Random, seededRandom } from '../electron/time/index.js';

export const MACHINES = 20;
export const FIX_HZ = 1;
const SPEED_MPS = 2.5;
const PASS_M = 400;
const TURN_S = 15;
const WIDTH_M = 6;
/** RTK fix noise, uniform ± this many metres (as bench/sync-fleet.ts). */
const JITTER_M = 0.02;
const PASS_S = PASS_M / SPEED_MPS + TURN_S;
const STRIP_SPACING_M = 140;

/** Where a station's segments go: one of its jobs, and who hears each batch written. */
export interface WriteTarget {
  readonly job: JobDoc;
  /** Every batch as the job document holds it (`encodeSegments`), right after the write. */
  written(batch: Uint8Array): void;
}

export class BenchStation {
  /** The seconds of work done so far (one fix per machine each). */
  private second = 0;
  private readonly recorders: CoverageRecorder[];
  private readonly random: Random;
  /** Where this station's segments go now; null: the work goes on, nothing is written. */
  private target: WriteTarget | null = null;
  segments = 0;

  constructor(
    readonly index: number,
    private readonly clock: Clock,
  ) {
    this.random = seededRandom(index + 1);
    this.recorders = Array.from(
      { length: MACHINES },
      (_, m) => new CoverageRecorder((segment) => this.write(m, segment)),
    );
  }

  get stationId(): string {
    return `st${String(this.index + 1).padStart(2, '0')}`;
  }

  /** A fresh job of this station's MACHINES machines (one document per office it mirrors to). */
  createJob(): JobDoc {
    const tractors = Array.from({ length: MACHINES }, (_, m) => machineId(m));
    return JobDoc.create(sampleJobInit(MACHINES, tractors), {
      actor: station(this.stationId),
      clock: this.clock,
    });
  }

  setTarget(target: WriteTarget | null): void {
    this.target = target;
  }

  /** One fix per machine: the next second of work. */
  tick(): void {
    const s = this.second++;
    for (const [m, recorder] of this.recorders.entries()) {
      const t = s + phaseS(this.index, m);
      const pass = Math.floor(t / PASS_S);
      const inPass = t - pass * PASS_S;
      const along = Math.min(PASS_M, inPass * SPEED_MPS);
      const jitter = (): number => (this.random.next() * 2 - 1) * JITTER_M;
      recorder.add({
        tMs: this.clock.wallNow(),
        xM: (pass % 2 === 0 ? along : PASS_M - along) + jitter(),
        yM: m * STRIP_SPACING_M + pass * WIDTH_M + jitter(),
        widthM: WIDTH_M,
        working: inPass < PASS_M / SPEED_MPS,
      });
    }
  }

  private write(machine: number, segment: SwathSegment): void {
    const target = this.target;
    if (!target) return;
    target.job.appendCoverage(machineId(machine), [segment]);
    this.segments++;
    target.written(encodeSegments([segment]));
  }
}

const machineId = (m: number): string => `t${m + 1}`;

/** Each machine's own place in its pass cycle, spread over the cycle. */
function phaseS(station: number, machine: number): number {
  return Math.floor(((station * MACHINES + machine) * 37) % PASS_S);
}
