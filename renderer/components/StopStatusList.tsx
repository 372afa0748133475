import type { TractorSnapshot } from '../../shared/index.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';

const STATUS_TEXT: Record<TractorSnapshot['stop']['status'], string> = {
  none: 'not held',
  sent: 'stop sent — waiting',
  confirmed: 'stopped',
  lost: 'LOST — not confirmed',
};

/** Per-tractor stop confirmation with latency, as the operator must see it after a stop. */
export function StopStatusList() {
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const stops = useStationStore((s) => s.snapshot?.stops ?? EMPTY_LIST);
  const confirmed = stops.reduce((sum, stop) => sum + stop.confirmed, 0);
  const total = stops.reduce((sum, stop) => sum + stop.total, 0);
  return (
    <div className="stop-status">
      <p className="stop-status__summary" role="status">
        STOP ACTIVE — {confirmed}/{total} confirmed
      </p>
      <ul className="stop-status__list" aria-label="Stop confirmations">
        {tractors
          .filter((t) => t.stop.status !== 'none')
          .map((t) => (
            <li
              key={t.id}
              className={`stop-status__item stop-status__item--${t.stop.status}`}
              data-testid={`stop-status-${t.id}`}
              data-status={t.stop.status}
            >
              <span className="stop-status__name">{t.name}</span>
              <span className="stop-status__text">
                {STATUS_TEXT[t.stop.status]}
                {t.stop.latencyMs !== null ? ` · ${Math.round(t.stop.latencyMs)} ms` : ''}
              </span>
            </li>
          ))}
      </ul>
    </div>
  );
}
