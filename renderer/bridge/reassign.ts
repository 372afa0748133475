/** Moving sections between tractors, with one-step undo. Goes through the bridge like any command. */
import type { CommandResult } from '../../shared/index.js';
import { useStationStore } from '../store/store.js';
import { sendCommand } from './station-bridge.js';

export async function moveSections(
  sectionIds: readonly string[],
  tractorId: string,
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
  const result = await sendCommand({
    type: 'assignSections',
    sectionIds: moves.map((m) => m.sectionId),
    tractorId,
  });
  if (result.ok) {
    useStationStore.getState().setLastMove({ moves, toTractorId: tractorId });
    useStationStore.getState().clearSelection();
  }
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
    const result = await sendCommand({ type: 'assignSections', sectionIds, tractorId });
    if (!result.ok) return; // the notice explains why; keep the undo available
  }
  useStationStore.getState().setLastMove(null);
}
