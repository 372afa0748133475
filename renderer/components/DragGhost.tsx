import { sectionLabel } from '../../shared/index.js';
import { formatDuration } from '../format.js';
import { reassignEffect } from '../reassign-effect.js';
import { useStationStore } from '../store/store.js';
import { VIEWER_HINT } from './role-gate.js';

/** Follows the pointer during a section drag and says what dropping here would do. */
export function DragGhost() {
  const drag = useStationStore((s) => s.drag);
  const snapshot = useStationStore((s) => s.snapshot);
  if (!drag || !snapshot) return null;
  if (drag.viewOnly)
    return (
      <div
        className="drag-ghost drag-ghost--refused"
        style={{ left: drag.x + 14, top: drag.y + 14 }}
        role="status"
        data-testid="drag-ghost"
      >
        <strong>{VIEWER_HINT.charAt(0).toUpperCase() + VIEWER_HINT.slice(1)}</strong>
        <span>A viewer sees the sections but cannot move them; ask an operator.</span>
      </div>
    );
  const target = drag.overTractorId
    ? snapshot.tractors.find((t) => t.id === drag.overTractorId)
    : undefined;
  const effect = target ? reassignEffect(snapshot, drag.sectionIds, target.id) : null;
  return (
    <div
      className="drag-ghost"
      style={{ left: drag.x + 14, top: drag.y + 14 }}
      role="status"
      data-testid="drag-ghost"
    >
      <strong>
        Moving {sectionLabel(drag.sectionIds[0] ?? '')}
        {drag.sectionIds.length > 1 ? ` +${drag.sectionIds.length - 1}` : ''}
      </strong>
      <span>
        {target && effect
          ? effect.canTake
            ? `→ ${target.name}: +${formatDuration(effect.deltaS)}, job ETA ${formatDuration(effect.jobEtaS)}`
            : `${target.name} cannot take it (${effect.reason ?? ''})`
          : 'drop on a machine in the fleet list or on the map'}
      </span>
    </div>
  );
}
