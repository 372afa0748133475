/**
 * Where a field is laid out. Planning is synchronous and grows fast with the boundary's points
 * (seconds for a few thousand), so the station plans a field it opens in a thread of its own and
 * stays responsive meanwhile; a plan that outlives its time limit is abandoned with a clear
 * error. Tests and simulations on a manual clock plan on the calling thread.
 */
import { RequestThread } from '../threads/index.js';
import { PlanningError } from './errors.js';
import { planField } from './plan-field.js';
import { asPlanReply, type PlanReply, type PlanRequest } from './plan-messages.js';
import type { FieldPlan, PlanOptions } from './plan-types.js';
import type { ValidField } from './validate-field.js';

export interface FieldPlanner {
  plan(field: ValidField, options: Partial<PlanOptions>): Promise<FieldPlan>;
  close(): Promise<void>;
}

/** How long a field may take to plan before the station gives up on it. */
export const PLAN_TIME_LIMIT_MS = 60_000;

/** Plans on the calling thread. */
export const planOnThisThread: FieldPlanner = {
  plan: (field, options) => Promise.resolve(planField(field, options)),
  close: () => Promise.resolve(),
};

export class ThreadedFieldPlanner implements FieldPlanner {
  private readonly thread = new RequestThread<Omit<PlanRequest, 'id'>, PlanReply>({
    besides: import.meta.url,
    moduleName: 'plan-worker',
    what: 'planning',
    parseReply: asPlanReply,
    failure: (message) => new PlanningError(message),
  });

  constructor(private readonly timeLimitMs = PLAN_TIME_LIMIT_MS) {}

  async plan(field: ValidField, options: Partial<PlanOptions>): Promise<FieldPlan> {
    const reply = await this.thread.request({ field, options }, this.timeLimitMs);
    if (reply.ok) return reply.plan;
    throw new PlanningError(reply.message);
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
