import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';

/** Beyond this many, machines are counted rather than named: the banner stays one line. */
const NAMED_AT_MOST = 4;

function named(names: readonly string[], total: number): string {
  if (names.length === total && total > 1) return 'whole fleet';
  if (names.length <= NAMED_AT_MOST) return names.join(', ');
  return `${names.length} of ${total} machines (see the fleet list)`;
}

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
          COMM LOST:{' '}
          {named(
            lost.map((t) => t.name),
            tractors.length,
          )}
        </span>
      ) : null}
      {stopped.length > 0 ? (
        <span className="attention__item">
          STOPPED:{' '}
          {named(
            stopped.map((t) => t.name),
            tractors.length,
          )}
        </span>
      ) : null}
    </div>
  );
}
