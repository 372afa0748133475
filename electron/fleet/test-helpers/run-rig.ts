/**
 * A fleet driving its plan on a fake clock, for the ETA's tests: each machine follows a script
 * of steps (a stretch of a swath at some speed, a drive or a turn of some seconds, a hold by the
 * separation guard), all machines at once in 100 ms steps, the coverage folded as the telemetry
 * brings it and progress read once a second, as the station does.
 */
import type { SectionAssignment } from '../allocation-types.js';
import type { DrivenSections, FieldJob } from '../field-job.js';
import type { ProgressReport } from '../progress.js';
import type { Section } from '../plan-types.js';

const STEP_MS = 100;
const READ_EVERY_MS = 1_000;
/** A swath counts as started once this much of it is driven (the station's rule is alike). */
const STARTED_M = 0.5;

export type RigStep =
  | { kind: 'work'; sectionId: string; swath: number; speedMps: number }
  | { kind: 'way'; s: number }
  | { kind: 'held'; s: number };

interface Going {
  steps: RigStep[];
  /** Into the current step: metres along the swath, or seconds spent. */
  into: number;
}

export class RunRig {
  nowMs = 0;
  private readonly going = new Map<string, Going>();
  private readonly drivenM = new Map<string, number[]>();
  private readonly held = new Set<string>();
  readonly driven: DrivenSections = {
    share: (id) => {
      const swaths = this.section(id).swaths;
      const total = swaths.reduce((s, w) => s + w.lengthM, 0);
      const done = swaths.reduce((s, w, k) => s + Math.min(w.lengthM, this.at(id, k)), 0);
      return total > 0 ? done / total : 1;
    },
    started: (id) => this.section(id).swaths.map((_, k) => this.at(id, k) >= STARTED_M),
  };

  constructor(readonly job: FieldJob) {}

  /** Progress now, as the station reads it. */
  progress(): ProgressReport {
    return this.job.progress(this.nowMs, this.driven, (id) => this.held.has(id));
  }

  eta(tractorId: string): number {
    return this.progress().tractors.find((t) => t.tractorId === tractorId)?.etaS ?? Number.NaN;
  }

  /** Gives a machine its script (after whatever it still has to do). */
  script(tractorId: string, steps: readonly RigStep[]): void {
    const g = this.going.get(tractorId) ?? { steps: [], into: 0 };
    g.steps.push(...steps);
    this.going.set(tractorId, g);
  }

  /** Seconds a machine's script has still to run. */
  leftS(tractorId: string): number {
    const g = this.going.get(tractorId);
    if (!g) return 0;
    return g.steps.reduce((sum, step, i) => {
      const into = i === 0 ? g.into : 0;
      if (step.kind !== 'work') return sum + step.s - into;
      const lengthM = this.section(step.sectionId).swaths[step.swath]?.lengthM ?? 0;
      return sum + (lengthM - into) / step.speedMps;
    }, 0);
  }

  /** Runs the clock for `s` seconds (or until every script is done, with `s` omitted). */
  run(s?: number): void {
    const endMs = s === undefined ? Infinity : this.nowMs + s * 1000;
    while (this.nowMs < endMs && [...this.going.values()].some((g) => g.steps.length > 0)) {
      this.nowMs += STEP_MS;
      for (const [id, g] of this.going) this.advance(id, g, STEP_MS / 1000);
      if (this.nowMs % READ_EVERY_MS === 0) this.progress();
    }
  }

  /** The plan's way for a machine's run, in its steps: the drive to each section, its turns. */
  planned(tractorId: string, speedMps: number, wayFactor = 1): RigStep[] {
    const plan = this.job.allocation;
    const steps: RigStep[] = [];
    for (const id of plan.tractors.find((t) => t.tractorId === tractorId)?.sectionIds ?? []) {
      const a = plan.assignments.find((x) => x.sectionId === id);
      if (!a) continue;
      const swaths = this.section(id).swaths;
      const turnS = turnEachS(a, swaths.length);
      if (a.reachS > 0) steps.push({ kind: 'way', s: a.reachS * wayFactor });
      swaths.forEach((_, k) => {
        if (k > 0 && turnS > 0) steps.push({ kind: 'way', s: turnS * wayFactor });
        steps.push({ kind: 'work', sectionId: id, swath: k, speedMps });
      });
    }
    return steps;
  }

  private advance(tractorId: string, g: Going, dtS: number): void {
    let left = dtS;
    this.held.delete(tractorId);
    while (left > 1e-9) {
      const step = g.steps[0];
      if (!step) return;
      if (step.kind === 'held') this.held.add(tractorId);
      if (step.kind !== 'work') {
        const used = Math.min(left, step.s - g.into);
        g.into += used;
        left -= used;
        if (g.into >= step.s - 1e-9) this.next(g);
        continue;
      }
      const sw = this.section(step.sectionId).swaths[step.swath];
      if (!sw) {
        this.next(g);
        continue;
      }
      const fromM = g.into;
      const toM = Math.min(sw.lengthM, fromM + step.speedMps * left);
      left -= (toM - fromM) / step.speedMps;
      g.into = toM;
      const point = (m: number): [number, number] => [
        sw.start[0] + ((sw.end[0] - sw.start[0]) * m) / sw.lengthM,
        sw.start[1] + ((sw.end[1] - sw.start[1]) * m) / sw.lengthM,
      ];
      const tMs = this.nowMs - Math.round(left * 1000);
      this.job.addCoverage([
        { tractorId, start: point(fromM), end: point(toM), widthM: sw.widthM, tMs },
      ]);
      const list = this.drivenM.get(step.sectionId) ?? [];
      list[step.swath] = toM;
      this.drivenM.set(step.sectionId, list);
      if (toM >= sw.lengthM - 1e-9) this.next(g);
    }
  }

  private next(g: Going): void {
    g.steps.shift();
    g.into = 0;
  }

  private at(sectionId: string, k: number): number {
    return this.drivenM.get(sectionId)?.[k] ?? 0;
  }

  private section(id: string): Section {
    const s = this.job.plan.sections.find((x) => x.id === id);
    if (!s) throw new Error(`no section ${id}`);
    return s;
  }
}

/** The plan's seconds for each turn inside a section (its swaths here all turn into the next). */
function turnEachS(a: SectionAssignment, swaths: number): number {
  return swaths > 1 ? Math.max(0, a.travelS - a.reachS) / (swaths - 1) : 0;
}
