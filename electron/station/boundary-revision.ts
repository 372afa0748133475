/**
 * A revised boundary on its way into the job: laid out for the job as it stood (`basis`, in the
 * planner's thread or on this one), then taken all at once or refused — an invalid boundary, a
 * job that changed meanwhile, new work the caller questions or the plan refuses. JobSession
 * swaps the work it gives in.
 */
import type { LonLat } from '../../shared/index.js';
import { PlanningError, type RevisedField } from '../fleet/index.js';
import type { FieldWork } from './field-work.js';

/** A boundary edit taken (its revision number) or refused, with the reason. */
export type BoundaryRevised =
  | { ok: true; revision: number }
  | { ok: false; code: 'invalid' | 'conflict' | 'refused' | 'unconfirmed'; error: string };

/** An edited boundary laid out for the job as it stood (`basis`). */
export interface LaidOutBoundary {
  basis: FieldWork;
  revised: RevisedField;
  rings: LonLat[][];
}

/**
 * The job's next work on a boundary laid out before, or why it is not taken: a job whose work is
 * no longer `basis` (it gave way to another, or was revised again) is left as it is, and so is
 * one whose new work `prepare` questions (a question for the operator) or refuses (a
 * PlanningError: no machine can work it). `beforeRevising` runs once the boundary may be taken,
 * before its work is built: coverage heard meanwhile carries over with the rest.
 */
export function nextWorkOnBoundary(
  laidOut: LaidOutBoundary,
  current: FieldWork,
  beforeRevising: () => void,
  prepare?: (next: FieldWork) => string | null,
): { ok: true; next: FieldWork } | Extract<BoundaryRevised, { ok: false }> {
  const { basis, revised } = laidOut;
  if (!revised.ok) return { ok: false, code: 'invalid', error: revised.error };
  if (current !== basis)
    return {
      ok: false,
      code: 'conflict',
      error: 'the job changed while the new boundary was laid out',
    };
  beforeRevising();
  const next = basis.revisedTo(revised);
  try {
    const question = prepare?.(next) ?? null;
    if (question !== null) return { ok: false, code: 'unconfirmed', error: question };
  } catch (err) {
    if (err instanceof PlanningError) return { ok: false, code: 'refused', error: err.message };
    throw err;
  }
  return { ok: true, next };
}
