/**
 * The station core: wires its parts (the job, work dispatch, tractor contact, stops, modes,
 * zones, alerts, persistence), applies operator commands, runs housekeeping and publishes
 * snapshots. It talks to tractors only through a StationPort and to time only
 * through a Clock, so the same code runs in the desktop app, the headless server and
 * deterministic tests.
 */
import { everyMachineDone } from './job-finish.js';
import {
  commandFailed,
  commandOk,
  type AlertSnapshot,
  type Basemap,
  type LonLat,
  type Command,
  type CommandResult,
  type JobState,
  type Severity,
  type StationEvent,
  type StationSnapshot,
} from '../../shared/index.js';
import {
  PlanningError,
  type AllocationPlan,
  type FieldPlanner,
  type Operation,
  type PlanOptions,
  type RefillPlan,
  type ValidField,
} from '../fleet/index.js';
import type { StationPort } from '../link/index.js';
import type { JobHistory, JobStore, StationRecorder } from '../records/index.js';
import type { AuditFields, AuditLog, FleetKey } from '../safety/index.js';
import { SafetyCore, type SafetyCorePort } from '../safety-core/index.js';
import type { JobDoc } from '../sync/index.js';
import { StallGuard, type Clock } from '../time/index.js';
import { AlertList } from './alert-list.js';
import {
  describeAddressChange,
  type CanAddressChange,
  type CanAddressFeed,
} from './can-address.js';
import { EventJournal } from './event-journal.js';
import { FaultReporter } from './fault-reporter.js';
import { deleteFromHistory, jobSummaries, undeleteFromHistory } from './job-history-commands.js';
import { JobPersistence } from './job-persistence.js';
import { JobSession } from './job-session.js';
import { recoverAtStart } from './start-recovery.js';
import { ModeControl } from './mode-control.js';
import { buildSnapshot } from './snapshot-builder.js';
import type { JobHooks, StationServices } from './station-services.js';
import { StopControl } from './stop-control.js';
import { TractorContact } from './tractor-contact.js';
import type { TractorLinkStatus, TractorRecord } from './tractor-record.js';
import { WorkDispatch, type BoundaryEdit } from './work-dispatch.js';
import { LiveRebalance } from './live-rebalance.js';
import { ZoneControl } from './zone-control.js';

/** Station housekeeping period: comm-loss checks and stop repeats. */
const HOUSEKEEPING_MS = 25;
/** Snapshots are pushed to UIs at most this often. */
const PUBLISH_MS = 200;
/** The job record is written at most this often while it changes. */
const PERSIST_MS = 2_000;

/**
 * The station's safety core: a worker's, or one made here in this thread on the station's end
 * of the fleet link and the fleet key (releases are authenticated under it).
 */
export type StationCore = { core: SafetyCorePort } | { port: StationPort; fleetKey: FleetKey };

export type StationOptions = StationBaseOptions & StationCore;

export interface StationBaseOptions {
  clock: Clock;
  field: ValidField;
  /** Planning options (swath width, headland passes, section length, work direction). */
  plan: Partial<PlanOptions>;
  /** The fleet the station runs, when it knows it: sets the section length `plan` leaves open. */
  fleetSize?: number;
  operation?: Operation;
  /** Where the machines refill their tanks or hoppers (WGS84, on or near the field's edge). */
  refillPoint?: LonLat;
  name: string;
  softwareVersion: string;
  store?: JobStore;
  /**
   * Folder for the job's shared document (electron/sync): sections, assignments, coverage,
   * e-stops and alerts are written there and read back on restart.
   */
  syncDir?: string;
  /** Link quality per tractor as the fleet link measures it (absent for in-process links). */
  linkStatus?: () => readonly TractorLinkStatus[];
  /** Offline basemap the UI should draw, if any. */
  basemap?: Basemap | null;
  /** Tamper-evident log every safety event is written to (electron/safety/audit-log.ts). */
  audit?: AuditLog;
  /** The job history the operator browses and reopens jobs from (with a sync folder). */
  history?: JobHistory;
  /** The job's recording (electron/records): telemetry, commands and safety events. */
  recorder?: StationRecorder;
  /** The station's own CAN address (absent when the fleet link is not on CAN). */
  canAddress?: CanAddressFeed;
  /**
   * What opening the data folder found damaged and did about it (a file kept aside, what was
   * lost): raised as alerts once the job is back, so damage is never only a line on stderr.
   */
  startupAlerts?: readonly StartupAlert[];
  /** Reads and lays out fields opened from a file and edited boundaries; on this thread when absent. */
  planner?: FieldPlanner;
  log?: (line: string) => void;
}

export interface StartupAlert {
  severity: AlertSnapshot['severity'];
  source: string;
  message: string;
  /** The damage leaves the station in doubt about stops or commands: hold every machine. */
  hold?: boolean;
}

export class Station {
  private readonly clock: Clock;
  private readonly core: SafetyCorePort;
  private readonly session: JobSession;
  private readonly dispatch: WorkDispatch;
  private readonly rebalance: LiveRebalance;
  private readonly stops: StopControl;
  private readonly modes: ModeControl;
  private readonly zoneControl: ZoneControl;
  private readonly contact: TractorContact;
  private readonly tractors = new Map<string, TractorRecord>();
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly startedAtMs: number;
  private readonly cancelTimers: (() => void)[] = [];
  private readonly log: (line: string) => void;
  private readonly alerts: AlertList;
  private readonly keeper: JobPersistence;
  private readonly journal: EventJournal;
  private readonly faults: FaultReporter;
  private seq = 0;
  private closed = false;
  /** The job was read back from the data folder at start (it never starts by itself). */
  readonly jobReadBack: boolean;
  private housekeepingTicks = 0;
  /** A station process that stalled has not heard the frames queued meanwhile: no COMM LOST yet. */
  private readonly stall = new StallGuard();
  private housekeepingDueMs = 0;

  constructor(private readonly options: StationOptions) {
    this.clock = options.clock;
    this.journal = new EventJournal({
      wallNow: () => this.clock.wallNow(),
      nameOf: (id) => this.nameOf(id),
      tractorIds: () => this.tractors.keys(),
    });
    this.core =
      'core' in options
        ? options.core
        : new SafetyCore({ clock: options.clock, port: options.port, fleetKey: options.fleetKey });
    this.log = options.log ?? (() => undefined);
    this.faults = new FaultReporter({
      clock: this.clock,
      log: (line) => this.log(line),
      raise: (message) => this.alerts.raise('critical', 'station', message),
    });
    this.alerts = new AlertList({
      clock: this.clock,
      audit: (fields) => this.audit(fields),
      notice: (severity, message) => this.notice(severity, message),
      mirror: () => this.session.mirror,
      changed: () => this.keeper.changed(),
    });
    this.stops = new StopControl(
      this.services(),
      {
        // The stop frame is out before the record is written: a disk that fails then must not
        // fail the stop (the fault is alerted instead).
        persist: () => this.faults.run('job record', () => this.keeper.persist()),
        recordStop: (id, scope, reason) => this.session.mirror?.recordStop(id, scope, reason),
        recordRelease: (id) => this.session.mirror?.releaseStop(id),
        fleetStopChanged: (active) => {
          if (active) this.session.setState('stopped');
          else if (this.session.job.state === 'stopped') this.session.setState('paused');
        },
        log: (line) => this.log(line),
      },
      this.core,
    );
    const jobHooks: JobHooks = {
      changed: () => this.keeper.changed(),
      persist: () => this.faults.run('job record', () => this.keeper.persist()),
      log: this.log,
      fault: (source, err) => this.faults.report(source, err),
    };
    this.session = new JobSession(this.services(), this.stops, options, jobHooks);
    this.keeper = new JobPersistence({
      clock: this.clock,
      store: options.store,
      history: options.history,
      session: this.session,
      stops: this.stops,
      alerts: this.alerts,
      auditAnchor: () => options.audit?.anchor() ?? null,
      log: this.log,
    });
    this.dispatch = new WorkDispatch(this.services(), this.stops, this.session, jobHooks);
    this.rebalance = new LiveRebalance({
      tractors: this.tractors,
      work: () => this.session.work,
      canReplan: () => this.dispatch.canReplan(),
      isHeld: (id) => this.stops.isHeld(id),
      apply: (move) => this.dispatch.rebalance(move),
    });
    this.modes = new ModeControl(this.services());
    this.zoneControl = new ZoneControl(this.services(), this.stops, () => this.session.zones);
    this.contact = new TractorContact(
      this.services(),
      {
        tractors: this.tractors,
        stops: this.stops,
        modes: this.modes,
        session: this.session,
        dispatch: this.dispatch,
      },
      {
        ...jobHooks,
        telemetry: (tractor) => this.options.recorder?.telemetry(this.session.job.id, tractor),
      },
    );
    this.startedAtMs = this.clock.now();
    const restored = this.keeper.restore(options.syncDir !== undefined);
    this.jobReadBack = restored.record !== null || restored.doubts.length > 0;
    recoverAtStart({
      restored,
      open: () => this.session.openDocument(),
      session: this.session,
      stops: this.stops,
      alerts: this.alerts,
      audit: options.audit,
      history: options.history,
      startupAlerts: options.startupAlerts ?? [],
      nowMs: this.clock.now(),
      log: this.log,
    });
    // Written at once: a record on disk from the first moment, beside the history's line.
    this.keeper.persist();
    this.stops.syncCore();
    this.core.listen({
      message: (from, message) => this.contact.handle(from, message),
      confirmed: (stopId, tractorId, latencyMs) =>
        this.stops.coreConfirmed(stopId, tractorId, latencyMs),
      fastStop: (order) => this.stops.coreStopped(order),
      mainThreadSilent: (silentMs, stopId) => this.stops.coreHeldForSilence(silentMs, stopId),
    });
    if (options.canAddress)
      this.cancelTimers.push(options.canAddress.onChange((c) => this.canAddressChanged(c)));
    this.every('housekeeping', HOUSEKEEPING_MS, () => this.housekeeping());
    this.every('snapshot publishing', PUBLISH_MS, () => this.publish());
    if (options.store) this.every('job record', PERSIST_MS, () => this.keeper.persistIfDirty());
    if (options.syncDir)
      this.every('coverage log', COVERAGE_FLUSH_MS, () => this.session.flushCoverage());
  }

  get jobId(): string {
    return this.session.job.id;
  }

  snapshot(): StationSnapshot {
    const { job, zones } = this.session;
    return buildSnapshot({
      nowMs: this.clock.now(),
      work: this.session.work,
      tractors: [...this.tractors.values()],
      stops: this.stops.active(),
      alerts: this.alerts.shown(),
      job: { id: job.id, name: job.name, state: job.state },
      linkStatus: this.options.linkStatus?.() ?? [],
      holds: zones.holds(),
      zones: zones.snapshot(),
      modeChange: this.modes.snapshot(),
      jobs: jobSummaries(this.options.history, job.id),
      events: this.journal.list(),
      station: {
        name: this.options.name,
        basemap: this.options.basemap ?? null,
        softwareVersion: this.options.softwareVersion,
        uptimeS: (this.clock.now() - this.startedAtMs) / 1000,
        seq: this.seq,
        ...(this.options.canAddress ? { canAddress: this.options.canAddress.current() } : {}),
      },
    });
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  jobState(): JobState {
    return this.session.job.state;
  }

  /** The plan the fleet works to (who works what, planned makespan, lower bound); null before one. */
  allocation(): AllocationPlan | null {
    return this.session.work.allocation();
  }

  /** The refill trips in that plan (none without a refill point or a machine that runs out). */
  refillPlan(): RefillPlan {
    return this.session.work.refills();
  }

  /** Stops in force (fleet or per tractor). */
  activeStopCount(): number {
    return this.stops.active().length;
  }

  /** Keep-out zones as WGS84 rings (the field's holes and the operator's zones). */
  keepOutRings(): LonLat[][] {
    return this.session.zones.snapshot().map((z) => z.ring);
  }

  tractorCount(): number {
    return this.tractors.size;
  }

  /** Resolves once at least `count` tractors have introduced themselves. */
  whenTractors(count: number): Promise<void> {
    return this.contact.whenTractors(count);
  }

  /**
   * Any command, including those that take time: opening a field file, and a boundary edit,
   * laid out in the planner's thread (`command` lays one out on this thread).
   */
  async execute(command: Command, actor = 'operator'): Promise<CommandResult> {
    if (command.type === 'editBoundary' && !this.closed) {
      const result = await this.dispatch.editBoundaryInThread(
        boundaryEdit(command),
        actor,
        () => !this.closed,
      );
      this.logged(command, actor, result);
      return result;
    }
    if (command.type !== 'openField') return this.command(command, actor);
    const result = await this.session.openField(
      command.fileName,
      Buffer.from(command.dataBase64, 'base64'),
      actor,
      command.confirmFar === true,
    );
    this.logged(command, actor, result);
    return result;
  }

  /**
   * STOP ALL by the fast path: the safety core stops the fleet at once (in its own process, before
   * anything else the main thread has to do), then the station records the stop as its own.
   */
  fastStop(actor = 'operator'): CommandResult {
    if (this.closed) return this.command({ type: 'fleetStop' }, actor);
    const stopId = this.core.fastStop(actor);
    const result = commandOk({ stopId });
    // In the recording and the event log as any STOP ALL is, with who gave it.
    this.logged({ type: 'fleetStop' }, actor, result);
    return result;
  }

  command(command: Command, actor = 'operator'): CommandResult {
    const result = this.applyOrRefuse(command, actor);
    this.logged(command, actor, result);
    return result;
  }

  /**
   * A line in the event log for something the station's composition did outside a command (an
   * export downloaded from a page, for example).
   */
  noteEvent(kind: string, severity: Severity, actor: string, text: string): void {
    this.journal.note(kind, severity, actor, text);
    this.publish();
  }

  /** A command and its result, in the recording and the event log. */
  private logged(command: Command, actor: string, result: CommandResult): void {
    this.options.recorder?.command(this.session.job.id, command, actor, result);
    this.journal.command(command, actor, result);
  }

  /**
   * A command the plan cannot carry out (a PlanningError from the fleet library: no machine can
   * do the work, a section or machine the plan does not hold) is refused with the reason, never
   * thrown; the parts refuse such commands before they change anything.
   */
  private applyOrRefuse(command: Command, actor: string): CommandResult {
    try {
      return this.apply(command, actor);
    } catch (err) {
      if (!(err instanceof PlanningError)) throw err;
      this.log(`station: ${command.type} by ${actor} refused by the plan: ${err.message}`);
      return commandFailed('refused', err.message);
    }
  }

  private apply(command: Command, actor: string): CommandResult {
    if (this.closed) return commandFailed('unavailable', 'the station is shutting down');
    switch (command.type) {
      case 'openField':
        return commandFailed('invalid', 'opening a field takes time: use execute()');
      case 'replayControl':
        return commandFailed(
          'refused',
          'replay controls apply to a replay; this is a live station',
        );
      case 'fleetStop':
        return this.stops.issue('fleet', [...this.tractors.keys()], actor);
      case 'tractorStop':
        if (!this.tractors.has(command.tractorId))
          return commandFailed('not-found', `no tractor ${command.tractorId}`);
        return this.stops.issue(command.tractorId, [command.tractorId], actor);
      case 'release':
        return this.stops.release(command, actor);
      case 'startJob':
      case 'resumeJob': {
        const result = this.dispatch.run();
        // The shared document names who ran the job (every command names its giver).
        if (result.ok)
          this.session.mirror?.job.setJobMode(
            'running',
            `${command.type === 'startJob' ? 'started' : 'resumed'} by ${actor}`,
          );
        return result;
      }
      case 'resumeTractor':
        return this.dispatch.resumeTractor(command.tractorId, actor);
      case 'pauseJob':
        this.session.setState('paused');
        this.core.broadcast({ kind: 'pause' });
        this.session.mirror?.job.setJobMode('paused', `paused by ${actor}`);
        return commandOk();
      case 'assignSection':
        return this.dispatch.assign([command.sectionId], command.tractorId, actor);
      case 'assignSections':
        return this.dispatch.assign(command.sectionIds, command.tractorId, actor);
      case 'setMode':
        return this.modes.request(command.mode, command.tractorIds, actor);
      case 'addZone':
        return this.zoneControl.add(command.name, command.ring, actor);
      case 'editBoundary':
        return this.dispatch.editBoundary(boundaryEdit(command), actor);
      case 'reopenJob':
        return this.session.reopen(command.jobId, actor);
      case 'deleteJob':
        return this.deleteJob(command.jobId, actor);
      case 'undeleteJob':
        return this.undeleteJob(command.jobId);
      case 'removeZone':
        return this.zoneControl.remove(command.zoneId, actor);
      case 'ackAlert':
        return this.alerts.acknowledge(command.alertId, actor);
      case 'ackAlerts':
        return this.alerts.acknowledgeMany(command.alertIds, actor);
    }
  }

  /** An alert from outside the station's parts (a recording found damaged, say). */
  raiseAlert(severity: AlertSnapshot['severity'], source: string, message: string): void {
    if (!this.closed) this.alerts.raise(severity, source, message);
  }

  /** Writes the job now: the coverage heard, the job record and its history line. */
  save(): void {
    if (this.closed) return;
    this.session.flushCoverage();
    this.keeper.persist();
  }

  /** Stops timers and writes the job record; the station accepts no more commands. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cancel of this.cancelTimers) cancel();
    this.session.closeDocument();
    this.core.close();
    this.options.audit?.close();
  }

  /**
   * An error nobody else caught (the process's last line of defence in `headland serve`):
   * logged and raised as an alert; the station keeps running.
   */
  reportFault(source: string, err: unknown): void {
    this.faults.report(source, err);
  }

  /** The job's shared document, when the station keeps one. */
  jobDocument(): JobDoc | null {
    return this.session.mirror?.job ?? null;
  }

  private housekeeping(): void {
    const now = this.clock.now();
    if (this.housekeepingDueMs > 0) this.stall.ran(this.housekeepingDueMs, now);
    this.housekeepingDueMs = now + HOUSEKEEPING_MS;
    this.contact.check(now, this.stall.judging(now), this.options.linkStatus?.() ?? []);
    this.modes.tick(now);
    if (++this.housekeepingTicks % ZONE_GUARD_EVERY === 0) this.zoneControl.guard(now);
    this.dispatch.sendMoves();
    this.rebalance.tick(now);
    this.finishIfDone();
  }

  /** The job is finished when every tractor still in the plan has done its work (job-finish.ts). */
  private finishIfDone(): void {
    const { job, work } = this.session;
    if (job.state !== 'running' || !work.allocated) return;
    const working = [...this.tractors.values()].filter((t) => !t.replannedOut);
    if (!everyMachineDone(working, work)) return;
    this.session.setState('finished');
    this.alerts.raise('info', 'station', 'Job finished: every tractor has completed its sections');
    this.keeper.persist();
  }

  /** Every change of the station's own CAN address is an event (Events tab, audit log). */
  private canAddressChanged(change: CanAddressChange): void {
    const event = describeAddressChange(change);
    this.log(`station: ${event.message}`);
    this.alerts.raise(event.severity, 'can', event.message, event.note);
    this.publish();
  }

  private deleteJob(jobId: string, actor: string): CommandResult {
    const history = this.options.history;
    const result = deleteFromHistory(history, jobId, this.session.job.id, this.clock.wallNow());
    if (!result.ok) return result;
    this.log(`station: job ${jobId} deleted by ${actor} (undoable for 24 h)`);
    this.publish();
    return result;
  }

  private undeleteJob(jobId: string): CommandResult {
    const result = undeleteFromHistory(this.options.history, jobId, this.clock.wallNow());
    if (result.ok) this.publish();
    return result;
  }

  /** The narrow view of the station its parts work through. */
  private services(): StationServices {
    return {
      clock: this.clock,
      port: this.core,
      tractors: this.tractors,
      audit: (fields) => this.audit(fields),
      raise: (severity, source, message) => this.alerts.raise(severity, source, message),
      notice: (severity, message) => this.notice(severity, message),
      publish: () => this.publish(),
      nameOf: (id) => this.nameOf(id),
    };
  }

  private audit(fields: AuditFields): void {
    // A safety event that cannot be written is alerted; it never undoes the event itself.
    this.faults.run('audit log', () => this.options.audit?.append(fields));
    this.faults.run('recording', () => this.options.recorder?.audit(this.session.job.id, fields));
    this.journal.audit(fields);
  }

  private notice(severity: AlertSnapshot['severity'], message: string): void {
    this.journal.notice(severity, message);
    this.emit({ type: 'notice', severity, message, atWallMs: this.clock.wallNow() });
  }

  private publish(): void {
    if (this.listeners.size === 0) return;
    this.seq++;
    this.emit({ type: 'state', snapshot: this.snapshot() });
  }

  private emit(event: StationEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private nameOf(tractorId: string): string {
    return this.tractors.get(tractorId)?.name ?? tractorId;
  }

  /**
   * Runs `fn` every `periodMs`. A run that throws is reported (logged, alerted) and the next
   * run comes as planned: housekeeping, heartbeats' supervision and stops go on.
   */
  private every(source: string, periodMs: number, fn: () => void): void {
    let cancel = (): void => undefined;
    const loop = (): void => {
      if (this.closed) return;
      this.faults.run(source, fn);
      cancel = this.clock.setTimer(periodMs, loop);
    };
    cancel = this.clock.setTimer(periodMs, loop);
    this.cancelTimers.push(() => cancel());
  }
}

/** The zone guard runs every this many housekeeping ticks (25 ms × 4 = 10 Hz, the telemetry rate). */
const ZONE_GUARD_EVERY = 4;
/**
 * Coverage heard goes to the shared document's runs this often (per tractor, joined into runs
 * there, so this costs no log items); with the runs' write-ahead (WRITE_AHEAD_MS, 500 ms) a
 * progress report is on disk within 0.75 s, inside the 1 s of reported work a crash may cost.
 */
const COVERAGE_FLUSH_MS = 250;

function boundaryEdit(command: Extract<Command, { type: 'editBoundary' }>): BoundaryEdit {
  return {
    rings: command.rings,
    reason: command.reason ?? 'boundary edited',
    acceptOverlap: command.acceptOverlap === true,
  };
}
