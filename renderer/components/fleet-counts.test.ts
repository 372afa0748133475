import { describe, expect, it } from 'vitest';
import type { TractorSnapshot } from '../../shared/index.js';
import { fleetCounts, fleetCountsText } from './fleet-counts.js';

const tractor = (
  state: TractorSnapshot['state'],
  stop: TractorSnapshot['stop']['status'] = 'none',
): TractorSnapshot =>
  ({ id: 'sim-01', state, stop: { status: stop, latencyMs: null } }) as TractorSnapshot;

describe('the fleet list counts', () => {
  it('count each machine once, as its row shows it, while a stop reaches the fleet', () => {
    // Moments after STOP ALL: the machines still report driving until their stop lands.
    const fleet = [
      tractor('working', 'confirmed'),
      tractor('turning', 'sent'),
      tractor('stopped', 'confirmed'),
      tractor('comm-lost', 'lost'),
      tractor('working'),
      tractor('paused'),
    ];
    const counts = fleetCounts(fleet);
    expect(counts).toEqual({ moving: 1, stopped: 2, unconfirmed: 2, lost: 1 });
    expect(counts.moving + counts.stopped + counts.unconfirmed).toBeLessThanOrEqual(fleet.length);
    expect(fleetCountsText(counts)).toBe(
      '1 working · 2 stopped · 2 stop not confirmed · 1 COMM LOST',
    );
  });

  it('say only what there is', () => {
    expect(fleetCountsText(fleetCounts([tractor('working'), tractor('idle')]))).toBe('1 working');
  });
});
