import { useState } from 'react';
import { sectionLabels } from '../../shared/index.js';
import { moveSectionsConfirmed } from '../bridge/group-commands.js';
import { undoLastMove } from '../bridge/reassign.js';
import { formatDuration } from '../format.js';
import { reassignEffect } from '../reassign-effect.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { gateProps, useMayCommand } from './role-gate.js';

/**
 * The keyboard alternative to dragging (select sections, choose a tractor, Move) and the
 * one-click undo of the last move, offered for a while (reassign.ts, UNDO_OFFER_MS).
 */
export function ReassignBar() {
  const selected = useStationStore((s) => s.selectedSectionIds);
  const snapshot = useStationStore((s) => s.snapshot);
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const clear = useStationStore((s) => s.clearSelection);
  const lastMove = useStationStore((s) => s.lastMove);
  const allowed = useMayCommand('assignSections');
  const [target, setTarget] = useState('');
  const chosen = tractors.some((t) => t.id === target) ? target : (tractors[0]?.id ?? '');

  return (
    <div className="reassign-bar">
      {selected.length > 0 && snapshot ? (
        <div className="reassign-bar__move" role="group" aria-label="Move selected sections">
          <span>
            {selected.length} section{selected.length > 1 ? 's' : ''} selected (
            {sectionLabels(selected)})
          </span>
          <label>
            Move to{' '}
            <select
              value={chosen}
              onChange={(e) => setTarget(e.target.value)}
              aria-label="Tractor to move the sections to"
              {...gateProps(allowed)}
            >
              {tractors.map((t) => {
                const effect = reassignEffect(snapshot, selected, t.id);
                return (
                  <option key={t.id} value={t.id} disabled={!effect.canTake}>
                    {t.name}{' '}
                    {effect.canTake
                      ? `(+${formatDuration(effect.deltaS)})`
                      : `(${effect.reason ?? 'cannot'})`}
                  </option>
                );
              })}
            </select>
          </label>
          <button
            type="button"
            onClick={() => void moveSectionsConfirmed(selected, chosen)}
            {...gateProps(allowed)}
          >
            Move
          </button>
          <button type="button" onClick={clear}>
            Clear
          </button>
        </div>
      ) : null}
      {lastMove ? (
        <div className="reassign-bar__undo" role="status">
          <span>
            Moved {sectionLabels(lastMove.moves.map((m) => m.sectionId))} to{' '}
            {tractors.find((t) => t.id === lastMove.toTractorId)?.name ?? lastMove.toTractorId}
          </span>
          <button type="button" onClick={() => void undoLastMove()} {...gateProps(allowed)}>
            Undo
          </button>
        </div>
      ) : null}
    </div>
  );
}
