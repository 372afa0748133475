/**
 * Where a field file is read and the field laid out, and an edited boundary of a job under way
 * laid out in the job's frame. All are synchronous and grow with the boundary's points and the
 * field's size (seconds for a few thousand points; a boundary edit of a 64 ha field held the main
 * thread over a second), so the station does them in a thread of its own and stays responsive meanwhile; work that outlives its time limit is
 * abandoned with a clear error. Tests and simulations on a manual clock use the calling thread.
 */
import { RequestThread } from '../threads/index.js';
import { PlanningError } from './errors.js';
import { planField } from './plan-field.js';
import { asFieldReply, type FieldReply, type FieldRequest } from './plan-messages.js';
import type { FieldPlan, PlanOptions } from './plan-types.js';
import { readFieldFile, type FieldFileRead } from './read-field-file.js';
import { reviseField, type FieldRevision, type RevisedField } from './revise-field.js';
import type { ValidField } from './validate-field.js';

export interface FieldPlanner {
  /** Reads a boundary file (any supported format) and validates its first field. */
  read(bytes: Uint8Array): Promise<FieldFileRead>;
  plan(field: ValidField, options: Partial<PlanOptions>): Promise<FieldPlan>;
  /** Lays out an edited boundary of a job under way (an invalid one is an answer, not an error). */
  revise(revision: FieldRevision): Promise<RevisedField>;
  close(): Promise<void>;
}

type DistributiveOmitId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** How long a field may take to plan before the station gives up on it. */
export const PLAN_TIME_LIMIT_MS = 60_000;

/** Plans on the calling thread. */
export const planOnThisThread: FieldPlanner = {
  read: readFieldFile,
  plan: (field, options) => Promise.resolve(planField(field, options)),
  revise: (revision) => Promise.resolve(reviseField(revision)),
  close: () => Promise.resolve(),
};

export class ThreadedFieldPlanner implements FieldPlanner {
  private readonly thread = new RequestThread<DistributiveOmitId<FieldRequest>, FieldReply>({
    besides: import.meta.url,
    moduleName: 'plan-worker',
    what: 'field',
    parseReply: asFieldReply,
    failure: (message) => new PlanningError(message),
  });

  constructor(private readonly timeLimitMs = PLAN_TIME_LIMIT_MS) {}

  async read(bytes: Uint8Array): Promise<FieldFileRead> {
    let reply: FieldReply;
    try {
      reply = await this.thread.request({ kind: 'read', bytes }, this.timeLimitMs);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (!reply.ok) return { ok: false, error: reply.message };
    if ('read' in reply) return reply.read;
    throw new PlanningError('the field thread answered a read with a plan');
  }

  async plan(field: ValidField, options: Partial<PlanOptions>): Promise<FieldPlan> {
    const reply = await this.thread.request({ kind: 'plan', field, options }, this.timeLimitMs);
    if (!reply.ok) throw new PlanningError(reply.message);
    if ('plan' in reply) return reply.plan;
    throw new PlanningError('the field thread answered a plan with a read');
  }

  async revise(revision: FieldRevision): Promise<RevisedField> {
    const reply = await this.thread.request({ kind: 'revise', revision }, this.timeLimitMs);
    if (!reply.ok) throw new PlanningError(reply.message);
    if ('revised' in reply) return reply.revised;
    throw new PlanningError('the field thread answered a boundary edit with something else');
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
