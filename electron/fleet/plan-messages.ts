/** What crosses between the main thread and the field thread (reading and planning fields). */
import type { FieldPlan, PlanOptions } from './plan-types.js';
import type { FieldFileRead } from './read-field-file.js';
import type { FieldRevision, RevisedField } from './revise-field.js';
import type { ValidField } from './validate-field.js';

export type FieldRequest =
  | { id: number; kind: 'read'; bytes: Uint8Array }
  | { id: number; kind: 'plan'; field: ValidField; options: Partial<PlanOptions> }
  | { id: number; kind: 'revise'; revision: FieldRevision };

export type FieldReply =
  | { id: number; ok: true; read: FieldFileRead }
  | { id: number; ok: true; plan: FieldPlan }
  | { id: number; ok: true; revised: RevisedField }
  | { id: number; ok: false; message: string };

/** A reply from our own field thread: its shape is checked, not every point of the plan. */
export function asFieldReply(raw: unknown): FieldReply | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const reply = raw as Record<string, unknown>;
  if (typeof reply.id !== 'number') return null;
  const plan = reply.plan as { sections?: unknown } | undefined;
  const read = reply.read as { ok?: unknown } | undefined;
  const revised = reply.revised as { ok?: unknown } | undefined;
  const answered =
    Array.isArray(plan?.sections) ||
    typeof read?.ok === 'boolean' ||
    typeof revised?.ok === 'boolean';
  if (reply.ok === true && answered) return reply as FieldReply;
  if (reply.ok === false && typeof reply.message === 'string') return reply as FieldReply;
  return null;
}
