/**
 * The station's event log as the Events tab shows it: every command with who gave it and how
 * it ended, every audited safety event (stops, confirmations, releases, COMM LOST, zones, mode
 * changes, alerts and their acknowledgements), the notices pages show as toasts, the field
 * files opened and the exports downloaded. The latest JOURNAL_LINES are kept in memory; the
 * audit log and the job's recording keep everything.
 */
import {
  describeCommand,
  type Command,
  type CommandResult,
  type EventLogEntry,
  type Severity,
} from '../../shared/index.js';
import type { AuditFields } from '../safety/index.js';

/** Lines a page is sent: a shift's worth of operator actions, small beside the snapshot. */
export const JOURNAL_LINES = 100;

/** Audit kinds that mean a machine stopped or may not be under control. */
const CRITICAL_KINDS = new Set([
  'stop',
  'comm-lost',
  'zone-violation',
  'safe-stop',
  'release-refused',
]);
const WARNING_KINDS = new Set(['zone-hold']);
const ALERT_DETAIL = /^(info|warning|critical): ([\s\S]*)$/;

export interface EventJournalParts {
  wallNow(): number;
  /** A machine's name for its id (the id when unknown). */
  nameOf(tractorId: string): string;
  /** The machines the station knows, to name them where their ids appear in a text. */
  tractorIds(): Iterable<string>;
}

export class EventJournal {
  private lines: EventLogEntry[] = [];
  private seq = 0;

  constructor(private readonly p: EventJournalParts) {}

  /** The kept lines, oldest first; the same array until a line is added. */
  list(): readonly EventLogEntry[] {
    return this.lines;
  }

  command(command: Command, actor: string, result: CommandResult): void {
    const what = describeCommand(command, (id) => this.p.nameOf(id));
    this.add(
      'command',
      result.ok ? 'info' : 'warning',
      actor,
      result.ok ? what : `${what} — refused: ${result.error.message}`,
    );
  }

  audit(fields: AuditFields): void {
    if (fields.kind === 'alert') {
      const match = ALERT_DETAIL.exec(fields.detail);
      const severity = (match?.[1] as Severity | undefined) ?? 'info';
      this.add(
        'alert',
        severity,
        this.human(fields.actor),
        this.human(match?.[2] ?? fields.detail),
      );
      return;
    }
    const severity: Severity = CRITICAL_KINDS.has(fields.kind)
      ? 'critical'
      : WARNING_KINDS.has(fields.kind)
        ? 'warning'
        : 'info';
    const text = fields.kind === 'ack' ? `acknowledged: ${fields.detail}` : fields.detail;
    this.add(
      fields.kind,
      severity,
      this.human(fields.actor),
      this.human(`${text} (${fields.subject})`),
    );
  }

  /** A toast the pages showed; one that only repeats the alert just logged is not logged twice. */
  notice(severity: Severity, message: string): void {
    const last = this.lines.at(-1);
    if (last?.kind === 'alert' && last.text === this.human(message)) return;
    this.add('notice', severity, 'station', this.human(message));
  }

  /** Anything else worth a line: an export downloaded, for example. */
  note(kind: string, severity: Severity, actor: string, text: string): void {
    this.add(kind, severity, actor, this.human(text));
  }

  private add(kind: string, severity: Severity, actor: string, text: string): void {
    const line: EventLogEntry = {
      seq: this.seq++,
      atWallMs: this.p.wallNow(),
      kind,
      severity,
      actor,
      text,
    };
    this.lines = [...this.lines.slice(-(JOURNAL_LINES - 1)), line];
  }

  /** Names each known machine where its id appears in a text. */
  private human(text: string): string {
    let out = text;
    for (const id of this.p.tractorIds()) {
      if (!out.includes(id)) continue;
      const name = this.p.nameOf(id);
      if (name !== id) out = out.split(id).join(name);
    }
    return out;
  }
}
