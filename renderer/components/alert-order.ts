/** The order and grouping of the alerts to acknowledge, apart from the component for tests. */
import type { AlertSnapshot, Severity } from '../../shared/index.js';

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** Unacknowledged alerts, the most severe first and within a severity the newest first. */
export function openAlerts(alerts: readonly AlertSnapshot[]): AlertSnapshot[] {
  return alerts
    .filter((a) => !a.acknowledged)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.atWallMs - a.atWallMs);
}

/** How many alerts of each severity are in a list. */
export function countBySeverity(alerts: readonly AlertSnapshot[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const a of alerts) counts[a.severity]++;
  return counts;
}

/** "2 critical, 9 info" (severities with none left out). */
export function describeCounts(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s === 'warning' ? (counts[s] === 1 ? 'warning' : 'warnings') : s}`)
    .join(', ');
}
