/** The short texts of a fleet row, kept apart from the component so they can be tested. */
import type { AutonomyMode, TractorSnapshot } from '../../shared/index.js';

export const STATE_TEXT: Record<TractorSnapshot['state'], string> = {
  joining: 'JOINING',
  idle: 'IDLE',
  working: 'WORKING',
  turning: 'TURNING',
  paused: 'PAUSED',
  stopped: 'STOPPED',
  'comm-lost': 'COMM LOST',
  done: 'DONE',
};

/** The mode in four letters or fewer, for a row with no room for the word. */
export const MODE_SHORT: Record<AutonomyMode, string> = {
  manual: 'MAN',
  supervised: 'SUPV',
  autonomous: 'AUTO',
};

/** A stop's hold on a machine, as its row says it in place of the state. */
export function stopText(status: TractorSnapshot['stop']['status']): string {
  switch (status) {
    case 'sent':
      return 'STOP SENT…';
    case 'confirmed':
      return 'STOPPED';
    case 'lost':
      // The stop panel names it in full ("NOT CONFIRMED: …"); the row has room for two words.
      return 'NO REPLY';
    case 'none':
      return '';
  }
}

/** How long the machine took to confirm the stop, once it has. */
export function stopLatencyText(stop: TractorSnapshot['stop']): string | null {
  return stop.status === 'confirmed' && stop.latencyMs !== null
    ? `${Math.round(stop.latencyMs)} ms`
    : null;
}

/**
 * How long ago the machine was last heard, coarse enough not to flicker at every snapshot:
 * '<1 s' while it reports, then whole seconds, then minutes.
 */
export function heardAgo(ms: number | null): string {
  if (ms === null) return 'never';
  if (ms < 1_000) return '<1 s';
  if (ms < 60_000) return `${Math.floor(ms / 1_000)} s`;
  return `${Math.floor(ms / 60_000)} min`;
}

/** Link quality as 0–3 bars: lost 0, degraded or lossy 1–2, healthy 3. */
export function linkBars(link: TractorSnapshot['link']): 0 | 1 | 2 | 3 {
  if (link.state === 'lost') return 0;
  if (link.state === 'degraded') return 1;
  return link.lossPct >= LOSSY_PCT ? 2 : 3;
}

/** Above this share of lost messages a link that still answers is shown one bar down. */
const LOSSY_PCT = 5;

/** Steps the row shows a tank's level in, so it does not change with every snapshot. */
const TANK_STEP_PCT = 5;

/**
 * A machine's tank or hopper as its row says it: the share left (rounded down to 5%) and, in
 * its title, when it must refill at the rate it works; null for a machine with nothing to refill.
 */
export function tankText(tank: TractorSnapshot['tank']): { short: string; title: string } | null {
  if (!tank) return null;
  const pct = Math.floor((tank.level * 100) / TANK_STEP_PCT) * TANK_STEP_PCT;
  const what = tank.kind === 'tank' ? 'Tank' : 'Hopper';
  const minutes = Math.round(tank.nextRefillS / 60);
  const due = minutes < 1 ? 'refill due now' : `next refill in about ${minutes} min of work`;
  return { short: `${pct}%`, title: `${what} ${pct}% full; ${due}` };
}
