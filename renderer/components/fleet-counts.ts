/** The fleet list's heading counts: each machine in one count at most, as its row shows it. */
import type { TractorSnapshot } from '../../shared/index.js';

export interface FleetCounts {
  /** Working or turning, with no stop sent to it. */
  moving: number;
  /** Its stop confirmed, or reporting itself stopped. */
  stopped: number;
  /** A stop sent that it has not confirmed (its row says STOP SENT… or NO REPLY). */
  unconfirmed: number;
  lost: number;
}

export function fleetCounts(tractors: readonly TractorSnapshot[]): FleetCounts {
  const counts: FleetCounts = { moving: 0, stopped: 0, unconfirmed: 0, lost: 0 };
  for (const t of tractors) {
    if (t.state === 'comm-lost') counts.lost++;
    if (t.stop.status === 'confirmed' || t.state === 'stopped') counts.stopped++;
    else if (t.stop.status !== 'none') counts.unconfirmed++;
    else if (t.state === 'working' || t.state === 'turning') counts.moving++;
  }
  return counts;
}

/** The counts after the number of machines: '15 working · 4 stopped · 1 COMM LOST'. */
export function fleetCountsText(c: FleetCounts): string {
  return [
    `${c.moving} working`,
    c.stopped > 0 ? `${c.stopped} stopped` : '',
    c.unconfirmed > 0 ? `${c.unconfirmed} stop not confirmed` : '',
    c.lost > 0 ? `${c.lost} COMM LOST` : '',
  ]
    .filter((s) => s !== '')
    .join(' · ');
}
