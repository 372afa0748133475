import { formatDuration } from '../format.js';
import { reassignEffect } from '../reassign-effect.js';
import { useStationStore } from '../store/store.js';

/** Follows the pointer during a section drag and says what dropping here would do. */
export function DragGhost() {
  const drag = useStationStore((s) => s.drag);
  const snapshot = useStationStore((s) => s.snapshot);
  if (!drag || !snapshot) return null;
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
        Moving {drag.sectionIds[0]}
        {drag.sectionIds.length > 1 ? ` +${drag.sectionIds.length - 1}` : ''}
      </strong>
      <span>
        {target && effect
          ? effect.canTake
            ? `→ ${target.name}: +${formatDuration(effect.deltaS)}, job ETA ${formatDuration(effect.jobEtaS)}`
            : `${target.name} cannot take it (${effect.reason ?? ''})`
          : 'drop on a tractor card or marker'}
      </span>
    </div>
  );
}
