/**
 * Where what the station does is told: the pages subscribed to it (a fresh snapshot, each with
 * its sequence number, and toasts), the Events tab's journal, the hash-chained audit log and the
 * job's recording. A safety event that cannot be written is alerted; it never undoes the event.
 */
import type {
  Command,
  CommandResult,
  EventLogEntry,
  Severity,
  StationEvent,
  StationSnapshot,
} from '../../shared/index.js';
import type { StationRecorder } from '../records/index.js';
import type { AuditFields, AuditLog } from '../safety/index.js';
import type { Clock } from '../time/index.js';
import { EventJournal } from './event-journal.js';
import type { FaultReporter } from './fault-reporter.js';

export interface StationFeedParts {
  clock: Clock;
  /** The station's snapshot as it stands (it reads `seq`). */
  snapshot(): StationSnapshot;
  /** The open job's id, for the recording. */
  jobId(): string;
  nameOf(tractorId: string): string;
  tractorIds(): Iterable<string>;
  faults: FaultReporter;
  audit?: AuditLog | undefined;
  recorder?: StationRecorder | undefined;
}

export class StationFeed {
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly journal: EventJournal;
  private published = 0;

  constructor(private readonly p: StationFeedParts) {
    this.journal = new EventJournal({
      wallNow: () => p.clock.wallNow(),
      nameOf: (id) => p.nameOf(id),
      tractorIds: () => p.tractorIds(),
    });
  }

  /** Increases per published snapshot. */
  get seq(): number {
    return this.published;
  }

  /** The Events tab's lines, oldest first. */
  events(): readonly EventLogEntry[] {
    return this.journal.list();
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A fresh snapshot to every page subscribed (none is built without one). */
  publish(): void {
    if (this.listeners.size === 0) return;
    this.published++;
    this.emit({ type: 'state', snapshot: this.p.snapshot() });
  }

  /** A toast, and a line in the Events tab. */
  notice(severity: Severity, message: string): void {
    this.journal.notice(severity, message);
    this.emit({ type: 'notice', severity, message, atWallMs: this.p.clock.wallNow() });
  }

  audit(fields: AuditFields): void {
    // A safety event that cannot be written is alerted; it never undoes the event itself.
    this.p.faults.run('audit log', () => this.p.audit?.append(fields));
    this.p.faults.run('recording', () => this.p.recorder?.audit(this.p.jobId(), fields));
    this.journal.audit(fields);
  }

  /** A command and its result, in the recording and the event log. */
  command(command: Command, actor: string, result: CommandResult): void {
    this.p.recorder?.command(this.p.jobId(), command, actor, result);
    this.journal.command(command, actor, result);
  }

  /** A line in the event log for something done outside a command. */
  note(kind: string, severity: Severity, actor: string, text: string): void {
    this.journal.note(kind, severity, actor, text);
  }

  private emit(event: StationEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
