import { useState } from 'react';
import type { ReplayEvent, Severity } from '../../shared/index.js';
import { formatClock } from '../format.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';

type Filter = 'all' | Severity;

/** Every alert the station kept, newest first, filterable by severity. */
export function EventLog() {
  const alerts = useStationStore((s) => s.snapshot?.alerts ?? EMPTY_LIST);
  const replayEvents = useStationStore((s) => s.snapshot?.replay?.events ?? null);
  const [filter, setFilter] = useState<Filter>('all');
  if (replayEvents) return <ReplayEventLog events={replayEvents} />;
  const shown = alerts
    .filter((a) => filter === 'all' || a.severity === filter)
    .slice()
    .reverse();
  return (
    <section className="event-log" aria-label="Event log">
      <label className="event-log__filter">
        Show{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
          <option value="all">all events</option>
          <option value="critical">critical</option>
          <option value="warning">warnings</option>
          <option value="info">info</option>
        </select>
      </label>
      {shown.length === 0 ? <p className="event-log__empty">No events yet.</p> : null}
      <ol className="event-log__list">
        {shown.map((a) => (
          <li key={a.id} className={`event event--${a.severity}`}>
            <time>{formatClock(a.atWallMs)}</time> <span>{a.message}</span>{' '}
            <small>
              {a.source}
              {a.acknowledged ? ' · acknowledged' : ''}
            </small>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A replay's log: the recorded commands and safety events up to the replay time, newest first. */
function ReplayEventLog({ events }: { events: readonly ReplayEvent[] }) {
  const shown = events.slice().reverse();
  return (
    <section className="event-log" aria-label="Event log">
      <p className="event-log__filter">Recorded events up to the replay time</p>
      {shown.length === 0 ? <p className="event-log__empty">No events yet.</p> : null}
      <ol className="event-log__list">
        {shown.map((e, i) => (
          <li key={`${e.atMs}-${i}`} className={`event event--${replaySeverity(e.kind)}`}>
            <time>{formatClock(e.atWallMs)}</time>{' '}
            <span>
              {e.kind === 'command'
                ? `${e.subject}: ${e.detail}`
                : `${e.kind} ${e.subject}: ${e.detail}`}
            </span>{' '}
            <small>{e.actor}</small>
          </li>
        ))}
      </ol>
    </section>
  );
}

function replaySeverity(kind: string): Severity {
  if (kind === 'stop' || kind === 'comm-lost' || kind === 'zone-violation' || kind === 'safe-stop')
    return 'critical';
  if (kind === 'command' || kind === 'ack') return 'info';
  return 'warning';
}
