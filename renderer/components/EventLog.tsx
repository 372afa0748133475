import { useState } from 'react';
import { formatClock } from '../format.js';
import { EMPTY_LIST } from '../store/empty.js';
import { useStationStore } from '../store/store.js';
import {
  EVENT_GROUPS,
  groupOf,
  liveLines,
  replayLines,
  type EventGroup,
  type EventLine,
} from './event-lines.js';

/**
 * The station's whole log, newest first, as a replay of the job shows it too: commands with
 * who gave them, stops, confirmations and releases, alerts, mode changes, field files opened,
 * exports and the notices shown as toasts; filterable by kind.
 */
export function EventLog() {
  const events = useStationStore((s) => s.snapshot?.events ?? EMPTY_LIST);
  const alerts = useStationStore((s) => s.snapshot?.alerts ?? EMPTY_LIST);
  const replayEvents = useStationStore((s) => s.snapshot?.replay?.events ?? null);
  const tractors = useStationStore((s) => s.snapshot?.tractors ?? EMPTY_LIST);
  const [group, setGroup] = useState<EventGroup>('all');
  const lines = replayEvents
    ? replayLines(replayEvents, new Map(tractors.map((t) => [t.id, t.name])))
    : liveLines(events, alerts);
  const shown = group === 'all' ? lines : lines.filter((l) => groupOf(l) === group);
  return (
    <section className="event-log" aria-label="Event log">
      {replayEvents ? (
        <p className="event-log__note">Recorded events up to the replay time</p>
      ) : null}
      <label className="event-log__filter">
        Show{' '}
        <select value={group} onChange={(e) => setGroup(e.target.value as EventGroup)}>
          {EVENT_GROUPS.map((g) => (
            <option key={g.id} value={g.id}>
              {g.label}
            </option>
          ))}
        </select>
      </label>
      {shown.length === 0 ? <p className="event-log__empty">No events yet.</p> : null}
      <ol className="event-log__list">
        {shown.map((line) => (
          <EventItem key={line.key} line={line} />
        ))}
      </ol>
    </section>
  );
}

function EventItem({ line }: { line: EventLine }) {
  return (
    <li className={`event event--${line.severity}`} data-testid="event" data-kind={line.kind}>
      <time>{formatClock(line.atWallMs)}</time> <span className="event__kind">{line.kind}</span>{' '}
      <span className="event__text">{line.text}</span> <small>{line.actor}</small>
    </li>
  );
}
