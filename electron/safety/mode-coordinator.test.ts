import { describe, expect, it } from 'vitest';
import { MODE_REPLY_TIMEOUT_MS, MODE_SETTLE_MS, ModeCoordinator } from './mode-coordinator.js';

describe('mode coordinator', () => {
  it('commits only when every target has accepted', () => {
    const modes = new ModeCoordinator();
    const started = modes.request('fleet', ['a', 'b'], 'supervised', 0, 'operator');
    if (!started.ok) throw new Error(started.reason);
    const id = started.change.requestId;
    expect(modes.reply('a', id, true, '', 10)).toBeNull();
    expect(modes.reply('b', id, true, '', 20)).toMatchObject({ kind: 'committed' });
    expect(modes.pending()).toBeNull();
  });

  it('aborts for all on one refusal, naming who and why', () => {
    const modes = new ModeCoordinator();
    const started = modes.request('fleet', ['a', 'b', 'c'], 'autonomous', 0, 'operator');
    if (!started.ok) throw new Error(started.reason);
    modes.reply('a', started.change.requestId, true, '', 1);
    const outcome = modes.reply('b', started.change.requestId, false, 'stopped', 2);
    expect(outcome).toMatchObject({
      kind: 'aborted',
      refusals: [{ tractorId: 'b', reason: 'stopped' }],
    });
    // A late answer to the aborted request changes nothing.
    expect(modes.reply('c', started.change.requestId, true, '', 3)).toBeNull();
  });

  it('aborts when a tractor does not answer in time', () => {
    const modes = new ModeCoordinator();
    const started = modes.request('fleet', ['a', 'b'], 'manual', 0, 'operator');
    if (!started.ok) throw new Error(started.reason);
    modes.reply('a', started.change.requestId, true, '', 1);
    expect(modes.tick(MODE_REPLY_TIMEOUT_MS - 1)).toBeNull();
    expect(modes.tick(MODE_REPLY_TIMEOUT_MS)).toMatchObject({
      kind: 'aborted',
      refusals: [{ tractorId: 'b', reason: 'no answer' }],
    });
  });

  it('refuses a second change while one is under way, and ignores foreign answers', () => {
    const modes = new ModeCoordinator();
    const started = modes.request('fleet', ['a'], 'manual', 0, 'operator');
    if (!started.ok) throw new Error(started.reason);
    expect(modes.request('fleet', ['a'], 'autonomous', 1, 'operator').ok).toBe(false);
    expect(modes.reply('z', started.change.requestId, true, '', 2)).toBeNull();
    expect(modes.reply('a', started.change.requestId + 1, true, '', 2)).toBeNull();
  });

  it('reports tractors still in another mode after a commit has settled', () => {
    const modes = new ModeCoordinator();
    const started = modes.request('fleet', ['a', 'b'], 'supervised', 0, 'operator');
    if (!started.ok) throw new Error(started.reason);
    modes.reply('a', started.change.requestId, true, '', 0);
    modes.reply('b', started.change.requestId, true, '', 0);
    const reported = new Map([
      ['a', 'supervised' as const],
      ['b', 'autonomous' as const],
    ]);
    expect(modes.mismatched(reported, 10)).toEqual([]);
    expect(modes.mismatched(reported, MODE_SETTLE_MS)).toEqual(['b']);
  });
});
