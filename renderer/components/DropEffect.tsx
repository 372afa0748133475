import { formatDuration } from '../format.js';
import { reassignEffect } from '../reassign-effect.js';
import { useStationStore } from '../store/store.js';

/** While a section is dragged, each card says whether it can take it and what that costs. */
export function DropEffect({ tractorId }: { tractorId: string }) {
  const drag = useStationStore((s) => s.drag);
  const snapshot = useStationStore((s) => s.snapshot);
  if (!drag || !snapshot) return null;
  const effect = reassignEffect(snapshot, drag.sectionIds, tractorId);
  const holdsAll = drag.sectionIds.every(
    (id) => snapshot.sections.find((s) => s.id === id)?.tractorId === tractorId,
  );
  if (holdsAll)
    return (
      <p className="drop-effect drop-effect--refused">
        Already holds {drag.sectionIds.length > 1 ? 'these sections' : 'this section'}
      </p>
    );
  return (
    <p
      className={`drop-effect${effect.canTake ? '' : ' drop-effect--refused'}`}
      data-testid={`drop-effect-${tractorId}`}
    >
      {effect.canTake
        ? `Can take: +${formatDuration(effect.deltaS)} → finishes in ${formatDuration(effect.newEtaS)} (job ${formatDuration(effect.jobEtaS)})`
        : `Cannot take: ${effect.reason ?? ''}`}
    </p>
  );
}
