/**
 * The releases a station remembers: a machine that names a stop it was released from is sent
 * the release again; a fleet stop released until it held no machine frees every machine, also
 * one that heard its broadcast before the station knew it (rejoining after a restart).
 */
import { describe, expect, it } from 'vitest';
import { ReleaseHistory } from './release-history.js';

describe('release history', () => {
  it('answers for the machines released from a stop, and no other', () => {
    const history = new ReleaseHistory();
    history.released('stop-a-1', ['sim-01']);
    expect(history.releasedFor('stop-a-1', 'sim-01')?.id).toBe('stop-a-1');
    expect(history.releasedFor('stop-a-1', 'sim-02')).toBeUndefined();
  });

  it('answers for any machine once a fleet stop was released to the end, across a restart', () => {
    const history = new ReleaseHistory();
    history.released('fast-b-1', ['sim-03']);
    expect(history.releasedFor('fast-b-1', 'sim-01')).toBeUndefined();
    history.released('fast-b-1', ['sim-02'], true);
    expect(history.releasedFor('fast-b-1', 'sim-01')?.id).toBe('fast-b-1');

    const restored = new ReleaseHistory();
    restored.restore(
      JSON.parse(JSON.stringify(history.all())) as ReturnType<ReleaseHistory['all']>,
    );
    expect(restored.releasedFor('fast-b-1', 'sim-01')?.id).toBe('fast-b-1');
    expect(restored.releasedFor('stop:00000000', 'sim-01')).toBeUndefined();
  });
});
