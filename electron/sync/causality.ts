/**
 * Causality from Yjs state vectors. A state vector maps client id → number of structs seen, so
 * it is a vector clock (Fidge/Mattern): an op stamped with its writer's state vector just before
 * it (`deps`) and its own id (client, clock) happened before op b exactly when b's writer had
 * already seen it, i.e. b.deps[a.client] > a.clock.
 */
import type { OpRecord } from './schema.js';

export type CausalOrder = 'before' | 'after' | 'concurrent' | 'equal';

type OpStamp = Pick<OpRecord, 'id' | 'client' | 'clock' | 'deps'>;

function seen(op: OpStamp, other: OpStamp): boolean {
  const c = op.deps[String(other.client)];
  return c !== undefined && c > other.clock;
}

/** How op `a` relates to op `b` in causal order ("before": a happened before b). */
export function compareOps(a: OpStamp, b: OpStamp): CausalOrder {
  if (a.client === b.client && a.clock === b.clock) return 'equal';
  if (seen(b, a)) return 'before';
  if (seen(a, b)) return 'after';
  // Ops by one client are totally ordered even when deps were recorded sparsely.
  if (a.client === b.client) return a.clock < b.clock ? 'before' : 'after';
  return 'concurrent';
}

/**
 * Ops in a causal order: every op comes after all ops that happened before it; concurrent ops
 * are ordered by wall time, then id, so every replica lists them the same way.
 */
export function causalOrder<T extends OpStamp & { atMs: number }>(ops: readonly T[]): T[] {
  const byTime = [...ops].sort(
    (a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const out: T[] = [];
  const placed = new Set<string>();
  // Kahn's algorithm over the happened-before relation; n is small (ops are operator actions).
  while (out.length < byTime.length) {
    const next = byTime.find(
      (op) =>
        !placed.has(op.id) &&
        byTime.every((o) => placed.has(o.id) || o.id === op.id || compareOps(o, op) !== 'before'),
    );
    if (!next) break;
    out.push(next);
    placed.add(next.id);
  }
  return out;
}
