import { formatDuration } from '../format.js';
import { reassignEffect } from '../reassign-effect.js';
import { useStationStore } from '../store/store.js';

/**
 * While a section is dragged, each machine says whether it can take it and what that costs:
 * in its fleet row in place of its facts (`inline`, the one tests and people compare at a
 * glance), and in full on its card.
 */
export function DropEffect({ tractorId, inline = false }: { tractorId: string; inline?: boolean }) {
  const drag = useStationStore((s) => s.drag);
  const snapshot = useStationStore((s) => s.snapshot);
  if (!drag || !snapshot || drag.viewOnly) return null;
  const effect = reassignEffect(snapshot, drag.sectionIds, tractorId);
  const holdsAll = drag.sectionIds.every(
    (id) => snapshot.sections.find((s) => s.id === id)?.tractorId === tractorId,
  );
  const text = holdsAll
    ? `Already holds ${drag.sectionIds.length > 1 ? 'these sections' : 'this section'}`
    : effect.canTake
      ? `Can take: +${formatDuration(effect.deltaS)} → finishes in ${formatDuration(effect.newEtaS)} (job ${formatDuration(effect.jobEtaS)})`
      : `Cannot take: ${effect.reason ?? ''}`;
  const className = `drop-effect${inline ? ' drop-effect--inline' : ''}${effect.canTake && !holdsAll ? '' : ' drop-effect--refused'}`;
  if (inline)
    return (
      <span
        className={className}
        title={text}
        {...(holdsAll ? {} : { 'data-testid': `drop-effect-${tractorId}` })}
      >
        {text}
      </span>
    );
  return <p className={className}>{text}</p>;
}
