/**
 * The lines of the Events tab, from a live station's event log (with the alerts kept from
 * before it started) or from a replay's recorded events; and the groups an operator filters by.
 */
import type { AlertSnapshot, EventLogEntry, ReplayEvent, Severity } from '../../shared/index.js';

export interface EventLine {
  key: string;
  atWallMs: number;
  kind: string;
  severity: Severity;
  actor: string;
  text: string;
}

export type EventGroup = 'all' | 'commands' | 'stops' | 'alerts' | 'modes' | 'files' | 'notices';

export const EVENT_GROUPS: { id: EventGroup; label: string }[] = [
  { id: 'all', label: 'all events' },
  { id: 'commands', label: 'commands' },
  { id: 'stops', label: 'stops, confirmations, releases' },
  { id: 'alerts', label: 'alerts' },
  { id: 'modes', label: 'modes and zones' },
  { id: 'files', label: 'field files and exports' },
  { id: 'notices', label: 'notices' },
];

const STOP_KINDS = new Set([
  'stop',
  'confirm',
  'release',
  'release-refused',
  'safe-stop',
  'comm-lost',
  'comm-restored',
]);

export function groupOf(line: EventLine): Exclude<EventGroup, 'all'> {
  if (line.kind === 'command')
    return /^open field file |^export/.test(line.text) ? 'files' : 'commands';
  if (line.kind === 'export') return 'files';
  if (line.kind === 'alert' || line.kind === 'ack') return 'alerts';
  if (STOP_KINDS.has(line.kind)) return 'stops';
  if (line.kind.startsWith('mode') || line.kind.startsWith('zone')) return 'modes';
  return 'notices';
}

/**
 * A live station's lines, newest first: its event log, and before it the alerts it kept from an
 * earlier run (a restarted station's log starts empty; its alerts persist).
 */
export function liveLines(
  events: readonly EventLogEntry[],
  alerts: readonly AlertSnapshot[],
): EventLine[] {
  const since = events[0]?.atWallMs ?? Infinity;
  const earlier: EventLine[] = alerts
    .filter((a) => a.atWallMs < since)
    .map((a) => ({
      key: a.id,
      atWallMs: a.atWallMs,
      kind: 'alert',
      severity: a.severity,
      actor: a.source,
      text: `${a.message}${a.acknowledged ? ' (acknowledged)' : ''}`,
    }));
  const logged: EventLine[] = events.map((e) => ({ ...e, key: `log-${e.seq}` }));
  return [...earlier, ...logged].reverse();
}

/** A replay's recorded events, newest first, with the recorded machines named. */
export function replayLines(
  events: readonly ReplayEvent[],
  names: ReadonlyMap<string, string> = new Map(),
): EventLine[] {
  const human = (text: string): string => {
    let out = text;
    for (const [id, name] of names) if (out.includes(id)) out = out.split(id).join(name);
    return out;
  };
  return events
    .map((e, i) => ({
      key: `${e.atMs}-${i}`,
      atWallMs: e.atWallMs,
      kind: e.kind,
      severity: replaySeverity(e),
      actor: human(e.actor),
      text: human(
        e.kind === 'command' ? `${e.subject} — ${e.detail}` : `${e.detail} (${e.subject})`,
      ),
    }))
    .reverse();
}

function replaySeverity(e: ReplayEvent): Severity {
  if (['stop', 'comm-lost', 'zone-violation', 'safe-stop', 'release-refused'].includes(e.kind))
    return 'critical';
  if (e.kind === 'alert')
    return /^critical:/.test(e.detail)
      ? 'critical'
      : /^warning:/.test(e.detail)
        ? 'warning'
        : 'info';
  if (e.kind === 'command') return e.detail.startsWith('refused') ? 'warning' : 'info';
  return e.kind === 'zone-hold' ? 'warning' : 'info';
}
