import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command, CommandResult, StationSnapshot } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { sendCommand } from './station-bridge.js';
import { moveSections, ROLLBACK_FLASH_MS, UNDO_OFFER_MS } from './reassign.js';

function snapshot(): StationSnapshot {
  const tractor = (id: string, name: string) => ({ id, name }) as StationSnapshot['tractors'][0];
  const section = (id: string, tractorId: string) =>
    ({ id, tractorId }) as StationSnapshot['sections'][0];
  return {
    tractors: [tractor('t1', 'Tractor 1'), tractor('t2', 'Tractor 2')],
    sections: [section('S1', 't1'), section('S2', 't1')],
  } as StationSnapshot;
}

/** A send that records the command and answers when the test says so. */
function deferredSend() {
  const sent: Command[] = [];
  let answer: (result: CommandResult) => void = () => undefined;
  const send = (command: Command) => {
    sent.push(command);
    return new Promise<CommandResult>((resolve) => (answer = resolve));
  };
  return { send, sent, answer: (result: CommandResult) => answer(result) };
}

describe('moving sections', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useStationStore.setState({
      snapshot: snapshot(),
      notices: [],
      lastMove: null,
      pendingMove: null,
      rolledBack: null,
      selectedSectionIds: ['S1', 'S2'],
    });
  });
  afterEach(() => vi.useRealTimers());

  it('shows the move as pending until the station answers, then offers undo', async () => {
    const station = deferredSend();
    const done = moveSections(['S1', 'S2'], 't2', station.send);
    expect(station.sent).toEqual([
      { type: 'assignSections', sectionIds: ['S1', 'S2'], tractorId: 't2' },
    ]);
    expect(useStationStore.getState().pendingMove).toEqual({
      sectionIds: ['S1', 'S2'],
      toTractorId: 't2',
    });
    station.answer({ ok: true });
    await done;
    const after = useStationStore.getState();
    expect(after.pendingMove).toBeNull();
    expect(after.rolledBack).toBeNull();
    expect(after.lastMove?.toTractorId).toBe('t2');
    expect(after.selectedSectionIds).toEqual([]);
  });

  it('rolls a refused move back visibly: flash, a toast naming the holder and why, no undo', async () => {
    const station = deferredSend();
    const done = moveSections(['S1'], 't2', station.send);
    station.answer({
      ok: false,
      error: { code: 'refused', message: 'Tractor 2 is out of contact and cannot take work' },
    });
    await done;
    const after = useStationStore.getState();
    expect(after.pendingMove).toBeNull();
    expect(after.lastMove).toBeNull();
    expect(after.rolledBack?.sectionIds).toEqual(['S1']);
    expect(after.notices.map((n) => [n.severity, n.message])).toEqual([
      [
        'warning',
        'Move rolled back: S1 stays with Tractor 1 (refused: Tractor 2 is out of contact and cannot take work)',
      ],
    ]);
    // The selection stays, so the operator can try another tractor at once.
    expect(after.selectedSectionIds).toEqual(['S1', 'S2']);
    vi.advanceTimersByTime(ROLLBACK_FLASH_MS);
    expect(useStationStore.getState().rolledBack).toBeNull();
  });

  it('says "conflict" when another station changed the plan first', async () => {
    const station = deferredSend();
    const done = moveSections(['S1', 'S2'], 't2', station.send);
    station.answer({ ok: false, error: { code: 'conflict', message: 'the plan changed' } });
    await done;
    expect(useStationStore.getState().notices.at(-1)?.message).toBe(
      'Move rolled back: S1, S2 stay with Tractor 1 (conflict: the plan changed)',
    );
  });

  it('offers the undo for a while only, and no longer once another command is sent', async () => {
    const station = deferredSend();
    let done = moveSections(['S1'], 't2', station.send);
    station.answer({ ok: true });
    await done;
    expect(useStationStore.getState().lastMove).not.toBeNull();
    vi.advanceTimersByTime(UNDO_OFFER_MS - 1);
    expect(useStationStore.getState().lastMove).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(useStationStore.getState().lastMove).toBeNull();

    done = moveSections(['S2'], 't2', station.send);
    station.answer({ ok: true });
    await done;
    expect(useStationStore.getState().lastMove?.moves[0]?.sectionId).toBe('S2');
    await sendCommand({ type: 'pauseJob' });
    expect(useStationStore.getState().lastMove).toBeNull();
  });

  it('sends nothing when the tractor already holds every section', async () => {
    const station = deferredSend();
    expect(await moveSections(['S1'], 't1', station.send)).toEqual({ ok: true });
    expect(station.sent).toEqual([]);
  });
});
