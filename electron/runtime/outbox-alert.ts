import type { StartupAlert } from '../station/index.js';

/**
 * The station's alerts at start, with the one its fleet outbox raised when it found its log
 * damaged or emptied (logged too): the operator sees which messages may be lost, and a hold.
 */
export function startupAlertsWithOutbox(
  given: readonly StartupAlert[] | undefined,
  outboxProblem: { message: string; hold: boolean } | null | undefined,
  log: (line: string) => void,
): StartupAlert[] {
  const alerts = [...(given ?? [])];
  if (outboxProblem) {
    const { message, hold } = outboxProblem;
    log(`link: ${message}`);
    alerts.push({ severity: hold ? 'critical' : 'warning', source: 'station', message, hold });
  }
  return alerts;
}
