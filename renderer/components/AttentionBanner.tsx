import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';

/** COMM LOST and stopped machines named across the top of the map: impossible to miss. */
export function AttentionBanner() {
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const lost = tractors.filter((t) => t.state === 'comm-lost');
  const stopped = tractors.filter((t) => t.state === 'stopped');
  if (lost.length === 0 && stopped.length === 0) return null;
  return (
    <div className="attention" role="alert" data-testid="attention-banner">
      {lost.length > 0 ? (
        <span className="attention__item attention__item--lost">
          COMM LOST: {lost.map((t) => t.name).join(', ')}
        </span>
      ) : null}
      {stopped.length > 0 ? (
        <span className="attention__item">
          STOPPED:{' '}
          {stopped.length === tractors.length
            ? 'whole fleet'
            : stopped.map((t) => t.name).join(', ')}
        </span>
      ) : null}
    </div>
  );
}
