/** Moving sections between tractors, with one-step undo. Goes through the bridge like any command. */
import { sectionLabels, type CommandResult } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { sendCommand, type SendOptions } from './station-bridge.js';

/** How long refused sections flash on the map and in the cards. */
export const ROLLBACK_FLASH_MS = 4_000;
/**
 * How long the Undo of a move stays offered: long enough to look at the map and the drop's
 * effect, short enough that it never lingers as a stale button. The next command the page
 * sends takes it away sooner (station-bridge.ts).
 */
export const UNDO_OFFER_MS = 20_000;

type Send = typeof sendCommand;

let nextRollbackId = 1;

function nameOf(tractorId: string | null): string {
  if (tractorId === null) return 'no tractor';
  return (
    useStationStore.getState().snapshot?.tractors.find((t) => t.id === tractorId)?.name ?? tractorId
  );
}

/**
 * Sends the move and shows it as pending (new colour, dashed) until the station answers. A
 * refusal or conflict rolls it back visibly: the sections flash back to their holders and a
 * toast says who keeps them and why.
 */
export async function moveSections(
  sectionIds: readonly string[],
  tractorId: string,
  send: Send = sendCommand,
): Promise<CommandResult> {
  const store = useStationStore.getState();
  const sections = store.snapshot?.sections ?? [];
  const moves = sectionIds
    .map((sectionId) => ({
      sectionId,
      fromTractorId: sections.find((s) => s.id === sectionId)?.tractorId ?? null,
    }))
    .filter((m) => m.fromTractorId !== tractorId);
  if (moves.length === 0) return { ok: true };
  const moving = moves.map((m) => m.sectionId);
  store.setPendingMove({ sectionIds: moving, toTractorId: tractorId });
  const quiet: SendOptions = { quietRefusal: true };
  const result = await send(
    { type: 'assignSections', sectionIds: moving, tractorId },
    quiet,
  ).finally(() => useStationStore.getState().setPendingMove(null));
  const after = useStationStore.getState();
  if (result.ok) {
    const offered = { moves, toTractorId: tractorId };
    after.setLastMove(offered);
    after.clearSelection();
    globalThis.setTimeout(() => {
      if (useStationStore.getState().lastMove === offered)
        useStationStore.getState().setLastMove(null);
    }, UNDO_OFFER_MS);
    return result;
  }
  const id = nextRollbackId++;
  after.setRolledBack({ id, sectionIds: moving });
  const holders = [...new Set(moves.map((m) => nameOf(m.fromTractorId)))].join(', ');
  after.pushNotice(
    'warning',
    `Move rolled back: ${sectionLabels(moving)} ${moving.length > 1 ? 'stay' : 'stays'} with ${holders} (${result.error.code === 'conflict' ? 'conflict' : 'refused'}: ${result.error.message})`,
  );
  globalThis.setTimeout(() => {
    if (useStationStore.getState().rolledBack?.id === id)
      useStationStore.getState().setRolledBack(null);
  }, ROLLBACK_FLASH_MS);
  return result;
}

/** Puts the sections of the last move back with the tractors that held them. */
export async function undoLastMove(): Promise<void> {
  const last = useStationStore.getState().lastMove;
  if (!last) return;
  const byTractor = new Map<string, string[]>();
  for (const move of last.moves) {
    if (move.fromTractorId === null) continue;
    byTractor.set(move.fromTractorId, [
      ...(byTractor.get(move.fromTractorId) ?? []),
      move.sectionId,
    ]);
  }
  for (const [tractorId, sectionIds] of byTractor) {
    const result = await sendCommand(
      { type: 'assignSections', sectionIds, tractorId },
      { keepUndo: true },
    );
    if (!result.ok) return; // the notice explains why; keep the undo available
  }
  useStationStore.getState().setLastMove(null);
}
