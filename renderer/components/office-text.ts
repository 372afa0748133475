/** The office page's words for how far a job is, its machines, and how fresh its news is. */
import type { OfficeMachine } from '../../shared/index.js';

/** A station heard from within this long is live; after it, the page says how old its news is. */
export const QUIET_AFTER_MS = 60_000;

export function isQuiet(lastUpdateMs: number | null, nowMs: number): boolean {
  return lastUpdateMs === null || nowMs - lastUpdateMs >= QUIET_AFTER_MS;
}

/** "live", or "last update 3 min ago" for a station that went quiet. */
export function updateAgeText(lastUpdateMs: number | null, nowMs: number): string {
  if (lastUpdateMs === null) return 'no update yet';
  const ageMs = Math.max(0, nowMs - lastUpdateMs);
  if (ageMs < QUIET_AFTER_MS) return 'live';
  const min = Math.floor(ageMs / 60_000);
  if (min < 60) return `last update ${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `last update ${h} h ago`;
  return `last update ${Math.floor(h / 24)} days ago`;
}

/** "3 machines: 2 working, 1 offline" (states as the machines recorded them). */
export function machinesText(machines: readonly OfficeMachine[]): string {
  const count = `${machines.length} ${machines.length === 1 ? 'machine' : 'machines'}`;
  if (machines.length === 0) return count;
  const byActivity = new Map<string, number>();
  for (const m of machines) {
    const activity = m.activity ?? 'not reported';
    byActivity.set(activity, (byActivity.get(activity) ?? 0) + 1);
  }
  const states = [...byActivity]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([activity, n]) => `${n} ${activity}`);
  return `${count}: ${states.join(', ')}`;
}

/** A share 0..1 as a whole percent, never 100% before it is all done. */
export function percentText(share: number): string {
  const pct = share >= 1 ? 100 : Math.min(99, Math.floor(share * 100));
  return `${pct}%`;
}
