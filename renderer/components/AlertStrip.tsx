import { sendCommand } from '../bridge/station-bridge.js';
import { gateProps, useMayCommand } from './role-gate.js';
import { formatClock } from '../format.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';

/** Unacknowledged alerts, newest first, each with its acknowledge button; shown until acknowledged. */
export function AlertStrip() {
  const alerts = useStationStore((s) => s.snapshot?.alerts ?? EMPTY_LIST);
  const mayAck = useMayCommand('ackAlert');
  const open = alerts.filter((a) => !a.acknowledged).reverse();
  if (open.length === 0) return null;
  return (
    <section className="alert-strip" aria-label="Alerts">
      <h2 className="alert-strip__title">Alerts · {open.length} to acknowledge</h2>
      <ul className="alert-strip__list">
        {open.slice(0, 5).map((alert) => (
          <li key={alert.id} className={`alert alert--${alert.severity}`}>
            <span className="alert__text">
              <strong>{alert.message}</strong>
              <small>
                {alert.severity} · {alert.source} · {formatClock(alert.atWallMs)}
              </small>
            </span>
            <button
              type="button"
              aria-label={`Acknowledge: ${alert.message}`}
              onClick={() => void sendCommand({ type: 'ackAlert', alertId: alert.id })}
              {...gateProps(mayAck)}
            >
              {/* The whole word: axe (label-content-name-mismatch) wants the visible text in the name. */}
              Acknowledge
            </button>
          </li>
        ))}
      </ul>
      {open.length > 5 ? (
        <p className="alert-strip__more">and {open.length - 5} more in the event log</p>
      ) : null}
    </section>
  );
}
