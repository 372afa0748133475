import type { Severity } from '../../shared/index.js';
import { sendCommand } from '../bridge/station-bridge.js';
import { formatClock } from '../format.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import { SEVERITIES, countBySeverity, describeCounts, openAlerts } from './alert-order.js';
import { gateProps, useMayCommand } from './role-gate.js';

/** Alerts listed at once; the others are counted (and all are in the Events tab). */
const SHOWN_AT_MOST = 3;

const SEVERITY_NAME: Record<Severity, string> = {
  critical: 'critical',
  warning: 'warnings',
  info: 'info',
};

/**
 * The alerts to acknowledge, most severe first and newest first within a severity (a new info
 * never pushes a critical one down), each with its Acknowledge; a severity with several open
 * has one button that acknowledges exactly those shown to this page. Kept until acknowledged.
 */
export function AlertStrip() {
  const alerts = useStationStore((s) => s.snapshot?.alerts ?? EMPTY_LIST);
  const mayAck = useMayCommand('ackAlert');
  const open = openAlerts(alerts);
  if (open.length === 0) return null;
  const shown = open.slice(0, SHOWN_AT_MOST);
  const hidden = open.slice(SHOWN_AT_MOST);
  const bySeverity = SEVERITIES.map((severity) => ({
    severity,
    ids: open.filter((a) => a.severity === severity).map((a) => a.id),
  })).filter((g) => g.ids.length > 1);
  return (
    <section className="alert-strip" aria-label="Alerts">
      <h2 className="alert-strip__title">
        Alerts · {open.length} to acknowledge
        <small> ({describeCounts(countBySeverity(open))})</small>
      </h2>
      {/* Said under the title, where it is seen without scrolling the strip. */}
      {hidden.length > 0 ? (
        <p className="alert-strip__more" data-testid="alerts-hidden">
          {hidden.length} more not shown ({describeCounts(countBySeverity(hidden))}) — all in the
          Events tab
        </p>
      ) : null}
      {bySeverity.length > 0 ? (
        <div className="alert-strip__all" role="group" aria-label="Acknowledge by severity">
          {bySeverity.map(({ severity, ids }) => (
            <button
              key={severity}
              type="button"
              className={`alert-strip__ack-all alert-strip__ack-all--${severity}`}
              data-testid={`ack-all-${severity}`}
              onClick={() => void sendCommand({ type: 'ackAlerts', alertIds: ids })}
              {...gateProps(mayAck)}
            >
              Acknowledge all {ids.length} {SEVERITY_NAME[severity]}
            </button>
          ))}
        </div>
      ) : null}
      <ul className="alert-strip__list">
        {shown.map((alert) => (
          <li
            key={alert.id}
            className={`alert alert--${alert.severity}`}
            data-testid="open-alert"
            data-severity={alert.severity}
          >
            <span className="alert__text">
              <strong>{alert.message}</strong>
              <small>
                <span className={`alert__severity alert__severity--${alert.severity}`}>
                  {alert.severity.toUpperCase()}
                </span>{' '}
                · {alert.source} · {formatClock(alert.atWallMs)}
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
    </section>
  );
}
