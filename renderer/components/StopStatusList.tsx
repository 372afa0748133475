import type { TractorSnapshot } from '../../shared/index.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { ConfirmStep } from './ConfirmStep.js';
import { useMayCommand } from './role-gate.js';

const STATUS_TEXT: Record<TractorSnapshot['stop']['status'], string> = {
  none: 'not held',
  sent: 'stop sent — waiting',
  confirmed: 'stopped',
  lost: 'LOST — not confirmed',
};

/**
 * Per-machine stop confirmation with latency, as the operator must see it after a stop, each
 * stopped machine with its own two-step Release. Counts are machines, whatever number of stops
 * hold them.
 */
export function StopStatusList() {
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const mayRelease = useMayCommand('release');
  const held = tractors.filter((t) => t.stop.status !== 'none');
  const confirmed = held.filter((t) => t.stop.status === 'confirmed').length;
  const free = tractors.length - held.length;
  return (
    <div className="stop-status">
      <p className="stop-status__summary" role="status" data-testid="stop-summary">
        STOP ACTIVE — {confirmed} of {held.length} machine{held.length === 1 ? '' : 's'} confirmed
        stopped
        {free > 0 ? ` · ${free} released` : ''}
      </p>
      <ul className="stop-status__list" aria-label="Stop confirmations">
        {held.map((t) => (
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
            {mayRelease && t.stop.status !== 'sent' ? (
              <ConfirmStep
                label="Release"
                confirmLabel={`Release ${t.name}`}
                className="stop-status__release"
                testId={`release-${t.id}`}
                onConfirm={() => sendCommand({ type: 'release', tractorIds: [t.id] })}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
