/**
 * What a machine's implement carries and spends while it works: a sprayer's tank (litres, litres
 * per hectare) or a seed drill's hopper (kg, kg per hectare), filled at a given flow; or nothing
 * that runs out (a plough, a mower). Machines announce it in their hello.
 */
import { z } from 'zod';
import { M2_PER_HA } from './units.js';

export type ImplementCapacity =
  | { kind: 'none' }
  | {
      kind: 'tank' | 'hopper';
      /** Litres (tank) or kg (hopper) when full. */
      amount: number;
      /** Litres or kg applied per hectare worked. */
      ratePerHa: number;
      /** Litres or kg per minute the refill point delivers into it. */
      fillPerMin: number;
    };

export const NO_CAPACITY: ImplementCapacity = { kind: 'none' };

/**
 * Bounds past which a figure is a unit or typing error, not a machine: the largest
 * self-propelled sprayers carry about 8,000 L and air seeders' carts about 20,000 kg; rates
 * run from a few litres of spray to about 1,000 kg of fertiliser per hectare; a refill pump
 * or auger moves up to a few thousand litres or kg a minute.
 */
export const MAX_CAPACITY_AMOUNT = 50_000;
export const MAX_RATE_PER_HA = 5_000;
export const MAX_FILL_PER_MIN = 10_000;

const bounded = (max: number, what: string): z.ZodNumber =>
  z.number().positive(`${what} must be above 0`).max(max, `${what} must be at most ${max}`);

export const implementCapacitySchema: z.ZodType<ImplementCapacity> = z.union([
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.enum(['tank', 'hopper']),
      amount: bounded(MAX_CAPACITY_AMOUNT, 'capacity'),
      ratePerHa: bounded(MAX_RATE_PER_HA, 'application rate per hectare'),
      fillPerMin: bounded(MAX_FILL_PER_MIN, 'refill flow per minute'),
    })
    .strict(),
]);

/** Why this capacity cannot be trusted, or null when it can. */
export function capacityProblem(value: unknown): string | null {
  const parsed = implementCapacitySchema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return issue ? `${issue.path.join('.') || 'capacity'}: ${issue.message}` : 'invalid capacity';
}

/** Ground one fill covers, m² (Infinity for an implement that never runs out). */
export function areaPerFillM2(c: ImplementCapacity): number {
  return c.kind === 'none' ? Infinity : (c.amount / c.ratePerHa) * M2_PER_HA;
}

/** Seconds a refill from empty takes at the point. */
export function refillTimeS(c: ImplementCapacity): number {
  return c.kind === 'none' ? 0 : (c.amount / c.fillPerMin) * 60;
}
