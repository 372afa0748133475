/**
 * Live rebalancing, the station's side: once a second while the job runs, each machine's time
 * left (its ETA at its measured pace), its unstarted sections and where it stands go to the fleet
 * library's decision (electron/fleet/rebalance.ts); a move it returns is applied by WorkDispatch
 * as a replan, with its reason in the event log.
 */
import {
  DEFAULT_TRANSIT_SPEED_MPS,
  decideRebalance,
  type RebalanceMachine,
  type RebalanceMove,
  type RebalanceSection,
} from '../fleet/index.js';
import type { FieldWork } from './field-work.js';
import type { TractorRecord } from './tractor-record.js';

/** How often the fleet is weighed (ms): the ETAs it reads move at the telemetry's pace. */
export const REBALANCE_EVERY_MS = 1_000;
/**
 * A section with no swath driven and less than this share of its ground worked is unstarted:
 * a neighbour's pass may reach a few centimetres into it.
 */
const NOT_STARTED_SHARE = 0.02;

export interface LiveRebalanceParts {
  tractors: ReadonlyMap<string, TractorRecord>;
  /** The job's field work now (a boundary edit replaces it). */
  work(): FieldWork;
  /** Automatic replans are allowed (the job runs, no fleet stop). */
  canReplan(): boolean;
  isHeld(tractorId: string): boolean;
  apply(move: RebalanceMove): void;
}

export class LiveRebalance {
  private lastMoveMs: number | undefined;
  /** Sections a rebalance has moved: never moved again, so nothing goes back and forth. */
  private readonly moved = new Set<string>();
  private lastCheckMs = -Infinity;

  constructor(private readonly p: LiveRebalanceParts) {}

  /** Weighs the fleet at most once per REBALANCE_EVERY_MS; returns the move made, if any. */
  tick(nowMs: number): RebalanceMove | null {
    if (nowMs - this.lastCheckMs < REBALANCE_EVERY_MS) return null;
    this.lastCheckMs = nowMs;
    if (!this.p.canReplan()) return null;
    const machines = this.machines(nowMs);
    const move = decideRebalance({
      machines,
      nowMs,
      ...(this.lastMoveMs === undefined ? {} : { lastMoveMs: this.lastMoveMs }),
      transitSpeedMps: DEFAULT_TRANSIT_SPEED_MPS,
    });
    if (!move) return null;
    this.lastMoveMs = nowMs;
    for (const id of move.sectionIds) this.moved.add(id);
    this.p.apply(move);
    return move;
  }

  private machines(nowMs: number): RebalanceMachine[] {
    const work = this.p.work();
    const plan = work.allocation();
    const progress = work.progress(nowMs);
    if (!plan || !progress) return [];
    const byId = new Map(plan.assignments.map((a) => [a.sectionId, a]));
    const sections = new Map(work.sections().map((s) => [s.id, s]));
    const out: RebalanceMachine[] = [];
    for (const t of plan.tractors) {
      const record = this.p.tractors.get(t.tractorId);
      const eta = progress.tractors.find((x) => x.tractorId === t.tractorId);
      if (!record || !eta) continue;
      // The end of its run that nobody has started: what is moved is taken from there, so the
      // run it keeps stays in one piece.
      const unstarted: RebalanceSection[] = [];
      for (const id of [...t.sectionIds].reverse()) {
        const a = byId.get(id);
        const section = sections.get(id);
        const untouched =
          id !== record.currentSectionId &&
          !this.moved.has(id) &&
          work.drivenShare(id) === 0 &&
          work.doneFraction(id) < NOT_STARTED_SHARE;
        if (!a || !section || !untouched) break;
        unstarted.unshift({
          sectionId: id,
          plannedS: a.finishS - a.startS,
          workM2: a.remainingM2,
          centroid: section.centroid,
        });
      }
      out.push({
        tractorId: t.tractorId,
        name: record.name,
        leftS: record.reportedState === 'done' ? 0 : eta.etaS,
        pace: eta.pace,
        rateM2PerS: t.rateM2PerS,
        unstarted,
        canTake: this.canTake(record),
        ...(record.position ? { position: work.frame.toLocal(record.position) } : {}),
      });
    }
    return out;
  }

  /** In contact, in the plan, not held and not waiting for the operator. */
  private canTake(t: TractorRecord): boolean {
    if (t.commLost || t.replannedOut || this.p.isHeld(t.id)) return false;
    return t.reportedState !== 'paused' && t.reportedState !== 'stopped';
  }
}
