/** What crosses between the main thread and the planning thread. */
import type { FieldPlan, PlanOptions } from './plan-types.js';
import type { ValidField } from './validate-field.js';

export interface PlanRequest {
  id: number;
  field: ValidField;
  options: Partial<PlanOptions>;
}

export type PlanReply =
  { id: number; ok: true; plan: FieldPlan } | { id: number; ok: false; message: string };

/** A reply from our own planning thread: its shape is checked, not every point of the plan. */
export function asPlanReply(raw: unknown): PlanReply | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const reply = raw as Partial<PlanReply> & { plan?: { sections?: unknown } };
  if (typeof reply.id !== 'number') return null;
  if (reply.ok === true && Array.isArray(reply.plan?.sections)) return reply as PlanReply;
  if (reply.ok === false && typeof reply.message === 'string') return reply as PlanReply;
  return null;
}
