/**
 * Structural sharing between two snapshots: every part of `next` that equals the same part of
 * `previous` is replaced by the previous object, so it keeps its identity. A selector then
 * returns the same reference when nothing in its part changed (zustand re-renders only on a new
 * reference), and map layers can skip what they drew already by comparing references. This is
 * the idea of TanStack Query's `replaceEqualDeep`, for the plain JSON data of a parsed snapshot.
 */
export function shareUnchanged<T>(previous: unknown, next: T): T {
  return share(previous, next) as T;
}

function share(previous: unknown, next: unknown): unknown {
  if (previous === next) return previous;
  if (Array.isArray(previous) && Array.isArray(next)) {
    let same = previous.length === next.length;
    const out: unknown[] = new Array<unknown>(next.length);
    for (let i = 0; i < next.length; i++) {
      const value = share(previous[i], next[i]);
      out[i] = value;
      if (value !== previous[i]) same = false;
    }
    return same ? previous : out;
  }
  if (isPlainObject(previous) && isPlainObject(next)) {
    const keys = Object.keys(next);
    let same = keys.length === Object.keys(previous).length;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = share(previous[key], next[key]);
      out[key] = value;
      if (value !== previous[key] || !(key in previous)) same = false;
    }
    return same ? previous : out;
  }
  return next;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
