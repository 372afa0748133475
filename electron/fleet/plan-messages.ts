/** What crosses between the main thread and the field thread (reading and planning fields). */
import type { FieldPlan, PlanOptions } from './plan-types.js';
import type { FieldFileRead } from './read-field-file.js';
import type { ValidField } from './validate-field.js';

export type FieldRequest =
  | { id: number; kind: 'read'; bytes: Uint8Array }
  | { id: number; kind: 'plan'; field: ValidField; options: Partial<PlanOptions> };

export type FieldReply =
  | { id: number; ok: true; read: FieldFileRead }
  | { id: number; ok: true; plan: FieldPlan }
  | { id: number; ok: false; message: string };

/** A reply from our own field thread: its shape is checked, not every point of the plan. */
export function asFieldReply(raw: unknown): FieldReply | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const reply = raw as Record<string, unknown>;
  if (typeof reply.id !== 'number') return null;
  const plan = reply.plan as { sections?: unknown } | undefined;
  const read = reply.read as { ok?: unknown } | undefined;
  if (reply.ok === true && (Array.isArray(plan?.sections) || typeof read?.ok === 'boolean'))
    return reply as FieldReply;
  if (reply.ok === false && typeof reply.message === 'string') return reply as FieldReply;
  return null;
}
