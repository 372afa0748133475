import { allocate } from './allocate.js';
import type {
  AllocationInput,
  AllocationPlan,
  SectionAssignment,
  TractorPlan,
} from './allocation-types.js';
import type { TractorCapability } from './capability.js';
import { PlanningError } from './errors.js';

/** Something that happened to the fleet during work. */
export type FleetChange =
  | { kind: 'tractor-lost'; tractorId: string }
  | { kind: 'tractor-joined'; tractor: TractorCapability }
  | { kind: 'tractor-behind'; tractorId: string; measuredRateM2PerS: number }
  /**
   * A live rebalance: these sections go to the end of `toTractorId`'s run and every other run
   * (`runs`: each tractor's sections in the order it works them) stays as it is, for this
   * allocation only.
   */
  | {
      kind: 'sections-moved';
      sectionIds: readonly string[];
      toTractorId: string;
      runs: Readonly<Record<string, readonly string[]>>;
    }
  /**
   * The machines drift from the plan's times as they work (faster or slower than planned, held
   * under the separation guard): every run (`runs`) stays as it is and the plan is timed again
   * from where they stand, so what hangs on its times (the refill trips' stagger) starts afresh.
   */
  | { kind: 'retimed'; runs: Readonly<Record<string, readonly string[]>> };

export function applyFleetChange(input: AllocationInput, change: FleetChange): AllocationInput {
  switch (change.kind) {
    case 'tractor-lost':
      return { ...input, tractors: input.tractors.filter((t) => t.tractorId !== change.tractorId) };
    case 'tractor-joined':
      return {
        ...input,
        tractors: [
          ...input.tractors.filter((t) => t.tractorId !== change.tractor.tractorId),
          change.tractor,
        ],
      };
    case 'tractor-behind':
      return {
        ...input,
        measuredRatesM2PerS: {
          ...input.measuredRatesM2PerS,
          [change.tractorId]: change.measuredRateM2PerS,
        },
      };
    case 'sections-moved': {
      const moving = new Set(change.sectionIds);
      const keep: Record<string, readonly string[]> = {};
      for (const [id, run] of Object.entries(change.runs))
        keep[id] = run.filter((s) => !moving.has(s));
      keep[change.toTractorId] = [...(keep[change.toTractorId] ?? []), ...change.sectionIds];
      return { ...input, keep };
    }
    case 'retimed':
      return { ...input, keep: change.runs };
  }
}

/**
 * Recomputes the plan for the remaining work after a fleet change. Done ground is never handed
 * out again (progress comes from coverage); the previous machine order seeds the search so
 * machines keep their place along the path where that costs nothing.
 */
export function replan(
  input: AllocationInput,
  previous: AllocationPlan,
  change: FleetChange,
): { input: AllocationInput; plan: AllocationPlan } {
  const next = { ...applyFleetChange(input, change), previousOrder: previous.tractorOrder };
  // What is kept for this allocation is not carried into the next.
  const { keep: _kept, ...carried } = next;
  return { input: carried, plan: allocate(next) };
}

export interface ReassignResult {
  plan: AllocationPlan;
  /** The allocation input with the dragged section locked to its new tractor. */
  input: AllocationInput;
  tractors: { tractorId: string; finishBeforeS: number; finishAfterS: number }[];
  makespanBeforeS: number;
  makespanAfterS: number;
}

/**
 * The operator drags one section to another tractor: only that section moves (and is locked
 * there, so later replans keep it); every tractor's finish time before and after is reported so
 * the UI can show what the move costs.
 */
export function reassignSection(
  input: AllocationInput,
  plan: AllocationPlan,
  sectionId: string,
  toTractorId: string,
): ReassignResult {
  const moving = plan.assignments.find((a) => a.sectionId === sectionId);
  if (!moving) throw new PlanningError(`unknown section ${sectionId}`);
  if (moving.status === 'done') throw new PlanningError(`section ${sectionId} is already done`);
  const target = plan.tractors.find((t) => t.tractorId === toTractorId);
  if (!target)
    throw new PlanningError(
      `tractor ${toTractorId} is not in the plan (absent or not equipped for ${plan.operation})`,
    );
  const orderOf = new Map(input.sections.map((s) => [s.id, s.order]));
  const byId = new Map(plan.assignments.map((a) => [a.sectionId, a]));
  const tractors: TractorPlan[] = plan.tractors.map((t) => {
    let ids = t.sectionIds.filter((id) => id !== sectionId);
    if (t.tractorId === toTractorId)
      ids = [...ids, sectionId].sort((a, b) => (orderOf.get(a) ?? 0) - (orderOf.get(b) ?? 0));
    return { ...t, sectionIds: ids };
  });
  const assignments: SectionAssignment[] = plan.assignments.filter((a) => a.status === 'done');
  for (const t of tractors) {
    let clock = 0;
    const inProgressFirst = [...t.sectionIds].sort(
      (a, b) =>
        Number(byId.get(b)?.status === 'in-progress') -
        Number(byId.get(a)?.status === 'in-progress'),
    );
    for (const id of inProgressFirst) {
      const a = byId.get(id);
      if (!a) continue;
      // A moved section keeps the travel it was planned with: an estimate, not a new route.
      const d = a.remainingM2 / t.rateM2PerS + a.travelS;
      assignments.push({
        ...a,
        tractorId: t.tractorId,
        locked: a.locked || id === sectionId,
        startS: clock,
        finishS: clock + d,
      });
      clock += d;
    }
    t.sectionIds = inProgressFirst;
    t.remainingM2 = inProgressFirst.reduce((s, id) => s + (byId.get(id)?.remainingM2 ?? 0), 0);
    t.finishS = clock;
    t.travelS = inProgressFirst.reduce((s, id) => s + (byId.get(id)?.travelS ?? 0), 0);
  }
  const makespanS = Math.max(0, ...tractors.map((t) => t.finishS));
  const next: AllocationPlan = {
    ...plan,
    assignments,
    tractors,
    makespanS,
    ratio: plan.lowerBoundS > 0 ? makespanS / plan.lowerBoundS : 1,
  };
  return {
    plan: next,
    input: { ...input, locks: { ...input.locks, [sectionId]: toTractorId } },
    tractors: plan.tractors.map((t) => ({
      tractorId: t.tractorId,
      finishBeforeS: t.finishS,
      finishAfterS: tractors.find((x) => x.tractorId === t.tractorId)?.finishS ?? 0,
    })),
    makespanBeforeS: plan.makespanS,
    makespanAfterS: makespanS,
  };
}
